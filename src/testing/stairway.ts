/**
 * The stairway test: for each revision in order, upgrade one step, downgrade one step, upgrade
 * again. After each downgrade the introspected schema must equal the one before the upgrade,
 * which catches a downgrade that leaves a table, column, index or type behind.
 */
import { CheckFailed } from "../errors.js";
import type { KitOptions, KitStep } from "./options.js";
import { schemaDifferences } from "./leftovers.js";
import type { ScratchRunner } from "./scratch-runner.js";
import { since, withScratch } from "./session.js";
import { reverseStep } from "./steps.js";

export interface StairwayReport {
  /** Revisions walked, in order. */
  revisions: string[];
  steps: KitStep[];
  durationMs: number;
  /** Where it ran: `pglite:memory` or the temporary database's URL. */
  database: string;
}

/** A downgrade that did not restore the schema; `leftovers` lists what differs, one line each. */
export class StairwayFailure extends CheckFailed {
  constructor(
    readonly revision: string,
    readonly leftovers: string[],
    readonly report: StairwayReport,
    description: string,
  ) {
    super(`Stairway failed at revision ${description}: its downgrade did not restore the schema from before its upgrade; left behind:\n${leftovers.map((line) => `  ${line}`).join("\n")}`, {
      hint: "Make the downgrade undo everything the upgrade does.",
    });
  }
}

export async function stairway(options: KitOptions = {}): Promise<StairwayReport> {
  const started = performance.now();
  return withScratch(options, async (runner) => {
    const report: StairwayReport = { revisions: [], steps: [], durationMs: 0, database: runner.scratch.url };
    const record = (step: KitStep) => {
      report.steps.push(step);
      options.onStep?.(step);
    };
    const all = runner.revisions.graph.revisions;
    for (const [index, header] of all.entries()) {
      report.revisions.push(header.id);
      await walkOne(runner, header.id, report, (step) => record({ ...step, index, total: all.length }));
    }
    report.durationMs = since(started);
    return report;
  });
}

async function walkOne(runner: ScratchRunner, id: string, report: StairwayReport, record: (step: KitStep) => void): Promise<void> {
  const message = runner.message(id);
  const base = { check: "stairway", revision: id, ...(message ? { message } : {}) };
  const before = await runner.introspect();

  let t = performance.now();
  const steps = await timed(() => runner.upgrade(id), (error) => record({ ...base, action: "upgrade", ok: false, durationMs: since(t), detail: error }));
  record({ ...base, action: "upgrade", ok: true, durationMs: since(t) });
  // In topological order everything below the revision is already applied, so this is one step.
  const up = steps.find((step) => step.revision === id);
  if (up === undefined) return;

  t = performance.now();
  await timed(() => runner.run([reverseStep(up)]), (error) => record({ ...base, action: "downgrade", ok: false, durationMs: since(t), detail: error }));
  record({ ...base, action: "downgrade", ok: true, durationMs: since(t) });

  t = performance.now();
  const leftovers = schemaDifferences(before, await runner.introspect());
  if (leftovers.length > 0) {
    record({ ...base, action: "compare", ok: false, durationMs: since(t), detail: leftovers.join("; ") });
    throw new StairwayFailure(id, leftovers, report, message ? `${id} (${message})` : id);
  }
  record({ ...base, action: "compare", ok: true, durationMs: since(t) });

  t = performance.now();
  await timed(() => runner.run([up]), (error) => record({ ...base, action: "upgrade again", ok: false, durationMs: since(t), detail: error }));
  record({ ...base, action: "upgrade again", ok: true, durationMs: since(t) });
}

/** Runs `fn`; on failure reports the error's message, then rethrows it unchanged. */
async function timed<T>(fn: () => Promise<T>, onError: (message: string) => void): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    onError(error instanceof Error ? error.message : String(error));
    throw error;
  }
}
