import { performance } from "node:perf_hooks";
import { recordFailure, recordSuccess, runMigration, sessionFor, sleep, backoff, type PreparedStep } from "./step-parts.js";
import { stepError } from "./step-error.js";
import { StepNotRun, type StepLink } from "./step-link.js";
import type { RunOptions, StepOutcome } from "./types.js";

/**
 * One step in its own transaction (PostgreSQL, SQLite), retried on lock timeouts. With a `link`
 * the step may overlap the one before it on the wire; the caller then reports it.
 */
export async function runTransactionalStep(options: RunOptions, prepared: PreparedStep, index: number, total: number, link?: StepLink): Promise<StepOutcome> {
  for (let attempt = 1; ; attempt++) {
    const startedAt = new Date();
    const t0 = performance.now();
    const session = sessionFor(options, prepared, "per-step", undefined, link);
    try {
      await runMigration(options, prepared, session);
      await recordSuccess(options, prepared, session, startedAt, t0, true, link?.mark);
      if (link) {
        // It committed, so the step before did; its time starts when that one was over.
        await link.released;
        return { step: prepared.step, durationMs: performance.now() - link.startOfOwnTime(t0), statements: session.done };
      }
      const durationMs = performance.now() - t0;
      options.events?.onStepDone?.(prepared.step, index, total, durationMs);
      return { step: prepared.step, durationMs, statements: session.done };
    } catch (error) {
      if (error instanceof StepNotRun) throw error;
      if (link && session.followed) {
        // Rejects when the step before failed for good: then this step never ran.
        await link.released;
        // The step before failed at first and was run again, so this batch never ran: run it now.
        if (await session.followed.then(() => false, () => true)) {
          attempt--;
          continue;
        }
      }
      await session.rollback();
      if (options.dialect.isLockTimeout(error) && session.committed === 0 && attempt <= options.lockRetries) {
        const waitMs = backoff(options, attempt);
        options.events?.onRetry?.(prepared.step, attempt, waitMs, error as Error);
        await sleep(waitMs);
        continue;
      }
      const cause = await session.attributeFailure(error);
      const failure = stepError(cause.error, prepared.step, prepared.revision, { index: cause.index, sql: cause.sql }, attempt - 1);
      // A step sent behind another failed no earlier than that one was over.
      await recordFailure(options, prepared, session, startedAt, link?.startOfOwnTime(t0) ?? t0, failure.message);
      throw failure;
    }
  }
}
