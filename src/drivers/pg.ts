import type pg from "pg";
import type { Connection, Database, QueryResult, Row } from "./types.js";
import { connectionError, statementError } from "./errors.js";

/**
 * pg, loaded on first connect. The published build links pg into Stratum's own bundle and answers
 * pg's load-time "am I in a Cloudflare Worker?" probe there (scripts/bundle.mjs), so connecting
 * does not pull in Node's fetch stack.
 */
async function loadPg(): Promise<typeof pg> {
  return (await import("pg")).default;
}

function toResult<R extends Row>(result: pg.QueryResult): QueryResult<R> {
  return { rows: (result.rows ?? []) as R[], rowCount: result.command === "SELECT" ? 0 : (result.rowCount ?? 0) };
}

async function connectClient(url: string, displayUrl: string, pipeline = false): Promise<pg.Client> {
  const client = new (await loadPg()).Client({ connectionString: url, pipeline });
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

type NoticeTarget = ((message: string) => void) | undefined;

class PgConnection implements Connection {
  private noticeListener: NoticeTarget;
  private closed = false;
  readonly pipelined: boolean;
  /**
   * Where the notices of each call still unanswered go, oldest first. The server answers calls
   * in order, so a notice belongs to the oldest; pg's callbacks run as each answer arrives,
   * before the notices of the next call are read.
   */
  private readonly noticeTargets: NoticeTarget[] = [];

  constructor(private readonly client: pg.Client) {
    this.pipelined = client.pipeline;
    client.on("notice", (notice) => (this.noticeTargets[0] ?? this.noticeListener)?.(notice.message ?? String(notice)));
  }

  private call(sql: string, params: readonly unknown[] | undefined, notices: NoticeTarget): Promise<pg.QueryResult | pg.QueryResult[]> {
    return new Promise((resolve, reject) => {
      this.noticeTargets.push(notices);
      this.client.query(sql, (params ?? []) as unknown[], (error: Error | null, result: pg.QueryResult | pg.QueryResult[]) => {
        this.noticeTargets.shift();
        if (error) reject(error);
        else resolve(result);
      });
    });
  }

  async query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    try {
      const result = await this.call(sql, params, undefined);
      // Several statements in one text come back as one result each; the last is the answer.
      const last = Array.isArray(result) ? result[result.length - 1] : result;
      return last ? toResult<R>(last) : { rows: [], rowCount: 0 };
    } catch (error) {
      throw statementError(error);
    }
  }

  async batch(statements: readonly string[], notices?: (message: string) => void): Promise<QueryResult[]> {
    if (statements.length === 0) return [];
    try {
      const result = await this.call(statements.join("\n;\n"), undefined, notices);
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
  // Migrations run on a pipelined connection, so that a step can be on its way while the one
  // before it is still being answered (runner/run-chained.ts).
  const main = new PgConnection(await connectClient(url, displayUrl, true));
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
