import { existsSync } from "node:fs";
import { UsageError } from "../errors.js";
import type { Connection, Database, QueryResult, Row } from "./types.js";
import { connectionError, statementError } from "./errors.js";
import { PGliteExtensionBundles } from "./pglite-extensions.js";

type PGliteModule = typeof import("@electric-sql/pglite");
type PGliteInstance = InstanceType<PGliteModule["PGlite"]>;

interface PGliteResult {
  rows: unknown[];
  affectedRows?: number;
}

function toResult<R extends Row>(result: PGliteResult | undefined, affectedBefore = 0): QueryResult<R> {
  return { rows: (result?.rows ?? []) as R[], rowCount: (result?.affectedRows ?? 0) - affectedBefore };
}

/** PGlite's exec() reports a running total of affected rows; each statement's own count is the difference. */
function perStatement(results: PGliteResult[]): QueryResult[] {
  return results.map((result, i) => toResult(result, i === 0 ? 0 : (results[i - 1]?.affectedRows ?? 0)));
}

class PGliteConnection implements Connection {
  private noticeListener: ((message: string) => void) | undefined;

  constructor(
    private readonly db: PGliteInstance,
    private readonly extensions: PGliteExtensionBundles,
  ) {}

  private queryOptions() {
    const listener = this.noticeListener;
    return listener ? { onNotice: (notice: { message?: string }) => listener(notice.message ?? "") } : undefined;
  }

  async query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    try {
      await this.extensions.prepareFor(sql);
      if (params && params.length > 0) return toResult<R>(await this.db.query(sql, params as unknown[], this.queryOptions()));
      // The simple protocol accepts several statements in one text, as psql does.
      const results = perStatement(await this.db.exec(sql, this.queryOptions()));
      return (results[results.length - 1] ?? { rows: [], rowCount: 0 }) as QueryResult<R>;
    } catch (error) {
      throw await this.extensions.explain(statementError(error));
    }
  }

  async batch(statements: readonly string[]): Promise<QueryResult[]> {
    if (statements.length === 0) return [];
    try {
      for (const statement of statements) await this.extensions.prepareFor(statement);
      return perStatement(await this.db.exec(statements.join("\n;\n"), this.queryOptions()));
    } catch (error) {
      throw await this.extensions.explain(statementError(error));
    }
  }

  onNotice(listener: ((message: string) => void) | undefined): void {
    this.noticeListener = listener;
  }

  async close(): Promise<void> {
    if (!this.db.closed) await this.db.close();
  }
}

/** `pglite:memory` keeps nothing; `pglite:PATH` keeps the data directory at PATH. */
export async function openPGlite(location: string, displayUrl: string): Promise<Database> {
  if (location === "") throw new UsageError(`The URL ${displayUrl} needs a path or "memory" after "pglite:".`);
  const dataDir = location === "memory" ? undefined : location;
  let db: PGliteInstance;
  try {
    const { PGlite } = await import("@electric-sql/pglite");
    // No extension bundles at start-up: registering them there costs every open their unpacking.
    db = await PGlite.create(dataDir === undefined ? {} : { dataDir });
  } catch (error) {
    const reason = dataDir !== undefined && existsSync(dataDir) ? `${dataDir} is not a usable PGlite data directory` : error;
    throw connectionError(reason instanceof Error || typeof reason !== "string" ? reason : new Error(reason), displayUrl);
  }
  const extensions = new PGliteExtensionBundles(db);
  // A new in-memory database has no extensions; a data directory may have some from earlier runs.
  if (dataDir !== undefined) {
    try {
      await extensions.ensureInstalled();
    } catch (error) {
      await db.close().catch(() => undefined);
      throw connectionError(error, displayUrl);
    }
  }
  const main = new PGliteConnection(db, extensions);
  return {
    dialect: "postgresql",
    driver: "pglite",
    displayUrl,
    main,
    // One connection only: nothing else can run migrations at the same time, so no lock session.
    openSession: async () => null,
    close: () => main.close(),
  };
}
