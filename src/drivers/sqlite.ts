import Sqlite from "better-sqlite3";
import { UsageError } from "../errors.js";
import type { Connection, Database, QueryResult, Row } from "./types.js";
import { connectionError, statementError } from "./errors.js";

/** better-sqlite3 binds numbers, strings, bigints, buffers and null only. */
function bindable(value: unknown): unknown {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  if (value === undefined) return null;
  if (typeof value === "object" && value !== null && !Buffer.isBuffer(value)) return JSON.stringify(value);
  return value;
}

class SqliteConnection implements Connection {
  private readonly statements = new Map<string, Sqlite.Statement>();

  constructor(readonly handle: Sqlite.Database) {}

  private prepare(sql: string): Sqlite.Statement | undefined {
    const cached = this.statements.get(sql);
    if (cached) return cached;
    try {
      const statement = this.handle.prepare(sql);
      // A bounded cache: revisions' own statements are rarely repeated, Stratum's are.
      if (this.statements.size > 200) this.statements.clear();
      this.statements.set(sql, statement);
      return statement;
    } catch (error) {
      // Several statements in one text cannot be prepared; exec() runs them in order.
      if (error instanceof RangeError && /more than one statement/.test(error.message)) return undefined;
      throw error;
    }
  }

  async query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    try {
      const statement = this.prepare(sql);
      const values = (params ?? []).map(bindable);
      if (!statement) {
        if (values.length > 0) throw new UsageError("SQLite cannot bind parameters to a text holding several statements; send them one at a time.");
        this.handle.exec(sql);
        return { rows: [], rowCount: 0 };
      }
      if (statement.reader) return { rows: statement.all(...values) as R[], rowCount: 0 };
      return { rows: [], rowCount: statement.run(...values).changes };
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw statementError(error);
    }
  }

  async close(): Promise<void> {
    if (this.handle.open) this.handle.close();
  }
}

/** `sqlite:memory` is a private in-memory database; `sqlite:PATH` is a file, created if missing. */
export async function openSqlite(location: string, displayUrl: string): Promise<Database> {
  if (location === "") throw new UsageError(`The URL ${displayUrl} needs a file path or "memory" after "sqlite:".`);
  let handle: Sqlite.Database;
  try {
    handle = new Sqlite(location === "memory" ? ":memory:" : location);
  } catch (error) {
    throw connectionError(error, displayUrl);
  }
  // Foreign keys are off by default in SQLite; migrations expect them enforced like elsewhere.
  handle.pragma("foreign_keys = ON");
  const main = new SqliteConnection(handle);
  return {
    dialect: "sqlite",
    driver: "better-sqlite3",
    displayUrl,
    main,
    // One in-process connection: the migration lock is SQLite's own exclusive lock on `main`.
    openSession: async () => null,
    close: () => main.close(),
  };
}
