/**
 * The project context every API function starts from: load the config, then (only when asked)
 * read the revision headers and build the graph, then (only when asked) open the database.
 */
import { loadConfig, requireUrl, type ResolvedConfig } from "../config/index.js";
import type { Dialect } from "../dialects/types.js";
import type { Database, DialectName } from "../drivers/types.js";
import { UsageError } from "../errors.js";
import { RevisionGraph } from "../graph/index.js";
import type { RevisionHeader } from "../graph/types.js";
import type { StateTables } from "../runner/types.js";
import { readHeaders } from "../scripts/headers.js";
import { describeRevisions, type RevisionInfo } from "./describe.js";
import type { CommonOptions } from "./options.js";

export interface Revisions {
  graph: RevisionGraph;
  /** In the graph's topological order. */
  headers: RevisionHeader[];
  byId: Map<string, RevisionHeader>;
  /** Revision id → its file. */
  files: Map<string, string>;
  info: Map<string, RevisionInfo>;
}

export interface Project {
  readonly options: CommonOptions;
  readonly config: ResolvedConfig;
  readonly tables: StateTables;
  readonly args: Record<string, string>;
  /** Headers and graph, read once on first use. */
  revisions(): Promise<Revisions>;
  /** The database URL; an InputError saying how to set one when there is none. */
  url(): string;
  /** The dialect the URL names, known without connecting (for `--sql`). */
  dialect(): Promise<Dialect>;
  /** Opens the database, runs `fn`, and always closes it. */
  withDatabase<T>(fn: (db: Database, dialect: Dialect) => Promise<T>): Promise<T>;
  /** Like withDatabase, holding the migration lock from before anything reads the version table. */
  withLock<T>(fn: (db: Database, dialect: Dialect) => Promise<T>): Promise<T>;
}

export async function loadProject(options: CommonOptions): Promise<Project> {
  const config = await loadConfig({
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(options.configFile === undefined ? {} : { configFile: options.configFile }),
    ...(options.env === undefined ? {} : { env: options.env }),
    ...(options.url === undefined ? {} : { url: options.url }),
  });
  const tables: StateTables = { version: config.versionTable, history: config.historyTable };
  if (config.schema !== undefined) tables.schema = config.schema;
  let revisions: Promise<Revisions> | undefined;

  const project: Project = {
    options,
    config,
    tables,
    args: options.args ?? {},
    revisions: () => (revisions ??= readRevisions(config)),
    url: () => requireUrl(config),
    async dialect() {
      return loadDialect(dialectOfUrl(requireUrl(config)));
    },
    // Drivers, dialects and the runner are imported on first use: commands that only read
    // headers (heads, history, show) never load a database client or the SQL parser.
    async withDatabase(fn) {
      const url = project.url();
      preloadDialect(url);
      const { openDatabase } = await import("../drivers/index.js");
      const target = config.schema === undefined ? { url } : { url, schema: config.schema };
      const db = await openDatabase(target);
      try {
        return await fn(db, await loadDialect(db.dialect));
      } finally {
        await db.close();
      }
    },
    async withLock(fn) {
      const { withMigrationLock } = await import("../runner/lock.js");
      return project.withDatabase((db, dialect) => {
        const lockWaitMs = options.lockWaitSeconds === undefined ? config.lockWaitMs : options.lockWaitSeconds * 1000;
        const onWait = (holder?: string) => options.onEvent?.(holder === undefined ? { type: "lockWait" } : { type: "lockWait", holder });
        return withMigrationLock(db, dialect, tables, { ...(lockWaitMs === undefined ? {} : { waitMs: lockWaitMs }), onWait }, () => fn(db, dialect));
      });
    },
  };
  return project;
}

async function readRevisions(config: ResolvedConfig): Promise<Revisions> {
  const { headers, files } = await readHeaders(config.versionPaths);
  const graph = RevisionGraph.build(headers);
  const ordered = [...graph.revisions];
  // Described on first use: runs and --sql scripts never ask.
  let info: Map<string, RevisionInfo> | undefined;
  return {
    graph,
    headers: ordered,
    byId: new Map(ordered.map((header) => [header.id, header])),
    files,
    get info() {
      return (info ??= describeRevisions(ordered, graph));
    },
  };
}

/**
 * Starts importing the dialect a URL names, so that its modules load while the connection is
 * made. Errors are left to the import that follows the connection, which reports them.
 */
function preloadDialect(url: string): void {
  try {
    loadDialect(dialectOfUrl(url)).catch(() => {});
  } catch {
    // An unknown scheme: openDatabase names the schemes it knows.
  }
}

/**
 * The dialect by name, importing only its own modules: loading all three costs a command such
 * as `current` more than its query does.
 */
async function loadDialect(name: DialectName): Promise<Dialect> {
  switch (name) {
    case "postgresql":
      return (await import("../dialects/postgres/index.js")).postgresDialect;
    case "sqlite":
      return (await import("../dialects/sqlite/index.js")).sqliteDialect;
    case "mysql":
      return (await import("../dialects/mysql/index.js")).mysqlDialect;
  }
}

/** The dialect a URL's scheme names; the drivers reject unknown schemes with the full list. */
export function dialectOfUrl(url: string): DialectName {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url.trim())?.[1]?.toLowerCase();
  switch (scheme) {
    case "postgres":
    case "postgresql":
    case "pglite":
      return "postgresql";
    case "sqlite":
      return "sqlite";
    case "mysql":
    case "mariadb":
      return "mysql";
    default:
      throw new UsageError(`The database URL scheme "${scheme ?? ""}" is not supported (use postgres://, pglite:, sqlite: or mysql://).`);
  }
}
