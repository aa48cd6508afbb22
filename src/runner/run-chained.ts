import { randomBytes } from "node:crypto";
import type { PreparedStep } from "./step-parts.js";
import { StepLink } from "./step-link.js";
import { runTransactionalStep } from "./step-transactional.js";
import type { RunOptions, StepOutcome } from "./types.js";

/** A step ready to run, or one whose revision is loaded when its turn comes. */
export type PendingStep = PreparedStep | (() => Promise<PreparedStep>);

interface Running {
  link: StepLink;
  index: number;
  outcome: Promise<StepOutcome>;
}

/**
 * Runs steps one transaction each on a connection that pipelines: while the database works on
 * one step, the next is prepared and its closing batch sent behind it, so the client's work and
 * the round trip hide behind the server's. Steps are still reported, and committed, in order;
 * see StepLink for why nothing runs past a failure.
 */
export async function runChained(options: RunOptions, pending: readonly PendingStep[], marks: { mark(token: string): string; guard(token: string): string }): Promise<StepOutcome[]> {
  const total = options.steps.length;
  const run = randomBytes(6).toString("hex");
  const outcomes: StepOutcome[] = [];
  let before: Running | undefined;
  let upcoming: Promise<PreparedStep> | undefined;
  for (const [index, item] of pending.entries()) {
    let prepared: PreparedStep;
    try {
      prepared = await (upcoming ?? (typeof item === "function" ? item() : item));
    } catch (error) {
      if (before) await report(before, undefined);
      throw error;
    }
    const token = `${run}:${index}`;
    const guard = before ? marks.guard(`${run}:${before.index}`) : undefined;
    const link = new StepLink(prepared.step.revision, marks.mark(token), guard, before?.link, options.events?.onNotice?.bind(options.events));
    const outcome = runTransactionalStep(options, prepared, index, total, link);
    outcome.then(() => link.ended(), () => link.ended());
    upcoming = loadAfterSending(pending[index + 1]);
    if (before) await report(before, { link, outcome });
    options.events?.onStepStart?.(prepared.step, index, total);
    link.settleBefore(true);
    // The next step is prepared while this one's closing batch is with the database.
    await link.onWire;
    before = { link, index, outcome };
  }
  if (before) await report(before, undefined);
  return outcomes;

  /** Waits for a step and reports it; when it failed, the step after it is stopped and waited for. */
  async function report(step: Running, next: { link: StepLink; outcome: Promise<StepOutcome> } | undefined): Promise<void> {
    let outcome: StepOutcome;
    try {
      outcome = await step.outcome;
    } catch (error) {
      if (next) {
        next.link.settleBefore(false);
        await next.outcome.catch(() => {});
      }
      throw error;
    }
    outcomes.push(outcome);
    options.events?.onStepDone?.(outcome.step, step.index, total, outcome.durationMs);
  }
}

/**
 * Starts loading a deferred step's revision once the current step's statements are on their way:
 * `setImmediate` runs after the microtasks that send them, so the load fills the wait for the
 * database's answer. A load that fails is reported when its step comes.
 */
export function loadAfterSending(item: PendingStep | undefined): Promise<PreparedStep> | undefined {
  if (typeof item !== "function") return undefined;
  const loading = new Promise<void>((resolve) => setImmediate(resolve)).then(item);
  loading.catch(() => {});
  return loading;
}
