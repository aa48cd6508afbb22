/**
 * One thin adapter per client library. The runner and dialects talk only to these
 * interfaces, so a target is just a URL and nothing is held at module level.
 */

export type DialectName = "postgresql" | "sqlite" | "mysql";

export type Row = Record<string, unknown>;

export interface QueryResult<R extends Row = Row> {
  rows: R[];
  /** Rows changed by INSERT/UPDATE/DELETE; 0 for other statements. */
  rowCount: number;
}

export interface Connection {
  /** Runs one statement; `params` are bound by the driver ($1 on PostgreSQL, ? on SQLite and MySQL). */
  query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /**
   * Sends several parameterless statements in one round trip and returns one result per
   * statement. Only drivers whose protocol allows it implement this; callers fall back to
   * `query` one statement at a time. Notices the server raises while answering it go to
   * `notices` where given, instead of the connection's listener.
   */
  batch?(statements: readonly string[], notices?: (message: string) => void): Promise<QueryResult[]>;
  /**
   * Calls go out at once, before earlier ones are answered, and are answered in order; the
   * server runs them in the order they arrive.
   */
  readonly pipelined?: boolean;
  /** Receives the server's NOTICE/WARNING messages (PostgreSQL), or stops when given undefined. */
  onNotice?(listener: ((message: string) => void) | undefined): void;
  close(): Promise<void>;
}

/** Where a run goes: a database URL and, optionally, the schema that holds its tables. */
export interface Target {
  url: string;
  schema?: string;
}

export interface Database {
  readonly dialect: DialectName;
  /** Which client library: "pg", "pglite", "better-sqlite3", "mysql2". */
  readonly driver: string;
  /** The URL with any password removed, for messages. */
  readonly displayUrl: string;
  /** The connection migrations run on. */
  readonly main: Connection;
  /**
   * A second, dedicated connection (for the migration lock). `null` where the database
   * has a single connection (PGlite, SQLite), which then needs no cross-connection lock.
   */
  openSession(): Promise<Connection | null>;
  close(): Promise<void>;
}
