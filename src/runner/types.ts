import type { Database } from "../drivers/types.js";
import type { Dialect, StateTableNames, Timeouts } from "../dialects/types.js";
import type { RevisionHeader, Step, VersionChange } from "../graph/types.js";
import type { LoadVerdict } from "../scripts/load-verdict.js";
import type { RevisionDefinition } from "../scripts/revision.js";

/** One section of a SQL revision file, with the line its SQL starts on. */
export interface SqlSectionSource {
  text: string;
  line: number;
}

/** The parsed body of a `.sql` revision; the runner splits it with the dialect's splitter. */
export interface SqlRevisionSource {
  up: SqlSectionSource;
  down?: SqlSectionSource;
  /** False when the header says `transactional=false`. */
  transactional: boolean;
}

/** A revision found on disk: its header (read without running it) and a way to load its code. */
export interface LoadedRevision {
  header: RevisionHeader;
  path: string;
  kind: "ts" | "sql";
  /** Checksum of the file as stored in the history table. */
  checksum: string;
  /** The file's text, as read for the checksum, for those who read the file again (lint). */
  text?: string;
  /** Imports the module (TypeScript/JavaScript) or builds a definition (SQL); called only when it runs. */
  load(): Promise<RevisionDefinition>;
  /**
   * What an earlier load of this same file proved, when that still holds: the runner then loads
   * it while the step before it runs instead of before the first step. Undefined when nothing
   * is known (the revision is loaded before anything is written).
   */
  loadVerdict?(): LoadVerdict | undefined;
  /** For `.sql` revisions: the parsed sections. When present, the runner uses them instead of `load()`. */
  sql?: SqlRevisionSource;
}

/** The names of Stratum's version and history tables, and the schema holding them. */
export interface StateTables extends StateTableNames {}

export interface RunEvents {
  onStepStart?(step: Step, index: number, total: number): void;
  onStepDone?(step: Step, index: number, total: number, ms: number): void;
  /** A step hit a lock timeout and will run again after `waitMs`. */
  onRetry?(step: Step, attempt: number, waitMs: number, error: Error): void;
  /** Server notices and things the runner did on its own (an invalid index dropped, a skipped statement). */
  onNotice?(message: string): void;
}

export interface RunOptions {
  db: Database;
  dialect: Dialect;
  tables: StateTables;
  steps: Step[];
  revisions: Map<string, LoadedRevision>;
  /** `-x key=value` arguments handed to revisions. */
  args: Record<string, string>;
  /** "single" wraps every step in one transaction; only where the dialect has transactional DDL. */
  transactionMode: "per-revision" | "single";
  timeouts: Timeouts;
  /** How many times a step that hit a lock timeout is retried. */
  lockRetries: number;
  /** First retry delay; doubles each attempt. Default 250 ms. */
  retryBackoffMs?: number;
  toolVersion: string;
  /** Run everything and roll back (PostgreSQL, SQLite); render only on MySQL. */
  dryRun?: boolean;
  events?: RunEvents;
}

export interface StepOutcome {
  step: Step;
  durationMs: number;
  /** Statements sent for this step (excluding Stratum's own bookkeeping). */
  statements: number;
}

export interface RunResult {
  steps: StepOutcome[];
  /** True when nothing was committed (dry run). */
  dryRun: boolean;
  /** The SQL a MySQL dry run would send, as an offline script. */
  script?: string;
}

export interface OfflineOptions {
  dialect: Dialect;
  tables: StateTables;
  steps: Step[];
  revisions: Map<string, LoadedRevision>;
  args: Record<string, string>;
  transactionMode: "per-revision" | "single";
  /** Emit the CREATE TABLE statements for the version and history tables (a run from base). */
  includeStateTables?: boolean;
  /** Recorded in the history rows the script inserts; default "offline". */
  toolVersion?: string;
}

export type HistoryDirection = "up" | "down" | "stamp" | "repair";

export interface HistoryRow {
  id: number;
  revision: string;
  direction: HistoryDirection;
  checksum: string | null;
  startedAt: Date;
  durationMs: number | null;
  appliedBy: string | null;
  toolVersion: string | null;
  success: boolean;
  error: string | null;
  statementsTotal: number | null;
  statementsDone: number | null;
  /** What the step does to the version table, so that `repair mark-applied` can finish it. */
  versionChanges: VersionChange[];
  note: string | null;
}

export interface HistoryFilter {
  revision?: string;
  /** Only the newest N rows (still returned oldest first). */
  limit?: number;
  /** Only failed rows. */
  failedOnly?: boolean;
}

export type RepairAction = "mark-applied" | "rollback-record" | "accept-checksum";
