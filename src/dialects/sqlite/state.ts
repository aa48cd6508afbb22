import { DatabaseError } from "../../errors.js";
import type { LockOptions, MigrationLock, StateSql, StateTableNames, Timeouts } from "../types.js";
import { quoteIdent } from "./quote.js";
import { waited } from "../lock-poll.js";

/** SQLite has no schemas in Stratum's sense (attached databases aside), so `schema` is ignored. */
function tableRef(_names: StateTableNames, table: string): string {
  return quoteIdent(table);
}

export const state: StateSql = {
  createVersionTable: (names) => [
    `CREATE TABLE IF NOT EXISTS ${tableRef(names, names.version)} (version_num varchar(32) NOT NULL, ` +
      `CONSTRAINT ${quoteIdent(`${names.version}_pkc`)} PRIMARY KEY (version_num))`,
  ],
  createHistoryTable: (names) => [
    `CREATE TABLE IF NOT EXISTS ${tableRef(names, names.history)} (` +
      "id INTEGER PRIMARY KEY AUTOINCREMENT, revision varchar(32) NOT NULL, direction varchar(8) NOT NULL, " +
      "checksum varchar(128), started_at text NOT NULL, duration_ms integer, applied_by varchar(255), " +
      "tool_version varchar(64), success integer NOT NULL, error text, statements_total integer, statements_done integer, " +
      "version_changes text, note text)",
  ],
  tableExists: (_names, table) => ({
    sql: "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
    params: [table],
  }),
  tableRef,
  param: () => "?",
  timestampValue: (date) => date.toISOString(),
};


/**
 * SQLite's migration lock is the database file's own lock. `locking_mode = EXCLUSIVE` keeps the
 * write lock once taken until the mode is reset, and `BEGIN EXCLUSIVE` takes it at once, so
 * another process (another deployer, or the application writing) waits on SQLITE_BUSY for the
 * whole run instead of slipping in between two revisions. `busy_timeout` bounds that wait.
 */
export const lock: MigrationLock = {
  async acquire(session, options: LockOptions) {
    // The driver's default is 5 s; waitMs undefined means "wait as long as it takes" (a day here).
    await session.query(`PRAGMA busy_timeout = ${Math.round(options.waitMs ?? 86_400_000)}`);
    await session.query("PRAGMA locking_mode = EXCLUSIVE");
    try {
      await session.query("BEGIN EXCLUSIVE");
      await session.query("COMMIT");
    } catch (error) {
      await session.query("PRAGMA locking_mode = NORMAL");
      const code = (error as { code?: unknown }).code;
      if (code === "SQLITE_BUSY")
        throw new DatabaseError(
          `Gave up after ${waited(options.waitMs ?? 0)} waiting for the migration lock: another connection holds the SQLite database file.`,
          { code: "LOCK_WAIT" },
        );
      throw error;
    }
  },
  async release(session) {
    await session.query("PRAGMA locking_mode = NORMAL");
    // The exclusive lock is dropped at the next access after the mode changes.
    await session.query("SELECT 1 FROM sqlite_master LIMIT 1");
    await session.query("PRAGMA busy_timeout = 5000");
  },
};

/** SQLite has no lock or statement timeouts; its busy_timeout is set by the migration lock. */
export function timeoutStatements(_timeouts: Timeouts, _scope?: "transaction" | "session"): string[] {
  return [];
}

export function isLockTimeout(_error: unknown): boolean {
  return false;
}
