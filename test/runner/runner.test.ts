import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DatabaseError, InputError, UsageError } from "../../src/errors.js";
import {
  applyStamp,
  describeIncomplete,
  findIncompleteSteps,
  readHistoryLog,
  readRecordedChecksums,
  readVersionHeads,
  repairStep,
  runSteps,
  type RunOptions,
} from "../../src/runner/index.js";
import { chain, downSteps, upSteps, type RevisionBody } from "./fixtures.js";
import { freshNames, openTarget, tableExists, type TargetKind, type TestTarget } from "./targets.js";

const kinds: TargetKind[] = ["pglite", "postgres", "mariadb", "sqlite"];

describe.each(kinds)("runner on %s", (kind) => {
  let target: TestTarget;
  beforeAll(async () => {
    target = await openTarget(kind);
  });
  afterAll(async () => {
    await target?.close();
  });

  function options(tables: { version: string; history: string }, rest: Partial<RunOptions> & Pick<RunOptions, "steps" | "revisions">): RunOptions {
    return {
      db: target.db,
      dialect: target.dialect,
      tables,
      args: {},
      transactionMode: "per-revision",
      timeouts: { lockTimeoutMs: 2000, statementTimeoutMs: 60_000 },
      lockRetries: 0,
      toolVersion: "0.1.0-test",
      ...rest,
    };
  }

  function tableChain(prefix: string, count: number): RevisionBody[] {
    return Array.from({ length: count }, (_v, i) => ({
      up: [`CREATE TABLE ${prefix}${i + 1} (id integer PRIMARY KEY, name varchar(20))`],
      down: [`DROP TABLE ${prefix}${i + 1}`],
    }));
  }

  it("reads no heads from a database without a version table, and does not create it", async () => {
    const { tables } = freshNames();
    expect(await readVersionHeads(target.db, target.dialect, tables)).toEqual([]);
    expect(await tableExists(target, tables.version)).toBe(false);
  });

  it("reads the checksum each applied revision last ran with: a downgrade forgets it, a repair replaces it", async () => {
    const { tables, prefix } = freshNames();
    expect(await readRecordedChecksums(target.db, target.dialect, tables)).toEqual(new Map());
    const { ids, revisions } = chain(tableChain(prefix, 3));
    await runSteps(options(tables, { steps: upSteps(ids, undefined, "r3"), revisions }));
    await runSteps(options(tables, { steps: downSteps(ids, "r3", "r2"), revisions }));
    await repairStep(target.db, target.dialect, tables, "r1", "accept-checksum", { checksum: "v2:r1", toolVersion: "t" });
    expect(await readRecordedChecksums(target.db, target.dialect, tables)).toEqual(new Map([["r1", "v2:r1"], ["r2", "v1:r2"]]));
    // Up again: the latest run's checksum counts, whatever came before.
    await runSteps(options(tables, { steps: upSteps(ids, "r2", "r3"), revisions }));
    expect(await readRecordedChecksums(target.db, target.dialect, tables)).toEqual(new Map([["r1", "v2:r1"], ["r2", "v1:r2"], ["r3", "v1:r3"]]));
  });

  it("records a step's duration including the statements it sends with its history row", async () => {
    const { tables, prefix } = freshNames();
    const slow = {
      pglite: "SELECT pg_sleep(0.3)",
      postgres: "SELECT pg_sleep(0.3)",
      mariadb: "SELECT SLEEP(0.3)",
      sqlite: "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000) SELECT count(*) FROM c",
    }[kind];
    const { ids, revisions } = chain([{ up: [`CREATE TABLE ${prefix}1 (id integer)`, slow], down: [`DROP TABLE ${prefix}1`] }]);
    const result = await runSteps(options(tables, { steps: upSteps(ids, undefined, "r1"), revisions }));
    const measured = result.steps[0]!.durationMs;
    expect(measured).toBeGreaterThan(kind === "sqlite" ? 50 : 300);
    const [row] = await readHistoryLog(target.db, target.dialect, tables);
    expect(row!.durationMs).toBeGreaterThanOrEqual(Math.floor(measured * 0.8));
    expect(row!.durationMs).toBeLessThanOrEqual(Math.ceil(measured) + 5);
  });

  it("applies a chain, then reverts it step by step to base", async () => {
    const { tables, prefix } = freshNames();
    const { ids, revisions } = chain(tableChain(prefix, 3));
    const started: string[] = [];
    const result = await runSteps(
      options(tables, { steps: upSteps(ids, undefined, "r3"), revisions, events: { onStepStart: (s) => started.push(s.revision) } }),
    );
    expect(result.steps.map((s) => s.step.revision)).toEqual(["r1", "r2", "r3"]);
    expect(started).toEqual(["r1", "r2", "r3"]);
    expect(await readVersionHeads(target.db, target.dialect, tables)).toEqual(["r3"]);
    for (const i of [1, 2, 3]) expect(await tableExists(target, `${prefix}${i}`)).toBe(true);

    const history = await readHistoryLog(target.db, target.dialect, tables);
    expect(history.map((h) => [h.revision, h.direction, h.success, h.checksum, h.statementsDone])).toEqual([
      ["r1", "up", true, "v1:r1", 1],
      ["r2", "up", true, "v1:r2", 1],
      ["r3", "up", true, "v1:r3", 1],
    ]);
    expect(history[0]?.appliedBy).toMatch(/.+@.+/);
    expect(history[0]?.toolVersion).toBe("0.1.0-test");
    expect(history[0]?.versionChanges).toEqual([{ kind: "insert", id: "r1" }]);
    expect(Math.abs(history[0]!.startedAt.getTime() - Date.now())).toBeLessThan(60_000);

    await runSteps(options(tables, { steps: downSteps(ids, "r3", "r1"), revisions }));
    expect(await readVersionHeads(target.db, target.dialect, tables)).toEqual(["r1"]);
    expect(await tableExists(target, `${prefix}3`)).toBe(false);
    expect(await tableExists(target, `${prefix}2`)).toBe(false);
    expect(await tableExists(target, `${prefix}1`)).toBe(true);

    await runSteps(options(tables, { steps: downSteps(ids, "r1", undefined), revisions }));
    expect(await readVersionHeads(target.db, target.dialect, tables)).toEqual([]);
    expect(await tableExists(target, tables.version)).toBe(true);
    const directions = (await readHistoryLog(target.db, target.dialect, tables)).map((h) => `${h.revision}:${h.direction}`);
    expect(directions).toEqual(["r1:up", "r2:up", "r3:up", "r3:down", "r2:down", "r1:down"]);
    const lastTwo = await readHistoryLog(target.db, target.dialect, tables, { limit: 2 });
    expect(lastTwo.map((h) => `${h.revision}:${h.direction}`)).toEqual(["r2:down", "r1:down"]);
    expect(await readHistoryLog(target.db, target.dialect, tables, { revision: "r2" })).toHaveLength(2);
    expect(await readHistoryLog(target.db, target.dialect, tables, { failedOnly: true })).toEqual([]);
  });

  it("hands op.query rows and -x arguments to revisions", async () => {
    const { tables, prefix } = freshNames();
    let seen: unknown[] = [];
    let args: Record<string, string> = {};
    const { ids, revisions } = chain([
      { up: [`CREATE TABLE ${prefix}a (n integer)`, `INSERT INTO ${prefix}a (n) VALUES (41)`] },
      {
        up: async (op, context) => {
          args = { ...context.args };
          seen = await op.query(`SELECT n + 1 AS m FROM ${prefix}a`);
          await op.execute(`INSERT INTO ${prefix}a (n) VALUES (${target.dialect.state.param(1)})`, [context.args.value]);
        },
      },
    ]);
    await runSteps(options(tables, { steps: upSteps(ids, undefined, "r2"), revisions, args: { value: "7" } }));
    expect(seen.map((r) => Number((r as { m: unknown }).m))).toEqual([42]);
    expect(args).toEqual({ value: "7" });
    const rows = (await target.db.main.query<{ n: unknown }>(`SELECT n FROM ${prefix}a ORDER BY n`)).rows.map((r) => Number(r.n));
    expect(rows).toEqual([7, 41]);
  });

  it("lets op.query see the statements sent before it in the same revision", async () => {
    const { tables, prefix } = freshNames();
    let seen: unknown[] = [];
    const { ids, revisions } = chain([
      {
        up: async (op) => {
          await op.execute(`CREATE TABLE ${prefix}q (n integer)`);
          await op.execute(`INSERT INTO ${prefix}q (n) VALUES (5)`);
          seen = (await op.query<{ n: unknown }>(`SELECT n FROM ${prefix}q`)).map((r) => Number(r.n));
          await op.execute(`INSERT INTO ${prefix}q (n) VALUES (6)`);
        },
      },
    ]);
    await runSteps(options(tables, { steps: upSteps(ids, undefined, "r1"), revisions }));
    expect(seen).toEqual([5]);
    expect((await target.db.main.query(`SELECT count(*) AS c FROM ${prefix}q`)).rows.map((r) => Number(r.c))).toEqual([2]);
  });

  it("names the failing statement among several plain ones, and its position", async () => {
    const { tables, prefix } = freshNames();
    const { ids, revisions } = chain([
      { up: [`CREATE TABLE ${prefix}p1 (id integer)`, `CREATE TABLE ${prefix}p2 (id integer)`, `CREATE TABLE ${prefix}p1 (id integer)`, `CREATE TABLE ${prefix}p3 (id integer)`] },
    ]);
    const error = await runSteps(options(tables, { steps: upSteps(ids, undefined, "r1"), revisions })).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(new RegExp(`^Revision r1 \\(upgrade\\) failed: .*${prefix}p1.*already exists.*; statement 3: CREATE TABLE ${prefix}p1 \\(id integer\\)$`));
    if (kind !== "mariadb") expect(await tableExists(target, `${prefix}p2`)).toBe(false);
  });

  it("stamps heads without running revisions, and purges", async () => {
    const { tables } = freshNames();
    await applyStamp(target.db, target.dialect, tables, { headsBefore: [], headsAfter: ["a1", "b1"], versionChanges: [{ kind: "insert", id: "a1" }, { kind: "insert", id: "b1" }] }, { toolVersion: "t" });
    expect(await readVersionHeads(target.db, target.dialect, tables)).toEqual(["a1", "b1"]);
    await applyStamp(target.db, target.dialect, tables, { headsBefore: ["a1", "b1"], headsAfter: ["c1"], versionChanges: [] }, { toolVersion: "t", purge: true });
    expect(await readVersionHeads(target.db, target.dialect, tables)).toEqual(["c1"]);
    const stamps = (await readHistoryLog(target.db, target.dialect, tables)).filter((h) => h.direction === "stamp");
    expect(stamps.map((h) => h.revision)).toEqual(["a1", "b1", "c1"]);
  });

  it("applies a merge step's version changes (one row deleted, one updated) and unmerges it", async () => {
    const { tables } = freshNames();
    await applyStamp(target.db, target.dialect, tables, { headsBefore: [], headsAfter: ["a1", "b1"], versionChanges: [{ kind: "insert", id: "a1" }, { kind: "insert", id: "b1" }] }, { toolVersion: "t" });
    const { revisions } = chain([{ up: [], down: [] }], "m");
    const merge = { revision: "m1", direction: "up" as const, headsBefore: ["a1", "b1"], headsAfter: ["m1"], versionChanges: [{ kind: "delete" as const, id: "a1" }, { kind: "update" as const, from: "b1", to: "m1" }] };
    await runSteps(options(tables, { steps: [merge], revisions }));
    expect(await readVersionHeads(target.db, target.dialect, tables)).toEqual(["m1"]);
    const unmerge = { revision: "m1", direction: "down" as const, headsBefore: ["m1"], headsAfter: ["a1", "b1"], versionChanges: [{ kind: "insert" as const, id: "a1" }, { kind: "update" as const, from: "m1", to: "b1" }] };
    await runSteps(options(tables, { steps: [unmerge], revisions }));
    expect(await readVersionHeads(target.db, target.dialect, tables)).toEqual(["a1", "b1"]);
  });

  it("fails loudly when the version table does not hold the row a step expects", async () => {
    const { tables, prefix } = freshNames();
    const { ids, revisions } = chain(tableChain(prefix, 2));
    await applyStamp(target.db, target.dialect, tables, { headsBefore: [], headsAfter: ["zz"], versionChanges: [{ kind: "insert", id: "zz" }] }, { toolVersion: "t" });
    const error = await runSteps(options(tables, { steps: upSteps(ids, "r1", "r2"), revisions })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseError);
    expect((error as Error).message).toMatch(/r2.*expected to hold one row "r1".*0 rows matched/);
    expect(await readVersionHeads(target.db, target.dialect, tables)).toEqual(["zz"]);
    if (target.dialect.capabilities.transactionalDdl) expect(await tableExists(target, `${prefix}2`)).toBe(false);
  });

  it("reports a revision whose code throws as an input error naming its file", async () => {
    const { tables } = freshNames();
    const { ids, revisions } = chain([{ up: async () => { throw new Error("boom in revision code"); } }]);
    const error = await runSteps(options(tables, { steps: upSteps(ids, undefined, "r1"), revisions })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe("versions/r1.ts: revision r1 (upgrade) failed: boom in revision code");
  });

  it("loads every revision before writing anything, so a broken file late in the plan changes nothing", async () => {
    const { tables, prefix } = freshNames();
    const { ids, revisions } = chain(tableChain(prefix, 2));
    revisions.get("r2")!.load = async () => {
      throw new InputError("cannot load revision: Unexpected token", { file: "versions/r2.ts", line: 3 });
    };
    const error = await runSteps(options(tables, { steps: upSteps(ids, undefined, "r2"), revisions })).catch((e: unknown) => e);
    expect((error as Error).message).toBe("versions/r2.ts:3: cannot load revision: Unexpected token");
    expect(await tableExists(target, `${prefix}1`)).toBe(false);
    expect(await tableExists(target, tables.version)).toBe(false);
  });

  it("refuses a plan naming a revision that was not loaded", async () => {
    const { tables } = freshNames();
    const { revisions } = chain([{ up: [] }]);
    const error = await runSteps(options(tables, { steps: upSteps(["r1", "r2"], "r1", "r2"), revisions })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe("Revision r2 is in the plan but was not among the loaded revision files.");
  });

  if (kind === "mariadb") {
    it("refuses single-transaction mode without transactional DDL", async () => {
      const { tables } = freshNames();
      const { ids, revisions } = chain([{ up: [] }]);
      const error = await runSteps(options(tables, { steps: upSteps(ids, undefined, "r1"), revisions, transactionMode: "single" })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).toBe("A single transaction needs transactional DDL, which mysql does not have; run one transaction per revision.");
      expect(await tableExists(target, tables.version)).toBe(false);
    });
  }

  it("refuses to revert a revision without a downgrade", async () => {
    const { tables, prefix } = freshNames();
    const { ids, revisions } = chain([{ up: [`CREATE TABLE ${prefix}x (id integer)`] }]);
    await runSteps(options(tables, { steps: upSteps(ids, undefined, "r1"), revisions }));
    const error = await runSteps(options(tables, { steps: downSteps(ids, "r1", undefined), revisions })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/versions\/r1\.ts: revision r1 has no downgrade/);
    expect(await readVersionHeads(target.db, target.dialect, tables)).toEqual(["r1"]);
  });

  if (kind !== "mariadb") {
    it("leaves the database and version table as they were when a revision fails, and records the failure", async () => {
      const { tables, prefix } = freshNames();
      const { ids, revisions } = chain([
        { up: [`CREATE TABLE ${prefix}ok (id integer)`] },
        { up: [`CREATE TABLE ${prefix}half (id integer)`, `INSERT INTO ${prefix}missing (id) VALUES (1)`] },
      ]);
      const error = await runSteps(options(tables, { steps: upSteps(ids, undefined, "r2"), revisions })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DatabaseError);
      const message = (error as DatabaseError).message;
      expect(message).toContain("Revision r2 (upgrade) failed");
      expect(message).toContain(`${prefix}missing`);
      expect(message).toContain(`statement 2: INSERT INTO ${prefix}missing (id) VALUES (1)`);
      if (kind !== "sqlite") expect((error as DatabaseError).code).toBe("42P01");
      expect(await readVersionHeads(target.db, target.dialect, tables)).toEqual(["r1"]);
      expect(await tableExists(target, `${prefix}ok`)).toBe(true);
      expect(await tableExists(target, `${prefix}half`)).toBe(false);
      const last = (await readHistoryLog(target.db, target.dialect, tables)).at(-1);
      expect(last).toMatchObject({ revision: "r2", direction: "up", success: false, statementsDone: 0 });
      expect(last?.error).toContain(`${prefix}missing`);
      // Nothing was left half-done, so nothing blocks the next run.
      expect(await findIncompleteSteps(target.db, target.dialect, tables)).toEqual([]);
    });

    it("runs everything in one transaction and rolls all of it back on failure in single mode", async () => {
      const { tables, prefix } = freshNames();
      const { ids, revisions } = chain([
        { up: [`CREATE TABLE ${prefix}a (id integer)`] },
        { up: [`CREATE TABLE ${prefix}b (id integer)`, "SELECT * FROM no_such_table_here"] },
      ]);
      const error = await runSteps(options(tables, { steps: upSteps(ids, undefined, "r2"), revisions, transactionMode: "single" })).catch((e: unknown) => e);
      expect((error as Error).message).toContain("Revision r2 (upgrade) failed");
      expect(await tableExists(target, `${prefix}a`)).toBe(false);
      expect(await readVersionHeads(target.db, target.dialect, tables)).toEqual([]);
      const log = await readHistoryLog(target.db, target.dialect, tables);
      expect(log.map((h) => [h.revision, h.success])).toEqual([["r2", false]]);

      const good = chain([{ up: [`CREATE TABLE ${prefix}c (id integer)`] }, { up: [`CREATE TABLE ${prefix}d (id integer)`] }]);
      await runSteps(options(tables, { steps: upSteps(good.ids, undefined, "r2"), revisions: good.revisions, transactionMode: "single" }));
      expect(await readVersionHeads(target.db, target.dialect, tables)).toEqual(["r2"]);
      expect(await tableExists(target, `${prefix}d`)).toBe(true);
    });

    it("commits nothing in a dry run", async () => {
      const { tables, prefix } = freshNames();
      const { ids, revisions } = chain(tableChain(prefix, 2));
      const result = await runSteps(options(tables, { steps: upSteps(ids, undefined, "r2"), revisions, dryRun: true }));
      expect(result.dryRun).toBe(true);
      expect(result.steps).toHaveLength(2);
      expect(await tableExists(target, `${prefix}1`)).toBe(false);
      expect(await tableExists(target, tables.version)).toBe(false);
    });
  }

  if (kind === "mariadb") {
    it("records a revision that failed halfway and blocks every run until it is repaired", async () => {
      const { tables, prefix } = freshNames();
      const { ids, revisions } = chain([
        { up: [`CREATE TABLE ${prefix}ok (id integer)`] },
        { up: [`CREATE TABLE ${prefix}one (id integer)`, `CREATE TABLE ${prefix}two (id integer)`, `ALTER TABLE ${prefix}missing ADD COLUMN x integer`] },
      ]);
      const error = await runSteps(options(tables, { steps: upSteps(ids, undefined, "r2"), revisions })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DatabaseError);
      expect((error as DatabaseError).code).toBe("1146");
      expect((error as Error).message).toContain(`statement 3: ALTER TABLE ${prefix}missing`);
      // MariaDB committed the first two statements; the version table still says r1.
      expect(await tableExists(target, `${prefix}two`)).toBe(true);
      expect(await readVersionHeads(target.db, target.dialect, tables)).toEqual(["r1"]);

      const incomplete = await findIncompleteSteps(target.db, target.dialect, tables);
      expect(incomplete.map((r) => [r.revision, r.statementsDone, r.statementsTotal, r.success])).toEqual([["r2", 2, 3, false]]);

      const fixed = chain([
        { up: [`CREATE TABLE ${prefix}ok (id integer)`] },
        { up: [`CREATE TABLE ${prefix}one (id integer)`, `CREATE TABLE ${prefix}two (id integer)`, `ALTER TABLE ${prefix}ok ADD COLUMN x integer`] },
      ]);
      const blocked = await runSteps(options(tables, { steps: upSteps(fixed.ids, "r1", "r2"), revisions: fixed.revisions })).catch((e: unknown) => e);
      expect(blocked).toBeInstanceOf(DatabaseError);
      expect((blocked as Error).message).toMatch(/^Cannot run: revision r2 \(upgrade\) failed after statement 2 of 3: /);
      expect((blocked as DatabaseError).hint).toContain("stratum repair r2");

      await expect(repairStep(target.db, target.dialect, tables, "r1", "rollback-record")).rejects.toThrow(/no failed or partial step/);
      // The operator undoes the two committed statements by hand, then closes the record.
      await target.db.main.query(`DROP TABLE ${prefix}one, ${prefix}two`);
      await repairStep(target.db, target.dialect, tables, "r2", "rollback-record");
      expect(await findIncompleteSteps(target.db, target.dialect, tables)).toEqual([]);
      expect(await readVersionHeads(target.db, target.dialect, tables)).toEqual(["r1"]);

      await runSteps(options(tables, { steps: upSteps(fixed.ids, "r1", "r2"), revisions: fixed.revisions }));
      expect(await readVersionHeads(target.db, target.dialect, tables)).toEqual(["r2"]);
    });

    it("reports a step killed halfway (no error recorded) as interrupted", async () => {
      const { tables, prefix } = freshNames();
      const { ids, revisions } = chain([{ up: [`CREATE TABLE ${prefix}k1 (id integer)`, `ALTER TABLE ${prefix}gone ADD COLUMN x integer`] }]);
      await expect(runSteps(options(tables, { steps: upSteps(ids, undefined, "r1"), revisions }))).rejects.toThrow(/Revision r1/);
      // What a SIGKILL after the first statement leaves: progress recorded, no error text.
      await target.db.main.query(`UPDATE ${tables.history} SET error = NULL`);
      const [row] = await findIncompleteSteps(target.db, target.dialect, tables);
      expect(describeIncomplete(row!)).toBe("revision r1 (upgrade) failed after statement 1 of 2: the run was interrupted");
    });

    it("mark-applied repair finishes a partial step's version change", async () => {
      const { tables, prefix } = freshNames();
      const { ids, revisions } = chain([
        { up: [`CREATE TABLE ${prefix}a (id integer)`, `ALTER TABLE ${prefix}nope ADD COLUMN x integer`] },
      ]);
      await expect(runSteps(options(tables, { steps: upSteps(ids, undefined, "r1"), revisions }))).rejects.toThrow(/Revision r1/);
      expect(await readVersionHeads(target.db, target.dialect, tables)).toEqual([]);
      await repairStep(target.db, target.dialect, tables, "r1", "mark-applied", { toolVersion: "t" });
      expect(await readVersionHeads(target.db, target.dialect, tables)).toEqual(["r1"]);
      const last = (await readHistoryLog(target.db, target.dialect, tables)).at(-1);
      expect(last).toMatchObject({ revision: "r1", direction: "repair", success: true });
      expect(last?.note).toMatch(/^mark-applied/);
    });

    it("renders the script instead of running anything in a dry run", async () => {
      const { tables, prefix } = freshNames();
      const { ids, revisions } = chain(tableChain(prefix, 1));
      const notices: string[] = [];
      const result = await runSteps(options(tables, { steps: upSteps(ids, undefined, "r1"), revisions, dryRun: true, events: { onNotice: (m) => notices.push(m) } }));
      expect(result.script).toContain(`CREATE TABLE ${prefix}1`);
      expect(notices[0]).toMatch(/Dry run on mysql/);
      expect(await tableExists(target, `${prefix}1`)).toBe(false);
    });
  }

  if (kind === "postgres" || kind === "pglite") {
    it("keeps the state tables in a schema of their own when one is given", async () => {
      const { tables, prefix } = freshNames();
      const inSchema = { ...tables, schema: `${prefix}ops` };
      const { ids, revisions } = chain(tableChain(prefix, 1));
      await runSteps(options(inSchema, { steps: upSteps(ids, undefined, "r1"), revisions }));
      expect(await readVersionHeads(target.db, target.dialect, inSchema)).toEqual(["r1"]);
      expect(await readVersionHeads(target.db, target.dialect, tables)).toEqual([]);
      const { rows } = await target.db.main.query(`SELECT version_num FROM "${prefix}ops"."${tables.version}"`);
      expect(rows).toEqual([{ version_num: "r1" }]);
    });

    it("sets lock_timeout and statement_timeout for each step, with a revision's own values first", async () => {
      const { tables } = freshNames();
      const seen: Array<Record<string, unknown>> = [];
      const show = async (op: { query(sql: string): Promise<Record<string, unknown>[]> }) => {
        seen.push({ ...(await op.query("SELECT current_setting('lock_timeout') AS lock, current_setting('statement_timeout') AS stmt"))[0] });
      };
      const { ids, revisions } = chain([{ up: show }, { up: show, lockTimeoutMs: 500 }]);
      await runSteps(options(tables, { steps: upSteps(ids, undefined, "r2"), revisions }));
      expect(seen).toEqual([{ lock: "2s", stmt: "1min" }, { lock: "500ms", stmt: "1min" }]);
      const after = (await target.db.main.query("SELECT current_setting('lock_timeout') AS lock")).rows[0];
      expect(after).toEqual({ lock: "0" });
    });

    it("adopts an alembic_version table as it is", async () => {
      await target.db.main.query("CREATE TABLE alembic_version (version_num varchar(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))");
      await target.db.main.query("INSERT INTO alembic_version VALUES ('r1')");
      const tables = { version: "alembic_version", history: "alembic_history" };
      expect(await readVersionHeads(target.db, target.dialect, tables)).toEqual(["r1"]);
      const { ids, revisions } = chain([{ up: [] }, { up: ["SELECT 1"] }]);
      await runSteps(options(tables, { steps: upSteps(ids, "r1", "r2"), revisions }));
      expect(await readVersionHeads(target.db, target.dialect, tables)).toEqual(["r2"]);
    });

    it("names the version table's primary key <table>_pkc, as Alembic does", async () => {
      const { tables } = freshNames();
      await runSteps(options(tables, { steps: upSteps(["r1"], undefined, "r1"), revisions: chain([{ up: [] }]).revisions }));
      const { rows } = await target.db.main.query(`SELECT conname FROM pg_constraint WHERE conrelid = '${tables.version}'::regclass AND contype = 'p'`);
      expect(rows).toEqual([{ conname: `${tables.version}_pkc` }]);
    });
  }

  if (kind === "postgres" || kind === "sqlite") {
    it("runs a SQL revision's sections, split by the dialect's splitter", async () => {
      const { tables, prefix } = freshNames();
      const { ids, revisions } = chain([{ up: [] }]);
      const revision = revisions.get("r1")!;
      revision.kind = "sql";
      revision.sql = {
        up: { text: `CREATE TABLE ${prefix}s (v text);\nINSERT INTO ${prefix}s VALUES ('a;b');\n`, line: 2 },
        down: { text: `DROP TABLE ${prefix}s;\n`, line: 6 },
        transactional: true,
      };
      await runSteps(options(tables, { steps: upSteps(ids, undefined, "r1"), revisions }));
      expect((await target.db.main.query(`SELECT v FROM ${prefix}s`)).rows).toEqual([{ v: "a;b" }]);
      const history = await readHistoryLog(target.db, target.dialect, tables);
      expect(history[0]?.statementsDone).toBe(2);
      await runSteps(options(tables, { steps: downSteps(ids, "r1", undefined), revisions }));
      expect(await tableExists(target, `${prefix}s`)).toBe(false);
    });
  }

  it("records an accepted checksum as a repair row", async () => {
    const { tables } = freshNames();
    await applyStamp(target.db, target.dialect, tables, { headsBefore: [], headsAfter: ["r1"], versionChanges: [{ kind: "insert", id: "r1" }] }, { toolVersion: "t" });
    await expect(repairStep(target.db, target.dialect, tables, "r1", "accept-checksum")).rejects.toThrow(/needs the file's current checksum/);
    await repairStep(target.db, target.dialect, tables, "r1", "accept-checksum", { checksum: "v1:new" });
    const last = (await readHistoryLog(target.db, target.dialect, tables, { revision: "r1" })).at(-1);
    expect(last).toMatchObject({ direction: "repair", checksum: "v1:new", note: "accept-checksum" });
  });
});
