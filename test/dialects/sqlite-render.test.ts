import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { render } from "../../src/dialects/sqlite/render.js";
import { openDatabase } from "../../src/drivers/index.js";
import type { Database } from "../../src/drivers/types.js";
import { sql, type Operation } from "../../src/ops/types.js";
import { applyRendered, expectRefusal } from "./helpers.js";
import { sqliteUrl, tempDir } from "../helpers/databases.js";

const online = { offline: false };
const offline = { offline: true };

let dir: ReturnType<typeof tempDir>;
let db: Database;

async function apply(op: Operation): Promise<void> {
  await applyRendered(render, db.main, op);
}
async function rows<R extends Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]> {
  return (await db.main.query<R>(text, params)).rows;
}
const sqlOf = (op: Operation, context = online) => render(op, context).map((s) => s.sql);
const objects = async () =>
  (await rows<{ type: string; name: string }>("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")).map(
    (r) => `${r.type}:${r.name}`,
  );

beforeAll(async () => {
  dir = tempDir("stratum-sqlite-render-");
  db = await openDatabase({ url: sqliteUrl(dir.path) });
});
afterAll(async () => {
  await db.close();
  dir.remove();
});

const createUsers: Operation = {
  kind: "createTable",
  table: "users",
  columns: [
    { name: "id", type: "INTEGER", primaryKey: true, autoIncrement: true },
    { name: "email", type: "TEXT", nullable: false, unique: true, collation: "NOCASE" },
    { name: "active", type: "BOOLEAN", nullable: false, default: true },
    { name: "created_at", type: "TEXT", default: sql`CURRENT_TIMESTAMP` },
    { name: "score", type: "REAL", default: sql`abs(random()) % 10` },
  ],
  checks: [{ name: "email_has_at", expression: "email LIKE '%@%'" }],
  comment: "people",
};

const createPosts: Operation = {
  kind: "createTable",
  table: "posts",
  ifNotExists: true,
  columns: [
    { name: "id", type: "INTEGER", nullable: false },
    { name: "user_id", type: "INTEGER", references: { table: "users", column: "id", onDelete: "CASCADE" } },
    { name: "title", type: "TEXT", default: "it's" },
    { name: "slug", type: "TEXT", generated: sql`lower(title)` },
  ],
  primaryKey: { name: "posts_pk", columns: ["id"] },
  uniques: [{ name: "posts_title_user", columns: ["title", "user_id"] }],
  foreignKeys: [{ name: "posts_user_fk", columns: ["user_id"], refTable: "users", refColumns: ["id"], onUpdate: "NO ACTION", deferrable: true, initiallyDeferred: true }],
};

describe("SQLite render: exact SQL, executed on a real database", () => {
  it("createTable with every column feature and table constraint", async () => {
    expect(sqlOf(createUsers)).toEqual([
      `CREATE TABLE "users" (
  "id" INTEGER PRIMARY KEY AUTOINCREMENT,
  "email" TEXT NOT NULL UNIQUE COLLATE "NOCASE",
  "active" BOOLEAN NOT NULL DEFAULT 1,
  "created_at" TEXT DEFAULT CURRENT_TIMESTAMP,
  "score" REAL DEFAULT (abs(random()) % 10),
  CONSTRAINT "email_has_at" CHECK (email LIKE '%@%')
)`,
    ]);
    expect(sqlOf(createPosts)).toEqual([
      `CREATE TABLE IF NOT EXISTS "posts" (
  "id" INTEGER NOT NULL,
  "user_id" INTEGER REFERENCES "users" ("id") ON DELETE CASCADE,
  "title" TEXT DEFAULT 'it''s',
  "slug" TEXT GENERATED ALWAYS AS (lower(title)) STORED,
  CONSTRAINT "posts_pk" PRIMARY KEY ("id"),
  CONSTRAINT "posts_title_user" UNIQUE ("title", "user_id"),
  CONSTRAINT "posts_user_fk" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON UPDATE NO ACTION DEFERRABLE INITIALLY DEFERRED
)`,
    ]);
    await apply(createUsers);
    await apply(createPosts);
    const columns = await rows<{ name: string; notnull: number; dflt_value: string | null; pk: number }>("PRAGMA table_info(users)");
    expect(columns.map((c) => [c.name, c.notnull, c.dflt_value, c.pk])).toEqual([
      ["id", 0, null, 1],
      ["email", 1, null, 0],
      ["active", 1, "1", 0],
      ["created_at", 0, "CURRENT_TIMESTAMP", 0],
      ["score", 0, "abs(random()) % 10", 0],
    ]);
    const fks = await rows<{ table: string; from: string; on_delete: string }>("PRAGMA foreign_key_list(posts)");
    expect(fks.map((f) => [f.table, f.from, f.on_delete]).sort()).toEqual([
      ["users", "user_id", "CASCADE"],
      ["users", "user_id", "NO ACTION"],
    ]);
    await db.main.query("INSERT INTO users (email) VALUES ('A@x')");
    await expect(db.main.query("INSERT INTO users (email) VALUES ('a@X')")).rejects.toThrow(/UNIQUE/);
    await expect(db.main.query("INSERT INTO users (email) VALUES ('nope')")).rejects.toThrow(/CHECK/);
    await db.main.query("INSERT INTO posts (id, user_id, title) VALUES (1, 1, 'Hello')");
    expect(await rows("SELECT slug FROM posts")).toEqual([{ slug: "hello" }]);
  });

  it("addColumn, alterColumn rename, dropColumn", async () => {
    const add: Operation = { kind: "addColumn", table: "users", column: { name: "nick", type: "TEXT", nullable: false, default: "anon" } };
    expect(sqlOf(add)).toEqual([`ALTER TABLE "users" ADD COLUMN "nick" TEXT NOT NULL DEFAULT 'anon'`]);
    await apply(add);
    expect(await rows("SELECT nick FROM users")).toEqual([{ nick: "anon" }]);

    const rename: Operation = { kind: "alterColumn", table: "users", column: "nick", newName: "handle" };
    expect(sqlOf(rename)).toEqual([`ALTER TABLE "users" RENAME COLUMN "nick" TO "handle"`]);
    await apply(rename);

    const drop: Operation = { kind: "dropColumn", table: "users", column: "handle" };
    expect(sqlOf(drop)).toEqual([`ALTER TABLE "users" DROP COLUMN "handle"`]);
    await apply(drop);
    expect((await rows<{ name: string }>("PRAGMA table_info(users)")).map((c) => c.name)).not.toContain("handle");
  });

  it("createIndex (unique, partial, expression, order, collation) and dropIndex", async () => {
    const index: Operation = {
      kind: "createIndex",
      name: "users_email_lower",
      table: "users",
      unique: true,
      ifNotExists: true,
      keys: [{ expression: "lower(email)" }, { column: "created_at", order: "DESC", collation: "BINARY" }],
      where: "active = 1",
    };
    expect(sqlOf(index)).toEqual([
      `CREATE UNIQUE INDEX IF NOT EXISTS "users_email_lower" ON "users" ((lower(email)), "created_at" COLLATE "BINARY" DESC) WHERE active = 1`,
    ]);
    await apply(index);
    const plain: Operation = { kind: "createIndex", name: "posts_title", table: "posts", keys: ["title"] };
    expect(sqlOf(plain)).toEqual([`CREATE INDEX "posts_title" ON "posts" ("title")`]);
    await apply(plain);
    const listed = await rows<{ name: string; unique: number; partial: number }>("PRAGMA index_list(users)");
    expect(listed.find((i) => i.name === "users_email_lower")).toMatchObject({ unique: 1, partial: 1 });

    const drop: Operation = { kind: "dropIndex", name: "posts_title", ifExists: true };
    expect(sqlOf(drop)).toEqual([`DROP INDEX IF EXISTS "posts_title"`]);
    await apply(drop);
    expect(await objects()).not.toContain("index:posts_title");
  });

  it("views: create and drop", async () => {
    const view: Operation = { kind: "createView", name: "active_users", definition: "SELECT id, email FROM users WHERE active = 1" };
    expect(sqlOf(view)).toEqual([`CREATE VIEW "active_users" AS SELECT id, email FROM users WHERE active = 1`]);
    await apply(view);
    expect(await rows("SELECT email FROM active_users")).toEqual([{ email: "A@x" }]);
    const drop: Operation = { kind: "dropView", name: "active_users", ifExists: true };
    expect(sqlOf(drop)).toEqual([`DROP VIEW IF EXISTS "active_users"`]);
    await apply(drop);
    expect(await objects()).not.toContain("view:active_users");
  });

  it("bulkInsert binds ? parameters online, groups rows by their keys, and inlines literals offline", async () => {
    const insert: Operation = {
      kind: "bulkInsert",
      table: "users",
      rows: [
        { email: "b@x", active: false },
        { email: "c@x", active: true },
        { email: "d@x" },
      ],
    };
    expect(render(insert, online)).toEqual([
      { sql: `INSERT INTO "users" ("email", "active") VALUES (?, ?), (?, ?)`, params: ["b@x", 0, "c@x", 1], transactional: true },
      { sql: `INSERT INTO "users" ("email") VALUES (?)`, params: ["d@x"], transactional: true },
    ]);
    expect(sqlOf(insert, offline)).toEqual([
      `INSERT INTO "users" ("email", "active") VALUES ('b@x', 0),\n  ('c@x', 1)`,
      `INSERT INTO "users" ("email") VALUES ('d@x')`,
    ]);
    await apply(insert);
    expect(await rows("SELECT email, active FROM users ORDER BY email")).toEqual([
      { email: "A@x", active: 1 },
      { email: "b@x", active: 0 },
      { email: "c@x", active: 1 },
      { email: "d@x", active: 1 },
    ]);
    expect(sqlOf({ kind: "bulkInsert", table: "users", rows: [{ email: Buffer.from("hi"), active: null }] }, offline)).toEqual([
      `INSERT INTO "users" ("email", "active") VALUES (X'6869', NULL)`,
    ]);
    expect(render({ kind: "bulkInsert", table: "users", rows: [] }, online)).toEqual([]);
  });

  it("execute keeps params bound online and inlines them offline", async () => {
    const exec: Operation = { kind: "execute", sql: "UPDATE users SET active = ? WHERE email = ? AND '?' = '?'", params: [false, "d@x"] };
    expect(render(exec, online)).toEqual([{ sql: exec.sql, params: [0, "d@x"], transactional: true }]);
    expect(sqlOf(exec, offline)).toEqual(["UPDATE users SET active = 0 WHERE email = 'd@x' AND '?' = '?'"]);
    await apply(exec);
    expect(await rows("SELECT active FROM users WHERE email = 'd@x'")).toEqual([{ active: 0 }]);
    expect(sqlOf({ kind: "execute", sql: "SELECT ?2, ?1", params: ["a", 2] }, offline)).toEqual(["SELECT 2, 'a'"]);
    expect(() => render({ kind: "execute", sql: "SELECT ?, ?", params: [1] }, offline)).toThrow(/placeholder \? has no value/);
    expect(() => render({ kind: "execute", sql: "SELECT :name", params: [1] }, offline)).toThrow(/only \? placeholders/);
  });

  it("autocommit renders its statements as non-transactional", () => {
    expect(render({ kind: "autocommit", ops: [{ kind: "execute", sql: "VACUUM" }] }, online)).toEqual([{ sql: "VACUUM", transactional: false }]);
  });

  it("renameTable and dropTable", async () => {
    const rename: Operation = { kind: "renameTable", table: "posts", newName: "articles" };
    expect(sqlOf(rename)).toEqual([`ALTER TABLE "posts" RENAME TO "articles"`]);
    await apply(rename);
    expect(await objects()).toContain("table:articles");
    const drops: Operation[] = [
      { kind: "dropTable", table: "articles" },
      { kind: "dropTable", table: "users", ifExists: true },
    ];
    expect(drops.flatMap((op) => sqlOf(op))).toEqual([`DROP TABLE "articles"`, `DROP TABLE IF EXISTS "users"`]);
    for (const op of drops) await apply(op);
    expect(await objects()).toEqual([]);
  });
});

describe("SQLite render: operations SQLite cannot do are clear errors", () => {
  const cases: [Operation, string][] = [
    [{ kind: "alterColumn", table: "t", column: "c", type: "TEXT" }, 'SQLite cannot ALTER COLUMN TYPE ("c") outside op.batch(...)'],
    [{ kind: "alterColumn", table: "t", column: "c", nullable: false }, "SQLite cannot change a column's nullability (\"c\") outside op.batch(...)"],
    [{ kind: "alterColumn", table: "t", column: "c", default: null }, "SQLite cannot change a column's default (\"c\") outside op.batch(...)"],
    [{ kind: "alterColumn", table: "t", column: "c", comment: "x" }, 'SQLite has no column comments ("c")'],
    [{ kind: "alterColumn", table: "t", column: "c" }, 'alterColumn on "c" changes nothing'],
    [{ kind: "createForeignKey", table: "t", name: "fk", columns: ["a"], refTable: "u", refColumns: ["id"] }, "SQLite cannot add a FOREIGN KEY outside op.batch(...)"],
    [{ kind: "createCheckConstraint", table: "t", name: "ck", expression: "a > 0" }, "SQLite cannot add a CHECK constraint outside op.batch(...)"],
    [{ kind: "createUniqueConstraint", table: "t", name: "uq", columns: ["a"] }, "SQLite cannot add a UNIQUE constraint outside op.batch(...)"],
    [{ kind: "createPrimaryKey", table: "t", columns: ["a"] }, "SQLite cannot add a PRIMARY KEY outside op.batch(...)"],
    [{ kind: "dropConstraint", table: "t", name: "ck" }, "SQLite cannot DROP CONSTRAINT outside op.batch(...)"],
    [{ kind: "createSchema", name: "app" }, "SQLite has no schemas"],
    [{ kind: "dropSchema", name: "app" }, "SQLite has no schemas"],
    [{ kind: "createEnum", name: "mood", values: ["a"] }, "SQLite has no enum types: use a CHECK (column IN (...)) constraint"],
    [{ kind: "createExtension", name: "ltree" }, "SQLite has no extensions to create or drop"],
    [{ kind: "createSequence", name: "s" }, "SQLite has no sequences: use an INTEGER PRIMARY KEY"],
    [{ kind: "createExcludeConstraint", table: "t", name: "ex", elements: [] }, "SQLite has no exclusion constraints"],
    [{ kind: "validateConstraint", table: "t", name: "ck" }, "SQLite has no VALIDATE CONSTRAINT: its constraints are always valid"],
    [{ kind: "setTableComment", table: "t", comment: "x" }, 'SQLite has no table comments ("t")'],
    [{ kind: "setComment", target: { type: "table", table: "t" }, comment: "x" }, "SQLite has no comments"],
    [{ kind: "refreshMaterializedView", name: "mv" }, 'SQLite has no materialized views ("mv")'],
    [{ kind: "createView", name: "v", definition: "SELECT 1", orReplace: true }, 'SQLite has no CREATE OR REPLACE VIEW ("v"): drop the view first'],
    [{ kind: "createIndex", name: "i", table: "t", keys: ["a"], concurrently: true }, 'SQLite has no CREATE INDEX CONCURRENTLY ("i")'],
    [{ kind: "createIndex", name: "i", table: "t", keys: ["a"], method: "gin" }, 'SQLite has only b-tree indexes, not gin ("i")'],
    [{ kind: "createIndex", name: "i", table: "t", keys: [] }, 'index "i" needs at least one key'],
    [{ kind: "dropTable", table: "t", cascade: true }, 'SQLite has no DROP TABLE ... CASCADE ("t")'],
    [{ kind: "dropColumn", table: "t", column: "c", ifExists: true }, 'SQLite has no DROP COLUMN IF EXISTS ("c")'],
    [{ kind: "addColumn", table: "t", column: { name: "c", type: "INT", unique: true } }, 'SQLite cannot add a UNIQUE column ("c") outside op.batch(...)'],
    [{ kind: "addColumn", table: "t", column: { name: "c", type: 42 as unknown as string } }, 'column "c" needs a type, as a string such as "integer"'],
    [{ kind: "addColumn", table: "t", column: { name: "c", type: "INT", identity: { always: true } } }, 'SQLite has no identity columns ("c"): use autoIncrement on an integer primary key'],
    [{ kind: "addColumn", table: "t", column: { name: "c", type: "INT", references: "users" } }, 'column "c": references "users" must be written "table.column"'],
    [{ kind: "createTable", table: "t", columns: [] }, 'table "t" needs at least one column'],
    [{ kind: "bulkInsert", table: "t", rows: [42 as unknown as Record<string, unknown>] }, 'bulkInsert into "t": row 1 must be an object with at least one column'],
  ];
  it.each(cases)("%j", (op, message) => expectRefusal(render, op, message));

  it("a batch cannot be rendered offline", () => {
    expect(() => render({ kind: "batch", table: "t", ops: [] }, offline)).toThrow(
      'op.batch needs a connection to read the table; offline --sql cannot render it ("t")',
    );
  });
});

describe("SQLite round trip", () => {
  it("a set of operations applied then reversed leaves an empty schema", async () => {
    const up: Operation[] = [
      createUsers,
      createPosts,
      { kind: "addColumn", table: "posts", column: { name: "body", type: "TEXT" } },
      { kind: "createIndex", name: "posts_body", table: "posts", keys: ["body"], where: "body IS NOT NULL" },
      { kind: "createView", name: "titles", definition: "SELECT title FROM posts" },
      { kind: "bulkInsert", table: "users", rows: [{ email: "r@x" }] },
      { kind: "renameTable", table: "posts", newName: "entries" },
    ];
    const down: Operation[] = [
      { kind: "renameTable", table: "entries", newName: "posts" },
      { kind: "execute", sql: "DELETE FROM users WHERE email = ?", params: ["r@x"] },
      { kind: "dropView", name: "titles" },
      { kind: "dropIndex", name: "posts_body" },
      { kind: "dropColumn", table: "posts", column: "body" },
      { kind: "dropTable", table: "posts" },
      { kind: "dropTable", table: "users" },
    ];
    for (const op of up) await apply(op);
    expect(await objects()).toEqual(["index:posts_body", "table:entries", "table:users", "view:titles"]);
    for (const op of down) await apply(op);
    expect(await objects()).toEqual([]);
  });
});
