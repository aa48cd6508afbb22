/** Which revisions `squash FROM:TO` folds together, refusing anything that is not one straight line. */
import { UsageError } from "../errors.js";
import type { RevisionGraph } from "../graph/index.js";
import { splitRange } from "../graph/index.js";
import type { RevisionHeader } from "../graph/types.js";

export interface SquashRange {
  /** Oldest first. */
  revisions: RevisionHeader[];
  /** The parents of the range's first revision: the squashed revision's parents. */
  parents: string[];
  /** Revisions built directly on the range's last one. */
  children: string[];
}

export function linearRange(graph: RevisionGraph, text: string): SquashRange {
  const { from, to } = splitRange(text);
  if (from === undefined || to === undefined) throw new UsageError(`squash needs both ends of the range: FROM:TO, not '${text}'.`);
  const first = single(graph, from, text);
  const last = single(graph, to, text);
  const children = childrenOf(graph);
  const dependents = dependentsOf(graph);

  const revisions: RevisionHeader[] = [];
  for (let current: RevisionHeader | undefined = graph.get(last); ; ) {
    if (current === undefined) throw new UsageError(`'${first}' is not below '${last}', so ${text} is not a range of revisions.`);
    if (current.parents.length > 1) {
      throw new UsageError(`Cannot squash ${text}: revision ${current.id} is a merge of ${current.parents.join(", ")}; only a straight line of revisions can be squashed.`);
    }
    revisions.unshift(current);
    if (current.id === first) break;
    const parent: string | undefined = current.parents[0];
    current = parent === undefined ? undefined : graph.get(parent);
  }
  if (revisions.length < 2) throw new UsageError(`The range ${text} holds one revision; squash needs two or more.`);

  for (const header of revisions.slice(0, -1)) {
    const above = children.get(header.id) ?? [];
    if (above.length > 1) {
      throw new UsageError(`Cannot squash ${text}: revision ${header.id} is a branch point (children ${above.join(", ")}); only a straight line of revisions can be squashed.`);
    }
  }
  for (const header of revisions) {
    if (header.dependsOn.length > 0) {
      throw new UsageError(`Cannot squash ${text}: revision ${header.id} depends on ${header.dependsOn.join(", ")}; remove the dependency or leave it out of the range.`);
    }
    const waiting = dependents.get(header.id);
    if (waiting !== undefined) {
      throw new UsageError(`Cannot squash ${text}: revision ${waiting.join(", ")} depends on ${header.id}, which the squash would remove.`);
    }
  }
  return { revisions, parents: [...revisions[0]!.parents], children: children.get(last) ?? [] };
}

function single(graph: RevisionGraph, target: string, text: string): string {
  const ids = graph.resolve(target, []);
  if (ids.length !== 1) throw new UsageError(`'${target}' in ${text} must name one revision, not ${ids.length === 0 ? "base" : ids.join(", ")}.`);
  return ids[0]!;
}

function childrenOf(graph: RevisionGraph): Map<string, string[]> {
  const children = new Map<string, string[]>();
  for (const header of graph.revisions) {
    for (const parent of header.parents) children.set(parent, [...(children.get(parent) ?? []), header.id]);
  }
  return children;
}

function dependentsOf(graph: RevisionGraph): Map<string, string[]> {
  const dependents = new Map<string, string[]>();
  for (const header of graph.revisions) {
    for (const dependency of header.dependsOn) dependents.set(dependency, [...(dependents.get(dependency) ?? []), header.id]);
  }
  return dependents;
}
