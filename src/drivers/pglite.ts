import { existsSync } from "node:fs";
import { UsageError } from "../errors.js";
import type { Connection, Database, QueryResult, Row } from "./types.js";
import { connectionError, statementError } from "./errors.js";

/**
 * Contrib extensions PGlite ships as separate bundles. They are handed to PGlite at start-up
 * (which only registers them) so that a revision's `CREATE EXTENSION ltree` works.
 * Export names use underscores where the extension name has a dash (uuid_ossp → "uuid-ossp").
 */
const CONTRIB_EXTENSIONS = [
  "amcheck", "bloom", "btree_gin", "btree_gist", "citext", "cube", "dict_int", "dict_xsyn", "earthdistance",
  "fuzzystrmatch", "hstore", "intarray", "isn", "lo", "ltree", "pg_trgm", "pgcrypto", "seg", "tablefunc",
  "tcn", "tsm_system_rows", "tsm_system_time", "unaccent", "uuid_ossp",
] as const;

type PGliteModule = typeof import("@electric-sql/pglite");
type PGliteInstance = InstanceType<PGliteModule["PGlite"]>;
type Extension = import("@electric-sql/pglite").Extension;

async function loadExtensions(): Promise<Record<string, Extension>> {
  const extensions: Record<string, Extension> = {};
  await Promise.all(
    CONTRIB_EXTENSIONS.map(async (name) => {
      try {
        const module = (await import(`@electric-sql/pglite/contrib/${name}`)) as Record<string, Extension>;
        const extension = module[name];
        if (extension) extensions[name] = extension;
      } catch {
        // A PGlite build without this bundle: CREATE EXTENSION reports it by name if a revision asks.
      }
    }),
  );
  // pgvector ships in some PGlite releases under its own entry point.
  try {
    const vectorEntry = "@electric-sql/pglite/vector";
    const module = (await import(vectorEntry)) as Record<string, Extension>;
    if (module.vector) extensions.vector = module.vector;
  } catch {
    // Not in this release.
  }
  return extensions;
}

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

  constructor(private readonly db: PGliteInstance) {}

  private queryOptions() {
    const listener = this.noticeListener;
    return listener ? { onNotice: (notice: { message?: string }) => listener(notice.message ?? "") } : undefined;
  }

  async query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    try {
      if (params && params.length > 0) return toResult<R>(await this.db.query(sql, params as unknown[], this.queryOptions()));
      // The simple protocol accepts several statements in one text, as psql does.
      const results = perStatement(await this.db.exec(sql, this.queryOptions()));
      return (results[results.length - 1] ?? { rows: [], rowCount: 0 }) as QueryResult<R>;
    } catch (error) {
      throw statementError(error);
    }
  }

  async batch(statements: readonly string[]): Promise<QueryResult[]> {
    if (statements.length === 0) return [];
    try {
      return perStatement(await this.db.exec(statements.join("\n;\n"), this.queryOptions()));
    } catch (error) {
      throw statementError(error);
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
    const extensions = await loadExtensions();
    db = await PGlite.create({ ...(dataDir === undefined ? {} : { dataDir }), extensions });
  } catch (error) {
    const reason = dataDir !== undefined && existsSync(dataDir) ? `${dataDir} is not a usable PGlite data directory` : error;
    throw connectionError(reason instanceof Error || typeof reason !== "string" ? reason : new Error(reason), displayUrl);
  }
  const main = new PGliteConnection(db);
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
