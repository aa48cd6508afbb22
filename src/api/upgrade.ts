import { UsageError } from "../errors.js";
import { assertLinearHistory } from "./check-order.js";
import { loadProject } from "./project.js";
import { offlineStart, type RunOptions, type RunResult, renderPlanned, runPlanned, splitRange } from "./run.js";

export interface UpgradeOptions extends RunOptions {
  /** `head`, `heads`, `+N`, an id, `label@head`...; `FROM:TO` only with `sql`. */
  target: string;
}

/** Applies what the target needs. Online: lock, read the version table, plan, run. Offline: render the script. */
export async function upgrade(options: UpgradeOptions): Promise<RunResult> {
  const project = await loadProject(options);
  if (project.config.linearHistory) assertLinearHistory((await project.revisions()).graph);
  if (options.sql) {
    const revisions = await project.revisions();
    const { from, to } = splitRange(options.target);
    const start = offlineStart(revisions, from);
    return renderPlanned(project, "upgrade", options, revisions.graph.planUpgrade(start, to), start.length === 0);
  }
  if (options.target.includes(":")) {
    throw new UsageError(`A range like '${options.target}' is only for --sql; upgrade to a single target.`);
  }
  return runPlanned(project, "upgrade", options, ({ graph }, rows) => graph.planUpgrade(rows, options.target));
}
