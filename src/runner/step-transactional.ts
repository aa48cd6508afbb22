import { performance } from "node:perf_hooks";
import { recordFailure, recordSuccess, runMigration, sessionFor, sleep, backoff, type PreparedStep } from "./step-parts.js";
import { stepError } from "./step-error.js";
import type { RunOptions, StepOutcome } from "./types.js";

/** One step in its own transaction (PostgreSQL, SQLite), retried on lock timeouts. */
export async function runTransactionalStep(options: RunOptions, prepared: PreparedStep, index: number, total: number): Promise<StepOutcome> {
  for (let attempt = 1; ; attempt++) {
    const startedAt = new Date();
    const t0 = performance.now();
    const session = sessionFor(options, prepared, "per-step");
    try {
      await runMigration(options, prepared, session);
      await recordSuccess(options, prepared, session, startedAt, t0, true);
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
      const cause = await session.attributeFailure(error);
      const failure = stepError(cause.error, prepared.step, prepared.revision, { index: cause.index, sql: cause.sql }, attempt - 1);
      await recordFailure(options, prepared, session, startedAt, t0, failure.message);
      throw failure;
    }
  }
}
