import type { RevisionHeader } from "./types.js";

/**
 * The validated graph as index arrays. Position i is the i-th revision in topological order, so
 * "below" always points to smaller indices and a walk in index order respects every edge.
 */
export interface GraphCore {
  /** Headers in topological order; `dependsOn` resolved to ids, with redundant entries dropped. */
  readonly headers: readonly RevisionHeader[];
  readonly indexOf: ReadonlyMap<string, number>;
  readonly parents: readonly (readonly number[])[];
  readonly deps: readonly (readonly number[])[];
  readonly children: readonly (readonly number[])[];
  readonly dependents: readonly (readonly number[])[];
  /** Parents, then dependencies: what must be applied first. */
  readonly below: readonly (readonly number[])[];
  /** Children, then dependents: what must be reverted first. */
  readonly above: readonly (readonly number[])[];
  /** Branch label to the revision that declares it. */
  readonly labelOwner: ReadonlyMap<string, number>;
}
