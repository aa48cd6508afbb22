/**
 * Where the desired schema comes from: `--schema GLOB`, else the config's `declaredSchema` (a DSL
 * module, or SQL files), else `schema/*.sql` when that folder exists next to the config.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { extname, isAbsolute, join, resolve } from "node:path";
import type { Database, DialectName } from "../drivers/types.js";
import { InputError, UsageError } from "../errors.js";
import type { SchemaModel } from "../schema/model.js";
import { importUserModule } from "../scripts/module-loader.js";
import type { Project } from "./project.js";
import { modelFromDeclaration } from "./schema-engine.js";
import { readSqlFiles, sqlFilesToModel } from "./schema-sql.js";
import { sqlFilesOnServer } from "./schema-sql-server.js";

export type DeclaredSource = { kind: "sql"; globs: string[] } | { kind: "dsl"; path: string };

const MODULE_EXTENSIONS = new Set([".ts", ".mts", ".js", ".mjs", ".cts", ".cjs"]);

export function findDeclaredSource(project: Project, schemaGlob?: string | string[]): DeclaredSource {
  if (schemaGlob !== undefined) {
    const globs = typeof schemaGlob === "string" ? [schemaGlob] : schemaGlob;
    if (globs.length === 1 && MODULE_EXTENSIONS.has(extname(globs[0]!))) return { kind: "dsl", path: globs[0]! };
    return { kind: "sql", globs };
  }
  const declared = project.config.declaredSchema;
  if (declared !== undefined) {
    return MODULE_EXTENSIONS.has(extname(declared)) ? { kind: "dsl", path: declared } : { kind: "sql", globs: [declared] };
  }
  const folder = join(project.config.configDir, "schema");
  if (existsSync(folder) && statSync(folder).isDirectory() && readdirSync(folder).some((f) => f.endsWith(".sql"))) {
    return { kind: "sql", globs: [join(folder, "*.sql")] };
  }
  throw new UsageError("There is no declared schema to compare with.", {
    hint: "Set declaredSchema in stratum.config.ts (a DSL module or a glob of .sql files), pass --schema GLOB, or add schema/*.sql.",
  });
}

/**
 * Where SQL schema files are applied: the embedded PGlite, or a temporary database on the
 * target's PostgreSQL server ("auto" picks the server for a PostgreSQL server target).
 */
export type ShadowKind = "auto" | "pglite" | "server";

/** The live database, for applying SQL files next to it. */
export interface LiveTarget {
  db: Database;
  url: string;
}

export async function loadDeclaredSchema(
  project: Project,
  dialect: DialectName,
  source: DeclaredSource,
  exclude: string[],
  live?: LiveTarget,
  shadow: ShadowKind = "auto",
): Promise<SchemaModel> {
  const base = project.config.configDir;
  if (source.kind === "sql") {
    if (dialect !== "postgresql") {
      throw new UsageError(`SQL schema files are applied to an embedded PostgreSQL, so they can only describe a PostgreSQL database, not ${dialect}.`, {
        hint: "Declare the schema with the TypeScript DSL for this database.",
      });
    }
    const schemas = project.config.schema === undefined ? undefined : [project.config.schema];
    const options = {
      cwd: base,
      exclude,
      ...(schemas ? { schemas } : {}),
      ...(project.config.schemaCache === false ? { cache: false } : {}),
      ...(project.config.schemaParse === false ? { direct: false } : {}),
    };
    const files = readSqlFiles(source.globs, base);
    const onServer = shadow === "server" || (shadow === "auto" && live?.db.driver === "pg");
    if (onServer) {
      if (!live || live.db.driver !== "pg") throw new UsageError("A server shadow database needs a postgres:// target.");
      return sqlFilesOnServer(live.db, live.url, files, options);
    }
    return sqlFilesToModel(files, options);
  }
  const path = isAbsolute(source.path) ? source.path : resolve(base, source.path);
  if (!existsSync(path)) throw new InputError("the declared schema module does not exist.", { file: source.path });
  let namespace: Record<string, unknown>;
  try {
    namespace = await importUserModule(path);
  } catch (error) {
    throw new InputError(`the declared schema module failed to load: ${error instanceof Error ? error.message : String(error)}`, { file: source.path });
  }
  const declaration = namespace.default ?? namespace.schema;
  if (declaration === undefined) {
    throw new InputError("the declared schema module has no default export (export default defineSchema(...)).", { file: source.path });
  }
  // On MySQL a bare table name lives in the connected database.
  const defaultSchema = dialect === "mysql" && live ? await currentDatabase(live.db) : undefined;
  return modelFromDeclaration(declaration, dialect, source.path, defaultSchema);
}

async function currentDatabase(db: Database): Promise<string | undefined> {
  const { rows } = await db.main.query<{ name: string | null }>("SELECT DATABASE() AS name");
  return rows[0]?.name ?? undefined;
}
