/**
 * Steps that overlap on the wire (PostgreSQL over a pipelined connection): each step's closing
 * batch may be sent before the step before it is answered. These tests check that the overlap
 * happens, and that nothing of a step runs or stays when the step before it fails, whichever
 * way it fails.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Connection, Database } from "../../src/drivers/types.js";
import { DatabaseError } from "../../src/errors.js";
import { readHistoryLog, readVersionHeads, runSteps, type RunOptions } from "../../src/runner/index.js";
import { chain, upSteps, type RevisionBody } from "./fixtures.js";
import { freshNames, openTarget, tableExists, type TestTarget } from "./targets.js";

/** The database with its main connection watched: how many batches were unanswered as each went out. */
function watched(db: Database, pipelined = db.main.pipelined === true) {
  let unanswered = 0;
  const sent: Array<{ text: string; behind: number }> = [];
  const inner = db.main;
  const main: Connection = {
    pipelined,
    query: (sql, params) => inner.query(sql, params),
    async batch(statements, notices) {
      sent.push({ text: statements.join(";\n"), behind: unanswered });
      unanswered++;
      try {
        return await inner.batch!(statements, notices);
      } finally {
        unanswered--;
      }
    },
    onNotice: (listener) => inner.onNotice?.(listener),
    close: () => inner.close(),
  };
  return { db: { ...db, main } satisfies Database, sent };
}

describe("steps overlapping on the wire, PostgreSQL", () => {
  let target: TestTarget;
  beforeAll(async () => {
    target = await openTarget("postgres");
  });
  afterAll(async () => {
    await target?.close();
  });

  function options(db: Database, tables: { version: string; history: string }, rest: Partial<RunOptions> & Pick<RunOptions, "steps" | "revisions">): RunOptions {
    return {
      db, dialect: target.dialect, tables, args: {}, transactionMode: "per-revision",
      timeouts: { lockTimeoutMs: 2000 }, lockRetries: 0, toolVersion: "t", ...rest,
    };
  }

  const createTable = (name: string): RevisionBody => ({ up: [`CREATE TABLE ${name} (id integer)`], down: [`DROP TABLE ${name}`] });
  /** Takes the database long enough that the next step is surely sent before this one is answered. */
  const slowly = "SELECT pg_sleep(0.1)";

  /** Runs the chain, recording the runner's events in order. */
  async function run(db: Database, tables: { version: string; history: string }, bodies: RevisionBody[], rest: Partial<RunOptions> = {}, onRetry?: () => void) {
    const { ids, revisions } = chain(bodies);
    const events: string[] = [];
    const outcome = await runSteps(
      options(db, tables, {
        steps: upSteps(ids, undefined, ids.at(-1)!),
        revisions,
        events: {
          onStepStart: (step) => events.push(`start ${step.revision}`),
          onStepDone: (step) => events.push(`done ${step.revision}`),
          onRetry: (step) => {
            events.push(`retry ${step.revision}`);
            onRetry?.();
          },
          onNotice: (message) => events.push(`notice ${message}`),
        },
        ...rest,
      }),
    ).then((result) => result, (error: unknown) => error);
    return { outcome, events };
  }

  async function historyOf(tables: { version: string; history: string }) {
    return (await readHistoryLog(target.db, target.dialect, tables)).map((row) => `${row.revision} ${row.success ? "ok" : "failed"}`);
  }

  it("sends a step's closing batch before the step before it is answered, and reports the steps in order", async () => {
    const { tables, prefix } = freshNames();
    const { db, sent } = watched(target.db);
    const { outcome, events } = await run(db, tables, [1, 2, 3, 4, 5, 6].map((i) => ({ up: [`CREATE TABLE ${prefix}${i} (id integer)`, slowly] })));
    expect(outcome).not.toBeInstanceOf(Error);
    const closing = sent.filter((batch) => batch.text.includes("COMMIT"));
    expect(closing.map((batch) => batch.behind)).toEqual([0, 1, 1, 1, 1, 1]);
    expect(events).toEqual([1, 2, 3, 4, 5, 6].flatMap((i) => [`start r${i}`, `done r${i}`]));
    expect(await readVersionHeads(target.db, target.dialect, tables)).toEqual(["r6"]);
    expect(await historyOf(tables)).toEqual([1, 2, 3, 4, 5, 6].map((i) => `r${i} ok`));
  });

  it("sends one step at a time on a connection that does not pipeline", async () => {
    const { tables, prefix } = freshNames();
    const { db, sent } = watched(target.db, false);
    await run(db, tables, [1, 2, 3].map((i) => createTable(`${prefix}${i}`)));
    expect(sent.every((batch) => batch.behind === 0)).toBe(true);
    expect(await readVersionHeads(target.db, target.dialect, tables)).toEqual(["r3"]);
  });

  it("runs nothing of the steps behind a statement that fails", async () => {
    const { tables, prefix } = freshNames();
    const { db, sent } = watched(target.db);
    const { outcome, events } = await run(db, tables, [
      createTable(`${prefix}1`),
      { up: [`CREATE TABLE ${prefix}2 (id integer)`, slowly, "SELECT CAST('x' AS integer)"] },
      createTable(`${prefix}3`),
      createTable(`${prefix}4`),
    ]);
    expect(outcome).toBeInstanceOf(DatabaseError);
    expect((outcome as Error).message).toMatch(/^Revision r2 \(upgrade\) failed: invalid input syntax .*; statement 3: SELECT CAST\('x' AS integer\)$/);
    // r3 really went out behind the failing r2, and did not run.
    expect(sent.find((batch) => batch.text.includes(`CREATE TABLE ${prefix}3`))?.behind).toBe(1);
    for (const [table, exists] of [[`${prefix}1`, true], [`${prefix}2`, false], [`${prefix}3`, false], [`${prefix}4`, false]] as const)
      expect(await tableExists(target, table), table).toBe(exists);
    expect(await readVersionHeads(target.db, target.dialect, tables)).toEqual(["r1"]);
    expect(await historyOf(tables)).toEqual(["r1 ok", "r2 failed"]);
    expect(events).toEqual(["start r1", "done r1", "start r2"]);
    // The connection is left usable, outside any transaction.
    expect((await target.db.main.query("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
  });

  it("runs nothing of the step behind one whose COMMIT fails", async () => {
    const { tables, prefix } = freshNames();
    await target.db.main.query(`CREATE TABLE ${prefix}parent (id integer PRIMARY KEY)`);
    await target.db.main.query(`CREATE TABLE ${prefix}child (parent integer REFERENCES ${prefix}parent DEFERRABLE INITIALLY DEFERRED)`);
    const { db, sent } = watched(target.db);
    const { outcome, events } = await run(db, tables, [
      createTable(`${prefix}1`),
      // Checked only at COMMIT: every statement of the step succeeds.
      { up: [`CREATE TABLE ${prefix}2 (id integer)`, `INSERT INTO ${prefix}child VALUES (42)`, slowly] },
      createTable(`${prefix}3`),
    ]);
    expect(outcome).toBeInstanceOf(DatabaseError);
    expect((outcome as Error).message).toMatch(/^Revision r2 \(upgrade\) failed/);
    expect((outcome as Error).message).toContain("foreign key");
    expect(sent.find((batch) => batch.text.includes(`CREATE TABLE ${prefix}3`))?.behind).toBe(1);
    expect(await tableExists(target, `${prefix}2`)).toBe(false);
    expect(await tableExists(target, `${prefix}3`)).toBe(false);
    expect(await readVersionHeads(target.db, target.dialect, tables)).toEqual(["r1"]);
    expect(await historyOf(tables)).toEqual(["r1 ok", "r2 failed"]);
    expect(events).toEqual(["start r1", "done r1", "start r2"]);
  });

  it("runs a step again behind one that timed out on a lock and was retried, and reports each once", async () => {
    const { tables, prefix } = freshNames();
    await target.db.main.query(`CREATE TABLE ${prefix}busy (id integer)`);
    const blocker = await target.reopen();
    await blocker.main.query("BEGIN");
    await blocker.main.query(`LOCK TABLE ${prefix}busy IN ACCESS EXCLUSIVE MODE`);
    const { db, sent } = watched(target.db);
    let retries = 0;
    const { outcome, events } = await run(
      db,
      tables,
      [createTable(`${prefix}1`), { up: [`ALTER TABLE ${prefix}busy ADD COLUMN extra integer`] }, createTable(`${prefix}3`), createTable(`${prefix}4`)],
      { timeouts: { lockTimeoutMs: 100 }, lockRetries: 5, retryBackoffMs: 20 },
      () => {
        if (++retries === 2) void blocker.main.query("COMMIT");
      },
    );
    expect(outcome).not.toBeInstanceOf(Error);
    // r3 went out behind r2's first try, which failed; it ran after r2's retry instead.
    const r3 = sent.filter((batch) => batch.text.includes(`CREATE TABLE ${prefix}3`));
    expect(r3.length).toBeGreaterThanOrEqual(2);
    expect(r3[0]?.behind).toBe(1);
    expect(events).toEqual(["start r1", "done r1", "start r2", "retry r2", "retry r2", "done r2", "start r3", "done r3", "start r4", "done r4"]);
    expect(await readVersionHeads(target.db, target.dialect, tables)).toEqual(["r4"]);
    expect(await historyOf(tables)).toEqual(["r1 ok", "r2 ok", "r3 ok", "r4 ok"]);
  });

  it("reports a server notice after the start of the step that raised it, though it arrived with the step before it outstanding", async () => {
    const { tables, prefix } = freshNames();
    const { db, sent } = watched(target.db);
    const { outcome, events } = await run(db, tables, [
      { up: [`DROP TABLE IF EXISTS ${prefix}gone_1`, slowly] },
      { up: [`DROP TABLE IF EXISTS ${prefix}gone_2`] },
      { up: [`DROP TABLE IF EXISTS ${prefix}gone_3`, slowly] },
    ]);
    expect(outcome).not.toBeInstanceOf(Error);
    // r2 went out behind the slow r1; its notice comes right after r1's answer, before r1 is reported.
    expect(sent.filter((batch) => batch.text.includes("COMMIT")).map((batch) => batch.behind).slice(0, 2)).toEqual([0, 1]);
    expect(events).toEqual([
      "start r1", `notice table "${prefix}gone_1" does not exist, skipping`, "done r1",
      "start r2", `notice table "${prefix}gone_2" does not exist, skipping`, "done r2",
      "start r3", `notice table "${prefix}gone_3" does not exist, skipping`, "done r3",
    ]);
  });

  it("lets a step read what the step before it committed", async () => {
    const { tables, prefix } = freshNames();
    const { outcome } = await run(target.db, tables, [
      { up: [`CREATE TABLE ${prefix}1 (id integer)`, `INSERT INTO ${prefix}1 VALUES (1), (2), (3)`] },
      {
        up: async (op) => {
          const [row] = await op.query<{ n: string }>(`SELECT count(*) AS n FROM ${prefix}1`);
          await op.execute(`CREATE TABLE ${prefix}counted_${row?.n} (id integer)`);
        },
      },
    ]);
    expect(outcome).not.toBeInstanceOf(Error);
    expect(await tableExists(target, `${prefix}counted_3`)).toBe(true);
  });

  it("does not run a step that reads when the step before it fails at COMMIT", async () => {
    const { tables, prefix } = freshNames();
    await target.db.main.query(`CREATE TABLE ${prefix}parent (id integer PRIMARY KEY)`);
    await target.db.main.query(`CREATE TABLE ${prefix}child (parent integer REFERENCES ${prefix}parent DEFERRABLE INITIALLY DEFERRED)`);
    let read = false;
    const { outcome } = await run(target.db, tables, [
      { up: [`INSERT INTO ${prefix}child VALUES (42)`] },
      {
        up: async (op) => {
          read = true;
          await op.query("SELECT 1");
          await op.execute(`CREATE TABLE ${prefix}2 (id integer)`);
        },
      },
    ]);
    expect((outcome as Error).message).toMatch(/^Revision r1 \(upgrade\) failed/);
    // r2's code may start while r1 is on its way, but nothing of it reaches the database.
    expect(read).toBe(true);
    expect(await tableExists(target, `${prefix}2`)).toBe(false);
    expect(await historyOf(tables)).toEqual(["r1 failed"]);
  });
});
