/**
 * A declared model spelled the way the database spells it. A DSL declaration holds expressions
 * as the user wrote them (`status IN ('a', 'b')`); the catalog holds them deparsed
 * (`status::text = ANY (...)`). Creating the declared schema in a scratch database and reading it
 * back settles whether the two mean the same, with the database itself as the judge.
 */
import type { Dialect } from "../dialects/types.js";
import { openDatabase } from "../drivers/index.js";
import type { Connection, Database } from "../drivers/types.js";
import type { Operation } from "../ops/types.js";
import { createSchemaOps } from "../schema/codegen.js";
import type { SchemaModel } from "../schema/model.js";
import { extensionsCreatedBy, scratchConnection, startScratchPGlite } from "./schema-pglite.js";
import { createScratchLike } from "./schema-scratch.js";

export interface CanonicalOptions {
  /** Schemas to read back (PostgreSQL); default: public plus the model's own. */
  schemas?: string[];
  exclude: string[];
}

export async function canonicalModel(live: Database, url: string, dialect: Dialect, model: SchemaModel, options: CanonicalOptions): Promise<SchemaModel> {
  const operations = createSchemaOps(model);
  const introspectOptions = {
    exclude: options.exclude,
    ...(dialect.name === "postgresql" ? { schemas: options.schemas ?? ["public", ...model.schemas] } : {}),
  };
  if (live.driver === "pglite") {
    const extensions = model.extensions.map((e) => e.name);
    const db = await startScratchPGlite(extensions.length ? extensions : extensionsCreatedBy(""));
    try {
      const connection = scratchConnection(db);
      await runOperations(connection, dialect, operations);
      return await dialect.introspect(connection, introspectOptions);
    } finally {
      await db.close();
    }
  }
  const scratch = await createScratchLike(live, url);
  try {
    const db = await openDatabase({ url: scratch.url });
    try {
      await runOperations(db.main, dialect, operations);
      return await dialect.introspect(db.main, introspectOptions);
    } finally {
      await db.close();
    }
  } finally {
    await scratch.drop();
  }
}

async function runOperations(connection: Connection, dialect: Dialect, operations: readonly Operation[]): Promise<void> {
  for (const op of operations) {
    const inner = op.kind === "autocommit" ? op.ops : [op];
    for (const each of inner) {
      for (const statement of dialect.render(each, { offline: false })) {
        await connection.query(statement.sql, statement.params);
      }
    }
  }
}
