/** The four kinds of database every runner suite runs against, each opened once per test file. */
import { openDatabase } from "../../src/drivers/index.js";
import type { Database } from "../../src/drivers/types.js";
import { getDialect } from "../../src/dialects/index.js";
import type { Dialect } from "../../src/dialects/types.js";
import { createMysqlDatabase, createPostgresDatabase, sqliteUrl, tempDir } from "../helpers/databases.js";

export interface TestTarget {
  name: string;
  url: string;
  db: Database;
  dialect: Dialect;
  /** Opens another Database on the same target (not possible for PGlite). */
  reopen(): Promise<Database>;
  close(): Promise<void>;
}

export type TargetKind = "pglite" | "postgres" | "mariadb" | "sqlite";

export async function openTarget(kind: TargetKind): Promise<TestTarget> {
  let url: string;
  let cleanup: () => Promise<void> | void;
  switch (kind) {
    case "pglite":
      url = "pglite:memory";
      cleanup = () => {};
      break;
    case "postgres": {
      const scratch = await createPostgresDatabase("stratum_runner");
      url = scratch.url;
      cleanup = () => scratch.drop();
      break;
    }
    case "mariadb": {
      const scratch = await createMysqlDatabase("stratum_runner");
      url = scratch.url;
      cleanup = () => scratch.drop();
      break;
    }
    case "sqlite": {
      const dir = tempDir();
      url = sqliteUrl(dir.path);
      cleanup = () => dir.remove();
      break;
    }
  }
  const db = await openDatabase({ url });
  const others: Database[] = [];
  return {
    name: kind,
    url,
    db,
    dialect: getDialect(db.dialect),
    async reopen() {
      const other = await openDatabase({ url });
      others.push(other);
      return other;
    },
    async close() {
      await Promise.all(others.map((o) => o.close()));
      await db.close();
      await cleanup();
    },
  };
}

let counter = 0;
/** Fresh state-table names (and a table prefix) so that tests sharing one database do not meet. */
export function freshNames(): { tables: { version: string; history: string }; prefix: string } {
  counter++;
  return { tables: { version: `ver_${counter}`, history: `hist_${counter}` }, prefix: `t${counter}_` };
}

export async function tableExists(target: TestTarget, table: string): Promise<boolean> {
  const check = target.dialect.state.tableExists({ version: "x", history: "y" }, table);
  return (await target.db.main.query(check.sql, check.params)).rows.length > 0;
}
