/**
 * Compares what the history table recorded for applied revisions with the files on disk today:
 * shared by `verify` and by the check `upgrade` makes before it runs.
 */
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
 * Problems with the files of applied revisions: `rows` are the version rows (they may name
 * revisions whose file is gone), `recorded` the checksums the history holds (readRecordedChecksums).
 * `computed` holds checksums the caller computed already (a downgrade's revisions, read to run them).
 */
export function checkAppliedFiles(
  revisions: Revisions,
  rows: readonly string[],
  recorded: ReadonlyMap<string, string>,
  computed: ReadonlyMap<string, { checksum: string }> = new Map(),
): FileProblem[] {
  const problems: FileProblem[] = [];
  const known: string[] = [];
  for (const row of rows) {
    // A row that ended a squashed range stands for the squashed revision.
    const revision = revisions.graph.revisionForRow(row);
    if (revision !== undefined) known.push(revision);
    else problems.push({ kind: "missing", revision: row, message: "the version table names this revision, but no file declares it" });
  }
  for (const id of revisions.graph.ancestors(known)) {
    const expected = recorded.get(id);
    const path = revisions.files.get(id);
    if (expected === undefined || path === undefined) continue;
    const actual = computed.get(id)?.checksum ?? checksum(readRevisionText(path));
    if (actual !== expected) {
      problems.push({ kind: "changed", revision: id, path, message: `${path} was edited after it was applied` });
    }
  }
  return problems;
}
