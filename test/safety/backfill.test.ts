/**
 * op.backfill on the real databases: batches commit one by one after the DDL (visible to other
 * sessions while the run goes on), a rerun after an interruption does only the rows left, a
 * batch that waits for a row lock retries, and bad options fail with one clear message.
 */
import pg from "pg";
import mysql from "mysql2/promise";
import Database from "better-sqlite3";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repair, upgrade } from "../../src/api/index.js";
import { StratumError } from "../../src/errors.js";
import { RecordingExecutor } from "../../src/ops/executor.js";
import { Op } from "../../src/ops/op.js";
import type { BackfillProgress } from "../../src/ops/backfill.js";
import { createMysqlDatabase, createPostgresDatabase, type ScratchDatabase } from "../helpers/databases.js";
import { testProject, tsRevision, type TestProject } from "./project.js";

declare global {
  // Revision files loaded in this process report their progress here.
  var backfillProgress: BackfillProgress[];
  var backfillStopAfter: number | undefined;
  var backfillRetries: number[];
}

const ROWS = 5000;
const CREATE = `await op.execute("CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL)");`;

function backfillRevision(parent: string, options: string, extra = ""): string {
  return tsRevision(
    "b00000000002",
    parent,
    `    await op.addColumn("accounts", { name: "email_lower", type: "text" }, { ifNotExists: true });
    await op.backfill({
      table: "accounts", set: { email_lower: sql\`lower(email)\` }, where: "email_lower IS NULL", ${options}
      onProgress(p) {
        globalThis.backfillProgress.push(p);
        if (globalThis.backfillStopAfter !== undefined && p.batches >= globalThis.backfillStopAfter) throw new Error("interrupted on purpose");
      },
    });`,
    `    await op.dropColumn("accounts", "email_lower");`,
    extra,
  );
}

describe("op.backfill on PostgreSQL", () => {
  let scratch: ScratchDatabase;
  let project: TestProject;
  let client: pg.Client;

  beforeAll(async () => {
    scratch = await createPostgresDatabase("stratum_backfill");
    project = testProject(scratch.url);
    project.write("b00000000001_accounts.ts", tsRevision("b00000000001", undefined, `    ${CREATE}
    await op.execute("INSERT INTO accounts SELECT g, 'User' || g || '@Example.COM' FROM generate_series(1, ${ROWS}) g");`, `    await op.execute("DROP TABLE accounts");`));
    client = new pg.Client({ connectionString: scratch.url });
    await client.connect();
    await upgrade({ cwd: project.path, target: "b00000000001" });
  });
  afterAll(async () => {
    await client?.end();
    project?.remove();
    await scratch?.drop();
  });

  it("commits batch by batch: other sessions see the column and the rows done so far", async () => {
    globalThis.backfillProgress = [];
    globalThis.backfillStopAfter = 3;
    project.write("b00000000002_backfill.ts", backfillRevision("b00000000001", "batchSize: 500,"));
    const failed = await upgrade({ cwd: project.path, target: "head" }).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(StratumError);
    expect((failed as Error).message).toContain("interrupted on purpose");
    // The column and three batches are committed; the revision itself is not recorded.
    const done = await client.query("SELECT count(*)::int AS n FROM accounts WHERE email_lower IS NOT NULL");
    expect(done.rows[0].n).toBe(1500);
    const version = await client.query("SELECT version_num FROM stratum_version");
    expect(version.rows.map((r) => r.version_num)).toEqual(["b00000000001"]);
    expect(globalThis.backfillProgress.map((p) => [p.batches, p.rows])).toEqual([[1, 500], [2, 1000], [3, 1500]]);
    expect(globalThis.backfillProgress[2]!.lastKey).toBe("1500");
  });

  it("resumes after `repair --rollback-record`: a rerun updates only the rows left", async () => {
    globalThis.backfillProgress = [];
    globalThis.backfillStopAfter = undefined;
    // The interrupted step committed part of its work, so runs stop until someone looks at it.
    const blocked = await upgrade({ cwd: project.path, target: "head" }).catch((error: unknown) => error);
    expect((blocked as Error).message).toMatch(/Cannot run: revision b00000000002 \(upgrade\) failed after statement/);
    await repair({ cwd: project.path, revision: "b00000000002", action: "rollback-record" });
    const result = await upgrade({ cwd: project.path, target: "head" });
    expect(result.mode === "online" && result.steps.map((s) => s.revision)).toEqual(["b00000000002"]);
    const last = globalThis.backfillProgress.at(-1)!;
    expect(last).toMatchObject({ done: true, rows: ROWS - 1500, batches: 7, lastKey: String(ROWS) });
    const wrong = await client.query("SELECT count(*)::int AS n FROM accounts WHERE email_lower IS DISTINCT FROM lower(email)");
    expect(wrong.rows[0].n).toBe(0);
  });

  it("retries a batch that times out waiting for a row lock", async () => {
    await client.query("CREATE TABLE orders (id int PRIMARY KEY, total int NOT NULL, total_cents int)");
    await client.query("INSERT INTO orders SELECT g, g, NULL FROM generate_series(1, 3000) g");
    project.write(
      "b00000000003_orders.ts",
      tsRevision("b00000000003", "b00000000002", `    await op.backfill({ table: "orders", set: "total_cents = total * 100", where: "total_cents IS NULL", batchSize: 1000,
      onProgress: (p) => globalThis.backfillProgress.push(p), onRetry: (attempt) => globalThis.backfillRetries.push(attempt) });`, "", "\n  lockTimeoutMs: 150,"),
    );
    globalThis.backfillProgress = [];
    globalThis.backfillRetries = [];
    const holder = new pg.Client({ connectionString: scratch.url });
    await holder.connect();
    await holder.query("BEGIN");
    await holder.query("SELECT * FROM orders WHERE id = 1500 FOR UPDATE");
    const release = new Promise<void>((resolve) => setTimeout(() => void holder.query("COMMIT").then(() => resolve()), 700));
    const started = Date.now();
    await upgrade({ cwd: project.path, target: "head" });
    await release;
    await holder.end();
    // The second batch waited for the row, timed out after 150 ms and retried until it was free.
    expect(Date.now() - started).toBeGreaterThanOrEqual(650);
    expect(globalThis.backfillRetries.length).toBeGreaterThanOrEqual(2);
    expect(globalThis.backfillRetries[0]).toBe(1);
    const wrong = await client.query("SELECT count(*)::int AS n FROM orders WHERE total_cents IS DISTINCT FROM total * 100");
    expect(wrong.rows[0].n).toBe(0);
    expect(globalThis.backfillProgress.filter((p) => !p.done).map((p) => p.rows)).toEqual([1000, 2000, 3000]);
  });

  it("refuses a table without a primary key unless given a key", async () => {
    await client.query("CREATE TABLE nokey (a int, b text)");
    project.write("b00000000004_nokey.ts", tsRevision("b00000000004", "b00000000003", `    await op.backfill({ table: "nokey", set: { b: "x" } });`));
    const failed = await upgrade({ cwd: project.path, target: "head" }).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(StratumError);
    expect((failed as Error).message).toMatch(/table nokey has no primary key/);
  });

  it("refuses --single-transaction; a dry run fills nothing", async () => {
    await client.query("CREATE TABLE small (id int PRIMARY KEY, v int)");
    await client.query("INSERT INTO small SELECT g, NULL FROM generate_series(1, 50) g");
    project.write("b00000000004_nokey.ts", tsRevision("b00000000004", "b00000000003", `    await op.backfill({ table: "small", set: { v: 1 }, where: "v IS NULL", batchSize: 10 });`));
    const single = await upgrade({ cwd: project.path, target: "head", singleTransaction: true }).catch((error: unknown) => error);
    expect((single as Error).message).toMatch(/b00000000004 commits its work in batches \(op\.backfill\), so it cannot run in a single transaction/);
    const dry = await upgrade({ cwd: project.path, target: "head", dryRun: true });
    expect(dry.mode === "online" && dry.dryRun).toBe(true);
    expect((await client.query("SELECT count(*)::int AS n FROM small WHERE v IS NOT NULL")).rows[0].n).toBe(0);
    await upgrade({ cwd: project.path, target: "head" });
    expect((await client.query("SELECT count(*)::int AS n FROM small WHERE v = 1")).rows[0].n).toBe(50);
  });

  it("writes one plain UPDATE offline (--sql)", async () => {
    const result = await upgrade({ cwd: project.path, target: "b00000000001:b00000000002", sql: true });
    expect(result.mode === "offline" && result.sql).toContain(`UPDATE "accounts" SET "email_lower" = lower(email) WHERE email_lower IS NULL`);
  });
});

describe("op.backfill elsewhere", () => {
  it("pages through a SQLite table", async () => {
    const project = testProject("sqlite:./test.db");
    try {
      const db = new Database(join(project.path, "test.db"));
      db.exec("CREATE TABLE accounts (id integer PRIMARY KEY, email text NOT NULL, email_lower text)");
      const insert = db.prepare("INSERT INTO accounts VALUES (?, ?, NULL)");
      db.transaction(() => {
        for (let i = 1; i <= 2500; i++) insert.run(i, `A${i}@X`);
      })();
      db.close();
      project.write("c00000000001_backfill.ts", tsRevision("c00000000001", undefined, `    await op.backfill({ table: "accounts", set: { email_lower: sql\`lower(email)\` }, where: "email_lower IS NULL", batchSize: 1000, onProgress: (p) => globalThis.backfillProgress.push(p) });`));
      globalThis.backfillProgress = [];
      await upgrade({ cwd: project.path, target: "head" });
      expect(globalThis.backfillProgress.map((p) => [p.rows, p.done])).toEqual([[1000, false], [2000, false], [2500, true]]);
      const check = new Database(join(project.path, "test.db"));
      expect(check.prepare("SELECT count(*) AS n FROM accounts WHERE email_lower = lower(email)").get()).toEqual({ n: 2500 });
      check.close();
    } finally {
      project.remove();
    }
  });

  it("pages through a MariaDB table", async () => {
    const scratch = await createMysqlDatabase("stratum_backfill");
    const project = testProject(scratch.url);
    const conn = await mysql.createConnection(scratch.url);
    try {
      await conn.query("CREATE TABLE accounts (id int PRIMARY KEY, email varchar(50) NOT NULL, email_lower varchar(50))");
      await conn.query("INSERT INTO accounts (id, email) SELECT seq, CONCAT('A', seq, '@X') FROM seq_1_to_2500");
      project.write("d00000000001_backfill.ts", tsRevision("d00000000001", undefined, `    await op.backfill({ table: "accounts", set: { email_lower: sql\`lower(email)\` }, where: "email_lower IS NULL", batchSize: 1000, onProgress: (p) => globalThis.backfillProgress.push(p) });`));
      globalThis.backfillProgress = [];
      await upgrade({ cwd: project.path, target: "head" });
      expect(globalThis.backfillProgress.map((p) => [p.rows, p.done])).toEqual([[1000, false], [2000, false], [2500, true]]);
      const [rows] = await conn.query("SELECT count(*) AS n FROM accounts WHERE email_lower = lower(email)");
      expect(Number((rows as Array<{ n: number }>)[0]!.n)).toBe(2500);
    } finally {
      await conn.end();
      project.remove();
      await scratch.drop();
    }
  });

  it("rejects bad options with one sentence naming the option", async () => {
    const op = new Op(new RecordingExecutor("postgresql"));
    const cases: Array<[unknown, RegExp]> = [
      [{ table: "t", set: {} }, /options\.set/],
      [{ table: "t", set: "  " }, /options\.set/],
      [{ table: "t", set: { a: 1 }, batchSize: 0 }, /options\.batchSize/],
      [{ table: "t", set: { a: 1 }, batchSize: 2.5 }, /options\.batchSize/],
      [{ table: "t", set: { a: 1 }, sleepMs: -1 }, /options\.sleepMs/],
      [{ table: "", set: { a: 1 } }, /options\.table/],
      [{ set: { a: 1 } }, /options\.table/],
      [null, /options/],
    ];
    for (const [options, message] of cases) {
      const error = await op.backfill(options as never).catch((e: unknown) => e);
      expect(error, JSON.stringify(options)).toBeInstanceOf(StratumError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message.split("\n")).toHaveLength(1);
    }
  });
});
