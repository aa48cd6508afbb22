/**
 * What the graph renderers draw: revisions with their status, plus anything wrong with the
 * graph. Built by the API from headers and (when reachable) the version table; the renderers
 * are pure functions of it.
 */

export type RevisionStatus =
  /** In the version table. */
  | "current"
  /** Below a version-table row. */
  | "applied"
  /** Not applied yet. */
  | "pending"
  /** The database could not be read. */
  | "unknown"
  /** Named as a parent but has no file: drawn so the broken edge shows. */
  | "missing";

export interface PictureNode {
  id: string;
  message: string;
  parents: string[];
  dependsOn: string[];
  labels: string[];
  path?: string;
  createDate?: string;
  status: RevisionStatus;
  isHead: boolean;
  isMergePoint: boolean;
  isBranchPoint: boolean;
  isRoot: boolean;
}

export interface GraphPicture {
  /** Every revision (and placeholder for a missing parent), oldest first. */
  nodes: PictureNode[];
  heads: string[];
  /** The version table's rows, or null when the database was not read. */
  current: string[] | null;
  /** Why the database was not read (no URL, unreachable, ...), when it was not. */
  currentError?: string;
  /** What is wrong with the graph: cycles, missing parents, duplicate ids. Empty when valid. */
  errors: string[];
}
