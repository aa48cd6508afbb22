import type { IncludeName, IncludeObject } from "../schema/filter.js";
/** The shape of stratum.config.ts, and of the configuration once resolved. */

export type LintLevel = "error" | "warn" | "off";
/** What lint findings do to `upgrade` and `revision`: "error" blocks on errors, "warn" prints them, "off" skips lint. */
export type LintGate = "error" | "warn" | "off";

/** How revisions are wrapped in transactions. */
export type TransactionMode =
  /** One transaction per revision (the default). */
  | "per-revision"
  /** One transaction for the whole run, on databases with transactional DDL. */
  | "single";

export interface EnvironmentConfig {
  /** Database URL for this environment (`postgres://`, `pglite:PATH`, `sqlite:PATH`, `mysql://`). */
  url: string;
  /** Database schema holding the state tables and, by default, the migrated objects. */
  schema?: string;
}

export interface StratumConfig {
  /**
   * Database URL. Chosen in this order: `--url`, then the selected environment, then this,
   * then `DATABASE_URL`. Relative `pglite:` and `sqlite:` paths are resolved against the
   * config file's folder.
   */
  url?: string;
  /** Named databases (for example primary and replica), selected with `-e/--env NAME`. */
  envs?: Record<string, EnvironmentConfig>;
  /** The environment used when `-e/--env` is not given. */
  defaultEnv?: string;
  /** Folders holding revision files, relative to the config file. Default `["migrations"]`. */
  versionPaths?: string[];
  /** Table with one row per current head. Default `stratum_version`; `alembic_version` adopts an Alembic database. */
  versionTable?: string;
  /** Table with one row per step applied, reverted or stamped. Default `stratum_history`. */
  historyTable?: string;
  /** Database schema holding the state tables. */
  schema?: string;
  /** File names of new revisions: `{id} {slug} {date} {year} {month} {day} {time}`. Default `{id}_{slug}`. */
  fileTemplate?: string;
  /** Template for new revisions: one path for TypeScript revisions, or a path per kind. */
  revisionTemplate?: string | { ts?: string; sql?: string };
  /** Default `per-revision`. */
  transactionMode?: TransactionMode;
  /** `lock_timeout` for migration statements, in milliseconds. Default 2000. */
  lockTimeoutMs?: number;
  /** `statement_timeout` for migration statements, in milliseconds. Default none. */
  statementTimeoutMs?: number;
  /** How many times a step that timed out waiting for a lock is retried. Default 5. */
  lockRetries?: number;
  /** How long to wait for the migration lock held by another runner, in milliseconds. Default: wait. */
  lockWaitMs?: number;
  /** Fail when the graph has more than one head or a merge. Default false. */
  linearHistory?: boolean;
  /** The declared schema for autogenerate and drift checks: a DSL module, or a glob of SQL files. */
  declaredSchema?: string;
  /**
   * Reuse the model that unchanged SQL schema files produced on the embedded PostgreSQL, kept
   * in the cache folder (`STRATUM_CACHE_DIR`), instead of applying them again. Default true;
   * `false` (or the environment variable `STRATUM_NO_SCHEMA_CACHE=1`) applies them every time.
   */
  schemaCache?: boolean;
  /**
   * Read SQL schema files straight from their parse trees when every statement in them is one
   * whose effect Stratum knows without PostgreSQL (plain tables, keys, b-tree indexes, enums,
   * schemas, comments). Default true; `false` (or `STRATUM_NO_SCHEMA_PARSE=1`) always applies
   * them to the embedded PostgreSQL.
   */
  schemaParse?: boolean;
  /** Autogenerate, check and drift compare only the objects these accept (by name, before comparing). */
  includeName?: IncludeName;
  /** The same, with the whole introspected object in hand. */
  includeObject?: IncludeObject;
  lint?: {
    rules?: Record<string, LintLevel>;
    /** Lint pending revisions before `upgrade`. Default "warn". */
    onUpgrade?: LintGate;
    /** Lint a new revision after `revision` writes it. Default "warn". */
    onRevision?: LintGate;
  };
  hooks?: {
    /** Shell command run on each newly written revision file (`{file}` is replaced by its path). */
    postWrite?: string;
    /** Shell command run before an upgrade touches the database. */
    backup?: string;
  };
}

/** Where the database URL came from, for messages. */
export type UrlSource = "flag" | "env" | "config" | "DATABASE_URL";

/** The configuration with every default filled in and every path absolute. */
export interface ResolvedConfig {
  /** The folder relative paths are resolved against: the config file's folder, or the working folder. */
  configDir: string;
  configFile?: string;
  url?: string;
  urlSource?: UrlSource;
  /** The selected environment's name, if any. */
  env?: string;
  envs: Record<string, EnvironmentConfig>;
  schema?: string;
  versionPaths: string[];
  versionTable: string;
  historyTable: string;
  fileTemplate: string;
  revisionTemplate: { ts: string; sql: string };
  transactionMode: TransactionMode;
  lockTimeoutMs: number;
  statementTimeoutMs?: number;
  lockRetries: number;
  lockWaitMs?: number;
  linearHistory: boolean;
  declaredSchema?: string;
  /** False when the config turns off the cache of models from SQL schema files. */
  schemaCache?: boolean;
  /** False when the config has SQL schema files always applied to PGlite. */
  schemaParse?: boolean;
  includeName?: IncludeName;
  includeObject?: IncludeObject;
  lint: { rules: Record<string, LintLevel>; onUpgrade: LintGate; onRevision: LintGate };
  hooks: { postWrite?: string; backup?: string };
}
