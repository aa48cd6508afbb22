import { UsageError, redactUrls } from "../errors.js";
import type { Database, Target } from "./types.js";

export type { Connection, Database, DialectName, QueryResult, Row, Target } from "./types.js";
export { statementError, connectionError, errorCode } from "./errors.js";

/**
 * A target's schema holds the migrated objects too: unqualified names in revisions resolve there
 * first, then in public (where extensions usually live). The runner creates the schema before
 * the first revision runs.
 */
async function withSearchPath(db: Database, schema: string | undefined): Promise<Database> {
  if (schema === undefined) return db;
  try {
    await db.main.query(`SET search_path TO "${schema.replaceAll('"', '""')}", public`);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}

const NETWORK_SCHEMES = new Set(["postgres", "postgresql", "mysql", "mariadb"]);

/** A server URL the client libraries would reject with a bare "Invalid URL" (a bad port, say). */
function checkNetworkUrl(url: string, displayUrl: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`The database URL ${displayUrl} is not a valid URL; check the host, port and database name.`);
  }
  if (parsed.port !== "" && !/^\d+$/.test(parsed.port)) throw new UsageError(`The database URL ${displayUrl} has an invalid port.`);
}

const SUPPORTED = "postgres://, postgresql://, pglite:PATH, pglite:memory, sqlite:PATH, sqlite:memory, mysql://, mariadb://";

/**
 * Opens a target by its URL's scheme. Each client library is imported only when its scheme is
 * used, so a PostgreSQL user never pays for loading PGlite's WebAssembly.
 */
export async function openDatabase(target: Target): Promise<Database> {
  const url = target.url.trim();
  const displayUrl = redactUrls(url);
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme !== undefined && NETWORK_SCHEMES.has(scheme)) checkNetworkUrl(url, displayUrl);
  switch (scheme) {
    case "postgres":
    case "postgresql":
      return withSearchPath(await (await import("./pg.js")).openPostgres(url, displayUrl), target.schema);
    case "pglite":
      return withSearchPath(await (await import("./pglite.js")).openPGlite(url.slice("pglite:".length), displayUrl), target.schema);
    case "sqlite":
      return (await import("./sqlite.js")).openSqlite(url.slice("sqlite:".length), displayUrl);
    case "mysql":
    case "mariadb":
      return (await import("./mysql.js")).openMysql(url, displayUrl);
    default:
      throw new UsageError(
        scheme === undefined
          ? `The database URL "${displayUrl}" has no scheme; supported: ${SUPPORTED}.`
          : `The database URL scheme "${scheme}:" is not supported; supported: ${SUPPORTED}.`,
      );
  }
}
