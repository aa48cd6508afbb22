import { RevisionGraph, type RevisionHeader } from "../../src/graph/index.js";

/** A header with only what the graph reads; `path` defaults to a file named after the id. */
export function rev(
  id: string,
  parents: string[] = [],
  extra: { labels?: string[]; deps?: string[]; path?: string } = {},
): RevisionHeader {
  return {
    id,
    parents,
    message: `revision ${id}`,
    branchLabels: extra.labels ?? [],
    dependsOn: extra.deps ?? [],
    path: extra.path ?? `versions/${id}.ts`,
  };
}

export function graph(...headers: RevisionHeader[]): RevisionGraph {
  return RevisionGraph.build(headers);
}

/** The ids a plan applies or reverts, in order. */
export function order(plan: { steps: { revision: string }[] }): string[] {
  return plan.steps.map((s) => s.revision);
}
