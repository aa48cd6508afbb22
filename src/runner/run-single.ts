import { performance } from "node:perf_hooks";
import { runBatch } from "./batch.js";
import { ensureStateTables } from "./state-tables.js";
import type { StatementSession } from "./statement-session.js";
import {
  backoff, listenForNotices, prepare, recordFailure, recordSuccess, refuseIncomplete, runMigration, sessionFor, sleep, type PreparedStep,
} from "./step-parts.js";
import { stepError } from "./step-error.js";
import type { RunOptions, RunResult, StepOutcome } from "./types.js";

/**
 * Every step inside one transaction, committed at the end (single-transaction mode) or rolled
 * back (dry run). A lock timeout anywhere rolls back the whole run and starts it again.
 */
export async function runInOneTransaction(options: RunOptions): Promise<RunResult> {
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
