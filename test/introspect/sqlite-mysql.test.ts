import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MYSQL_INTROSPECTION_QUERIES, introspect as mysqlIntrospect } from "../../src/dialects/mysql/introspect.js";
import { SQLITE_INTROSPECTION_QUERIES, introspect as sqliteIntrospect } from "../../src/dialects/sqlite/introspect.js";
import { createMysqlDatabase, tempDir, type ScratchDatabase } from "../helpers/databases.js";
import { mysqlConnection, sqliteConnection, type CountingConnection } from "./connections.js";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");

describe("SQLite introspection", () => {
  const dir = tempDir();
  let connection: CountingConnection;
  beforeAll(async () => {
    connection = sqliteConnection(`${dir.path}/rich.db`);
    await connection.exec(fixture("rich-sqlite.sql"));
  });
  afterAll(async () => {
    await connection.close();
    dir.remove();
  });

  it("reads tables, keys, checks, indexes, views and triggers", async () => {
    const model = await sqliteIntrospect(connection, { exclude: ["stratum_version"] });
    expect(model.dialect).toBe("sqlite");
    expect(model.tables.map((t) => t.name)).toEqual(["entities", "users"]);
    const [entities, users] = model.tables;
    expect(users!.schema).toBe("main");
    expect(users!.columns).toEqual([
      { name: "id", type: "integer", nullable: false, autoIncrement: true },
      { name: "email", type: "varchar(255)", nullable: false },
      { name: "name", type: "text", nullable: true },
      { name: "balance", type: "numeric(10,2)", nullable: true, default: "0" },
      { name: "created_at", type: "text", nullable: false, default: "CURRENT_TIMESTAMP" },
      { name: "email_lower", type: "text", nullable: true, generated: "lower(email)" },
    ]);
    expect(users!.primaryKey).toEqual({ columns: ["id"] });
    expect(users!.uniques).toEqual([{ name: "users_email_key", columns: ["email"] }]);
    expect(users!.checks).toEqual([{ name: "balance_positive", expression: "balance >= 0", validated: true }]);
    expect(entities!.foreignKeys).toEqual([
      {
        name: "entities_owner_id_fkey",
        columns: ["owner_id"],
        refTable: "users",
        refColumns: ["id"],
        onDelete: "CASCADE",
        onUpdate: "NO ACTION",
        deferrable: false,
        initiallyDeferred: false,
        validated: true,
      },
    ]);
    expect(entities!.checks).toEqual([{ name: "entities_check", expression: "length(title) > 2", validated: true }]);
    expect(entities!.indexes).toEqual([
      {
        name: "entities_lower_title",
        unique: false,
        method: "btree",
        keys: [{ expression: "lower(title)", order: "DESC" }, { column: "path" }],
        include: [],
        where: "owner_id IS NOT NULL",
      },
      { name: "entities_path", unique: true, method: "btree", keys: [{ column: "path", collation: "NOCASE" }], include: [] },
    ]);
    expect(entities!.triggers.map((t) => t.name)).toEqual(["entities_touch"]);
    expect(model.views).toEqual([
      { schema: "main", name: "active_users", definition: "SELECT id, email FROM users WHERE balance > 0", materialized: false, indexes: [] },
    ]);
  });

  it("sends a fixed number of queries whatever the number of tables", async () => {
    connection.queries = 0;
    await sqliteIntrospect(connection, { exclude: [] });
    expect(connection.queries).toBe(SQLITE_INTROSPECTION_QUERIES);
    let sql = "";
    for (let i = 0; i < 40; i++) sql += `CREATE TABLE t${i} (id INTEGER PRIMARY KEY, v TEXT); CREATE INDEX t${i}_v ON t${i} (v);`;
    await connection.exec(sql);
    connection.queries = 0;
    const model = await sqliteIntrospect(connection, { exclude: [] });
    expect(model.tables.length).toBe(43);
    expect(connection.queries).toBe(SQLITE_INTROSPECTION_QUERIES);
  });
});

describe("MariaDB introspection", () => {
  let db: ScratchDatabase;
  let connection: CountingConnection;
  beforeAll(async () => {
    db = await createMysqlDatabase();
    connection = await mysqlConnection(db.url);
    await connection.exec(fixture("rich-mysql.sql"));
  });
  afterAll(async () => {
    await connection?.close();
    await db?.drop();
  });

  it("reads tables, keys, checks, indexes, views and triggers from information_schema", async () => {
    const model = await mysqlIntrospect(connection, { exclude: ["stratum_version"] });
    expect(model.tables.map((t) => t.name)).toEqual(["entities", "users"]);
    const [entities, users] = model.tables;
    expect(users!.schema).toBe(db.name);
    expect(users!.comment).toBe("people who sign in");
    expect(users!.columns).toEqual([
      { name: "id", type: "bigint", nullable: false, autoIncrement: true },
      { name: "email", type: "varchar(255)", nullable: false },
      { name: "name", type: "text", nullable: true, collation: "utf8mb4_bin" },
      { name: "mood", type: "enum('sad','ok','happy')", nullable: true, default: "'ok'" },
      { name: "balance", type: "decimal(10,2)", nullable: true, default: "0.00" },
      { name: "created_at", type: "timestamp", nullable: false, default: "current_timestamp()" },
      { name: "email_lower", type: "varchar(255)", nullable: true, generated: "lcase(`email`)" },
      // MariaDB's JSON is longtext with a json_valid() check; it reads back as json.
      { name: "payload", type: "json", nullable: true },
    ]);
    expect(users!.primaryKey).toEqual({ name: "PRIMARY", columns: ["id"] });
    expect(users!.uniques).toEqual([{ name: "users_email_key", columns: ["email"] }]);
    expect(users!.checks).toEqual([{ name: "balance_positive", expression: "`balance` >= 0", validated: true }]);
    expect(entities!.columns[0]).toEqual({ name: "id", type: "int", nullable: false });
    expect(entities!.foreignKeys).toEqual([
      {
        name: "entities_owner_fk",
        columns: ["owner_id"],
        refSchema: db.name,
        refTable: "users",
        refColumns: ["id"],
        onDelete: "CASCADE",
        onUpdate: "RESTRICT",
        deferrable: false,
        initiallyDeferred: false,
        validated: true,
      },
    ]);
    // The index InnoDB made for the foreign key is not reported as a declared index.
    expect(entities!.indexes).toEqual([
      { name: "entities_title", unique: false, method: "btree", keys: [{ column: "title", order: "DESC" }, { column: "id" }], include: [] },
    ]);
    expect(entities!.triggers).toEqual([
      { name: "entities_touch", definition: "CREATE TRIGGER entities_touch BEFORE INSERT ON entities FOR EACH ROW SET NEW.title = trim(NEW.title)" },
    ]);
    expect(model.views.map((v) => v.name)).toEqual(["active_users"]);
    expect(model.views[0]!.definition).not.toContain(db.name);
  });

  it("sends a fixed number of queries whatever the number of tables", async () => {
    connection.queries = 0;
    await mysqlIntrospect(connection, { exclude: [] });
    expect(connection.queries).toBe(MYSQL_INTROSPECTION_QUERIES);
    let sql = "";
    for (let i = 0; i < 30; i++) sql += `CREATE TABLE t${i} (id INT PRIMARY KEY, v VARCHAR(20), KEY t${i}_v (v));`;
    await connection.exec(sql);
    connection.queries = 0;
    const model = await mysqlIntrospect(connection, { schemas: [db.name], exclude: [] });
    expect(model.tables.length).toBe(33);
    expect(connection.queries).toBe(MYSQL_INTROSPECTION_QUERIES - 1);
  });

  it("says which index it cannot model instead of skipping it", async () => {
    await connection.exec("CREATE TABLE notes (id INT PRIMARY KEY, body TEXT, FULLTEXT KEY notes_body (body))");
    await expect(mysqlIntrospect(connection, { exclude: [] })).rejects.toThrow(/notes_body on notes is a FULLTEXT index/);
    await connection.exec("DROP TABLE notes");
  });
});
