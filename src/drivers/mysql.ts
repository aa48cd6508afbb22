import mysql from "mysql2/promise";
import type { Connection, Database, QueryResult, Row } from "./types.js";
import { connectionError, statementError } from "./errors.js";

function toResult<R extends Row>(result: unknown): QueryResult<R> {
  if (Array.isArray(result)) {
    // A SELECT returns rows; a multi-result reply is not produced because multipleStatements is off.
    return { rows: result as R[], rowCount: 0 };
  }
  const header = result as { affectedRows?: number };
  return { rows: [], rowCount: header.affectedRows ?? 0 };
}

async function connect(url: string, displayUrl: string): Promise<mysql.Connection> {
  try {
    const connection = await mysql.createConnection({ uri: url.replace(/^mariadb:/, "mysql:"), timezone: "Z" });
    // A dropped idle connection must not crash the process; the next query reports it.
    connection.on("error", () => {});
    return connection;
  } catch (error) {
    throw connectionError(error, displayUrl);
  }
}

class MysqlConnection implements Connection {
  private closed = false;

  constructor(private readonly connection: mysql.Connection) {}

  async query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    try {
      const [result] = await this.connection.query(sql, params as unknown[] | undefined);
      return toResult<R>(result);
    } catch (error) {
      throw statementError(error);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.connection.end().catch(() => {});
  }
}

export async function openMysql(url: string, displayUrl: string): Promise<Database> {
  const main = new MysqlConnection(await connect(url, displayUrl));
  const sessions: MysqlConnection[] = [];
  return {
    dialect: "mysql",
    driver: "mysql2",
    displayUrl,
    main,
    async openSession() {
      const session = new MysqlConnection(await connect(url, displayUrl));
      sessions.push(session);
      return session;
    },
    async close() {
      await Promise.all([main.close(), ...sessions.map((s) => s.close())]);
    },
  };
}
