/**
 * The revision graph's vocabulary. `graph/` is pure: it knows headers, never files or databases.
 */

/** What `heads`, `history` and planning need from a revision, read from the file text. */
export interface RevisionHeader {
  id: string;
  /** Down revisions: none for a root, two or more for a merge. */
  parents: string[];
  message: string;
  branchLabels: string[];
  /** Ordering edges only: revision ids, labels or unique prefixes. Never stored in the version table. */
  dependsOn: string[];
  createDate?: string;
  /**
   * Ids of the linear range this revision was squashed from, oldest first. A version row naming
   * the last of them means the database is at this revision.
   */
  replaces?: string[];
  /** The file the header came from, for error messages. */
  path?: string;
  /** The line of the header in that file, for error messages. */
  line?: number;
}

/** A change to the version table made inside a step's transaction. */
export type VersionChange =
  | { kind: "insert"; id: string }
  | { kind: "delete"; id: string }
  | { kind: "update"; from: string; to: string };

export type Direction = "up" | "down";

/** One revision applied or reverted, with exactly what it does to the version table. */
export interface Step {
  revision: string;
  direction: Direction;
  /** Version-table rows before and after this step (sorted). */
  headsBefore: string[];
  headsAfter: string[];
  versionChanges: VersionChange[];
}

export interface Plan {
  direction: Direction;
  steps: Step[];
  /** Version-table rows once every step has run (sorted). */
  finalHeads: string[];
}

export interface StampPlan {
  headsBefore: string[];
  headsAfter: string[];
  versionChanges: VersionChange[];
}
