/** What upgrade, downgrade and stamp share: the result shape, run options and runner wiring. */
import type { Dialect } from "../dialects/types.js";
import type { Database } from "../drivers/types.js";
import { UsageError } from "../errors.js";
import type { Plan, Step } from "../graph/types.js";
import { readRecordedChecksums } from "../runner/history.js";
import { renderOfflineScript } from "../runner/offline.js";
import { runSteps } from "../runner/run-steps.js";
import { readVersionHeads } from "../runner/state-tables.js";
import type { LoadedRevision, RunEvents } from "../runner/types.js";
import { checkAppliedFiles } from "./applied-files.js";
import { destroyedByDowngrade } from "./destructive.js";
import { runBackupHook } from "./hooks.js";
import { startLintGate } from "./lint-gate.js";
import type { CommonOptions } from "./options.js";
import type { Project, Revisions } from "./project.js";
import { loadRevisions } from "./revisions.js";
import { toolVersion } from "./tool-version.js";

export type RunKind = "upgrade" | "downgrade" | "stamp";

export interface RunStep {
  revision: string;
  direction: "up" | "down";
  message: string;
  /** Version-table rows before and after the step. */
  headsBefore: string[];
  headsAfter: string[];
  durationMs?: number;
}

export type RunResult =
  | {
      mode: "online";
      kind: RunKind;
      headsBefore: string[];
      headsAfter: string[];
      steps: RunStep[];
      /** Nothing was committed. */
      dryRun: boolean;
      /** What a dry run would send, where the database cannot roll DDL back (MySQL). */
      script?: string;
    }
  | { mode: "offline"; kind: RunKind; sql: string };

export interface RunOptions extends CommonOptions {
  /** Print the SQL script instead of connecting. */
  sql?: boolean;
  /** Connect, take the lock and run, then roll back (or, without transactional DDL, only render). */
  dryRun?: boolean;
  /** One transaction for the whole run instead of one per revision. */
  singleTransaction?: boolean;
  /** Run although an applied revision's file was edited since. */
  allowChanged?: boolean;
  /** Confirms destructive actions: a downgrade that drops tables or columns, stamp --purge. */
  yes?: boolean;
  /** Asked before a destructive action when `yes` is not set (the CLI asks on a terminal); no answer means no. */
  confirm?: (question: string) => Promise<boolean>;
}

/** Runs a plan computed under the migration lock from the heads read under it. */
export async function runPlanned(
  project: Project,
  kind: "upgrade" | "downgrade",
  options: RunOptions,
  plan: (revisions: Revisions, rows: string[]) => Plan,
): Promise<RunResult> {
  const revisions = await project.revisions();
  return project.withLock(async (db, dialect) => {
    const rows = await readVersionHeads(db, dialect, project.tables);
    const planned = plan(revisions, rows);
    if (planned.steps.length === 0) {
      return { mode: "online", kind, headsBefore: rows, headsAfter: rows, steps: [], dryRun: options.dryRun === true };
    }
    const loaded = loadRevisions(planned.steps.map((step) => step.revision), revisions.byId, revisions.files, dialect);
    if (!options.allowChanged) await refuseChangedFiles(db, dialect, project, revisions, rows, loaded);
    const reportLint =
      kind === "upgrade"
        ? await startLintGate(project, project.config.lint.onUpgrade, planned.steps.map((step) => loaded.get(step.revision)!), dialect.name, options)
        : undefined;
    let result: Awaited<ReturnType<typeof runSteps>>;
    try {
      if (kind === "downgrade" && !options.dryRun && !options.yes) await confirmDestruction(planned, loaded, dialect, project, options);
      if (!options.dryRun && project.config.hooks.backup) await runBackupHook(project.config.hooks.backup, project.url(), project.config.configDir);
      result = await runSteps({
        db,
        dialect,
        tables: project.tables,
        steps: planned.steps,
        revisions: loaded,
        args: project.args,
        transactionMode: options.singleTransaction ? "single" : project.config.transactionMode,
        timeouts: {
          lockTimeoutMs: project.config.lockTimeoutMs,
          ...(project.config.statementTimeoutMs === undefined ? {} : { statementTimeoutMs: project.config.statementTimeoutMs }),
        },
        lockRetries: project.config.lockRetries,
        toolVersion: toolVersion(),
        dryRun: options.dryRun === true,
        events: runEvents(options, revisions),
      });
    } finally {
      await reportLint?.();
    }
    const durations = new Map(result.steps.map((outcome) => [outcome.step.revision, outcome.durationMs]));
    const steps = planned.steps.map((step) => {
      const summary = stepSummary(step, revisions);
      const ms = durations.get(step.revision);
      return ms === undefined ? summary : { ...summary, durationMs: Math.round(ms) };
    });
    const committed = !result.dryRun;
    const script = result.script ?? (result.dryRun ? await dryRunScript(project, dialect, planned, loaded, options) : undefined);
    return {
      mode: "online",
      kind,
      headsBefore: rows,
      headsAfter: committed ? planned.finalHeads : rows,
      steps,
      dryRun: result.dryRun,
      ...(script === undefined ? {} : { script }),
    };
  });
}

/**
 * The SQL a dry run executed and rolled back, as the offline renderer writes it. A revision that
 * reads the database (`op.query`) cannot be rendered offline; the dry run then shows the plan only.
 */
async function dryRunScript(project: Project, dialect: Dialect, plan: Plan, loaded: Map<string, LoadedRevision>, options: RunOptions): Promise<string | undefined> {
  try {
    return await renderOfflineScript({
      dialect, tables: project.tables, steps: plan.steps, revisions: loaded, args: project.args,
      transactionMode: options.singleTransaction ? "single" : project.config.transactionMode, toolVersion: toolVersion(),
    });
  } catch {
    return undefined;
  }
}

/** Renders a plan as an SQL script without connecting. */
export async function renderPlanned(project: Project, kind: "upgrade" | "downgrade", options: RunOptions, plan: Plan, fromBase: boolean): Promise<RunResult> {
  const revisions = await project.revisions();
  const dialect = await project.dialect();
  const sql = await renderOfflineScript({
    dialect,
    tables: project.tables,
    steps: plan.steps,
    revisions: loadRevisions(plan.steps.map((step) => step.revision), revisions.byId, revisions.files, dialect),
    args: project.args,
    transactionMode: options.singleTransaction ? "single" : project.config.transactionMode,
    includeStateTables: fromBase,
    toolVersion: toolVersion(),
  });
  return { mode: "offline", kind, sql };
}

/** `FROM:TO` for offline scripts; FROM may be empty (base). */
export function splitRange(target: string): { from: string | undefined; to: string } {
  const colon = target.indexOf(":");
  if (colon < 0) return { from: undefined, to: target };
  const to = target.slice(colon + 1).trim();
  if (to === "") throw new UsageError(`The range '${target}' has no end; write FROM:TO.`);
  const from = target.slice(0, colon).trim();
  return { from: from === "" ? undefined : from, to };
}

/** The version rows an offline script starts from: base, or what FROM names. */
export function offlineStart(revisions: Revisions, from: string | undefined): string[] {
  if (from === undefined || from === "base") return [];
  if (from === "current") throw new UsageError("--sql never connects, so it cannot start from 'current'; name the revision to start from.");
  return revisions.graph.resolve(from, []);
}

function stepSummary(step: Step, revisions: Revisions): RunStep {
  return {
    revision: step.revision,
    direction: step.direction,
    message: revisions.byId.get(step.revision)?.message ?? "",
    headsBefore: step.headsBefore,
    headsAfter: step.headsAfter,
  };
}

async function confirmDestruction(plan: Plan, loaded: Map<string, LoadedRevision>, dialect: Dialect, project: Project, options: RunOptions): Promise<void> {
  const destroyed = await destroyedByDowngrade(plan.steps, loaded, dialect, project.args);
  if (destroyed.length === 0) return;
  const list = destroyed.length > 5 ? `${destroyed.slice(0, 5).join(", ")} and ${destroyed.length - 5} more` : destroyed.join(", ");
  if (await options.confirm?.(`This downgrade drops ${list}, with their data. Continue?`)) return;
  throw new UsageError(`This downgrade drops ${list}, with their data; nothing was run.`, {
    hint: "Back up what you need, then confirm with --yes.",
  });
}

async function refuseChangedFiles(
  db: Database,
  dialect: Dialect,
  project: Project,
  revisions: Revisions,
  rows: string[],
  loaded: ReadonlyMap<string, LoadedRevision>,
): Promise<void> {
  // Nothing applied, nothing to compare: the history need not be read.
  if (rows.length === 0) return;
  const recorded = await readRecordedChecksums(db, dialect, project.tables);
  const changed = checkAppliedFiles(revisions, rows, recorded, loaded).filter((problem) => problem.kind === "changed");
  const first = changed[0];
  if (first === undefined) return;
  const names = changed.map((problem) => problem.revision).join(", ");
  throw new UsageError(`Applied revision${changed.length > 1 ? "s" : ""} ${names} changed since ${changed.length > 1 ? "they were" : "it was"} applied (${first.path ?? first.revision}).`, {
    hint: `Review the change, then run \`stratum repair ${first.revision}\` to accept it, or pass --allow-changed.`,
  });
}

/** Turns the runner's callbacks into the API's events, with Alembic's "from -> to" ids. */
function runEvents(options: CommonOptions, revisions: Revisions): RunEvents {
  const emit = options.onEvent;
  if (!emit) return {};
  return {
    onStepStart(step, index, total) {
      const parents = revisions.byId.get(step.revision)?.parents ?? [];
      const below = parents.length === 0 ? "<base>" : parents.join(", ");
      const message = revisions.byId.get(step.revision)?.message ?? "";
      const [from, to] = step.direction === "up" ? [below, step.revision] : [step.revision, below];
      emit({ type: "step", direction: step.direction, revision: step.revision, from, to, message, index, total });
    },
    onStepDone(step, index, total, ms) {
      emit({ type: "stepDone", revision: step.revision, durationMs: Math.round(ms), index, total });
    },
    onRetry(step, attempt, waitMs, error) {
      emit({ type: "warning", message: `revision ${step.revision} timed out waiting for a lock (${error.message}); retry ${attempt} in ${waitMs} ms` });
    },
    onNotice(message) {
      emit({ type: "info", message });
    },
  };
}
