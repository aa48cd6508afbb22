import type { RevisionGraph } from "../graph/index.js";
import type { RevisionHeader } from "../graph/types.js";

/** A revision as the read-only commands report it (heads, history, show, current). */
export interface RevisionInfo {
  id: string;
  parents: string[];
  children: string[];
  message: string;
  branchLabels: string[];
  dependsOn: string[];
  createDate?: string;
  path?: string;
  isHead: boolean;
  /** Only depended on, never a parent: `head` counts it, `heads` does not. */
  isEffectiveHead: boolean;
  isBranchPoint: boolean;
  isMergePoint: boolean;
  isRoot: boolean;
  /** Set by commands that know the database (history -i, current). */
  isCurrent?: boolean;
  /** The version table names this revision but no file declares it. */
  missing?: boolean;
}

/** Structural facts about every revision, computed once from the graph. */
export function describeRevisions(headers: readonly RevisionHeader[], graph: RevisionGraph): Map<string, RevisionInfo> {
  const children = new Map<string, string[]>();
  for (const header of headers) {
    for (const parent of header.parents) children.set(parent, [...(children.get(parent) ?? []), header.id]);
  }
  const heads = new Set(graph.heads());
  const effectiveHeads = new Set(graph.effectiveHeads());
  const infos = new Map<string, RevisionInfo>();
  for (const header of headers) {
    const kids = children.get(header.id) ?? [];
    const info: RevisionInfo = {
      id: header.id,
      parents: [...header.parents],
      children: kids,
      message: header.message,
      branchLabels: [...header.branchLabels],
      dependsOn: [...header.dependsOn],
      isHead: heads.has(header.id),
      isEffectiveHead: effectiveHeads.has(header.id) && !heads.has(header.id),
      isBranchPoint: kids.length > 1,
      isMergePoint: header.parents.length > 1,
      isRoot: header.parents.length === 0,
    };
    if (header.createDate !== undefined) info.createDate = header.createDate;
    if (header.path !== undefined) info.path = header.path;
    infos.set(header.id, info);
  }
  return infos;
}
