/**
 * SQL schema files applied to a temporary database on the target's own PostgreSQL server. The
 * server then deparses views, functions and expressions exactly as it does for the target, where
 * the embedded PGlite (a different PostgreSQL major version) may spell them differently. Files
 * with none of those (see directModel) need no database at all.
 */
import { openDatabase } from "../drivers/index.js";
import type { Database } from "../drivers/types.js";
import type { SchemaModel } from "../schema/model.js";
import { applySqlFiles, directModel, introspectApplied, type LoadSqlSchemaOptions, type SqlSchemaFile } from "./schema-sql.js";
import { createScratchLike } from "./schema-scratch.js";

export async function sqlFilesOnServer(
  live: Database,
  url: string,
  files: readonly SqlSchemaFile[],
  options: LoadSqlSchemaOptions,
): Promise<SchemaModel> {
  const direct = await directModel(files, options);
  if (direct) return direct;
  const scratch = await createScratchLike(live, url);
  try {
    const db = await openDatabase({ url: scratch.url });
    try {
      await applySqlFiles((sql) => db.main.query(sql), files);
      return await introspectApplied(db.main, options);
    } finally {
      await db.close();
    }
  } finally {
    await scratch.drop();
  }
}
