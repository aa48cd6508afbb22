import { createRequire } from "node:module";
import type pg from "pg";
import type { Connection, Database, QueryResult, Row } from "./types.js";
import { connectionError, statementError } from "./errors.js";

let pgModule: typeof pg | undefined;

/**
 * pg, loaded on first connect. pg asks at load time whether it runs in a Cloudflare Worker; where
 * `navigator` is missing (Node 20) it finds out by building a fetch Response, which loads Node's
 * whole fetch implementation: about 15 ms, as much as `stratum current` spends on its query. A
 * stand-in `navigator` while the module loads answers at once (Node 21 and later have a real
 * one). It is required as CommonJS, synchronously, so that nothing else runs while the stand-in
 * is there, and so that Node does not scan pg for an ES module wrapper.
 */
function loadPg(): typeof pg {
  if (pgModule) return pgModule;
  const scope = globalThis as { navigator?: unknown };
  const standIn = scope.navigator === undefined;
  if (standIn) scope.navigator = { userAgent: "Node.js" };
  try {
    pgModule = createRequire(import.meta.url)("pg") as typeof pg;
  } finally {
    if (standIn) delete scope.navigator;
  }
  return pgModule;
}

function toResult<R extends Row>(result: pg.QueryResult): QueryResult<R> {
  return { rows: (result.rows ?? []) as R[], rowCount: result.command === "SELECT" ? 0 : (result.rowCount ?? 0) };
}

async function connectClient(url: string, displayUrl: string): Promise<pg.Client> {
  const client = new (loadPg().Client)({ connectionString: url });
  // An idle connection that the server drops must not crash the process; the next query reports it.
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw connectionError(error, displayUrl);
  }
  return client;
}

class PgConnection implements Connection {
  private noticeListener: ((message: string) => void) | undefined;
  private closed = false;

  constructor(private readonly client: pg.Client) {
    client.on("notice", (notice) => this.noticeListener?.(notice.message ?? String(notice)));
  }

  async query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    try {
      const result = (await this.client.query(sql, params as unknown[] | undefined)) as pg.QueryResult | pg.QueryResult[];
      // Several statements in one text come back as one result each; the last is the answer.
      const last = Array.isArray(result) ? result[result.length - 1] : result;
      return last ? toResult<R>(last) : { rows: [], rowCount: 0 };
    } catch (error) {
      throw statementError(error);
    }
  }

  async batch(statements: readonly string[]): Promise<QueryResult[]> {
    if (statements.length === 0) return [];
    try {
      const result = (await this.client.query(statements.join("\n;\n"))) as pg.QueryResult | pg.QueryResult[];
      return (Array.isArray(result) ? result : [result]).map((r) => toResult(r));
    } catch (error) {
      throw statementError(error);
    }
  }

  onNotice(listener: ((message: string) => void) | undefined): void {
    this.noticeListener = listener;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.end().catch(() => {});
  }
}

export async function openPostgres(url: string, displayUrl: string): Promise<Database> {
  const main = new PgConnection(await connectClient(url, displayUrl));
  const sessions: PgConnection[] = [];
  return {
    dialect: "postgresql",
    driver: "pg",
    displayUrl,
    main,
    async openSession() {
      const session = new PgConnection(await connectClient(url, displayUrl));
      sessions.push(session);
      return session;
    },
    async close() {
      await Promise.all([main.close(), ...sessions.map((s) => s.close())]);
    },
  };
}
