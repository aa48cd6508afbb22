import { UsageError } from "../errors.js";
import { readHistoryLog } from "../runner/history.js";
import type { HistoryDirection, HistoryFilter } from "../runner/types.js";
import type { CommonOptions } from "./options.js";
import { loadProject } from "./project.js";

export interface LogOptions extends CommonOptions {
  /** Only the newest N entries (a number, or its text from the command line). */
  limit?: number | string;
  revision?: string;
  failedOnly?: boolean;
}

export interface LogEntry {
  id: number;
  revision: string;
  direction: HistoryDirection;
  checksum: string | null;
  /** ISO 8601. */
  startedAt: string;
  durationMs: number | null;
  appliedBy: string | null;
  toolVersion: string | null;
  success: boolean;
  error: string | null;
  note: string | null;
}

export interface LogResult {
  /** Oldest first. */
  entries: LogEntry[];
}

/** The history table: who applied, reverted or stamped what, when, how long it took, and failures. */
export async function log(options: LogOptions = {}): Promise<LogResult> {
  const project = await loadProject(options);
  const filter: HistoryFilter = {};
  if (options.limit !== undefined) {
    const limit = Number(options.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`The log limit must be a positive whole number, not "${options.limit}".`);
    filter.limit = limit;
  }
  if (options.revision !== undefined) filter.revision = options.revision;
  if (options.failedOnly) filter.failedOnly = true;
  const rows = await project.withDatabase((db, dialect) => readHistoryLog(db, dialect, project.tables, filter));
  return {
    entries: rows.map((row) => ({
      id: row.id,
      revision: row.revision,
      direction: row.direction,
      checksum: row.checksum,
      startedAt: row.startedAt.toISOString(),
      durationMs: row.durationMs,
      appliedBy: row.appliedBy,
      toolVersion: row.toolVersion,
      success: row.success,
      error: row.error,
      note: row.note,
    })),
  };
}
