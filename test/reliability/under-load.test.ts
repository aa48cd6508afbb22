/**
 * Under load: clients run a steady mix of reads, updates and inserts on a table of 1,000,000
 * rows while a lint-clean revision set runs (nullable column, batched backfill, index built
 * CONCURRENTLY, foreign key NOT VALID then VALIDATE). No client operation may fail; the longest
 * stall is reported. STRATUM_RELIABILITY_LOAD_ROWS changes the table size.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { upgrade } from "../../src/api/index.js";
import { createPostgresDatabase, type ScratchDatabase } from "../helpers/databases.js";
import { testProject, tsRevision, type TestProject } from "../safety/project.js";
import { countFromEnv } from "./helpers.js";

const ROWS = countFromEnv("STRATUM_RELIABILITY_LOAD_ROWS", 1_000_000);
const CLIENTS = 4;
const id = (i: number) => `l${String(i).padStart(11, "0")}`;

const REVISIONS: Array<[string, string, string?]> = [
  [
    "regions and a nullable column",
    `    await op.createTable("regions", [{ name: "id", type: "int", primaryKey: true }]);
    await op.execute("INSERT INTO regions SELECT generate_series(1, 10)");
    await op.addColumn("accounts", { name: "region_id", type: "int" });`,
    `    await op.dropColumn("accounts", "region_id");
    await op.dropTable("regions");`,
  ],
  [
    "backfill in batches",
    `    await op.backfill({ table: "accounts", set: "region_id = id % 10 + 1", where: "region_id IS NULL", batchSize: 5000 });`,
    `    await op.execute("UPDATE accounts SET region_id = NULL WHERE region_id IS NOT NULL");`,
  ],
  [
    "index concurrently",
    `    await op.autocommit((op) => op.createIndex("accounts_region_idx", "accounts", ["region_id"], { concurrently: true }));`,
    `    await op.autocommit((op) => op.dropIndex("accounts_region_idx", { concurrently: true }));`,
  ],
  [
    "foreign key not valid",
    `    await op.createForeignKey("accounts_region_fk", "accounts", "regions", ["region_id"], ["id"], { notValid: true });`,
    `    await op.dropConstraint("accounts_region_fk", "accounts", { type: "foreignKey" });`,
  ],
  ["validate the foreign key", `    await op.validateConstraint("accounts_region_fk", "accounts");`, ""],
];

interface LoadStats {
  operations: number;
  failures: string[];
  longestMs: number;
}

/** Clients doing a steady mix: a point read, an update of a random row, an insert. */
function startLoad(url: string): () => Promise<LoadStats> {
  let running = true;
  let nextId = ROWS + 1;
  const stats: LoadStats = { operations: 0, failures: [], longestMs: 0 };
  const loops = Array.from({ length: CLIENTS }, async (_, client) => {
    const connection = new pg.Client({ connectionString: url });
    await connection.connect();
    for (let n = 0; running; n++) {
      const row = 1 + Math.floor(Math.random() * ROWS);
      const t0 = performance.now();
      try {
        if (n % 3 === 0) await connection.query("SELECT * FROM accounts WHERE id = $1", [row]);
        else if (n % 3 === 1) await connection.query("UPDATE accounts SET touched = touched + 1 WHERE id = $1", [row]);
        else await connection.query("INSERT INTO accounts (id, email) VALUES ($1, $2)", [nextId++, `new${client}@example.com`]);
        stats.operations++;
      } catch (error) {
        stats.failures.push((error as Error).message);
      }
      stats.longestMs = Math.max(stats.longestMs, performance.now() - t0);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await connection.end();
  });
  return async () => {
    running = false;
    await Promise.all(loops);
    return stats;
  };
}

describe(`online migration of a ${ROWS.toLocaleString("en")}-row table under load`, () => {
  let project: TestProject;
  let scratch: ScratchDatabase;

  beforeAll(async () => {
    scratch = await createPostgresDatabase("stratum_under_load");
    // The lint gate is an error here: the revision set must be lint-clean to run at all.
    project = testProject(scratch.url, { lint: { onUpgrade: "error" } });
    REVISIONS.forEach(([message, up, down], i) =>
      project.write(`${id(i + 1)}_${message.replaceAll(" ", "_")}.ts`, tsRevision(id(i + 1), i === 0 ? undefined : id(i), up, down ?? "")),
    );
    const client = new pg.Client({ connectionString: scratch.url });
    await client.connect();
    await client.query("CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL, touched int NOT NULL DEFAULT 0)");
    await client.query(`INSERT INTO accounts (id, email) SELECT g, 'user' || g || '@example.com' FROM generate_series(1, ${ROWS}) g`);
    await client.query("VACUUM ANALYZE accounts");
    await client.end();
  }, 180_000);
  afterAll(async () => {
    project?.remove();
    await scratch?.drop();
  });

  it("keeps every client operation succeeding; reports the longest stall", { timeout: 300_000 }, async () => {
    const stop = startLoad(scratch.url);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const t0 = performance.now();
    const result = await upgrade({ cwd: project.path, target: "head" });
    const migrationMs = performance.now() - t0;
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stats = await stop();

    expect(result.mode === "online" && result.steps.map((step) => step.revision)).toEqual(REVISIONS.map((_, i) => id(i + 1)));
    expect(stats.failures).toEqual([]);
    expect(stats.operations).toBeGreaterThan(100);
    // Each step holds a strong lock for milliseconds and each backfill batch a few row locks.
    expect(stats.longestMs).toBeLessThan(2000);
    const client = new pg.Client({ connectionString: scratch.url });
    await client.connect();
    try {
      const left = await client.query("SELECT count(*)::int AS n FROM accounts WHERE id <= $1 AND region_id IS NULL", [ROWS]);
      expect(left.rows[0].n).toBe(0);
      const fk = await client.query("SELECT convalidated FROM pg_constraint WHERE conname = 'accounts_region_fk'");
      expect(fk.rows).toEqual([{ convalidated: true }]);
      const index = await client.query("SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = 'accounts_region_idx'");
      expect(index.rows).toEqual([{ indisvalid: true }]);
    } finally {
      await client.end();
    }
    console.log(
      `under load: ${ROWS} rows, migration ${(migrationMs / 1000).toFixed(1)} s, ${stats.operations} client operations, ` +
        `0 failed, longest stall ${Math.round(stats.longestMs)} ms`,
    );
  });
});
