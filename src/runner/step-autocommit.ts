import { performance } from "node:perf_hooks";
import { runBatch } from "./batch.js";
import { historyFinish, historyInsert, historyProgress } from "./history.js";
import { checkVersionRowCount, versionChangeStatements } from "./state-tables.js";
import { backoff, recordOperations, runMigration, sessionFor, sleep, type PreparedStep } from "./step-parts.js";
import { stepError } from "./step-error.js";
import type { RunOptions, StepOutcome } from "./types.js";

/** Counts the statements a revision will send, for "failed after statement 2 of 3"; null when it cannot tell. */
async function countStatements(options: RunOptions, prepared: PreparedStep): Promise<number | null> {
  const operations = await recordOperations(options, prepared);
  if (!operations) return null;
  try {
    let count = 0;
    for (const op of operations) {
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
/** What one run has already set on its connection, so that each step does not set it again. */
export interface SessionSettings {
  timeouts?: string;
}

export async function runAutocommitStep(
  options: RunOptions,
  prepared: PreparedStep,
  index: number,
  total: number,
  settings: SessionSettings = {},
): Promise<StepOutcome> {
  const { db, dialect, tables } = options;
  const statementsTotal = await countStatements(options, prepared);
  for (let attempt = 1; ; attempt++) {
    const startedAt = new Date();
    const t0 = performance.now();
    const setTimeouts = dialect.timeoutStatements(prepared.timeouts, "session");
    if (setTimeouts.length > 0 && settings.timeouts !== setTimeouts.join(";")) {
      await runBatch(db.main, dialect, setTimeouts);
      settings.timeouts = setTimeouts.join(";");
    }
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
