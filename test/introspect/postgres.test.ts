import { readFileSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { ltree } from "@electric-sql/pglite/contrib/ltree";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POSTGRES_INTROSPECTION_QUERIES, introspect } from "../../src/dialects/postgres/introspect.js";
import type { SchemaModel, TableModel } from "../../src/schema/model.js";
import { createPostgresDatabase, type ScratchDatabase } from "../helpers/databases.js";
import { pgConnection, pgliteConnection, type CountingConnection } from "./connections.js";

const richSql = readFileSync(new URL("./fixtures/rich-postgres.sql", import.meta.url), "utf8");
const options = { schemas: ["public", "audit"], exclude: ["stratum_version"] };

function table(model: SchemaModel, name: string): TableModel {
  const found = model.tables.find((t) => t.name === name);
  if (!found) throw new Error(`no table ${name}`);
  return found;
}

/** What both PostgreSQL 15 and PGlite (PostgreSQL 18) must report for the rich script. */
function expectRichModel(model: SchemaModel): void {
  expect(model.schemas).toEqual(["audit"]);
  expect(model.extensions).toEqual([{ name: "ltree" }, { name: "pg_trgm" }]);
  expect(model.enums).toEqual([{ schema: "public", name: "mood", values: ["sad", "ok", "happy"] }]);
  // Serial and identity sequences belong to their columns.
  expect(model.sequences).toEqual([{ schema: "public", name: "invoice_numbers", start: 1000, increment: 5, cycle: false }]);
  expect(model.tables.map((t) => `${t.schema}.${t.name}`)).toEqual(["audit.events", "public.entities", "public.users"]);

  const users = table(model, "users");
  expect(users.comment).toBe("people who sign in");
  expect(users.columns.map((c) => c.name)).toEqual(["id", "email", "name", "mood", "tags", "balance", "created_at", "email_lower"]);
  expect(users.columns[0]).toEqual({ name: "id", type: "bigint", nullable: false, identity: { always: true } });
  expect(users.columns[1]).toEqual({ name: "email", type: "character varying(255)", nullable: false, comment: "login address" });
  expect(users.columns[2]).toMatchObject({ type: "text", collation: "C" });
  expect(users.columns[4]).toMatchObject({ type: "text[]", default: "'{}'::text[]" });
  expect(users.columns[5]).toMatchObject({ type: "numeric(10,2)" });
  expect(users.columns[6]).toMatchObject({ type: "timestamp with time zone", default: "now()" });
  expect(users.columns[7]!.generated).toMatch(/lower/);
  expect(users.columns[7]!.default).toBeUndefined();
  expect(users.primaryKey).toEqual({ name: "users_pkey", columns: ["id"] });
  expect(users.uniques).toEqual([{ name: "users_email_key", columns: ["email"] }]);
  expect(users.checks).toEqual([{ name: "users_balance_check", expression: "balance >= 0::numeric", validated: true }]);
  // The unique constraint's index is part of the constraint, not a separate index.
  expect(users.indexes).toEqual([]);

  const entities = table(model, "entities");
  expect(entities.columns[0]).toEqual({ name: "id", type: "integer", nullable: false, default: "nextval('entities_id_seq'::regclass)" });
  expect(entities.foreignKeys).toEqual([
    {
      name: "entities_owner_id_fkey",
      columns: ["owner_id"],
      refSchema: "public",
      refTable: "users",
      refColumns: ["id"],
      onDelete: "CASCADE",
      onUpdate: "NO ACTION",
      deferrable: true,
      initiallyDeferred: true,
      validated: true,
    },
  ]);
  expect(entities.indexes.map((i) => i.name)).toEqual([
    "entities_lower_title",
    "entities_owner_title",
    "entities_path_gist_idx",
    "entities_payload_idx",
    "entities_title_trgm",
  ]);
  expect(entities.indexes[0]).toEqual({
    name: "entities_lower_title",
    unique: false,
    method: "btree",
    keys: [{ expression: "lower(title)", order: "DESC", nulls: "LAST" }],
    include: ["id"],
    where: "owner_id IS NOT NULL",
  });
  expect(entities.indexes[1]!.keys).toEqual([{ column: "owner_id" }, { column: "title", opclass: "text_pattern_ops" }]);
  expect(entities.indexes[2]).toMatchObject({ method: "gist", keys: [{ column: "path" }] });
  expect(entities.indexes[3]).toMatchObject({ method: "gin", keys: [{ column: "payload", opclass: "jsonb_path_ops" }] });
  expect(entities.triggers).toEqual([
    {
      name: "entities_touch",
      definition: "CREATE TRIGGER entities_touch BEFORE INSERT OR UPDATE ON public.entities FOR EACH ROW EXECUTE FUNCTION audit.touch()",
    },
  ]);
  expect(entities.rowLevelSecurity).toBe(true);
  expect(entities.policies).toEqual([
    { name: "entities_insert", command: "INSERT", permissive: false, roles: ["public"], withCheck: "char_length(title) < 200" },
    { name: "entities_owner", command: "SELECT", permissive: true, roles: ["public"], using: "owner_id IS NOT NULL" },
  ]);

  const events = table(model, "events");
  expect(events.schema).toBe("audit");
  expect(events.foreignKeys[0]).toMatchObject({ refSchema: "public", refTable: "entities" });
  expect(events.excludes).toEqual([{ name: "events_no_overlap", method: "gist", elements: [{ expression: "happened", operator: "&&" }] }]);

  expect(model.views.map((v) => [v.name, v.materialized])).toEqual([
    ["active_users", false],
    ["hierarchy_mv", true],
  ]);
  expect(model.views[0]!.definition).toMatch(/^SELECT .*id,[\s\S]*FROM users[\s\S]*WHERE/);
  expect(model.views[1]!.indexes).toEqual([
    { name: "hierarchy_mv_id", unique: true, method: "btree", keys: [{ column: "id" }], include: [] },
  ]);
  expect(model.functions.map((f) => [f.schema, f.name, f.kind, f.signature])).toEqual([
    ["audit", "touch", "function", ""],
    ["public", "reset_balance", "procedure", "IN who bigint"],
  ]);
  expect(model.functions[0]!.definition).toMatch(/^CREATE OR REPLACE FUNCTION audit\.touch\(\)/);
}

async function addTables(connection: CountingConnection, count: number): Promise<void> {
  let sql = "";
  for (let i = 0; i < count; i++) {
    sql += `CREATE TABLE t${i} (id int PRIMARY KEY, parent int REFERENCES ${i === 0 ? "users(id)" : `t${i - 1}(id)`}, v text CHECK (v <> ''));
CREATE INDEX t${i}_v ON t${i} (v);\n`;
  }
  await connection.exec(sql);
}

describe("PostgreSQL server introspection", () => {
  let db: ScratchDatabase;
  let connection: CountingConnection;
  beforeAll(async () => {
    db = await createPostgresDatabase();
    connection = await pgConnection(db.url);
    await connection.exec(richSql);
  });
  afterAll(async () => {
    await connection?.close();
    await db?.drop();
  });

  it("reads every kind of object the rich script creates", async () => {
    expectRichModel(await introspect(connection, options));
  });

  it("leaves out Stratum's own tables and schemas that were not asked for", async () => {
    const all = await introspect(connection, { schemas: ["public"], exclude: [] });
    expect(all.tables.map((t) => t.name)).toContain("stratum_version");
    expect(all.tables.map((t) => t.schema)).not.toContain("audit");
    expect(all.functions.map((f) => f.name)).toEqual(["reset_balance"]);
    const filtered = await introspect(connection, { schemas: ["public"], exclude: ["stratum_version"] });
    expect(filtered.tables.map((t) => t.name)).not.toContain("stratum_version");
  });

  it("defaults to the search path's schemas", async () => {
    const model = await introspect(connection, { exclude: ["stratum_version"] });
    expect(model.schemas).toEqual([]);
    expect(model.tables.map((t) => t.name)).toEqual(["entities", "users"]);
  });

  it("sends the same number of catalog queries for 3 tables and for 60", async () => {
    connection.queries = 0;
    await introspect(connection, options);
    const small = connection.queries;
    await addTables(connection, 57);
    connection.queries = 0;
    const model = await introspect(connection, options);
    expect(model.tables).toHaveLength(60);
    expect(connection.queries).toBe(small);
    expect(small).toBe(POSTGRES_INTROSPECTION_QUERIES);
  });
});

describe("PGlite introspection", () => {
  let lite: PGlite;
  let connection: CountingConnection;
  beforeAll(async () => {
    lite = await PGlite.create({ extensions: { ltree, pg_trgm } });
    connection = pgliteConnection(lite);
    await connection.exec(richSql);
  });
  afterAll(async () => {
    await lite?.close();
  });

  it("reads the same model as the server, in the same number of queries", async () => {
    const model = await introspect(connection, options);
    expectRichModel(model);
    expect(connection.queries).toBe(POSTGRES_INTROSPECTION_QUERIES);
  });
});
