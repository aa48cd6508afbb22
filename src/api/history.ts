import { readVersionHeads } from "../runner/state-tables.js";
import type { RevisionInfo } from "./describe.js";
import { createdSince } from "./history-since.js";
import type { CommonOptions } from "./options.js";
import { loadProject } from "./project.js";

export interface HistoryOptions extends CommonOptions {
  /** `FROM:TO`, `FROM:` or `:TO`, any target form on each side. */
  range?: string;
  /** Mark the revisions in the version table (opens the database). */
  indicateCurrent?: boolean;
  /** Only revisions created on or after this date (`2024-05-01`, or any ISO 8601 time). */
  since?: string;
}

export interface HistoryResult {
  /** Newest first. */
  revisions: RevisionInfo[];
  /** The version table's rows, when the database was read. */
  current?: string[];
}

/** Revisions newest first; reads the database only for `indicateCurrent` or a range naming `current`. */
export async function history(options: HistoryOptions = {}): Promise<HistoryResult> {
  const project = await loadProject(options);
  const { graph, info } = await project.revisions();
  const needsDatabase = options.indicateCurrent === true || /\bcurrent\b/.test(options.range ?? "");
  const rows = needsDatabase ? await project.withDatabase((db, dialect) => readVersionHeads(db, dialect, project.tables)) : [];
  const currentSet = new Set(rows);
  const headers = graph.history(options.range, rows);
  const chosen = options.since === undefined ? headers : createdSince(headers, options.since);
  const revisions = chosen.map((header) => {
    const revision = info.get(header.id)!;
    return options.indicateCurrent ? { ...revision, isCurrent: currentSet.has(header.id) } : revision;
  });
  return needsDatabase ? { revisions, current: rows } : { revisions };
}
