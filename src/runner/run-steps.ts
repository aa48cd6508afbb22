import { UsageError } from "../errors.js";
import { renderOfflineScript } from "./offline.js";
import { runInOneTransaction } from "./run-single.js";
import { ensureStateTables } from "./state-tables.js";
import { runAutocommitStep, type SessionSettings } from "./step-autocommit.js";
import { listenForNotices, prepare, refuseIncomplete } from "./step-parts.js";
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
    // Every revision is loaded before anything is written: a broken file late in the plan
    // stops the run before its first step, not halfway through a deploy.
    const preparedSteps = [];
    for (const step of steps) preparedSteps.push(await prepare(options, step));
    await ensureStateTables(db, dialect, options.tables);
    listenForNotices(options);
    await refuseIncomplete(options);
    const outcomes: StepOutcome[] = [];
    const settings: SessionSettings = {};
    for (const [index, prepared] of preparedSteps.entries()) {
      options.events?.onStepStart?.(prepared.step, index, steps.length);
      outcomes.push(
        dialect.capabilities.transactionalDdl
          ? await runTransactionalStep(options, prepared, index, steps.length)
          : await runAutocommitStep(options, prepared, index, steps.length, settings),
      );
    }
    return { steps: outcomes, dryRun };
  } finally {
    db.main.onNotice?.(undefined);
    await restore?.();
  }
}
