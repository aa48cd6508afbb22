import { UsageError } from "../errors.js";
import { type NewRevision, writeNewRevision } from "./new-revision.js";
import type { CommonOptions } from "./options.js";
import { loadProject } from "./project.js";

export interface MergeOptions extends CommonOptions {
  /** Revisions to merge (any target form), or `heads`. */
  revisions: string[];
  message: string;
  branchLabel?: string;
  revId?: string;
}

export type MergeResult = NewRevision;

/** Writes a revision whose parents are the given revisions, joining their branches. */
export async function merge(options: MergeOptions): Promise<MergeResult> {
  const project = await loadProject(options);
  const revisions = await project.revisions();
  const { graph } = revisions;
  const parents = [...new Set(options.revisions.flatMap((target) => graph.resolve(target, [])))].sort();
  if (parents.length < 2) {
    throw new UsageError(`Nothing to merge: ${options.revisions.join(" ")} names only ${parents.length === 0 ? "base" : `'${parents[0]}'`}; a merge needs two or more revisions.`);
  }
  for (const parent of parents) {
    const below = graph.ancestors([parent]);
    const covered = parents.find((other) => other !== parent && below.has(other));
    if (covered !== undefined) throw new UsageError(`Cannot merge '${covered}' with '${parent}': '${covered}' is already an ancestor of '${parent}'.`);
  }
  return writeNewRevision(project, revisions, {
    parents,
    message: options.message,
    branchLabels: options.branchLabel === undefined ? [] : [options.branchLabel],
    dependsOn: [],
    kind: "ts",
    ...(options.revId === undefined ? {} : { revId: options.revId }),
  });
}
