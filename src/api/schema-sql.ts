/**
 * Declarative SQL schema files: applied in sorted order to a scratch PGlite, then introspected.
 * This covers every object PostgreSQL has, with no DSL and no shadow database server. Files that
 * hold only statements whose effect is known without PostgreSQL (plain tables, keys, indexes,
 * enums) are read from their parse trees instead, which skips the scratch database. The model is
 * cached on disk, keyed by the files' text and the options, since applying the files is the slow
 * part.
 */
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { introspect } from "../dialects/postgres/introspect.js";
import type { Connection } from "../drivers/types.js";
import { modelFromParseTrees } from "../dialects/postgres/parse-model.js";
import { splitStatements } from "../dialects/postgres/split.js";
import { envFlagSet } from "../env-flag.js";
import { InputError } from "../errors.js";
import type { SchemaModel } from "../schema/model.js";
import { expandSchemaGlobs } from "./schema-files.js";
import { modelCacheEnabled, modelCacheKey, readCachedModel, writeCachedModel } from "./schema-model-cache.js";
import { extensionsCreatedBy, scratchConnection, startScratchPGlite } from "./schema-pglite.js";

export interface LoadSqlSchemaOptions {
  /** Folder the globs are relative to; default: process.cwd(). */
  cwd?: string;
  /** Extensions to load into the scratch database besides those the files create. */
  extensions?: string[];
  /** Schemas to introspect; default: public plus every schema the files create. */
  schemas?: string[];
  /** Table names left out of the model (Stratum's own tables). */
  exclude?: string[];
  /**
   * Reuse the model that the same files and options produced before, instead of applying them
   * again (see schema-model-cache.ts). Default true; STRATUM_NO_SCHEMA_CACHE=1 also turns it off.
   */
  cache?: boolean;
  /**
   * Build the model from the files' parse trees when every statement is one whose effect is known
   * without PostgreSQL (dialects/postgres/parse-model.ts), and apply them to PGlite only
   * otherwise. Default true; false, or STRATUM_NO_SCHEMA_PARSE=1, always applies them.
   */
  direct?: boolean;
}

/** Starts the scratch database the files are applied to, with these extensions loaded. */
export type StartScratch = (extensions: readonly string[]) => Promise<PGlite>;

export interface SqlSchemaFile {
  path: string;
  text: string;
}

export async function loadSqlSchema(globs: string | readonly string[], options: LoadSqlSchemaOptions = {}): Promise<SchemaModel> {
  return sqlFilesToModel(readSqlFiles(globs, options.cwd ?? process.cwd()), options);
}

/**
 * Applies already-read files to a scratch PGlite and introspects the result, or reads the model
 * from the cache when the same files and options produced it before. `startScratch` is the
 * database the files go to; tests pass one that counts its calls.
 */
export async function sqlFilesToModel(
  files: readonly SqlSchemaFile[],
  options: LoadSqlSchemaOptions = {},
  startScratch: StartScratch = startScratchPGlite,
): Promise<SchemaModel> {
  const extensions = [...new Set([...(options.extensions ?? []), ...files.flatMap((f) => extensionsCreatedBy(f.text))])];
  const key = modelCacheEnabled(options.cache)
    ? modelCacheKey({ extensions, schemas: options.schemas, exclude: options.exclude ?? [], direct: directEnabled(options.direct), files })
    : undefined;
  const cached = key === undefined ? undefined : readCachedModel(key);
  if (cached) return cached;
  const model = (extensions.length === 0 ? await directModel(files, options) : undefined) ?? (await applyAndIntrospect(files, extensions, options, startScratch));
  // Only a model that was fully produced gets here: a failing file has thrown above.
  if (key !== undefined) writeCachedModel(key, model);
  return model;
}

/**
 * The files' model read from their parse trees, or undefined when a statement needs PostgreSQL
 * (or the caller turned this off). Either way the result means the same as applying them.
 */
export async function directModel(files: readonly SqlSchemaFile[], options: LoadSqlSchemaOptions): Promise<SchemaModel | undefined> {
  if (!directEnabled(options.direct)) return undefined;
  const result = await modelFromParseTrees(files, options);
  return "model" in result ? result.model : undefined;
}

/** True unless the caller passed `false` or STRATUM_NO_SCHEMA_PARSE is set (to anything but "", "0" or "false"). */
function directEnabled(option: boolean | undefined): boolean {
  return option !== false && !envFlagSet("STRATUM_NO_SCHEMA_PARSE");
}

async function applyAndIntrospect(
  files: readonly SqlSchemaFile[],
  extensions: readonly string[],
  options: LoadSqlSchemaOptions,
  startScratch: StartScratch,
): Promise<SchemaModel> {
  const db = await startScratch(extensions);
  const connection = scratchConnection(db);
  try {
    await applySqlFiles((sql) => db.exec(sql), files);
    return await introspectApplied(connection, options);
  } finally {
    await db.close();
  }
}

export function readSqlFiles(globs: string | readonly string[], cwd: string): SqlSchemaFile[] {
  const patterns = typeof globs === "string" ? [globs] : globs;
  const paths = expandSchemaGlobs(patterns, cwd);
  if (paths.length === 0) {
    throw new InputError(`No SQL schema files match ${patterns.map((p) => `"${p}"`).join(", ")} (looked in ${cwd}).`);
  }
  return paths.map((path) => ({ path: relative(cwd, path) || path, text: readFileSync(path, "utf8") }));
}

/** Introspects a database the files were applied to: public plus every schema they created, unless told. */
export async function introspectApplied(connection: Connection, options: LoadSqlSchemaOptions): Promise<SchemaModel> {
  const schemas = options.schemas ?? (await userSchemas(connection));
  return introspect(connection, { schemas, exclude: options.exclude ?? [] });
}

async function userSchemas(connection: Connection): Promise<string[]> {
  const { rows } = await connection.query<{ name: string }>(
    `SELECT nspname AS name FROM pg_catalog.pg_namespace
      WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' ORDER BY 1`,
  );
  return rows.map((r) => r.name);
}

/**
 * All the files go in one round trip first, which is what keeps a thousand-table schema fast; it
 * runs as one implicit transaction, so when it fails nothing stays and each file is applied on
 * its own to find the one that fails.
 */
export async function applySqlFiles(exec: (sql: string) => Promise<unknown>, files: readonly SqlSchemaFile[]): Promise<void> {
  try {
    // A newline first, so that a file ending in a `--` comment cannot swallow the separator.
    await exec(files.map((f) => f.text).join("\n;\n"));
    return;
  } catch {
    // Replayed below, file by file.
  }
  for (const file of files) await applySqlFile(exec, file);
}

/**
 * A whole file goes in one round trip, which is what keeps a thousand-table schema fast. When it
 * fails (the file runs as one implicit transaction, so nothing of it stays), the file is replayed
 * one statement at a time to name the statement's line; statements that refuse a transaction
 * block, such as CREATE INDEX CONCURRENTLY, also succeed that way.
 */
export async function applySqlFile(exec: (sql: string) => Promise<unknown>, file: SqlSchemaFile): Promise<void> {
  try {
    await exec(file.text);
    return;
  } catch {
    // Replayed below, statement by statement.
  }
  const statements = await splitStatements(file.text, file.path);
  for (const statement of statements) {
    try {
      await exec(statement.sql);
    } catch (error) {
      const line = statement.line + linesBefore(statement.sql, errorPosition(error));
      throw new InputError(`the schema file failed: ${databaseMessage(error)}`, { file: file.path, line });
    }
  }
}

/** Drivers wrap the client's error; the statement position stays on the original. */
function errorPosition(error: unknown): number | undefined {
  const own = (error as { position?: unknown }).position;
  const position = own ?? ((error as { cause?: { position?: unknown } }).cause ?? {}).position;
  const value = typeof position === "string" || typeof position === "number" ? Number(position) : NaN;
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/** Newlines before a 1-based character position inside the statement. */
function linesBefore(sql: string, position: number | undefined): number {
  if (position === undefined) return 0;
  return (sql.slice(0, position - 1).match(/\n/g) ?? []).length;
}

function databaseMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
