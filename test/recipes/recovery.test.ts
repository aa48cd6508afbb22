/**
 * docs/recovery.md, run as written: the PostgreSQL part on PostgreSQL, each MySQL part on a
 * MariaDB database of its own, with the page's by-hand SQL run where the page says.
 */
import mysql from "mysql2/promise";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createMysqlDatabase, createPostgresDatabase, type ScratchDatabase } from "../helpers/databases.js";
import { copyExample, readDoc, resultOf, runRecipe } from "./recipe.js";

async function mysqlRows(url: string, sql: string): Promise<unknown[]> {
  const connection = await mysql.createConnection({ uri: url, multipleStatements: true });
  try {
    const [rows] = await connection.query(sql);
    return rows as unknown[];
  } finally {
    await connection.end();
  }
}

describe("docs/recovery.md", () => {
  const cleanups: Array<() => unknown> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  async function project(name: string) {
    const dir = copyExample(name);
    cleanups.push(() => dir.remove());
    return dir.path;
  }

  it("PostgreSQL: a failed CONCURRENTLY build leaves no invalid index, and the fixed revision runs", async () => {
    const db = await createPostgresDatabase("stratum_recipe_recovery_pg");
    cleanups.push(() => db.drop());
    const cwd = await project("recovery/postgres");
    const env = { ...process.env, DATABASE_URL: db.url };
    await runRecipe(readDoc("recovery.md", "postgres"), cwd, env);

    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query("SELECT indexrelid::regclass::text AS name, indisvalid FROM pg_index WHERE indrelid = 'users'::regclass ORDER BY 1");
      expect(rows).toEqual([
        { name: "users_email_lower_key", indisvalid: true },
        { name: "users_pkey", indisvalid: true },
      ]);
    } finally {
      await client.end();
    }
  });

  for (const part of ["mysql-undo", "mysql-finish"]) {
    it(`MariaDB: ${part === "mysql-undo" ? "undo by hand, --rollback-record, run again" : "finish by hand, --mark-applied, accept the fixed file"}`, async () => {
      const db: ScratchDatabase = await createMysqlDatabase(`stratum_recipe_recovery_${part === "mysql-undo" ? "undo" : "finish"}`);
      cleanups.push(() => db.drop());
      const cwd = await project("recovery/mysql");
      const results = await runRecipe(readDoc("recovery.md", part), cwd, { ...process.env, DATABASE_URL: db.url }, {
        runSql: async (sql) => void (await mysqlRows(db.url, sql)),
      });

      const columns = await mysqlRows(db.url, "SELECT column_name AS c FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'accounts' ORDER BY ordinal_position");
      expect(columns).toEqual([{ c: "id" }, { c: "email" }, { c: "plan" }]);
      const index = await mysqlRows(db.url, "SELECT index_name AS i FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = 'accounts' AND index_name = 'idx_accounts_plan'");
      expect(index).toHaveLength(1);
      expect(resultOf(results, "stratum upgrade head   # exit 3: table").stderr).toContain("acounts");
    });
  }
});
