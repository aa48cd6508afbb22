/**
 * Compares what the history table recorded for applied revisions with the files on disk today:
 * shared by `verify` and by the check `upgrade` makes before it runs.
 */
import type { HistoryRow } from "../runner/types.js";
import { checksum } from "../scripts/checksum.js";
import { readRevisionText } from "../scripts/headers.js";
import type { Revisions } from "./project.js";

export type FileProblemKind = "changed" | "missing";

export interface FileProblem {
  kind: FileProblemKind;
  revision: string;
  message: string;
  path?: string;
}

/**
 * Problems with the files of applied revisions. `applied` holds the revisions below the version
 * rows that exist on disk; `rows` may name revisions whose file is gone.
 */
export function checkAppliedFiles(revisions: Revisions, rows: readonly string[], log: readonly HistoryRow[]): FileProblem[] {
  const problems: FileProblem[] = [];
  const known: string[] = [];
  for (const row of rows) {
    // A row that ended a squashed range stands for the squashed revision.
    const revision = revisions.graph.revisionForRow(row);
    if (revision !== undefined) known.push(revision);
    else problems.push({ kind: "missing", revision: row, message: "the version table names this revision, but no file declares it" });
  }
  const recorded = recordedChecksums(log);
  for (const id of revisions.graph.ancestors(known)) {
    const expected = recorded.get(id);
    const path = revisions.files.get(id);
    if (expected === undefined || path === undefined) continue;
    const actual = checksum(readRevisionText(path));
    if (actual !== expected) {
      problems.push({ kind: "changed", revision: id, path, message: `${path} was edited after it was applied` });
    }
  }
  return problems;
}

/** The checksum each revision's file had when it last ran (or was accepted by `repair`). */
function recordedChecksums(log: readonly HistoryRow[]): Map<string, string> {
  const recorded = new Map<string, string>();
  for (const row of log) {
    if (!row.success || row.checksum === null) continue;
    if (row.direction === "up" || row.direction === "repair") recorded.set(row.revision, row.checksum);
    if (row.direction === "down") recorded.delete(row.revision);
  }
  return recorded;
}
