import { UsageError } from "../errors.js";
import { loadProject } from "./project.js";
import { offlineStart, type RunOptions, type RunResult, renderPlanned, runPlanned, splitRange } from "./run.js";

export interface DowngradeOptions extends RunOptions {
  /** `-1`, `base`, an id, `label@-1`...; `FROM:TO` with `sql`. */
  target: string;
}

/** Reverts down to the target. Online: lock, read the version table, plan, run. Offline: FROM:TO script. */
export async function downgrade(options: DowngradeOptions): Promise<RunResult> {
  const project = await loadProject(options);
  if (options.sql) {
    const { from, to } = splitRange(options.target);
    if (from === undefined) throw new UsageError(`downgrade --sql needs FROM:TO (for example head:-1), not '${options.target}'.`);
    const revisions = await project.revisions();
    return renderPlanned(project, "downgrade", options, revisions.graph.planDowngrade(offlineStart(revisions, from), to), false);
  }
  if (options.target.includes(":")) {
    throw new UsageError(`A range like '${options.target}' is only for --sql; downgrade to a single target.`);
  }
  return runPlanned(project, "downgrade", options, ({ graph }, rows) => graph.planDowngrade(rows, options.target));
}
