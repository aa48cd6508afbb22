import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { InputError } from "../../src/errors.js";
import {
  bigint,
  bigserial,
  boolean,
  char,
  check,
  citext,
  custom,
  date,
  defineSchema,
  doublePrecision,
  enumType,
  exclude,
  extension,
  foreignKey,
  func,
  index,
  integer,
  interval,
  jsonb,
  materializedView,
  numeric,
  pgEnum,
  policy,
  primaryKey,
  real,
  rls,
  sequence,
  serial,
  smallint,
  sql,
  table,
  text,
  time,
  timestamp,
  timestamptz,
  toSchemaModel,
  trigger,
  unique,
  uuid,
  varchar,
  vector,
  view,
} from "../../src/schema/dsl.js";
import { diffSchemas } from "../../src/schema/diff.js";
import { createPostgresDatabase, type ScratchDatabase } from "../helpers/databases.js";

const mood = pgEnum("mood", ["sad", "ok", "happy"]);

const users = table(
  "users",
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    email: varchar(255).notNull().unique(),
    name: text().default("anon").comment("display name"),
    mood: enumType(mood).default("ok"),
    created_at: timestamptz().notNull().default(sql`CURRENT_TIMESTAMP`),
    score: numeric(10, 2).default(0),
    active: boolean().notNull().default(true),
  },
  [index("users_name_lower").on(sql`lower(name)`), check("users_email_check", sql`email <> ''`)],
).comment("people");

const posts = table(
  "posts",
  {
    id: serial().primaryKey(),
    author_id: uuid().notNull().references("users.id", { onDelete: "CASCADE" }),
    parent_id: integer().references("posts"),
    body: text(),
    tags: custom("text[]"),
  },
  [index("posts_author_idx").on("author_id").where(sql`body IS NOT NULL`).include("body"), index("posts_tags_gin").on("tags").using("gin")],
);

describe("toSchemaModel", () => {
  const schema = defineSchema({ tables: [users, posts], enums: [mood], extensions: ["pgcrypto"] });
  const model = toSchemaModel(schema, "postgresql");

  it("builds normalized tables with PostgreSQL's own default names", () => {
    const usersModel = model.tables.find((t) => t.name === "users")!;
    expect(usersModel.columns).toEqual([
      { name: "id", type: "uuid", nullable: false, default: "gen_random_uuid()" },
      { name: "email", type: "character varying(255)", nullable: false },
      { name: "name", type: "text", nullable: true, default: "'anon'", comment: "display name" },
      { name: "mood", type: "mood", nullable: true, default: "'ok'" },
      { name: "created_at", type: "timestamp with time zone", nullable: false, default: "now()" },
      { name: "score", type: "numeric(10,2)", nullable: true, default: "0" },
      { name: "active", type: "boolean", nullable: false, default: "true" },
    ]);
    expect(usersModel.primaryKey).toEqual({ name: "users_pkey", columns: ["id"] });
    expect(usersModel.uniques).toEqual([{ name: "users_email_key", columns: ["email"] }]);
    expect(usersModel.checks).toEqual([{ name: "users_email_check", expression: "email <> ''", validated: true }]);
    expect(usersModel.indexes).toEqual([{ name: "users_name_lower", unique: false, method: "btree", keys: [{ expression: "lower(name)" }], include: [] }]);
    expect(usersModel.comment).toBe("people");
    expect(model.enums).toEqual([{ schema: "public", name: "mood", values: ["sad", "ok", "happy"] }]);
    expect(model.extensions).toEqual([{ name: "pgcrypto" }]);
  });

  it("resolves references, including a table's own primary key and self references", () => {
    const postsModel = model.tables.find((t) => t.name === "posts")!;
    expect(postsModel.columns[0]).toEqual({ name: "id", type: "integer", nullable: false, default: "nextval('posts_id_seq')" });
    expect(postsModel.foreignKeys).toEqual([
      expect.objectContaining({ name: "posts_author_id_fkey", columns: ["author_id"], refSchema: "public", refTable: "users", refColumns: ["id"], onDelete: "CASCADE", onUpdate: "NO ACTION" }),
      expect.objectContaining({ name: "posts_parent_id_fkey", columns: ["parent_id"], refTable: "posts", refColumns: ["id"], onDelete: "NO ACTION" }),
    ]);
    expect(postsModel.indexes.find((i) => i.name === "posts_author_idx")).toEqual({
      name: "posts_author_idx",
      unique: false,
      method: "btree",
      keys: [{ column: "author_id" }],
      include: ["body"],
      where: "body IS NOT NULL",
    });
    expect(postsModel.columns.find((c) => c.name === "tags")!.type).toBe("text[]");
  });

  it("covers every column builder", () => {
    const all = table("all_types", {
      a: char(2),
      b: smallint(),
      c: bigint(),
      d: bigserial(),
      e: real(),
      f: doublePrecision(),
      g: date(),
      h: time(),
      i: timestamp(),
      j: interval(),
      k: jsonb().default({ kind: "sql", text: "'{}'::jsonb" }),
      l: citext(),
      m: vector(3),
      n: integer().identity({ always: true, start: 10 }),
      o: integer().generated(sql`b * 2`),
      p: text().collate("C"),
    });
    const types = toSchemaModel(defineSchema({ tables: [all] }), "postgresql").tables[0]!.columns;
    expect(types.map((c) => c.type)).toEqual([
      "character(2)",
      "smallint",
      "bigint",
      "bigint",
      "real",
      "double precision",
      "date",
      "time without time zone",
      "timestamp without time zone",
      "interval",
      "jsonb",
      "citext",
      "vector(3)",
      "integer",
      "integer",
      "text",
    ]);
    expect(types.find((c) => c.name === "k")!.default).toBe("'{}'");
    expect(types.find((c) => c.name === "n")).toMatchObject({ identity: { always: true, start: 10 }, nullable: false });
    expect(types.find((c) => c.name === "o")!.generated).toBe("b * 2");
    expect(types.find((c) => c.name === "p")!.collation).toBe("C");
    const mysqlTypes = toSchemaModel(defineSchema({ tables: [table("t", { i: timestamp(), z: timestamptz(), j: jsonb(), u: uuid(), b: boolean(), s: serial() })] }), "mysql", { defaultSchema: "app" });
    expect(mysqlTypes.tables[0]!.columns.map((c) => c.type)).toEqual(["datetime", "timestamp", "json", "character(36)", "boolean", "integer"]);
    expect(mysqlTypes.tables[0]!.columns[5]!.autoIncrement).toBe(true);
    expect(mysqlTypes.tables[0]!.schema).toBe("app");
  });

  it("declares composite keys, named constraints, exclusions, views, functions, triggers, policies and sequences", () => {
    const bookings = table(
      "app.bookings",
      { tenant_id: integer(), id: integer(), room: integer(), during: custom("tstzrange"), owner: text() },
      [
        primaryKey("tenant_id", "id"),
        unique("bookings_room_key", ["tenant_id", "room"]),
        exclude("bookings_no_overlap", { elements: [{ expression: "room", operator: "=" }, { expression: "during", operator: "&&" }] }),
        foreignKey({ name: "bookings_self", columns: ["tenant_id", "room"], refTable: "app.bookings", refColumns: ["tenant_id", "id"], deferrable: true }),
        trigger("bookings_audit", sql`CREATE TRIGGER bookings_audit AFTER INSERT ON app.bookings FOR EACH ROW EXECUTE FUNCTION audit()`),
        rls({ force: true }),
        policy("own", { command: "SELECT", roles: ["app_user"], using: sql`owner = current_user` }),
        index("bookings_owner_trgm").on("owner").using("gin").opclass("gin_trgm_ops"),
      ],
    );
    const stats = materializedView("app.booking_stats", sql`SELECT room, count(*) AS n FROM app.bookings GROUP BY room`).index(index("booking_stats_room").on("room").unique());
    const model = toSchemaModel(
      defineSchema({
        tables: { bookings },
        views: [stats, view("room_list", "SELECT DISTINCT room FROM app.bookings")],
        functions: [func("audit", sql`CREATE OR REPLACE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$`)],
        sequences: [sequence("ticket_numbers", { start: 1000 })],
        extensions: [extension("pg_trgm")],
      }),
      "postgresql",
    );
    expect(model.schemas).toEqual(["app"]);
    const t = model.tables[0]!;
    expect(t.schema).toBe("app");
    expect(t.primaryKey).toEqual({ name: "bookings_pkey", columns: ["tenant_id", "id"] });
    expect(t.columns.filter((c) => !c.nullable).map((c) => c.name)).toEqual(["tenant_id", "id"]);
    expect(t.foreignKeys[0]).toMatchObject({ name: "bookings_self", refSchema: "app", refTable: "bookings", deferrable: true });
    expect(t.excludes[0]).toMatchObject({ name: "bookings_no_overlap", method: "gist" });
    expect(t.rowLevelSecurity).toBe(true);
    expect(t.forceRowLevelSecurity).toBe(true);
    expect(t.policies).toEqual([{ name: "own", command: "SELECT", permissive: true, roles: ["app_user"], using: "owner = current_user" }]);
    expect(t.indexes[0]!.keys).toEqual([{ column: "owner", opclass: "gin_trgm_ops" }]);
    expect(model.views.map((v) => [v.schema, v.name, v.materialized, v.indexes.length])).toEqual([
      ["app", "booking_stats", true, 1],
      ["public", "room_list", false, 0],
    ]);
    expect(model.functions[0]).toMatchObject({ name: "audit", signature: "", kind: "function" });
    expect(model.sequences).toEqual([{ schema: "public", name: "ticket_numbers", start: 1000, increment: 1, cycle: false }]);
  });

  it("gives the same model through defineSchema(...).toModel(dialect)", () => {
    expect(schema.toModel("postgresql")).toEqual(model);
  });

  it("adds an enum that a column uses even when it is not listed", () => {
    const model = toSchemaModel(defineSchema({ tables: [table("t", { m: enumType(mood) })] }), "postgresql");
    expect(model.enums.map((e) => e.name)).toEqual(["mood"]);
    const mysql = toSchemaModel(defineSchema({ tables: [table("t", { m: enumType(mood) })] }), "mysql");
    expect(mysql.enums).toEqual([]);
    expect(mysql.tables[0]!.columns[0]!.type).toBe("enum('sad','ok','happy')");
  });

  it("round-trips through the diff: declared schema from empty, then nothing left", () => {
    const ops = diffSchemas({ ...model, tables: [], enums: [], extensions: [] }, model).operations;
    expect(ops.map((op) => op.kind)).toEqual(["createExtension", "createEnum", "createTable", "createIndex", "createTable", "createIndex", "createIndex"]);
  });
});

describe("toSchemaModel: bad input", () => {
  const build = (tables: ReturnType<typeof table>[], dialect: "postgresql" | "sqlite" | "mysql" = "postgresql") => () => toSchemaModel(defineSchema({ tables }), dialect);

  it.each([
    ["a reference to a missing table", [table("a", { b_id: integer().references("b.id") })], "Column a.b_id references table b, which is not declared."],
    ["a reference to a missing column", [table("b", { id: integer().primaryKey() }), table("a", { b_id: integer().references("b.uid") })], "Column a.b_id references b.uid, but table b has no column uid."],
    ["a bare table reference without a single-column key", [table("b", { x: integer() }), table("a", { b_id: integer().references("b") })], "has no single-column primary key"],
    ["an index on a missing column", [table("a", { x: integer() }, [index("a_y").on("y")])], "Table a: index a_y uses column y, which the table does not declare."],
    ["an index without keys", [table("a", { x: integer() }, [index("a_empty")])], "Index a_empty has no keys"],
    ["an include column that is missing", [table("a", { x: integer() }, [index("a_x").on("x").include("nope")])], "uses column nope"],
    ["a unique constraint on a missing column", [table("a", { x: integer() }, [unique("a_u", ["nope"])])], "unique constraint a_u uses column nope"],
    ["a primary key on a missing column", [table("a", { x: integer() }, [primaryKey("nope")])], "primary key uses column nope"],
    ["two primary keys", [table("a", { x: integer().primaryKey() }, [primaryKey("x")])], "declares its primary key more than once"],
    ["a foreign key to a missing table", [table("a", { x: integer() }, [foreignKey({ columns: ["x"], refTable: "nowhere", refColumns: ["id"] })])], "references table nowhere, which is not declared"],
    ["a foreign key to a missing column", [table("b", { id: integer() }), table("a", { x: integer() }, [foreignKey({ columns: ["x"], refTable: "b", refColumns: ["nope"] })])], "references b.nope"],
    ["a foreign key with mismatched columns", [table("b", { id: integer(), k: integer() }), table("a", { x: integer() }, [foreignKey({ columns: ["x"], refTable: "b", refColumns: ["id", "k"] })])], "lists 1 columns but references 2"],
    ["a table declared twice", [table("a", { x: integer() }), table("a", { y: integer() })], "Table a is declared twice."],
    ["policies without rls()", [table("a", { x: integer() }, [policy("p")])], "declares policies but not rls()"],
  ])("rejects %s", (_what, tables, message) => {
    const run = build(tables);
    expect(run).toThrow(InputError);
    expect(run).toThrow(message);
  });

  it("says which objects a dialect cannot hold instead of skipping them", () => {
    expect(build([table("a", { m: enumType(mood) })], "sqlite")).toThrow("Enum mood cannot be declared for SQLite");
    expect(build([table("a", { x: integer() }, [rls()])], "mysql")).toThrow("Row-level security on a cannot be declared for MySQL");
    expect(() => toSchemaModel(defineSchema({ views: [materializedView("mv", "SELECT 1")] }), "sqlite")).toThrow("Materialized view mv cannot be declared for SQLite");
    expect(() => toSchemaModel(defineSchema({ extensions: ["ltree"] }), "mysql")).toThrow("Extension ltree cannot be declared for MySQL");
    expect(build([table("a", { x: integer().comment("hi") })], "sqlite")).toThrow("Table a, column x: SQLite has no comments");
    expect(build([table("a", { x: integer() }).comment("hi")], "sqlite")).toThrow("Table a: SQLite has no comments");
    expect(() => toSchemaModel(defineSchema({ views: [view("v", "SELECT 1").index(index("v_i").on("x"))] }), "postgresql")).toThrow("not materialized");
  });

  it("rejects bad builder arguments at the call", () => {
    expect(() => varchar(0)).toThrow(TypeError);
    expect(() => numeric(10, -1)).toThrow(TypeError);
    expect(() => vector(1.5)).toThrow(TypeError);
    expect(() => pgEnum("e", [])).toThrow(TypeError);
    expect(() => pgEnum("e", ["a", "a"])).toThrow("lists a value twice");
    expect(() => custom("")).toThrow(TypeError);
    expect(() => table("t", { x: "text" as never })).toThrow("column x is not a column builder");
  });
});

describe("toSchemaModel agrees with what PostgreSQL creates", () => {
  let database: ScratchDatabase;
  let client: pg.Client;
  beforeAll(async () => {
    database = await createPostgresDatabase("stratum_dsl");
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });

  it("matches column types, defaults, nullability and constraint names read from the catalog", async () => {
    await client.query(`
      CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email varchar(255) NOT NULL UNIQUE,
        name text DEFAULT 'anon',
        mood mood DEFAULT 'ok',
        created_at timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP,
        score numeric(10,2) DEFAULT 0,
        active boolean NOT NULL DEFAULT true
      );
      CREATE TABLE posts (
        id serial PRIMARY KEY,
        author_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        parent_id integer REFERENCES posts,
        body text,
        tags text[]
      );`);
    const { rows: columns } = await client.query<{ table: string; name: string; type: string; nullable: boolean; default: string | null }>(`
      SELECT c.relname AS table, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
             NOT a.attnotnull AS nullable, pg_get_expr(d.adbin, d.adrelid) AS default
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
       WHERE c.relname IN ('users', 'posts') AND a.attnum > 0 AND NOT a.attisdropped
       ORDER BY c.relname, a.attnum`);
    const { rows: constraints } = await client.query<{ table: string; name: string; type: string }>(`
      SELECT c.relname AS table, k.conname AS name, k.contype AS type
        FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
       WHERE c.relname IN ('users', 'posts') ORDER BY 1, 2`);

    const model = toSchemaModel(defineSchema({ tables: [users, posts] }), "postgresql");
    for (const row of columns) {
      const column = model.tables.find((t) => t.name === row.table)!.columns.find((c) => c.name === row.name)!;
      expect({ type: column.type, nullable: column.nullable }, `${row.table}.${row.name}`).toEqual({ type: row.type, nullable: row.nullable });
      // The catalog's default text and the declared one must not differ for the diff.
      expect(diffSchemas(
        { ...model, tables: [{ ...model.tables[0]!, name: "x", columns: [{ ...column, default: row.default ?? undefined }] }] },
        { ...model, tables: [{ ...model.tables[0]!, name: "x", columns: [column] }] },
      ).operations, `${row.table}.${row.name} default`).toEqual([]);
    }
    const declared = model.tables.flatMap((t) => [
      ...(t.primaryKey ? [`${t.name} ${t.primaryKey.name} p`] : []),
      ...t.uniques.map((u) => `${t.name} ${u.name} u`),
      ...t.foreignKeys.map((f) => `${t.name} ${f.name} f`),
    ]);
    expect(declared.sort()).toEqual(constraints.filter((c) => c.type !== "c").map((c) => `${c.table} ${c.name} ${c.type}`).sort());
  });
});
