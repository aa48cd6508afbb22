/** The pieces every way of running a step shares: loading it, its session, and its history rows. */
import { performance } from "node:perf_hooks";
import type { Timeouts } from "../dialects/types.js";
import { DatabaseError } from "../errors.js";
import type { Step } from "../graph/types.js";
import { RecordingExecutor } from "../ops/executor.js";
import { Op } from "../ops/op.js";
import type { Operation } from "../ops/types.js";
import type { MigrationFunction, RevisionDefinition } from "../scripts/revision.js";
import { findRevision, loadDefinition, migrationFunction } from "./definitions.js";
import { describeIncomplete, findIncompleteSteps, historyInsert } from "./history.js";
import { OnlineExecutor } from "./online-executor.js";
import { checkVersionRowCount, guardedVersionChangeStatements, guardFailure, versionChangeStatements } from "./state-tables.js";
import { StatementSession, type TransactionShape } from "./statement-session.js";
import type { StepLink } from "./step-link.js";
import type { LoadedRevision, RunOptions } from "./types.js";

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A step with its revision loaded and its timeouts settled (the revision's own win). */
export interface PreparedStep {
  step: Step;
  revision: LoadedRevision;
  definition: RevisionDefinition;
  fn: MigrationFunction;
  timeouts: Timeouts;
  /**
   * Statements that must run outside the transaction although they could run inside one:
   * an `ALTER TYPE ... ADD VALUE` whose value a later statement of the revision uses.
   */
  outside: ReadonlySet<string>;
}

/** Loads the step's revision; a revision that cannot run in this direction fails here, before anything is sent. */
export async function prepare(options: RunOptions, step: Step): Promise<PreparedStep> {
  const revision = findRevision(options.revisions, step.revision);
  const definition = await loadDefinition(revision, options.dialect);
  const timeouts: Timeouts = { ...options.timeouts };
  if (definition.lockTimeoutMs !== undefined) timeouts.lockTimeoutMs = definition.lockTimeoutMs;
  if (definition.statementTimeoutMs !== undefined) timeouts.statementTimeoutMs = definition.statementTimeoutMs;
  const fn = migrationFunction(definition, revision, step.direction);
  const prepared: PreparedStep = { step, revision, definition, fn, timeouts, outside: new Set() };
  return { ...prepared, outside: await commitPoints(options, prepared) };
}

/**
 * The revision's operations, recorded without a connection (nothing is sent); undefined when
 * its code cannot run that way, for example because it branches on rows it reads.
 */
export async function recordOperations(options: RunOptions, prepared: PreparedStep): Promise<Operation[] | undefined> {
  try {
    const recorder = new RecordingExecutor(options.dialect.name);
    await prepared.fn(new Op(recorder), { revision: prepared.step.revision, dialect: options.dialect.name, args: options.args, offline: true });
    return recorder.operations;
  } catch {
    return undefined;
  }
}

/**
 * A new enum value cannot be used in the transaction that added it, so the dialect marks such
 * statements to run outside. That needs the whole revision at once, so the revision is recorded
 * first; only a function whose code mentions adding a value is worth the second run. SQL revisions are
 * marked by the splitter already.
 */
async function commitPoints(options: RunOptions, prepared: PreparedStep): Promise<ReadonlySet<string>> {
  const mark = options.dialect.markCommitPoints;
  if (!mark || prepared.revision.kind === "sql") return new Set();
  if (!/ADD\s+VALUE|addEnumValue/i.test(prepared.fn.toString())) return new Set();
  const operations = await recordOperations(options, prepared);
  if (!operations) return new Set();
  const rendered = operations.flatMap((op) => (op.kind === "autocommit" || op.kind === "batch" ? [] : options.dialect.render(op, { offline: false })));
  const marked = mark(rendered);
  return new Set(marked.filter((statement, i) => !statement.transactional && rendered[i]?.transactional === true).map((statement) => statement.sql));
}

/** Exponential backoff before retry `attempt` (1-based), capped at 30 s. */
export function backoff(options: RunOptions, attempt: number): number {
  return Math.min((options.retryBackoffMs ?? 250) * 2 ** (attempt - 1), 30_000);
}

/** The statement session one attempt of a step runs in. */
export function sessionFor(
  options: RunOptions,
  prepared: PreparedStep,
  shape: TransactionShape,
  onCommitted?: (done: number) => Promise<void>,
  link?: StepLink,
) {
  return new StatementSession({
    connection: options.db.main,
    dialect: options.dialect,
    timeouts: prepared.timeouts,
    shape,
    dryRun: options.dryRun === true,
    revision: prepared.step.revision,
    notice: (message) => options.events?.onNotice?.(message),
    ...(onCommitted ? { onCommittedStatement: onCommitted } : {}),
    ...(link ? { link } : {}),
  });
}

/** Runs the revision's upgrade or downgrade against the live database. */
export async function runMigration(options: RunOptions, prepared: PreparedStep, session: StatementSession): Promise<void> {
  const executor = new OnlineExecutor(options.dialect, session, prepared.definition.transactional === false, options.tables.schema, prepared.outside);
  await prepared.fn(new Op(executor), {
    revision: prepared.step.revision,
    dialect: options.dialect.name,
    args: options.args,
    offline: false,
  });
}

/**
 * Records a successful step: its version-table change and history row, in its transaction; with
 * `commit`, the transaction is committed too. `mark` (a step of an overlapping run) tells the
 * step after it that this one committed.
 */
export async function recordSuccess(
  options: RunOptions,
  prepared: PreparedStep,
  session: StatementSession,
  startedAt: Date,
  t0: number,
  commit = false,
  mark?: string,
) {
  const { dialect, tables } = options;
  const verify = dialect.verifyStep;
  if (verify) await session.direct(verify, false);
  const history = historyInsert(dialect, tables, {
    revision: prepared.step.revision, direction: prepared.step.direction, checksum: prepared.revision.checksum, startedAt,
    durationMs: performance.now() - t0, success: true, error: null, statementsTotal: session.done, statementsDone: session.done,
    versionChanges: prepared.step.versionChanges, note: null, toolVersion: options.toolVersion,
  }, true);
  const marks = mark === undefined ? [] : [{ sql: mark, params: [] }];
  // Where the server can check the version rows, the step commits in the same round trip.
  const guarded = commit ? guardedVersionChangeStatements(dialect, tables, prepared.step.versionChanges) : undefined;
  if (guarded) {
    try {
      if (await session.finishAndCommit([...guarded, history, ...marks])) return;
    } catch (error) {
      throw guardFailure(error, guarded, tables) ?? error;
    }
  }
  const version = versionChangeStatements(dialect, tables, prepared.step.versionChanges);
  const results = await session.finish([...version, history, ...marks]);
  version.forEach((statement, i) => checkVersionRowCount(statement, results[i]?.rowCount ?? 0, tables));
  if (commit) await session.commit();
}

/** Records a failed step in its own transaction; a failure to record must not hide the step's error. */
export async function recordFailure(options: RunOptions, prepared: PreparedStep, session: StatementSession, startedAt: Date, t0: number, message: string) {
  const insert = historyInsert(options.dialect, options.tables, {
    revision: prepared.step.revision, direction: prepared.step.direction, checksum: prepared.revision.checksum, startedAt,
    durationMs: performance.now() - t0, success: false, error: message, statementsTotal: null, statementsDone: session.committed,
    versionChanges: prepared.step.versionChanges, note: null, toolVersion: options.toolVersion,
  });
  await options.db.main.query(insert.sql, insert.params).catch(() => {});
}

/** Passes server notices on, after Stratum's own CREATE ... IF NOT EXISTS has had its say. */
export function listenForNotices(options: RunOptions): void {
  const onNotice = options.events?.onNotice;
  if (onNotice) options.db.main.onNotice?.((message) => onNotice(message));
}

/** A step that failed halfway (its committed statements are still in the database) blocks every run. */
export async function refuseIncomplete(options: RunOptions): Promise<void> {
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
