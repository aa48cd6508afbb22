import type { RevisionInfo } from "../api/describe.js";

/** Alembic's marker for "no revision". */
export const BASE = "<base>";

/** `a1b2 (label) (head)` as Alembic prints a revision in lists. */
export function revisionTag(info: RevisionInfo): string {
  const parts = [info.id];
  if (info.branchLabels.length > 0) parts.push(`(${info.branchLabels.join(", ")})`);
  if (info.isHead) parts.push("(head)");
  if (info.isEffectiveHead) parts.push("(effective head)");
  if (info.isCurrent) parts.push("(current)");
  if (info.missing) parts.push("(missing: no file declares it)");
  return parts.join(" ");
}

/** One history line: `<base> -> a1b2 (head), message`, `(a, b) -> c (mergepoint), message`. */
export function historyLine(info: RevisionInfo): string {
  const from =
    info.parents.length === 0 ? BASE : info.parents.length === 1 ? (info.parents[0] ?? BASE) : `(${info.parents.join(", ")})`;
  const marks = [revisionTag(info)];
  if (info.isBranchPoint) marks.push("(branchpoint)");
  if (info.isMergePoint) marks.push("(mergepoint)");
  return `${from} -> ${marks.join(" ")}, ${info.message}`;
}

/** The verbose form shared by `show`, `history -v`, `heads -v` and `current -v`. */
export function revisionDetails(info: RevisionInfo): string[] {
  const flags = [info.isHead ? "head" : "", info.isBranchPoint ? "branchpoint" : "", info.isMergePoint ? "mergepoint" : "", info.isCurrent ? "current" : ""]
    .filter(Boolean)
    .map((flag) => ` (${flag})`)
    .join("");
  const lines = [`Rev: ${info.id}${flags}`];
  lines.push(info.parents.length > 1 ? `Merges: ${info.parents.join(", ")}` : `Parent: ${info.parents[0] ?? BASE}`);
  if (info.children.length > 1) lines.push(`Branches into: ${info.children.join(", ")}`);
  if (info.branchLabels.length > 0) lines.push(`Branch names: ${info.branchLabels.join(", ")}`);
  if (info.dependsOn.length > 0) lines.push(`Also depends on: ${info.dependsOn.join(", ")}`);
  if (info.path) lines.push(`Path: ${info.path}`);
  lines.push("", `    ${info.message}`, "", `    Revision ID: ${info.id}`, `    Revises: ${info.parents.join(", ") || BASE}`);
  if (info.createDate) lines.push(`    Create Date: ${info.createDate}`);
  return lines;
}
