import { UsageError, redactUrls } from "../errors.js";
import type { Database, Target } from "./types.js";

export type { Connection, Database, DialectName, QueryResult, Row, Target } from "./types.js";
export { statementError, connectionError, errorCode } from "./errors.js";

const SUPPORTED = "postgres://, postgresql://, pglite:PATH, pglite:memory, sqlite:PATH, sqlite:memory, mysql://, mariadb://";

/**
 * Opens a target by its URL's scheme. Each client library is imported only when its scheme is
 * used, so a PostgreSQL user never pays for loading PGlite's WebAssembly.
 */
export async function openDatabase(target: Target): Promise<Database> {
  const url = target.url.trim();
  const displayUrl = redactUrls(url);
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  switch (scheme) {
    case "postgres":
    case "postgresql":
      return (await import("./pg.js")).openPostgres(url, displayUrl);
    case "pglite":
      return (await import("./pglite.js")).openPGlite(url.slice("pglite:".length), displayUrl);
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
