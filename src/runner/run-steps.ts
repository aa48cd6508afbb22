import { performance } from "node:perf_hooks";
import type { Timeouts } from "../dialects/types.js";
import { DatabaseError, UsageError } from "../errors.js";
import type { Step } from "../graph/types.js";
import { RecordingExecutor } from "../ops/executor.js";
import { Op } from "../ops/op.js";
import type { MigrationFunction, RevisionDefinition } from "../scripts/revision.js";
import { runBatch } from "./batch.js";
import { findRevision, loadDefinition, migrationFunction } from "./definitions.js";
import { describeIncomplete, findIncompleteSteps, historyFinish, historyInsert, historyProgress } from "./history.js";
import { renderOfflineScript } from "./offline.js";
import { OnlineExecutor } from "./online-executor.js";
import { checkVersionRowCount, ensureStateTables, versionChangeStatements } from "./state-tables.js";
import { StatementSession, type TransactionShape } from "./statement-session.js";
import { stepError } from "./step-error.js";
import type { LoadedRevision, RunOptions, RunResult, StepOutcome } from "./types.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface PreparedStep {
  step: Step;
  revision: LoadedRevision;
  definition: RevisionDefinition;
  fn: MigrationFunction;
  timeouts: Timeouts;
}

async function prepare(options: RunOptions, step: Step): Promise<PreparedStep> {
  const revision = findRevision(options.revisions, step.revision);
  const definition = await loadDefinition(revision, options.dialect);
  const timeouts: Timeouts = { ...options.timeouts };
  if (definition.lockTimeoutMs !== undefined) timeouts.lockTimeoutMs = definition.lockTimeoutMs;
  if (definition.statementTimeoutMs !== undefined) timeouts.statementTimeoutMs = definition.statementTimeoutMs;
  return { step, revision, definition, fn: migrationFunction(definition, revision, step.direction), timeouts };
}

function backoff(options: RunOptions, attempt: number): number {
  return Math.min((options.retryBackoffMs ?? 250) * 2 ** (attempt - 1), 30_000);
}

function sessionFor(options: RunOptions, prepared: PreparedStep, shape: TransactionShape, onCommitted?: (done: number) => Promise<void>) {
  return new StatementSession({
    connection: options.db.main,
    dialect: options.dialect,
    timeouts: prepared.timeouts,
    shape,
    dryRun: options.dryRun === true,
    revision: prepared.step.revision,
    notice: (message) => options.events?.onNotice?.(message),
    ...(onCommitted ? { onCommittedStatement: onCommitted } : {}),
  });
}

async function runMigration(options: RunOptions, prepared: PreparedStep, session: StatementSession): Promise<void> {
  const executor = new OnlineExecutor(options.dialect, session, prepared.definition.transactional === false, options.tables.schema);
  await prepared.fn(new Op(executor), {
    revision: prepared.step.revision,
    dialect: options.dialect.name,
    args: options.args,
    offline: false,
  });
}

/** Version-table changes and the history row, checked, inside the open transaction. */
async function recordSuccess(options: RunOptions, prepared: PreparedStep, session: StatementSession, startedAt: Date, t0: number) {
  const { dialect, tables } = options;
  await session.ensureTransaction();
  const version = versionChangeStatements(dialect, tables, prepared.step.versionChanges);
  const history = historyInsert(dialect, tables, {
    revision: prepared.step.revision, direction: prepared.step.direction, checksum: prepared.revision.checksum, startedAt,
    durationMs: performance.now() - t0, success: true, error: null, statementsTotal: session.done, statementsDone: session.done,
    versionChanges: prepared.step.versionChanges, note: null, toolVersion: options.toolVersion,
  });
  const results = await runBatch(session.connection, dialect, [...version, history]);
  version.forEach((statement, i) => checkVersionRowCount(statement, results[i]?.rowCount ?? 0, tables));
}

/** Records a failed step in its own transaction; a failure to record must not hide the step's error. */
async function recordFailure(options: RunOptions, prepared: PreparedStep, session: StatementSession, startedAt: Date, t0: number, message: string) {
  const insert = historyInsert(options.dialect, options.tables, {
    revision: prepared.step.revision, direction: prepared.step.direction, checksum: prepared.revision.checksum, startedAt,
    durationMs: performance.now() - t0, success: false, error: message, statementsTotal: null, statementsDone: session.committed,
    versionChanges: prepared.step.versionChanges, note: null, toolVersion: options.toolVersion,
  });
  await options.db.main.query(insert.sql, insert.params).catch(() => {});
}

/** One step in its own transaction (PostgreSQL, SQLite), retried on lock timeouts. */
async function runTransactionalStep(options: RunOptions, prepared: PreparedStep, index: number, total: number): Promise<StepOutcome> {
  for (let attempt = 1; ; attempt++) {
    const startedAt = new Date();
    const t0 = performance.now();
    const session = sessionFor(options, prepared, "per-step");
    try {
      await runMigration(options, prepared, session);
      await recordSuccess(options, prepared, session, startedAt, t0);
      await session.commit();
      const durationMs = performance.now() - t0;
      options.events?.onStepDone?.(prepared.step, index, total, durationMs);
      return { step: prepared.step, durationMs, statements: session.done };
    } catch (error) {
      await session.rollback();
      if (options.dialect.isLockTimeout(error) && session.committed === 0 && attempt <= options.lockRetries) {
        const waitMs = backoff(options, attempt);
        options.events?.onRetry?.(prepared.step, attempt, waitMs, error as Error);
        await sleep(waitMs);
        continue;
      }
      const failure = stepError(error, prepared.step, prepared.revision, { index: session.done + 1, sql: session.current }, attempt - 1);
      await recordFailure(options, prepared, session, startedAt, t0, failure.message);
      throw failure;
    }
  }
}

/** Counts the statements a revision will send, for "failed after statement 2 of 3"; null when it cannot tell. */
async function countStatements(options: RunOptions, prepared: PreparedStep): Promise<number | null> {
  try {
    const recorder = new RecordingExecutor(options.dialect.name);
    await prepared.fn(new Op(recorder), { revision: prepared.step.revision, dialect: options.dialect.name, args: options.args, offline: true });
    let count = 0;
    for (const op of recorder.operations) {
      const ops = op.kind === "autocommit" ? op.ops : [op];
      for (const inner of ops) count += options.dialect.render(inner, { offline: false }).length;
    }
    return count;
  } catch {
    return null;
  }
}

/**
 * One step where each DDL statement commits on its own (MySQL, MariaDB). The history row is
 * written first and its progress after every statement, so that a failure halfway is on record.
 */
async function runAutocommitStep(options: RunOptions, prepared: PreparedStep, index: number, total: number): Promise<StepOutcome> {
  const { db, dialect, tables } = options;
  const statementsTotal = await countStatements(options, prepared);
  for (let attempt = 1; ; attempt++) {
    const startedAt = new Date();
    const t0 = performance.now();
    const setTimeouts = dialect.timeoutStatements(prepared.timeouts, "session");
    if (setTimeouts.length > 0) await runBatch(db.main, dialect, setTimeouts);
    const start = historyInsert(dialect, tables, {
      revision: prepared.step.revision, direction: prepared.step.direction, checksum: prepared.revision.checksum, startedAt,
      durationMs: null, success: false, error: null, statementsTotal, statementsDone: 0,
      versionChanges: prepared.step.versionChanges, note: null, toolVersion: options.toolVersion,
    });
    await db.main.query(start.sql, start.params);
    const idRow = (await db.main.query<{ id: unknown }>("SELECT LAST_INSERT_ID() AS id")).rows[0];
    const historyId = Number(idRow?.id);
    const session = sessionFor(options, prepared, "autocommit", async (done) => {
      const progress = historyProgress(dialect, tables, historyId, done);
      await db.main.query(progress.sql, progress.params);
    });
    try {
      await runMigration(options, prepared, session);
      await db.main.query("BEGIN");
      try {
        const version = versionChangeStatements(dialect, tables, prepared.step.versionChanges);
        for (const statement of version) checkVersionRowCount(statement, (await db.main.query(statement.sql, statement.params)).rowCount, tables);
        const finish = historyFinish(dialect, tables, historyId, {
          success: true, error: null, durationMs: performance.now() - t0, statementsDone: session.done, statementsTotal: session.done,
        });
        await db.main.query(finish.sql, finish.params);
        await db.main.query("COMMIT");
      } catch (error) {
        await db.main.query("ROLLBACK").catch(() => {});
        throw error;
      }
      const durationMs = performance.now() - t0;
      options.events?.onStepDone?.(prepared.step, index, total, durationMs);
      return { step: prepared.step, durationMs, statements: session.done };
    } catch (error) {
      const retriable = dialect.isLockTimeout(error) && session.committed === 0 && attempt <= options.lockRetries;
      const failure = stepError(error, prepared.step, prepared.revision, { index: session.done + 1, sql: session.current }, attempt - 1);
      const finish = historyFinish(dialect, tables, historyId, {
        success: false, error: failure.message, durationMs: performance.now() - t0, statementsDone: session.committed, statementsTotal,
      });
      await db.main.query(finish.sql, finish.params).catch(() => {});
      if (retriable) {
        const waitMs = backoff(options, attempt);
        options.events?.onRetry?.(prepared.step, attempt, waitMs, error as Error);
        await sleep(waitMs);
        continue;
      }
      throw failure;
    }
  }
}

/**
 * Every step inside one transaction, committed at the end (single-transaction mode) or rolled
 * back (dry run). A lock timeout anywhere rolls back the whole run and starts it again.
 */
async function runInOneTransaction(options: RunOptions): Promise<RunResult> {
  const { db, dialect, tables, steps } = options;
  const dryRun = options.dryRun === true;
  const prepared: PreparedStep[] = [];
  for (const step of steps) prepared.push(await prepare(options, step));
  for (let attempt = 1; ; attempt++) {
    const outcomes: StepOutcome[] = [];
    let current: { prepared: PreparedStep; session: StatementSession; startedAt: Date; t0: number } | undefined;
    await db.main.query("BEGIN");
    try {
      await ensureStateTables(db, dialect, tables);
      listenForNotices(options);
      await refuseIncomplete(options);
      for (const [index, item] of prepared.entries()) {
        if (attempt === 1) options.events?.onStepStart?.(item.step, index, steps.length);
        const session = sessionFor(options, item, "outer");
        current = { prepared: item, session, startedAt: new Date(), t0: performance.now() };
        const timeouts = dialect.timeoutStatements(item.timeouts, "transaction");
        if (timeouts.length > 0) await runBatch(db.main, dialect, timeouts);
        await runMigration(options, item, session);
        await recordSuccess(options, item, session, current.startedAt, current.t0);
        const durationMs = performance.now() - current.t0;
        options.events?.onStepDone?.(item.step, index, steps.length, durationMs);
        outcomes.push({ step: item.step, durationMs, statements: session.done });
      }
      await db.main.query(dryRun ? "ROLLBACK" : "COMMIT");
      return { steps: outcomes, dryRun };
    } catch (error) {
      await db.main.query("ROLLBACK").catch(() => {});
      if (dialect.isLockTimeout(error) && attempt <= options.lockRetries && current) {
        const waitMs = backoff(options, attempt);
        options.events?.onRetry?.(current.prepared.step, attempt, waitMs, error as Error);
        await sleep(waitMs);
        continue;
      }
      if (!current) throw error;
      const { session } = current;
      const failure = stepError(error, current.prepared.step, current.prepared.revision, { index: session.done + 1, sql: session.current }, attempt - 1);
      if (!dryRun) {
        await ensureStateTables(db, dialect, tables).catch(() => {});
        await recordFailure(options, current.prepared, session, current.startedAt, current.t0, failure.message);
      }
      throw failure;
    }
  }
}

/** Passes server notices on, after Stratum's own CREATE ... IF NOT EXISTS has had its say. */
function listenForNotices(options: RunOptions): void {
  const onNotice = options.events?.onNotice;
  if (onNotice) options.db.main.onNotice?.((message) => onNotice(message));
}

/** A step that failed halfway (its committed statements are still in the database) blocks every run. */
async function refuseIncomplete(options: RunOptions): Promise<void> {
  const incomplete = await findIncompleteSteps(options.db, options.dialect, options.tables);
  const first = incomplete[0];
  if (!first) return;
  throw new DatabaseError(`Cannot run: ${describeIncomplete(first)}.`, {
    code: "INCOMPLETE_STEP",
    hint:
      `Finish or undo the statements that ran by hand, then run \`stratum repair ${first.revision}\` ` +
      "(--mark-applied if you finished it, --rollback-record if you undid it).",
  });
}

/**
 * Executes planned steps on the target. The caller holds the migration lock and has planned
 * the steps from the heads it read under that lock.
 */
export async function runSteps(options: RunOptions): Promise<RunResult> {
  const { db, dialect, steps } = options;
  const dryRun = options.dryRun === true;
  if (steps.length === 0) return { steps: [], dryRun };
  if (dryRun && !dialect.capabilities.transactionalDdl) {
    const script = await renderOfflineScript({
      dialect, tables: options.tables, steps, revisions: options.revisions, args: options.args,
      transactionMode: "per-revision", toolVersion: options.toolVersion,
    });
    options.events?.onNotice?.(`Dry run on ${dialect.name}: DDL cannot be rolled back there, so nothing was sent; the script shows what would run.`);
    return { steps: [], dryRun, script };
  }
  if (options.transactionMode === "single" && !dialect.capabilities.transactionalDdl)
    throw new UsageError(`A single transaction needs transactional DDL, which ${dialect.name} does not have; run one transaction per revision.`);
  try {
    if (dryRun || options.transactionMode === "single") return await runInOneTransaction(options);
    await ensureStateTables(db, dialect, options.tables);
    listenForNotices(options);
    await refuseIncomplete(options);
    const outcomes: StepOutcome[] = [];
    for (const [index, step] of steps.entries()) {
      options.events?.onStepStart?.(step, index, steps.length);
      const prepared = await prepare(options, step);
      const run = dialect.capabilities.transactionalDdl ? runTransactionalStep : runAutocommitStep;
      outcomes.push(await run(options, prepared, index, steps.length));
    }
    return { steps: outcomes, dryRun };
  } finally {
    db.main.onNotice?.(undefined);
  }
}
