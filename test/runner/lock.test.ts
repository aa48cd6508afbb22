import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/drivers/index.js";
import type { Database } from "../../src/drivers/types.js";
import { DatabaseError } from "../../src/errors.js";
import { findIncompleteSteps, readVersionHeads, runSteps, withMigrationLock, type LoadedRevision } from "../../src/runner/index.js";
import type { Step } from "../../src/graph/types.js";
import { chain, upSteps } from "./fixtures.js";
import { freshNames, openTarget, type TestTarget } from "./targets.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What one deployer does: lock, read heads, plan what is left of the chain, run it. */
async function deploy(db: Database, target: TestTarget, tables: { version: string; history: string }, ids: string[], revisions: Map<string, LoadedRevision>, log: string[], who: string, waits: string[]) {
  return withMigrationLock(db, target.dialect, tables, { waitMs: 20_000, onWait: (holder) => waits.push(`${who}:${holder ?? "?"}`) }, async () => {
    const heads = await readVersionHeads(db, target.dialect, tables);
    const steps: Step[] = upSteps(ids, heads[0], ids[ids.length - 1] as string);
    await runSteps({
      db, dialect: target.dialect, tables, steps, revisions, args: {}, transactionMode: "per-revision", timeouts: {}, lockRetries: 0, toolVersion: "t",
      events: { onStepDone: (s) => log.push(`${who}:${s.revision}`) },
    });
    return steps.length;
  });
}

describe.each(["postgres", "mariadb"] as const)("migration lock on %s", (kind) => {
  let target: TestTarget;
  beforeAll(async () => {
    target = await openTarget(kind);
  });
  afterAll(async () => {
    await target?.close();
  });

  it("lets exactly one of two racing runners apply each revision; the other waits and finds nothing to do", async () => {
    const { tables, prefix } = freshNames();
    const { ids, revisions } = chain(
      Array.from({ length: 4 }, (_v, i) => ({
        up: async (op) => {
          await op.execute(`CREATE TABLE ${prefix}${i} (id integer)`);
          await sleep(60); // long enough for the other runner to arrive and wait
        },
      })),
    );
    const a = await target.reopen();
    const b = await target.reopen();
    const log: string[] = [];
    const waits: string[] = [];
    const [ranA, ranB] = await Promise.all([deploy(a, target, tables, ids, revisions, log, "a", waits), deploy(b, target, tables, ids, revisions, log, "b", waits)]);
    expect([ranA, ranB].sort()).toEqual([0, 4]);
    expect(log.map((l) => l.split(":")[1])).toEqual(["r1", "r2", "r3", "r4"]);
    expect(new Set(log.map((l) => l.split(":")[0])).size).toBe(1);
    expect(waits.length).toBeGreaterThan(0);
    expect(waits[0]).toMatch(kind === "postgres" ? /^[ab]:pid \d+$/ : /^[ab]:connection \d+$/);
    expect(await readVersionHeads(target.db, target.dialect, tables)).toEqual(["r4"]);
  });

  it("gives up after waitMs, naming the holder, and releases the lock when the work fails", async () => {
    const { tables } = freshNames();
    const holder = await target.reopen();
    const other = await target.reopen();
    let release!: () => void;
    const held = withMigrationLock(holder, target.dialect, tables, {}, () => new Promise<void>((resolve) => (release = resolve)));
    await sleep(100);
    const error = await withMigrationLock(other, target.dialect, tables, { waitMs: 300 }, async () => "ran").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseError);
    expect((error as Error).message).toMatch(/^Gave up after 300 ms waiting for the migration lock held by (pid|connection) \d+\.$/);
    release();
    await held;
    await expect(withMigrationLock(other, target.dialect, tables, { waitMs: 2000 }, async () => { throw new Error("inner failure"); })).rejects.toThrow("inner failure");
    expect(await withMigrationLock(holder, target.dialect, tables, { waitMs: 2000 }, async () => "again")).toBe("again");
  });

  it("retries a step that hits a lock timeout in a fresh transaction, then succeeds once the lock is gone", async () => {
    const { tables, prefix } = freshNames();
    await target.db.main.query(`CREATE TABLE ${prefix}busy (id integer)`);
    const { ids, revisions } = chain([{ up: [`ALTER TABLE ${prefix}busy ADD COLUMN extra integer`] }]);
    const blocker = await target.reopen();
    await blocker.main.query("BEGIN");
    await blocker.main.query(kind === "postgres" ? `LOCK TABLE ${prefix}busy IN ACCESS EXCLUSIVE MODE` : `SELECT * FROM ${prefix}busy FOR UPDATE`);
    const retries: Array<{ attempt: number; waitMs: number }> = [];
    const run = runSteps({
      db: target.db, dialect: target.dialect, tables, steps: upSteps(ids, undefined, "r1"), revisions, args: {}, transactionMode: "per-revision",
      timeouts: { lockTimeoutMs: kind === "postgres" ? 100 : 1000 }, lockRetries: 6, retryBackoffMs: 50, toolVersion: "t",
      events: {
        onRetry: (_s, attempt, waitMs) => {
          retries.push({ attempt, waitMs });
          if (attempt === 2) void blocker.main.query("COMMIT");
        },
      },
    });
    await run;
    expect(retries.slice(0, 2)).toEqual([{ attempt: 1, waitMs: 50 }, { attempt: 2, waitMs: 100 }]);
    expect(await readVersionHeads(target.db, target.dialect, tables)).toEqual(["r1"]);
  });

  it("fails cleanly after the last retry", async () => {
    const { tables, prefix } = freshNames();
    await target.db.main.query(`CREATE TABLE ${prefix}stuck (id integer)`);
    const { ids, revisions } = chain([{ up: [`ALTER TABLE ${prefix}stuck ADD COLUMN extra integer`] }]);
    const blocker = await target.reopen();
    await blocker.main.query("BEGIN");
    await blocker.main.query(kind === "postgres" ? `LOCK TABLE ${prefix}stuck IN ACCESS EXCLUSIVE MODE` : `SELECT * FROM ${prefix}stuck FOR UPDATE`);
    let retries = 0;
    const error = await runSteps({
      db: target.db, dialect: target.dialect, tables, steps: upSteps(ids, undefined, "r1"), revisions, args: {}, transactionMode: "per-revision",
      timeouts: { lockTimeoutMs: kind === "postgres" ? 50 : 1000 }, lockRetries: 2, retryBackoffMs: 10, toolVersion: "t",
      events: { onRetry: () => retries++ },
    }).catch((e: unknown) => e);
    await blocker.main.query("ROLLBACK");
    expect(retries).toBe(2);
    expect(error).toBeInstanceOf(DatabaseError);
    expect((error as DatabaseError).code).toBe(kind === "postgres" ? "55P03" : "1205");
    expect((error as Error).message).toMatch(/^Revision r1 \(upgrade\) failed after 2 retries: /);
    expect(await readVersionHeads(target.db, target.dialect, tables)).toEqual([]);
  });
});

describe("non-transactional statements on PostgreSQL", () => {
  let target: TestTarget;
  beforeAll(async () => {
    target = await openTarget("postgres");
  });
  afterAll(async () => {
    await target?.close();
  });

  it("commits before CREATE INDEX CONCURRENTLY, runs it outside a transaction, and continues", async () => {
    const { tables, prefix } = freshNames();
    const { ids, revisions } = chain([
      {
        up: async (op) => {
          await op.execute(`CREATE TABLE ${prefix}t (id integer, v integer)`);
          await op.autocommit(async (inner) => {
            await inner.execute(`CREATE INDEX CONCURRENTLY ${prefix}t_v ON ${prefix}t (v)`);
          });
          await op.execute(`INSERT INTO ${prefix}t VALUES (1, 1)`);
        },
      },
    ]);
    const result = await runSteps({
      db: target.db, dialect: target.dialect, tables, steps: upSteps(ids, undefined, "r1"), revisions, args: {}, transactionMode: "per-revision",
      timeouts: { lockTimeoutMs: 1000 }, lockRetries: 0, toolVersion: "t",
    });
    expect(result.steps[0]?.statements).toBe(3);
    const { rows } = await target.db.main.query<{ valid: boolean }>(`SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = '${prefix}t_v'::regclass`);
    expect(rows).toEqual([{ valid: true }]);
    expect(await readVersionHeads(target.db, target.dialect, tables)).toEqual(["r1"]);
    // The session timeout used for the statement outside the transaction is not left behind.
    const { rows: setting } = await target.db.main.query<{ lock_timeout: string }>("SHOW lock_timeout");
    expect(setting[0]?.lock_timeout).toBe("0");
  });

  it("drops the INVALID index a failed CREATE INDEX CONCURRENTLY leaves, and records the partial step", async () => {
    const { tables, prefix } = freshNames();
    await target.db.main.query(`CREATE TABLE ${prefix}dup (v integer); INSERT INTO ${prefix}dup VALUES (1), (1)`);
    const { ids, revisions } = chain([
      { up: [`CREATE TABLE ${prefix}before (id integer)`] },
      {
        up: async (op) => {
          await op.execute(`CREATE TABLE ${prefix}side (id integer)`);
          await op.autocommit((inner) => inner.execute(`CREATE UNIQUE INDEX CONCURRENTLY ${prefix}dup_v ON ${prefix}dup (v)`));
        },
      },
    ]);
    const notices: string[] = [];
    const error = await runSteps({
      db: target.db, dialect: target.dialect, tables, steps: upSteps(ids, undefined, "r2"), revisions, args: {}, transactionMode: "per-revision",
      timeouts: {}, lockRetries: 0, toolVersion: "t", events: { onNotice: (m) => notices.push(m) },
    }).catch((e: unknown) => e);
    expect((error as DatabaseError).code).toBe("23505");
    expect(notices).toContain(`Dropped the invalid index ${prefix}dup_v left by the failed CREATE INDEX CONCURRENTLY.`);
    const { rows } = await target.db.main.query(`SELECT 1 FROM pg_class WHERE relname = '${prefix}dup_v'`);
    expect(rows).toEqual([]);
    expect(await readVersionHeads(target.db, target.dialect, tables)).toEqual(["r1"]);
    // The CREATE TABLE before the index was committed, so the step is partial and blocks the next run.
    const incomplete = await findIncompleteSteps(target.db, target.dialect, tables);
    expect(incomplete.map((r) => [r.revision, r.statementsDone])).toEqual([["r2", 1]]);
    await expect(
      runSteps({
        db: target.db, dialect: target.dialect, tables, steps: upSteps(ids, "r1", "r2"), revisions, args: {}, transactionMode: "per-revision",
        timeouts: {}, lockRetries: 0, toolVersion: "t",
      }),
    ).rejects.toThrow(/^Cannot run: revision r2 \(upgrade\) failed after statement 1: /);
  });

  it("runs every statement of a transactional: false revision outside a transaction, then records it", async () => {
    const { tables, prefix } = freshNames();
    const { ids, revisions } = chain([
      { up: [`CREATE TABLE ${prefix}nt (v integer)`, `CREATE INDEX CONCURRENTLY ${prefix}nt_v ON ${prefix}nt (v)`], transactional: false },
    ]);
    await runSteps({
      db: target.db, dialect: target.dialect, tables, steps: upSteps(ids, undefined, "r1"), revisions, args: {}, transactionMode: "per-revision",
      timeouts: { lockTimeoutMs: 1000 }, lockRetries: 0, toolVersion: "t",
    });
    expect(await readVersionHeads(target.db, target.dialect, tables)).toEqual(["r1"]);
    const { rows } = await target.db.main.query(`SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = '${prefix}nt_v'::regclass`);
    expect(rows).toEqual([{ valid: true }]);
  });

  it("refuses a non-transactional statement in single-transaction mode", async () => {
    const { tables, prefix } = freshNames();
    const { ids, revisions } = chain([{ up: [`CREATE TABLE ${prefix}x (v integer)`], transactional: false }]);
    const error = await runSteps({
      db: target.db, dialect: target.dialect, tables, steps: upSteps(ids, undefined, "r1"), revisions, args: {}, transactionMode: "single",
      timeouts: {}, lockRetries: 0, toolVersion: "t",
    }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^Revision r1 has a statement that cannot run inside a transaction .*so it cannot run in a single transaction\.$/);
    expect(await readVersionHeads(target.db, target.dialect, tables)).toEqual([]);
  });

  it("passes server notices to onNotice", async () => {
    const { tables } = freshNames();
    const { ids, revisions } = chain([{ up: ["DO $$ BEGIN RAISE NOTICE 'hello from r1'; END $$"] }]);
    const notices: string[] = [];
    await runSteps({
      db: target.db, dialect: target.dialect, tables, steps: upSteps(ids, undefined, "r1"), revisions, args: {}, transactionMode: "per-revision",
      timeouts: {}, lockRetries: 0, toolVersion: "t", events: { onNotice: (m) => notices.push(m) },
    });
    expect(notices).toEqual(["hello from r1"]);
  });
});

describe("migration lock on SQLite", () => {
  let target: TestTarget;
  beforeAll(async () => {
    target = await openTarget("sqlite");
  });
  afterAll(async () => {
    await target?.close();
  });

  it("holds the database file exclusively for the run, so a second process waits and gives up", async () => {
    const { tables } = freshNames();
    const other = await target.reopen();
    const error = await withMigrationLock(target.db, target.dialect, tables, { waitMs: 1000 }, async () => {
      // Between two revisions the lock stays: another connection can neither lock nor read-then-write.
      await target.db.main.query("CREATE TABLE held (id integer)");
      return withMigrationLock(other, target.dialect, tables, { waitMs: 200 }, async () => "ran").catch((e: unknown) => e);
    });
    expect(error).toBeInstanceOf(DatabaseError);
    expect((error as Error).message).toMatch(/^Gave up after 200 ms waiting for the migration lock: another connection holds the SQLite database file\.$/);
    // Released afterwards.
    expect(await withMigrationLock(other, target.dialect, tables, { waitMs: 1000 }, async () => "ran")).toBe("ran");
  });
});

describe("migration lock on PGlite", () => {
  it("needs no lock: there is one connection", async () => {
    const db = await openDatabase({ url: "pglite:memory" });
    try {
      const { tables } = freshNames();
      expect(await db.openSession()).toBeNull();
      expect(await withMigrationLock(db, (await import("../../src/dialects/index.js")).getDialect("postgresql"), tables, {}, async () => 42)).toBe(42);
    } finally {
      await db.close();
    }
  });
});
