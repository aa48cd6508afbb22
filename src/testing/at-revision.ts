/**
 * Data at a revision: upgrade a scratch database to a revision, let the test insert rows, then
 * move on to a later revision and look at what its data migration did to them.
 */
import type { Row } from "../drivers/types.js";
import type { SchemaModel } from "../schema/model.js";
import type { KitOptions } from "./options.js";
import { openScratch } from "./scratch.js";
import { ScratchRunner } from "./scratch-runner.js";
import { loadKitProject } from "./session.js";

/** Plain SQL on the scratch database; parameters are bound as the driver writes them ($1 on PostgreSQL, ? elsewhere). */
export interface SeedHandle {
  /** Rows a statement returns. */
  query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** Runs a statement and returns how many rows it changed. */
  execute(sql: string, params?: readonly unknown[]): Promise<number>;
}

export interface RevisionFixture extends SeedHandle {
  /** `pglite:memory`, or the URL of the temporary database. */
  readonly url: string;
  /** The version rows the database is at. */
  heads(): Promise<string[]>;
  /** Applies revisions up to `target` (an id, `head`, `+1`, ...). */
  upgradeTo(target: string): Promise<RevisionFixture>;
  downgradeTo(target: string): Promise<RevisionFixture>;
  /** The schema as introspection sees it. */
  schema(): Promise<SchemaModel>;
  /** Drops the scratch database. */
  close(): Promise<void>;
}

/**
 * Upgrades a new scratch database to `revision` and runs `seed` on it. The fixture it returns
 * stays open until `close()` (it is closed for you when `seed` or the upgrade throws).
 */
export async function atRevision(
  revision: string,
  seed: (db: SeedHandle) => Promise<void> | void = () => undefined,
  options: KitOptions = {},
): Promise<RevisionFixture> {
  const { project, revisions } = await loadKitProject(options);
  const scratch = await openScratch(project, options.scratch);
  const runner = new ScratchRunner(project, revisions, scratch);
  const fixture = makeFixture(runner);
  try {
    await runner.upgrade(revision);
    await seed(fixture);
  } catch (error) {
    await scratch.drop();
    throw error;
  }
  return fixture;
}

function makeFixture(runner: ScratchRunner): RevisionFixture {
  const connection = runner.scratch.db.main;
  let closed = false;
  const fixture: RevisionFixture = {
    url: runner.scratch.url,
    async query<R extends Row = Row>(sql: string, params?: readonly unknown[]) {
      return (await connection.query<R>(sql, params)).rows;
    },
    async execute(sql, params) {
      return (await connection.query(sql, params)).rowCount;
    },
    heads: () => runner.heads(),
    async upgradeTo(target) {
      await runner.upgrade(target);
      return fixture;
    },
    async downgradeTo(target) {
      await runner.downgrade(target);
      return fixture;
    },
    schema: () => runner.introspect(),
    async close() {
      if (closed) return;
      closed = true;
      await runner.scratch.drop();
    },
  };
  return fixture;
}
