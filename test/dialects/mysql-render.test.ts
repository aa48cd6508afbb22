import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { render } from "../../src/dialects/mysql/render.js";
import { openDatabase } from "../../src/drivers/index.js";
import type { Database } from "../../src/drivers/types.js";
import { sql, type Operation } from "../../src/ops/types.js";
import { applyRendered, expectRefusal } from "./helpers.js";
import { createMysqlDatabase, type ScratchDatabase } from "../helpers/databases.js";

const online = { offline: false };
const offline = { offline: true };

let scratch: ScratchDatabase;
let db: Database;

async function apply(op: Operation): Promise<void> {
  await applyRendered(render, db.main, op);
}
async function rows<R extends Record<string, unknown>>(text: string, params: unknown[] = []): Promise<R[]> {
  return (await db.main.query<R>(text, [scratch.name, ...params])).rows;
}
const sqlOf = (op: Operation, context = online) => render(op, context).map((s) => s.sql);
const column = async (table: string, name: string) =>
  (
    await rows<{ COLUMN_TYPE: string; IS_NULLABLE: string; COLUMN_DEFAULT: string | null; COLUMN_COMMENT: string; EXTRA: string; COLLATION_NAME: string | null }>(
      "SELECT COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, COLUMN_COMMENT, EXTRA, COLLATION_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND COLUMN_NAME = ?",
      [table, name],
    )
  )[0];
const constraints = async (table: string) =>
  (
    await rows<{ CONSTRAINT_NAME: string; CONSTRAINT_TYPE: string }>(
      "SELECT CONSTRAINT_NAME, CONSTRAINT_TYPE FROM information_schema.TABLE_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ?",
      [table],
    )
  )
    .map((r) => `${r.CONSTRAINT_TYPE}:${r.CONSTRAINT_NAME}`)
    .sort();
const indexes = async (table: string) =>
  (
    await rows<{ INDEX_NAME: string; NON_UNIQUE: number; COLUMN_NAME: string; SEQ_IN_INDEX: number }>(
      "SELECT INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SEQ_IN_INDEX FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY SEQ_IN_INDEX",
      [table],
    )
  )
    .map((r) => `${r.INDEX_NAME}${Number(r.NON_UNIQUE) ? "" : "(unique)"}:${r.COLUMN_NAME}`)
    .sort();
const tables = async () =>
  (await rows<{ TABLE_NAME: string; TABLE_TYPE: string }>("SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?"))
    .map((r) => `${r.TABLE_TYPE}:${r.TABLE_NAME}`)
    .sort();

beforeAll(async () => {
  scratch = await createMysqlDatabase("stratum_mysql_render");
  db = await openDatabase({ url: scratch.url });
});
afterAll(async () => {
  await db?.close();
  await scratch?.drop();
});

const createUsers: Operation = {
  kind: "createTable",
  table: "users",
  columns: [
    { name: "id", type: "BIGINT", primaryKey: true, autoIncrement: true, nullable: false },
    { name: "email", type: "VARCHAR(200)", nullable: false, unique: true, collation: "utf8mb4_bin", comment: "login" },
    { name: "active", type: "BOOLEAN", nullable: false, default: true },
    { name: "created_at", type: "TIMESTAMP", nullable: false, default: sql`CURRENT_TIMESTAMP` },
    { name: "score", type: "INT", default: sql`1 + 1` },
  ],
  checks: [{ name: "email_has_at", expression: "email LIKE '%@%'" }],
  comment: "people's table",
};

const createPosts: Operation = {
  kind: "createTable",
  table: "posts",
  ifNotExists: true,
  columns: [
    { name: "id", type: "INT", nullable: false },
    { name: "user_id", type: "BIGINT", references: { table: "users", column: "id", onDelete: "CASCADE" } },
    { name: "title", type: "VARCHAR(100)", default: "it's" },
    { name: "slug", type: "VARCHAR(100)", generated: sql`lower(title)` },
  ],
  primaryKey: { columns: ["id"] },
  uniques: [{ name: "posts_title_user", columns: ["title", "user_id"] }],
};

describe("MySQL render: exact SQL, executed on MariaDB", () => {
  it("createTable with columns, keys, checks, foreign keys and comments", async () => {
    expect(sqlOf(createUsers)).toEqual([
      `CREATE TABLE \`users\` (
  \`id\` BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  \`email\` VARCHAR(200) COLLATE \`utf8mb4_bin\` NOT NULL UNIQUE COMMENT 'login',
  \`active\` BOOLEAN NOT NULL DEFAULT TRUE,
  \`created_at\` TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  \`score\` INT NULL DEFAULT (1 + 1),
  CONSTRAINT \`email_has_at\` CHECK (email LIKE '%@%')
) COMMENT='people''s table'`,
    ]);
    expect(sqlOf(createPosts)).toEqual([
      `CREATE TABLE IF NOT EXISTS \`posts\` (
  \`id\` INT NOT NULL,
  \`user_id\` BIGINT NULL,
  \`title\` VARCHAR(100) NULL DEFAULT 'it''s',
  \`slug\` VARCHAR(100) GENERATED ALWAYS AS (lower(title)) STORED,
  PRIMARY KEY (\`id\`),
  CONSTRAINT \`posts_title_user\` UNIQUE (\`title\`, \`user_id\`),
  FOREIGN KEY (\`user_id\`) REFERENCES \`users\` (\`id\`) ON DELETE CASCADE
)`,
    ]);
    await apply(createUsers);
    await apply(createPosts);
    expect(await column("users", "email")).toMatchObject({ COLUMN_TYPE: "varchar(200)", IS_NULLABLE: "NO", COLUMN_COMMENT: "login", COLLATION_NAME: "utf8mb4_bin" });
    expect(await column("users", "id")).toMatchObject({ EXTRA: "auto_increment" });
    expect(await column("users", "score")).toMatchObject({ COLUMN_DEFAULT: "(1 + 1)" });
    expect(await constraints("users")).toEqual(["CHECK:email_has_at", "PRIMARY KEY:PRIMARY", "UNIQUE:email"]);
    expect(await constraints("posts")).toEqual(["FOREIGN KEY:posts_ibfk_1", "PRIMARY KEY:PRIMARY", "UNIQUE:posts_title_user"]);
    expect(await rows("SELECT TABLE_COMMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'users'")).toEqual([
      { TABLE_COMMENT: "people's table" },
    ]);
    await db.main.query("INSERT INTO users (email) VALUES ('a@x')");
    await expect(db.main.query("INSERT INTO users (email) VALUES ('nope')")).rejects.toThrow(/CONSTRAINT `email_has_at` failed/);
    await db.main.query("INSERT INTO posts (id, user_id, title) VALUES (1, 1, 'Hello')");
    expect((await db.main.query("SELECT slug FROM posts")).rows).toEqual([{ slug: "hello" }]);
  });

  it("addColumn with an inline reference and ALGORITHM/LOCK, dropColumn", async () => {
    const add: Operation = {
      kind: "addColumn",
      table: "posts",
      column: { name: "editor_id", type: "BIGINT", references: "users.id" },
      algorithm: "INPLACE",
      lock: "NONE",
    };
    expect(sqlOf(add)).toEqual([
      "ALTER TABLE `posts` ADD COLUMN `editor_id` BIGINT NULL, ADD FOREIGN KEY (`editor_id`) REFERENCES `users` (`id`), ALGORITHM=INPLACE, LOCK=NONE",
    ]);
    // Adding a foreign key cannot be done in place with foreign_key_checks on: the server says so rather than copying.
    await expect(apply(add)).rejects.toThrow(/ALGORITHM=INPLACE is not supported|LOCK=NONE is not supported/);
    await apply({ ...add, algorithm: undefined, lock: undefined });
    expect(await constraints("posts")).toContain("FOREIGN KEY:posts_ibfk_2");

    const addSimple: Operation = { kind: "addColumn", table: "posts", ifNotExists: true, column: { name: "views", type: "INT", nullable: false, default: 0 }, algorithm: "INSTANT" };
    expect(sqlOf(addSimple)).toEqual(["ALTER TABLE `posts` ADD COLUMN IF NOT EXISTS `views` INT NOT NULL DEFAULT 0, ALGORITHM=INSTANT"]);
    await apply(addSimple);
    expect(await column("posts", "views")).toMatchObject({ IS_NULLABLE: "NO", COLUMN_DEFAULT: "0" });

    const drop: Operation = { kind: "dropColumn", table: "posts", column: "views", ifExists: true };
    expect(sqlOf(drop)).toEqual(["ALTER TABLE `posts` DROP COLUMN IF EXISTS `views`"]);
    await apply(drop);
    expect(await column("posts", "views")).toBeUndefined();
  });

  it("alterColumn: MODIFY with the full definition, CHANGE to rename, SET/DROP DEFAULT, RENAME COLUMN", async () => {
    const modify: Operation = {
      kind: "alterColumn",
      table: "users",
      column: "score",
      type: "BIGINT",
      nullable: false,
      comment: "points",
      previous: { type: "INT", nullable: true, default: sql`1 + 1` },
    };
    expect(sqlOf(modify)).toEqual(["ALTER TABLE `users` MODIFY COLUMN `score` BIGINT NOT NULL DEFAULT (1 + 1) COMMENT 'points'"]);
    await apply(modify);
    expect(await column("users", "score")).toMatchObject({ COLUMN_TYPE: "bigint(20)", IS_NULLABLE: "NO", COLUMN_DEFAULT: "(1 + 1)", COLUMN_COMMENT: "points" });

    const change: Operation = {
      kind: "alterColumn",
      table: "users",
      column: "score",
      newName: "points",
      comment: null,
      nullable: true,
      default: null,
      previous: { type: "BIGINT", nullable: false, comment: "points", default: sql`1 + 1` },
    };
    expect(sqlOf(change)).toEqual(["ALTER TABLE `users` CHANGE COLUMN `score` `points` BIGINT NULL"]);
    await apply(change);
    expect(await column("users", "points")).toMatchObject({ COLUMN_COMMENT: "", COLUMN_DEFAULT: "NULL" });

    const setDefault: Operation = { kind: "alterColumn", table: "users", column: "points", default: 5, newName: "karma" };
    expect(sqlOf(setDefault)).toEqual([
      "ALTER TABLE `users` ALTER COLUMN `points` SET DEFAULT 5",
      "ALTER TABLE `users` RENAME COLUMN `points` TO `karma`",
    ]);
    await apply(setDefault);
    expect(await column("users", "karma")).toMatchObject({ COLUMN_DEFAULT: "5" });

    const expressionDefault: Operation = { kind: "alterColumn", table: "users", column: "karma", default: sql`2 * 3` };
    expect(sqlOf(expressionDefault)).toEqual(["ALTER TABLE `users` ALTER COLUMN `karma` SET DEFAULT (2 * 3)"]);
    await apply(expressionDefault);
    expect(await column("users", "karma")).toMatchObject({ COLUMN_DEFAULT: "(2 * 3)" });

    const dropDefault: Operation = { kind: "alterColumn", table: "users", column: "karma", default: null };
    expect(sqlOf(dropDefault)).toEqual(["ALTER TABLE `users` ALTER COLUMN `karma` DROP DEFAULT"]);
    await apply(dropDefault);
    expect(await column("users", "karma")).toMatchObject({ COLUMN_DEFAULT: "NULL" });
  });

  it("indexes: create (unique, method, order, algorithm) and drop", async () => {
    const index: Operation = {
      kind: "createIndex",
      name: "users_created",
      table: "users",
      keys: [{ column: "created_at", order: "DESC" }, "karma"],
      method: "btree",
      ifNotExists: true,
      algorithm: "INPLACE",
      lock: "NONE",
    };
    expect(sqlOf(index)).toEqual(["CREATE INDEX IF NOT EXISTS `users_created` ON `users` (`created_at` DESC, `karma`) USING BTREE ALGORITHM=INPLACE LOCK=NONE"]);
    await apply(index);
    const unique: Operation = { kind: "createIndex", name: "posts_slug", table: "posts", keys: ["slug"], unique: true };
    expect(sqlOf(unique)).toEqual(["CREATE UNIQUE INDEX `posts_slug` ON `posts` (`slug`)"]);
    await apply(unique);
    expect(await indexes("users")).toEqual(["PRIMARY(unique):id", "email(unique):email", "users_created:created_at", "users_created:karma"].sort());
    expect(await indexes("posts")).toContain("posts_slug(unique):slug");

    const drop: Operation = { kind: "dropIndex", name: "users_created", table: "users", ifExists: true };
    expect(sqlOf(drop)).toEqual(["DROP INDEX IF EXISTS `users_created` ON `users`"]);
    await apply(drop);
    await apply({ kind: "dropIndex", name: "posts_slug", table: "posts" });
    expect(await indexes("users")).not.toContain("users_created:karma");
    expect(await indexes("posts")).not.toContain("posts_slug(unique):slug");
  });

  it("constraints: add and drop primary key, unique, foreign key and check", async () => {
    await apply({ kind: "createTable", table: "tags", columns: [{ name: "id", type: "INT", nullable: false }, { name: "user_id", type: "BIGINT" }, { name: "label", type: "VARCHAR(20)" }] });
    const ops: [Operation, string][] = [
      [{ kind: "createPrimaryKey", table: "tags", name: "tags_pk", columns: ["id"] }, "ALTER TABLE `tags` ADD PRIMARY KEY (`id`)"],
      [{ kind: "createUniqueConstraint", table: "tags", name: "tags_label", columns: ["label"] }, "ALTER TABLE `tags` ADD CONSTRAINT `tags_label` UNIQUE (`label`)"],
      [
        { kind: "createForeignKey", table: "tags", name: "tags_user_fk", columns: ["user_id"], refTable: "users", refColumns: ["id"], onDelete: "SET NULL", onUpdate: "CASCADE" },
        "ALTER TABLE `tags` ADD CONSTRAINT `tags_user_fk` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE SET NULL ON UPDATE CASCADE",
      ],
      [{ kind: "createCheckConstraint", table: "tags", name: "tags_label_len", expression: "char_length(label) > 1" }, "ALTER TABLE `tags` ADD CONSTRAINT `tags_label_len` CHECK (char_length(label) > 1)"],
    ];
    for (const [op, text] of ops) {
      expect(sqlOf(op)).toEqual([text]);
      await apply(op);
    }
    expect(await constraints("tags")).toEqual(["CHECK:tags_label_len", "FOREIGN KEY:tags_user_fk", "PRIMARY KEY:PRIMARY", "UNIQUE:tags_label"]);
    await expect(db.main.query("INSERT INTO tags (id, label) VALUES (1, 'x')")).rejects.toThrow(/tags_label_len/);

    const drops: [Operation, string][] = [
      [{ kind: "dropConstraint", table: "tags", name: "tags_user_fk", type: "foreignKey" }, "ALTER TABLE `tags` DROP FOREIGN KEY `tags_user_fk`"],
      [{ kind: "dropConstraint", table: "tags", name: "tags_label_len", type: "check" }, "ALTER TABLE `tags` DROP CONSTRAINT `tags_label_len`"],
      [{ kind: "dropConstraint", table: "tags", name: "tags_label", type: "unique", ifExists: true }, "ALTER TABLE `tags` DROP INDEX IF EXISTS `tags_label`"],
      [{ kind: "dropConstraint", table: "tags", name: "tags_pk", type: "primaryKey" }, "ALTER TABLE `tags` DROP PRIMARY KEY"],
    ];
    for (const [op, text] of drops) {
      expect(sqlOf(op)).toEqual([text]);
      await apply(op);
    }
    expect(await constraints("tags")).toEqual([]);

    // Without a type, DROP CONSTRAINT finds the constraint by name whatever its kind.
    await apply({ kind: "createForeignKey", table: "tags", name: "tags_user_fk2", columns: ["user_id"], refTable: "users", refColumns: ["id"] });
    const untyped: Operation = { kind: "dropConstraint", table: "tags", name: "tags_user_fk2" };
    expect(sqlOf(untyped)).toEqual(["ALTER TABLE `tags` DROP CONSTRAINT `tags_user_fk2`"]);
    await apply(untyped);
    expect(await constraints("tags")).toEqual([]);
    await apply({ kind: "dropTable", table: "tags" });
  });

  it("comments, views, sequences (MariaDB), renameTable", async () => {
    const comment: Operation = { kind: "setTableComment", table: "users", comment: "members" };
    expect(sqlOf(comment)).toEqual(["ALTER TABLE `users` COMMENT = 'members'"]);
    await apply(comment);
    await apply({ kind: "setComment", target: { type: "table", table: "posts" }, comment: null });
    expect(await rows("SELECT TABLE_NAME, TABLE_COMMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME")).toEqual([
      { TABLE_NAME: "posts", TABLE_COMMENT: "" },
      { TABLE_NAME: "users", TABLE_COMMENT: "members" },
    ]);

    const view: Operation = { kind: "createView", name: "active_users", orReplace: true, definition: "SELECT id, email FROM users WHERE active" };
    expect(sqlOf(view)).toEqual(["CREATE OR REPLACE VIEW `active_users` AS SELECT id, email FROM users WHERE active"]);
    await apply(view);
    expect(await tables()).toContain("VIEW:active_users");
    const dropView: Operation = { kind: "dropView", name: "active_users", ifExists: true };
    expect(sqlOf(dropView)).toEqual(["DROP VIEW IF EXISTS `active_users`"]);
    await apply(dropView);

    const sequence: Operation = { kind: "createSequence", name: "ticket_seq", start: 100, increment: 5, minValue: 1, maxValue: 1000, cycle: true };
    expect(sqlOf(sequence)).toEqual(["CREATE SEQUENCE `ticket_seq` START WITH 100 INCREMENT BY 5 MINVALUE 1 MAXVALUE 1000 CYCLE"]);
    await apply(sequence);
    expect((await db.main.query("SELECT NEXTVAL(ticket_seq) AS n")).rows).toEqual([{ n: 100 }]);
    const dropSequence: Operation = { kind: "dropSequence", name: "ticket_seq", ifExists: true };
    expect(sqlOf(dropSequence)).toEqual(["DROP SEQUENCE IF EXISTS `ticket_seq`"]);
    await apply(dropSequence);

    const rename: Operation = { kind: "renameTable", table: "posts", newName: "articles" };
    expect(sqlOf(rename)).toEqual(["RENAME TABLE `posts` TO `articles`"]);
    await apply(rename);
    expect(await tables()).toEqual(["BASE TABLE:articles", "BASE TABLE:users"]);
  });

  it("bulkInsert binds ? parameters online and inlines literals offline; execute likewise", async () => {
    const insert: Operation = {
      kind: "bulkInsert",
      table: "users",
      rows: [
        { email: "b@x", active: false },
        { email: "c\\d@x", active: true },
        { email: "e@x" },
      ],
    };
    expect(render(insert, online)).toEqual([
      { sql: "INSERT INTO `users` (`email`, `active`) VALUES (?, ?), (?, ?)", params: ["b@x", false, "c\\d@x", true], transactional: true },
      { sql: "INSERT INTO `users` (`email`) VALUES (?)", params: ["e@x"], transactional: true },
    ]);
    expect(sqlOf(insert, offline)).toEqual([
      "INSERT INTO `users` (`email`, `active`) VALUES ('b@x', FALSE),\n  ('c\\\\d@x', TRUE)",
      "INSERT INTO `users` (`email`) VALUES ('e@x')",
    ]);
    await apply(insert);
    // The offline form means the same rows when the server runs it.
    await apply({ kind: "execute", sql: "DELETE FROM users WHERE email <> 'a@x'" });
    for (const text of sqlOf(insert, offline)) await db.main.query(text);
    expect((await db.main.query("SELECT email, active FROM users ORDER BY id")).rows).toEqual([
      { email: "a@x", active: 1 },
      { email: "b@x", active: 0 },
      { email: "c\\d@x", active: 1 },
      { email: "e@x", active: 1 },
    ]);

    const exec: Operation = { kind: "execute", sql: "UPDATE users SET active = ? WHERE email = ?", params: [false, "e@x"] };
    expect(render(exec, online)).toEqual([{ sql: exec.sql, params: [false, "e@x"], transactional: true }]);
    expect(sqlOf(exec, offline)).toEqual(["UPDATE users SET active = FALSE WHERE email = 'e@x'"]);
    await apply(exec);
    expect((await db.main.query("SELECT active FROM users WHERE email = 'e@x'")).rows).toEqual([{ active: 0 }]);
  });

  it("a batch is its operations in order; autocommit marks them non-transactional", () => {
    expect(
      render({ kind: "batch", table: "users", ops: [{ kind: "alterColumn", table: "ignored", column: "karma", default: 1 }, { kind: "dropColumn", table: "ignored", column: "karma" }, { kind: "dropIndex", name: "i" }] }, online),
    ).toEqual([
      { sql: "ALTER TABLE `users` ALTER COLUMN `karma` SET DEFAULT 1", transactional: true },
      { sql: "ALTER TABLE `users` DROP COLUMN `karma`", transactional: true },
      { sql: "DROP INDEX `i` ON `users`", transactional: true },
    ]);
    expect(render({ kind: "autocommit", ops: [{ kind: "execute", sql: "SELECT 1" }] }, online)).toEqual([{ sql: "SELECT 1", transactional: false }]);
  });
});

describe("MySQL render: operations MySQL cannot do are clear errors", () => {
  const cases: [Operation, string][] = [
    [{ kind: "createEnum", name: "mood", values: ["a"] }, "MySQL has no enum types: use an ENUM(...) column type"],
    [{ kind: "addEnumValue", name: "mood", value: "b" }, "MySQL has no enum types: use an ENUM(...) column type"],
    [{ kind: "createCheckConstraint", table: "t", name: "ck", expression: "a > 0", notValid: true }, 'MySQL and MariaDB cannot create a CHECK constraint NOT VALID ("ck")'],
    [{ kind: "createForeignKey", table: "t", name: "fk", columns: ["a"], refTable: "u", refColumns: ["id"], notValid: true }, 'MySQL and MariaDB cannot create a FOREIGN KEY NOT VALID ("fk")'],
    [{ kind: "createForeignKey", table: "t", name: "fk", columns: ["a"], refTable: "u", refColumns: ["id"], deferrable: true }, 'MySQL has no deferrable constraints ("fk")'],
    [
      { kind: "alterColumn", table: "t", column: "c", type: "TEXT" },
      'MySQL needs the full definition of column "c" to change it (MODIFY COLUMN restates the column): give alterColumn a `previous` with its type, nullability, default and comment',
    ],
    [
      { kind: "alterColumn", table: "t", column: "c", nullable: false, previous: { nullable: true } },
      'MySQL needs the full definition of column "c" to change it (MODIFY COLUMN restates the column): give alterColumn a `previous` with its type, nullability, default and comment',
    ],
    [{ kind: "alterColumn", table: "t", column: "c", type: "INT", using: "c::int", previous: { type: "TEXT" } }, 'MySQL has no USING for a type change ("c"): convert the data with op.execute before or after'],
    [{ kind: "alterColumn", table: "t", column: "c", identity: null }, 'MySQL has no identity columns ("c"): use autoIncrement'],
    [{ kind: "alterColumn", table: "t", column: "c" }, 'alterColumn on "c" changes nothing'],
    [{ kind: "setComment", target: { type: "column", table: "t", column: "c" }, comment: "x" }, 'MySQL needs the full definition of column "c" to change its comment: use alterColumn with comment and previous'],
    [{ kind: "setComment", target: { type: "index", name: "i" }, comment: "x" }, "MySQL has no comments on a index"],
    [{ kind: "dropIndex", name: "i" }, 'MySQL needs the table of index "i": give dropIndex a table'],
    [{ kind: "createIndex", name: "i", table: "t", keys: ["a"], where: "a > 0" }, 'MySQL has no partial indexes ("i")'],
    [{ kind: "createIndex", name: "i", table: "t", keys: ["a"], method: "gin" }, 'MySQL has no gin indexes ("i"): use btree or hash'],
    [{ kind: "createIndex", name: "i", table: "t", keys: ["a"], concurrently: true }, 'MySQL has no CREATE INDEX CONCURRENTLY ("i"): use algorithm: "INPLACE", lock: "NONE"'],
    [{ kind: "createIndex", name: "i", table: "t", keys: ["a"], include: ["b"] }, 'MySQL has no INCLUDE columns on indexes ("i")'],
    [{ kind: "createSchema", name: "app" }, "MySQL has no schemas inside a database (CREATE SCHEMA creates a database): use a separate target"],
    [{ kind: "createExtension", name: "ltree" }, "MySQL has no extensions"],
    [{ kind: "createExcludeConstraint", table: "t", name: "ex", elements: [] }, "MySQL has no exclusion constraints"],
    [{ kind: "validateConstraint", table: "t", name: "ck" }, "MySQL has no VALIDATE CONSTRAINT: constraints are checked when they are added"],
    [{ kind: "createView", name: "v", definition: "SELECT 1", materialized: true }, 'MySQL has no materialized views ("v")'],
    [{ kind: "refreshMaterializedView", name: "v" }, 'MySQL has no materialized views ("v")'],
    [{ kind: "dropTable", table: "t", cascade: true }, 'MySQL ignores CASCADE on DROP TABLE ("t"): drop the referencing foreign keys first'],
    [{ kind: "createSequence", name: "s", ownedBy: "t.id" }, 'MySQL sequences cannot be OWNED BY a column ("s")'],
    [{ kind: "addColumn", table: "t", column: { name: "c", type: 42 as unknown as string } }, 'column "c" needs a type, as a string such as "int"'],
    [{ kind: "addColumn", table: "t", column: { name: "c", type: "INT", identity: { always: true } } }, 'MySQL has no identity columns ("c"): use autoIncrement'],
    [{ kind: "addColumn", table: "t", column: { name: "c", type: "INT", references: "nodot" } }, 'column "c": references "nodot" must be written "table.column"'],
    [{ kind: "createTable", table: "t", columns: [] }, 'table "t" needs at least one column'],
    [{ kind: "bulkInsert", table: "t", rows: [{}] }, 'bulkInsert into "t": row 1 must be an object with at least one column'],
  ];
  it.each(cases)("%j", (op, message) => expectRefusal(render, op, message));
});

describe("MySQL round trip", () => {
  it("a set of operations applied then reversed leaves an empty schema", async () => {
    for (const name of ["articles", "users"]) await apply({ kind: "dropTable", table: name, ifExists: true });
    expect(await tables()).toEqual([]);
    const up: Operation[] = [
      createUsers,
      createPosts,
      { kind: "addColumn", table: "posts", column: { name: "body", type: "TEXT" } },
      { kind: "createIndex", name: "posts_title", table: "posts", keys: ["title"] },
      { kind: "createCheckConstraint", table: "posts", name: "posts_id_positive", expression: "id > 0" },
      { kind: "createView", name: "titles", definition: "SELECT title FROM posts" },
      { kind: "bulkInsert", table: "users", rows: [{ email: "r@x" }] },
      { kind: "renameTable", table: "posts", newName: "entries" },
    ];
    const down: Operation[] = [
      { kind: "renameTable", table: "entries", newName: "posts" },
      { kind: "execute", sql: "DELETE FROM users WHERE email = ?", params: ["r@x"] },
      { kind: "dropView", name: "titles" },
      { kind: "dropConstraint", table: "posts", name: "posts_id_positive", type: "check" },
      { kind: "dropIndex", name: "posts_title", table: "posts" },
      { kind: "dropColumn", table: "posts", column: "body" },
      { kind: "dropTable", table: "posts" },
      { kind: "dropTable", table: "users" },
    ];
    for (const op of up) await apply(op);
    expect(await tables()).toEqual(["BASE TABLE:entries", "BASE TABLE:users", "VIEW:titles"]);
    expect(await constraints("entries")).toEqual(["CHECK:posts_id_positive", "FOREIGN KEY:entries_ibfk_1", "PRIMARY KEY:PRIMARY", "UNIQUE:posts_title_user"]);
    for (const op of down) await apply(op);
    expect(await tables()).toEqual([]);
    expect(await rows("SELECT COUNT(*) AS n FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ?")).toEqual([{ n: 0 }]);
  });
});
