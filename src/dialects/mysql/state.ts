import type { Connection } from "../../drivers/types.js";
import { pollForLock } from "../lock-poll.js";
import type { LockOptions, MigrationLock, StateSql, StateTableNames, Timeouts } from "../types.js";
import { qualify, quoteIdent } from "./quote.js";

function tableRef(names: StateTableNames, table: string): string {
  return qualify(names.schema ? { schema: names.schema, name: table } : table);
}

export const state: StateSql = {
  createVersionTable: (names) => [
    `CREATE TABLE IF NOT EXISTS ${tableRef(names, names.version)} (version_num varchar(32) NOT NULL, ` +
      `CONSTRAINT ${quoteIdent(`${names.version}_pkc`)} PRIMARY KEY (version_num))`,
  ],
  createHistoryTable: (names) => [
    `CREATE TABLE IF NOT EXISTS ${tableRef(names, names.history)} (` +
      "id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, revision varchar(32) NOT NULL, direction varchar(8) NOT NULL, " +
      "checksum varchar(128), started_at datetime(3) NOT NULL, duration_ms integer, applied_by varchar(255), " +
      "tool_version varchar(64), success boolean NOT NULL, error text, statements_total integer, statements_done integer, " +
      "version_changes text, note text)",
  ],
  tableExists: (names, table) => ({
    sql: "SELECT 1 FROM information_schema.tables WHERE table_schema = coalesce(?, DATABASE()) AND table_name = ?",
    params: [names.schema ?? null, table],
  }),
  tableRef,
  param: () => "?",
  // datetime(3) holds UTC wall-clock time; MariaDB rejects an offset in the literal.
  timestampValue: (date) => date.toISOString().replace("T", " ").replace("Z", ""),
};

/** GET_LOCK names are server-wide, so the name includes the database; it must fit in 64 characters. */
const LOCK_NAME = "CONCAT('stratum:', LEFT(SHA1(CONCAT(COALESCE(DATABASE(), ''), ':', ?)), 40))";

async function lockHolder(session: Connection, key: string): Promise<string | undefined> {
  const { rows } = await session.query<{ holder: number | null }>(`SELECT IS_USED_LOCK(${LOCK_NAME}) AS holder`, [key]);
  const holder = rows[0]?.holder;
  return holder === null || holder === undefined ? undefined : `connection ${holder}`;
}

/**
 * GET_LOCK on a dedicated connection, polled with a zero timeout so that the wait can be
 * reported. It is taken once per run and released once: MariaDB counts re-entrant
 * acquisitions, so acquiring twice would need two releases.
 */
export const lock: MigrationLock = {
  async acquire(session, options: LockOptions) {
    await pollForLock(
      options,
      async () => {
        const { rows } = await session.query<{ locked: number | null }>(`SELECT GET_LOCK(${LOCK_NAME}, 0) AS locked`, [options.key]);
        return Number(rows[0]?.locked) === 1;
      },
      () => lockHolder(session, options.key),
    );
  },
  async release(session, options) {
    await session.query(`SELECT RELEASE_LOCK(${LOCK_NAME})`, [options.key]);
  },
};

/**
 * lock_wait_timeout bounds metadata-lock waits (DDL); innodb_lock_wait_timeout bounds row locks.
 * Both take whole seconds.
 *
 * The statement timeout is MariaDB's max_statement_time, which also stops DDL (an ALTER TABLE
 * that copies the table is rolled back). MySQL 8 has no timeout for DDL (max_execution_time
 * covers SELECT only), so the setting sits in a MariaDB-only comment: MySQL runs the statement
 * as a plain user-variable assignment. The settings stay on the session for later steps, so
 * every step states its statement timeout, DEFAULT (the server's own) when it has none.
 */
export function timeoutStatements(timeouts: Timeouts, _scope?: "transaction" | "session"): string[] {
  const statements: string[] = [];
  if (timeouts.lockTimeoutMs !== undefined) {
    const seconds = Math.max(1, Math.ceil(timeouts.lockTimeoutMs / 1000));
    statements.push(`SET SESSION lock_wait_timeout = ${seconds}`, `SET SESSION innodb_lock_wait_timeout = ${seconds}`);
  }
  if (timeouts.statementTimeoutMs !== undefined || statements.length > 0) statements.push(statementTimeout(timeouts.statementTimeoutMs));
  return statements;
}

function statementTimeout(ms: number | undefined): string {
  const value = ms === undefined ? "DEFAULT" : String(Math.max(0, ms) / 1000);
  return `SET @stratum_statement_timeout_ms = ${ms === undefined ? "NULL" : Math.max(0, ms)} /*M!100101 , SESSION max_statement_time = ${value} */`;
}

export function isLockTimeout(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, errno } = error as { code?: unknown; errno?: unknown };
  return code === "1205" || errno === 1205 || code === "ER_LOCK_WAIT_TIMEOUT";
}
