import { ensureStateTables } from "../runner/state-tables.js";
import type { CommonOptions } from "./options.js";
import { loadProject } from "./project.js";

export interface EnsureVersionResult {
  versionTable: string;
  historyTable: string;
}

/** Creates the version and history tables when they are missing; runs no revision. */
export async function ensureVersion(options: CommonOptions = {}): Promise<EnsureVersionResult> {
  const project = await loadProject(options);
  await project.withLock((db, dialect) => ensureStateTables(db, dialect, project.tables));
  return { versionTable: project.tables.version, historyTable: project.tables.history };
}
