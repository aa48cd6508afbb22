/**
 * A portable DSL declaration created from empty on SQLite and on MariaDB, read back by
 * introspection, compares equal to the declaration.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDialect } from "../../src/dialects/index.js";
import { openDatabase, type Database } from "../../src/drivers/index.js";
import type { Operation } from "../../src/ops/types.js";
import { createSchemaOps } from "../../src/schema/codegen.js";
import { diffSchemas } from "../../src/schema/diff.js";
import { boolean, check, defineSchema, index, integer, serial, table, text, unique, varchar, view } from "../../src/schema/dsl.js";
import type { SchemaModel } from "../../src/schema/model.js";
import { createMysqlDatabase, sqliteUrl, tempDir, type ScratchDatabase } from "../helpers/databases.js";

const portable = defineSchema({
  tables: [
    table(
      "owners",
      { id: serial().primaryKey(), email: varchar(255).notNull(), active: boolean().notNull().default(true), note: text() },
      [unique("owners_email_key", ["email"]), index("owners_active_idx").on("active", "email")],
    ),
    table(
      "assets",
      { id: serial().primaryKey(), owner_id: integer().notNull().references("owners.id", { onDelete: "CASCADE" }), label: varchar(50).default("none"), weight: integer().default(0) },
      [check("assets_weight_check", "weight >= 0"), index("assets_owner_idx").on("owner_id")],
    ),
  ],
  views: [view("asset_labels", "SELECT id, label FROM assets")],
});

async function createAndCompare(database: Database, dialect: "sqlite" | "mysql", schema: string): Promise<string[]> {
  const model = portable.toModel(dialect, { defaultSchema: schema });
  const ops: Operation[] = createSchemaOps(model);
  const renderer = getDialect(dialect);
  for (const op of ops) for (const statement of renderer.render(op, { offline: false })) await database.main.query(statement.sql, statement.params);
  const live: SchemaModel = await renderer.introspect(database.main, { exclude: [] });
  // View text is each database's own reprint; the tables are what must match.
  const result = diffSchemas({ ...live, views: [] }, { ...model, views: [] });
  expect(live.views.map((v) => v.name)).toEqual(["asset_labels"]);
  return [...result.operations.map((op) => JSON.stringify(op)), ...result.manual];
}

describe("SQLite", () => {
  const dir = tempDir("stratum-schema-sqlite-");
  let database: Database;
  beforeAll(async () => {
    database = await openDatabase({ url: sqliteUrl(dir.path) });
  });
  afterAll(async () => {
    await database?.close();
    dir.remove();
  });

  it("reads back a declared schema with no difference", async () => {
    expect(await createAndCompare(database, "sqlite", "main")).toEqual([]);
  });
});

describe("MariaDB", () => {
  let scratch: ScratchDatabase;
  let database: Database;
  beforeAll(async () => {
    scratch = await createMysqlDatabase("stratum_schema");
    database = await openDatabase({ url: scratch.url });
  });
  afterAll(async () => {
    await database?.close();
    await scratch?.drop();
  });

  it("reads back a declared schema with no difference", async () => {
    expect(await createAndCompare(database, "mysql", scratch.name)).toEqual([]);
  });
});
