/**
 * A dialect is the only place that knows SQL text. It renders operations, splits SQL files,
 * holds the SQL for Stratum's own tables and lock, and introspects a live database.
 */
import type { Connection, DialectName } from "../drivers/types.js";
import type { BatchOp, Operation, TableRef } from "../ops/types.js";
import type { SchemaModel } from "../schema/model.js";

export interface DialectCapabilities {
  /** DDL can be rolled back (PostgreSQL, SQLite); MySQL commits each DDL statement. */
  transactionalDdl: boolean;
  /** A session-scoped lock on a dedicated connection (pg_advisory_lock, GET_LOCK). */
  advisoryLock: boolean;
  /** Schema changes want one DDL statement per transaction (CockroachDB-style). */
  ddlPerTransaction: boolean;
  /** CREATE SCHEMA and schema-qualified names. */
  schemas: boolean;
  /** `lock_timeout` / `lock_wait_timeout` can bound how long DDL waits in the lock queue. */
  lockTimeout: boolean;
}

/** One statement ready to send. */
export interface RenderedStatement {
  sql: string;
  params?: unknown[];
  /** False for statements that cannot run inside a transaction block (CONCURRENTLY, VACUUM, ...). */
  transactional: boolean;
}

export interface RenderContext {
  /** Offline rendering: `params` must be inlined as literals, and reads are impossible. */
  offline: boolean;
  /** The target's default schema, if any. */
  schema?: string;
}

/** A statement cut out of an SQL file, with the line it starts on (1-based, in that file). */
export interface SplitStatement {
  sql: string;
  line: number;
  /** The statement cannot run inside a transaction block. */
  nonTransactional: boolean;
}

export interface StateTableNames {
  version: string;
  history: string;
  schema?: string;
}

/** The SQL for Stratum's own version and history tables. */
export interface StateSql {
  createVersionTable(names: StateTableNames): string[];
  createHistoryTable(names: StateTableNames): string[];
  /** Text of a statement that checks whether a table exists; one row when it does. Params: schema?, table. */
  tableExists(names: StateTableNames, table: string): { sql: string; params: unknown[] };
  /** One of Stratum's tables, quoted and qualified with `names.schema` where the dialect has schemas. */
  tableRef(names: StateTableNames, table: string): string;
  /** The driver's placeholder for the n-th (1-based) bound parameter: `$1` or `?`. */
  param(n: number): string;
  /** A point in time as the history table's `started_at` column accepts it when bound. */
  timestampValue(date: Date): unknown;
  /**
   * Undoes what a failed non-transactional statement left behind (PostgreSQL: the INVALID index
   * of a failed CREATE INDEX CONCURRENTLY). Returns a sentence describing what it did, if anything.
   */
  cleanupAfterFailure?(connection: Connection, sql: string): Promise<string | undefined>;
  /**
   * Wraps an UPDATE or DELETE (without a RETURNING clause) into one statement that fails unless
   * it changed exactly one row, with `label` and the row count in the error's message. With it,
   * a step's version-table change is checked by the server, so the step's COMMIT can travel in
   * the same round trip as its statements. Dialects without it are checked by the client.
   */
  failUnlessOneRow?(sql: string, label: string): string;
  /**
   * SQL for the whole milliseconds since the server received the command message the expression
   * is part of. A step's statements may travel in one message with its history row, after the
   * client stopped its clock; the row's duration adds this so that it covers their execution.
   */
  sinceMessageReceivedMs?: string;
  /**
   * For steps sent before the step ahead of them is answered: `mark` records in the session that
   * step `token` committed, and is undone with its transaction if it does not; `guard` fails
   * unless the mark of step `token` stands. Together they keep a step from running after one
   * that failed, on a connection that runs whatever reaches it in order.
   */
  stepMarks?: { mark(token: string): string; guard(token: string): string };
}

export interface LockOptions {
  /** A stable key derived from the version table name (and schema). */
  key: string;
  /** Give up after this long; undefined waits forever. */
  waitMs?: number;
  /** Called while waiting, with who holds it when the database can say. */
  onWait?: (holder: string | undefined) => void;
}

export interface MigrationLock {
  acquire(session: Connection, options: LockOptions): Promise<void>;
  release(session: Connection, options: LockOptions): Promise<void>;
}

export interface Timeouts {
  lockTimeoutMs?: number;
  statementTimeoutMs?: number;
}

export interface IntrospectOptions {
  /** Schemas to include; default: the connection's current schema(s), excluding system schemas. */
  schemas?: string[];
  /** Stratum's own tables, always excluded. */
  exclude: string[];
}

export interface Dialect {
  readonly name: DialectName;
  readonly capabilities: DialectCapabilities;
  quoteIdent(name: string): string;
  /** A table reference, quoted and schema-qualified where given. */
  qualify(table: TableRef): string;
  quoteLiteral(value: unknown): string;
  render(op: Operation, context: RenderContext): RenderedStatement[];
  splitStatements(text: string, source?: string): Promise<SplitStatement[]>;
  /**
   * Given every statement of one revision, in order, marks those that must be committed before a
   * later statement can use what they created (PostgreSQL: `ALTER TYPE ... ADD VALUE` whose value a
   * later statement uses). Returns a new array. Dialects without such statements leave it undefined.
   */
  markCommitPoints?(statements: readonly RenderedStatement[]): RenderedStatement[];
  /** Runs an `op.batch` that needs the live table (SQLite's rebuild); dialects without it render the batch. */
  runBatch?(connection: Connection, op: BatchOp): Promise<void>;
  /** Sets the connection up for a run and returns what undoes it (SQLite: foreign keys off, see run-settings.ts). */
  prepareRun?(connection: Connection): Promise<() => Promise<void>>;
  /** A check each step must pass before it commits (SQLite: foreign keys, while they are off). */
  verifyStep?(connection: Connection): Promise<void>;
  readonly state: StateSql;
  readonly lock: MigrationLock;
  /**
   * Statements that set timeouts: for the current transaction (default), or for the session
   * when statements are about to run outside a transaction.
   */
  timeoutStatements(timeouts: Timeouts, scope?: "transaction" | "session"): string[];
  /** True when the error means the statement gave up waiting for a lock (SQLSTATE 55P03, MySQL 1205). */
  isLockTimeout(error: unknown): boolean;
  introspect(connection: Connection, options: IntrospectOptions): Promise<SchemaModel>;
}
