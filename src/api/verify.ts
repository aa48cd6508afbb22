import { describeIncomplete, findIncompleteSteps, readRecordedChecksums } from "../runner/history.js";
import { readVersionHeads } from "../runner/state-tables.js";
import { checkAppliedFiles, type FileProblem } from "./applied-files.js";
import type { CommonOptions } from "./options.js";
import { loadProject } from "./project.js";

export interface VerifyProblem {
  kind: FileProblem["kind"] | "incomplete";
  revision: string;
  message: string;
  path?: string;
}

export interface VerifyResult {
  /** How many applied revisions were compared with their files. */
  checked: number;
  problems: VerifyProblem[];
}

/** Applied revisions edited since, applied revisions whose file is gone, and steps that failed halfway. */
export async function verify(options: CommonOptions = {}): Promise<VerifyResult> {
  const project = await loadProject(options);
  const revisions = await project.revisions();
  return project.withDatabase(async (db, dialect) => {
    const rows = await readVersionHeads(db, dialect, project.tables);
    const recorded = await readRecordedChecksums(db, dialect, project.tables);
    const problems: VerifyProblem[] = checkAppliedFiles(revisions, rows, recorded);
    for (const row of await findIncompleteSteps(db, dialect, project.tables)) {
      problems.push({ kind: "incomplete", revision: row.revision, message: describeIncomplete(row) });
    }
    const known = rows.flatMap((row) => revisions.graph.revisionForRow(row) ?? []);
    return { checked: known.length === 0 ? 0 : revisions.graph.ancestors(known).size, problems };
  });
}
