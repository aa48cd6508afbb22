import { UsageError } from "../errors.js";
import { renderOfflineScript } from "./offline.js";
import { runInOneTransaction } from "./run-single.js";
import { ensureStateTables } from "./state-tables.js";
import { runAutocommitStep, type SessionSettings } from "./step-autocommit.js";
import { findRevision } from "./definitions.js";
import { loadAfterSending, runChained, type PendingStep } from "./run-chained.js";
import { listenForNotices, prepare, refuseIncomplete, type PreparedStep } from "./step-parts.js";
import { runTransactionalStep } from "./step-transactional.js";
import type { RunOptions, RunResult, StepOutcome } from "./types.js";

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
  const restore = await dialect.prepareRun?.(db.main);
  try {
    if (dryRun || options.transactionMode === "single") return await runInOneTransaction(options);
    const pending = await prepareAll(options);
    await ensureStateTables(db, dialect, options.tables);
    listenForNotices(options);
    await refuseIncomplete(options);
    const marks = dialect.state.stepMarks;
    if (dialect.capabilities.transactionalDdl && db.main.pipelined && marks) return { steps: await runChained(options, pending, marks), dryRun };
    const outcomes: StepOutcome[] = [];
    const settings: SessionSettings = {};
    let upcoming: Promise<PreparedStep> | undefined;
    for (const [index, item] of pending.entries()) {
      const prepared = await (upcoming ?? (typeof item === "function" ? item() : item));
      options.events?.onStepStart?.(prepared.step, index, steps.length);
      const running = dialect.capabilities.transactionalDdl
        ? runTransactionalStep(options, prepared, index, steps.length)
        : runAutocommitStep(options, prepared, index, steps.length, settings);
      upcoming = loadAfterSending(pending[index + 1]);
      outcomes.push(await running);
    }
    return { steps: outcomes, dryRun };
  } finally {
    db.main.onNotice?.(undefined);
    await restore?.();
  }
}

/**
 * Every revision is loaded before anything is written: a broken file late in the plan stops the
 * run before its first step, not halfway through a deploy. The exception is a revision that an
 * earlier load of the very same file already proved to load (its load verdict): it is loaded
 * while the step before it waits for the database. A downgrade of a revision known to have none
 * still fails here, before the first step.
 */
async function prepareAll(options: RunOptions): Promise<PendingStep[]> {
  const pending: PendingStep[] = [];
  for (const step of options.steps) {
    const verdict = findRevision(options.revisions, step.revision).loadVerdict?.();
    if (verdict !== undefined && (step.direction === "up" || verdict.downgrade)) pending.push(() => prepare(options, step));
    else pending.push(await prepare(options, step));
  }
  return pending;
}
