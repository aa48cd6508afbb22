import { UsageError } from "../errors.js";
import { findIncompleteSteps, readRecordedChecksums, repairStep } from "../runner/history.js";
import { readVersionHeads } from "../runner/state-tables.js";
import type { RepairAction } from "../runner/types.js";
import { checksum } from "../scripts/checksum.js";
import { readRevisionText } from "../scripts/headers.js";
import { checkAppliedFiles } from "./applied-files.js";
import type { CommonOptions } from "./options.js";
import { loadProject } from "./project.js";
import { toolVersion } from "./tool-version.js";

export interface RepairOptions extends CommonOptions {
  /** A revision id or unique prefix. */
  revision: string;
  /**
   * What to do; by default the one that fits: `accept-checksum` for an edited file. A partial step
   * needs an explicit choice: `mark-applied` (finished by hand) or `rollback-record` (undone by hand).
   */
  action?: RepairAction;
}

export interface RepairResult {
  revision: string;
  action: RepairAction;
}

/** Records a reviewed decision about a revision, so that `verify` and `upgrade` accept it again. */
export async function repair(options: RepairOptions): Promise<RepairResult> {
  const project = await loadProject(options);
  const revisions = await project.revisions();
  const resolved = revisions.graph.resolve(options.revision, []);
  const id = resolved[0];
  if (id === undefined || resolved.length > 1) throw new UsageError(`repair needs exactly one revision; '${options.revision}' names ${resolved.length}.`);
  return project.withLock(async (db, dialect) => {
    const incomplete = (await findIncompleteSteps(db, dialect, project.tables)).some((row) => row.revision === id);
    let action = options.action;
    if (action === undefined) {
      if (incomplete) {
        throw new UsageError(`Revision ${id} failed halfway; say what was done by hand: --mark-applied (finished) or --rollback-record (undone).`);
      }
      const rows = await readVersionHeads(db, dialect, project.tables);
      const recorded = await readRecordedChecksums(db, dialect, project.tables);
      const changed = checkAppliedFiles(revisions, rows, recorded).some((problem) => problem.kind === "changed" && problem.revision === id);
      if (!changed) throw new UsageError(`Revision ${id} has nothing to repair: its file matches the recorded checksum and no step of it failed.`);
      action = "accept-checksum";
    }
    const path = revisions.files.get(id);
    const fileChecksum = path === undefined ? undefined : checksum(readRevisionText(path));
    await repairStep(db, dialect, project.tables, id, action, {
      toolVersion: toolVersion(),
      ...(fileChecksum === undefined ? {} : { checksum: fileChecksum }),
    });
    return { revision: id, action };
  });
}
