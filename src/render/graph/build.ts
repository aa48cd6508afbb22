/**
 * Builds a GraphPicture from headers, tolerating a broken graph: a missing parent becomes a
 * placeholder node, a cycle is reported and its revisions are still drawn.
 */
import type { RevisionHeader } from "../../graph/types.js";
import type { GraphPicture, PictureNode, RevisionStatus } from "./model.js";

export interface PictureInput {
  headers: readonly RevisionHeader[];
  /** Version-table rows; null when the database was not read. */
  current: string[] | null;
  currentError?: string;
  /** Errors found elsewhere (the graph's own validation), added to those found here. */
  errors?: string[];
}

export function buildPicture(input: PictureInput): GraphPicture {
  const errors: string[] = [];
  const byId = new Map<string, RevisionHeader>();
  for (const header of input.headers) {
    if (byId.has(header.id)) {
      errors.push(`Revision id '${header.id}' is declared twice (${byId.get(header.id)!.path ?? "?"} and ${header.path ?? "?"}).`);
      continue;
    }
    byId.set(header.id, header);
  }
  const children = new Map<string, string[]>();
  const missing = new Map<string, string[]>();
  for (const header of byId.values()) {
    for (const parent of header.parents) {
      children.set(parent, [...(children.get(parent) ?? []), header.id]);
      if (!byId.has(parent)) missing.set(parent, [...(missing.get(parent) ?? []), header.id]);
    }
  }
  for (const [parent, namedBy] of missing) {
    errors.push(`Revision ${namedBy.join(", ")} names parent '${parent}', which is not a known revision.`);
  }
  const dependedOn = new Set([...byId.values()].flatMap((h) => h.dependsOn));
  const applied = appliedSet(byId, input.current ?? []);
  const currentRows = new Set(input.current ?? []);
  const statusOf = (id: string): RevisionStatus => {
    if (input.current === null) return "unknown";
    if (currentRows.has(id)) return "current";
    return applied.has(id) ? "applied" : "pending";
  };
  const nodes: PictureNode[] = [];
  for (const [id, namedBy] of missing) {
    nodes.push({ id, message: `missing (named by ${namedBy.join(", ")})`, parents: [], dependsOn: [], labels: [], status: "missing", isHead: false, isMergePoint: false, isBranchPoint: namedBy.length > 1, isRoot: true });
  }
  for (const header of byId.values()) {
    const kids = children.get(header.id) ?? [];
    const node: PictureNode = {
      id: header.id,
      message: header.message,
      parents: [...header.parents],
      dependsOn: [...header.dependsOn],
      labels: [...header.branchLabels],
      status: statusOf(header.id),
      isHead: kids.length === 0 && !dependedOn.has(header.id),
      isMergePoint: header.parents.length > 1,
      isBranchPoint: kids.length > 1,
      isRoot: header.parents.length === 0,
    };
    if (header.path !== undefined) node.path = header.path;
    if (header.createDate !== undefined) node.createDate = header.createDate;
    nodes.push(node);
  }
  for (const message of input.errors ?? []) if (!errors.includes(message)) errors.push(message);
  const picture: GraphPicture = { nodes, heads: nodes.filter((n) => n.isHead).map((n) => n.id), current: input.current, errors };
  if (input.currentError !== undefined) picture.currentError = input.currentError;
  return picture;
}

/** The version rows and everything below them (parents and dependencies). */
function appliedSet(byId: Map<string, RevisionHeader>, rows: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...rows];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const header = byId.get(id);
    if (header) stack.push(...header.parents, ...header.dependsOn);
  }
  return seen;
}
