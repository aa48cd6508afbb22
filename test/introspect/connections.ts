/**
 * Thin Connection adapters for the introspection suites, counting the statements they send so
 * that tests can prove the number of catalog queries does not grow with the schema.
 */
import { PGlite } from "@electric-sql/pglite";
import Sqlite from "better-sqlite3";
import mysql from "mysql2/promise";
import pg from "pg";
import { openDatabase } from "../../src/drivers/index.js";
import type { Connection, QueryResult, Row } from "../../src/drivers/types.js";

/** Runs a script on the database at `url` through Stratum's own driver, then closes it. */
export async function runSql(url: string, text: string): Promise<void> {
  const db = await openDatabase({ url });
  try {
    await db.main.query(text);
  } finally {
    await db.close();
  }
}

export interface CountingConnection extends Connection {
  queries: number;
  exec(sql: string): Promise<void>;
}

export async function pgConnection(url: string): Promise<CountingConnection> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const connection: CountingConnection = {
    queries: 0,
    async query<R extends Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
      connection.queries++;
      const result = await client.query(sql, params as unknown[] | undefined);
      return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
    },
    async exec(sql) {
      await client.query(sql);
    },
    close: () => client.end(),
  };
  return connection;
}

export function pgliteConnection(db: PGlite): CountingConnection {
  const connection: CountingConnection = {
    queries: 0,
    async query<R extends Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
      connection.queries++;
      const result = await db.query<R>(sql, params as unknown[] | undefined);
      return { rows: result.rows, rowCount: result.affectedRows ?? 0 };
    },
    async exec(sql) {
      await db.exec(sql);
    },
    close: async () => {},
  };
  return connection;
}

export function sqliteConnection(file: string): CountingConnection {
  const db = new Sqlite(file);
  const connection: CountingConnection = {
    queries: 0,
    async query<R extends Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
      connection.queries++;
      const statement = db.prepare(sql);
      if (statement.reader) return { rows: statement.all(...((params ?? []) as unknown[])) as R[], rowCount: 0 };
      const info = statement.run(...((params ?? []) as unknown[]));
      return { rows: [], rowCount: info.changes };
    },
    async exec(sql) {
      db.exec(sql);
    },
    close: async () => {
      db.close();
    },
  };
  return connection;
}

export async function mysqlConnection(url: string): Promise<CountingConnection> {
  const client = await mysql.createConnection({ uri: url, multipleStatements: true });
  const connection: CountingConnection = {
    queries: 0,
    async query<R extends Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
      connection.queries++;
      const [rows] = await client.query(sql, params as unknown[] | undefined);
      if (Array.isArray(rows)) return { rows: rows as R[], rowCount: 0 };
      return { rows: [], rowCount: (rows as { affectedRows?: number }).affectedRows ?? 0 };
    },
    async exec(sql) {
      await client.query(sql);
    },
    close: () => client.end(),
  };
  return connection;
}
