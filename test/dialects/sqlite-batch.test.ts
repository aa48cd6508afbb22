import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { runSqliteBatch } from "../../src/dialects/sqlite/batch.js";
import { render } from "../../src/dialects/sqlite/render.js";
import { openDatabase } from "../../src/drivers/index.js";
import type { Database } from "../../src/drivers/types.js";
import { DatabaseError, StratumError } from "../../src/errors.js";
import { sql, type Operation } from "../../src/ops/types.js";
import { sqliteUrl, tempDir } from "../helpers/databases.js";

const dir = tempDir("stratum-sqlite-batch-");
let db: Database;
let counter = 0;

async function rows<R extends Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]> {
  return (await db.main.query<R>(text, params)).rows;
}
async function exec(script: string): Promise<void> {
  for (const statement of script.split(";\n").map((s) => s.trim()).filter(Boolean)) await db.main.query(statement);
}
const batch = (table: string, ops: Operation[]) => runSqliteBatch(db.main, { kind: "batch", table, ops });
const indexNames = async (table: string) =>
  (await rows<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name", [table])).map((r) => r.name);
const tableSql = async (table: string) => (await rows<{ sql: string }>("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [table]))[0]?.sql;

beforeEach(async () => {
  await db?.close();
  // A fresh file per test; the driver opens it with foreign keys ON.
  db = await openDatabase({ url: sqliteUrl(dir.path, `batch-${++counter}.db`) });
  await exec(`CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE books (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  author_id INTEGER CONSTRAINT books_author_fk REFERENCES authors (id) ON DELETE CASCADE,
  title VARCHAR(20) NOT NULL DEFAULT 'untitled',
  pages INTEGER NULL,
  isbn TEXT,
  CONSTRAINT books_pages_positive CHECK (pages > 0),
  CONSTRAINT books_isbn_unique UNIQUE (isbn, author_id)
);
CREATE INDEX books_title ON books (title);
CREATE INDEX books_lower_isbn ON books (lower(isbn)) WHERE isbn IS NOT NULL;
CREATE TABLE audit (book_id INTEGER, what TEXT);
CREATE TRIGGER books_audit AFTER UPDATE ON books BEGIN INSERT INTO audit VALUES (new.id, 'update;' || new.title); END;
CREATE VIEW long_books AS SELECT title FROM books WHERE pages > 300;
INSERT INTO authors VALUES (1, 'Ann'), (2, 'Bob');
INSERT INTO books (author_id, title, pages, isbn) VALUES (1, 'One', 100, 'i-1'), (1, 'Two', 400, 'i-2'), (2, 'Three', NULL, NULL)`);
});
afterAll(async () => {
  await db?.close();
  dir.remove();
});

describe("SQLite batch: table rebuild", () => {
  it("alters type, nullability and default, keeping every row, index, foreign key, constraint and trigger", async () => {
    await batch("books", [
      { kind: "alterColumn", table: "books", column: "title", type: "TEXT", default: sql`'n/a'` },
      { kind: "alterColumn", table: "books", column: "pages", nullable: false, default: 1, using: "coalesce(pages, 1)" },
    ]);
    expect(await tableSql("books")).toBe(`CREATE TABLE "books" (
  "id" INTEGER PRIMARY KEY AUTOINCREMENT,
  "author_id" INTEGER CONSTRAINT "books_author_fk" REFERENCES authors (id) ON DELETE CASCADE,
  "title" TEXT NOT NULL DEFAULT ('n/a'),
  "pages" INTEGER NOT NULL DEFAULT 1,
  "isbn" TEXT,
  CONSTRAINT "books_pages_positive" CHECK (pages > 0),
  CONSTRAINT "books_isbn_unique" UNIQUE (isbn, author_id)
)`);
    expect(await rows("SELECT id, author_id, title, pages, isbn FROM books ORDER BY id")).toEqual([
      { id: 1, author_id: 1, title: "One", pages: 100, isbn: "i-1" },
      { id: 2, author_id: 1, title: "Two", pages: 400, isbn: "i-2" },
      { id: 3, author_id: 2, title: "Three", pages: 1, isbn: null },
    ]);
    expect(await indexNames("books")).toEqual(["books_lower_isbn", "books_title"]);
    const fks = await rows<{ table: string; from: string; to: string; on_delete: string }>("PRAGMA foreign_key_list(books)");
    expect(fks.map((f) => [f.table, f.from, f.to, f.on_delete])).toEqual([["authors", "author_id", "id", "CASCADE"]]);
    // The trigger came back and still fires.
    await db.main.query("UPDATE books SET title = 'Uno' WHERE id = 1");
    expect(await rows("SELECT book_id, what FROM audit")).toEqual([{ book_id: 1, what: "update;Uno" }]);
    // Constraints are enforced on the rebuilt table; AUTOINCREMENT continues after the copied ids.
    await expect(db.main.query("INSERT INTO books (title, pages) VALUES ('x', NULL)")).rejects.toThrow(/NOT NULL/);
    await expect(db.main.query("INSERT INTO books (title, pages) VALUES ('x', -1)")).rejects.toThrow(/CHECK/);
    await db.main.query("INSERT INTO books (author_id) VALUES (2)");
    expect(await rows("SELECT id, title, pages FROM books WHERE author_id = 2 ORDER BY id DESC LIMIT 1")).toEqual([{ id: 4, title: "n/a", pages: 1 }]);
    // The view over the table still works, and no temporary table is left behind.
    expect(await rows("SELECT title FROM long_books")).toEqual([{ title: "Two" }]);
    expect(await rows("SELECT name FROM sqlite_master WHERE name LIKE '_stratum_tmp_%'")).toEqual([]);
  });

  it("drops constraints, adds foreign key, check and unique, and drops a column with its constraints and indexes", async () => {
    await exec("CREATE TABLE publishers (id INTEGER PRIMARY KEY);\nINSERT INTO publishers VALUES (7)");
    await batch("books", [
      { kind: "dropConstraint", table: "books", name: "books_pages_positive" },
      { kind: "dropConstraint", table: "books", name: "books_author_fk" },
      { kind: "addColumn", table: "books", column: { name: "publisher_id", type: "INTEGER", default: 7 } },
      { kind: "createForeignKey", table: "books", name: "books_publisher_fk", columns: ["publisher_id"], refTable: "publishers", refColumns: ["id"] },
      { kind: "createCheckConstraint", table: "books", name: "books_title_len", expression: "length(title) < 10" },
      { kind: "createUniqueConstraint", table: "books", name: "books_title_unique", columns: ["title"] },
      { kind: "dropColumn", table: "books", column: "isbn" },
      { kind: "createIndex", name: "books_publisher", table: "books", keys: ["publisher_id"] },
      { kind: "dropIndex", name: "books_title" },
    ]);
    expect(await tableSql("books")).toBe(`CREATE TABLE "books" (
  "id" INTEGER PRIMARY KEY AUTOINCREMENT,
  "author_id" INTEGER,
  "title" VARCHAR(20) NOT NULL DEFAULT 'untitled',
  "pages" INTEGER NULL,
  "publisher_id" INTEGER DEFAULT 7,
  CONSTRAINT "books_publisher_fk" FOREIGN KEY ("publisher_id") REFERENCES "publishers" ("id"),
  CONSTRAINT "books_title_len" CHECK (length(title) < 10),
  CONSTRAINT "books_title_unique" UNIQUE ("title")
)`);
    expect(await indexNames("books")).toEqual(["books_publisher"]);
    expect(await rows("SELECT id, author_id, title, pages, publisher_id FROM books ORDER BY id")).toEqual([
      { id: 1, author_id: 1, title: "One", pages: 100, publisher_id: 7 },
      { id: 2, author_id: 1, title: "Two", pages: 400, publisher_id: 7 },
      { id: 3, author_id: 2, title: "Three", pages: null, publisher_id: 7 },
    ]);
    expect(await rows("SELECT name FROM sqlite_master WHERE type = 'trigger'")).toEqual([{ name: "books_audit" }]);
    await db.main.query("INSERT INTO books (title, pages) VALUES ('neg', -5)");
    await expect(db.main.query("INSERT INTO books (title) VALUES ('much too long')")).rejects.toThrow(/CHECK/);
    await expect(db.main.query("INSERT INTO books (title) VALUES ('One')")).rejects.toThrow(/UNIQUE/);
    await expect(db.main.query("INSERT INTO books (title, publisher_id) VALUES ('p', 99)")).rejects.toThrow(/FOREIGN KEY/);
  });

  it("rebuilds a table other tables reference without firing their ON DELETE CASCADE", async () => {
    await batch("authors", [{ kind: "alterColumn", table: "authors", column: "name", type: "VARCHAR(100)", nullable: true }]);
    expect(await rows("SELECT count(*) AS n FROM books")).toEqual([{ n: 3 }]);
    expect(await rows("PRAGMA foreign_keys")).toEqual([{ foreign_keys: 1 }]);
    expect(await rows("PRAGMA foreign_key_check")).toEqual([]);
    // The children's foreign keys still point at the rebuilt table by name.
    await db.main.query("DELETE FROM authors WHERE id = 2");
    expect(await rows("SELECT title FROM books ORDER BY id")).toEqual([{ title: "One" }, { title: "Two" }]);
  });

  it("runs renames natively between rebuilds, so later operations use the new name", async () => {
    await batch("books", [
      { kind: "alterColumn", table: "books", column: "title", newName: "name", type: "TEXT" },
      { kind: "alterColumn", table: "books", column: "name", nullable: true },
      { kind: "execute", sql: "UPDATE books SET name = upper(name) WHERE id = ?", params: [1] },
    ]);
    const columns = await rows<{ name: string; type: string; notnull: number }>("PRAGMA table_info(books)");
    expect(columns.find((c) => c.name === "name")).toMatchObject({ type: "TEXT", notnull: 0 });
    expect(await rows("SELECT name FROM books ORDER BY id")).toEqual([{ name: "ONE" }, { name: "Two" }, { name: "Three" }]);
    // The index on the renamed column followed it.
    expect(await rows("SELECT sql FROM sqlite_master WHERE name = 'books_title'")).toEqual([{ sql: 'CREATE INDEX books_title ON books ("name")' }]);
  });

  it("fails, changing nothing, when the rebuilt table breaks a foreign key", async () => {
    await db.main.query("INSERT INTO books (author_id, title) VALUES (1, 'orphan-to-be')");
    await db.main.query("PRAGMA foreign_keys = OFF");
    await db.main.query("DELETE FROM authors WHERE id = 1");
    await db.main.query("PRAGMA foreign_keys = ON");
    const before = await tableSql("books");
    const error = await batch("books", [{ kind: "alterColumn", table: "books", column: "pages", type: "BIGINT" }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseError);
    expect((error as Error).message).toMatch(/^op\.batch on "books" broke 3 foreign key reference\(s\): row 1 of "books" has no match in "authors"$/);
    expect(await tableSql("books")).toBe(before);
    expect(await rows("SELECT count(*) AS n FROM books")).toEqual([{ n: 4 }]);
  });

  it("refuses to rebuild a referenced table inside a transaction while foreign keys are ON", async () => {
    await db.main.query("BEGIN");
    try {
      await expect(batch("authors", [{ kind: "alterColumn", table: "authors", column: "name", nullable: true }])).rejects.toThrow(
        'op.batch cannot rebuild "authors" inside a transaction while PRAGMA foreign_keys is ON: dropping it would fire the foreign keys of "books"',
      );
      // A table nobody references can be rebuilt inside the transaction.
      await batch("books", [{ kind: "alterColumn", table: "books", column: "pages", type: "BIGINT" }]);
    } finally {
      await db.main.query("COMMIT");
    }
    expect(await rows("SELECT type FROM pragma_table_info('books') WHERE name = 'pages'")).toEqual([{ type: "BIGINT" }]);
  });

  it("rebuilds inside a transaction with foreign keys OFF, and a rollback undoes it", async () => {
    await db.main.query("PRAGMA foreign_keys = OFF");
    await db.main.query("BEGIN");
    await batch("authors", [{ kind: "addColumn", table: "authors", column: { name: "email", type: "TEXT", unique: true } }]);
    expect((await rows<{ name: string }>("PRAGMA table_info(authors)")).map((c) => c.name)).toEqual(["id", "name", "email"]);
    await db.main.query("ROLLBACK");
    expect((await rows<{ name: string }>("PRAGMA table_info(authors)")).map((c) => c.name)).toEqual(["id", "name"]);
    expect(await rows("SELECT count(*) AS n FROM books")).toEqual([{ n: 3 }]);
  });

  it("rejects bad input with clear errors", async () => {
    await expect(batch("nope", [])).rejects.toThrow('op.batch: table "nope" does not exist');
    await expect(batch("books", [{ kind: "dropColumn", table: "books", column: "ghost" }])).rejects.toThrow(
      'op.batch on "books": dropColumn: no column "ghost"',
    );
    await expect(batch("books", [{ kind: "dropConstraint", table: "books", name: "ghost" }])).rejects.toThrow(
      'op.batch on "books": no constraint named "ghost"',
    );
    await expect(batch("books", [{ kind: "createTable", table: "x", columns: [{ name: "a", type: "INT" }] }])).rejects.toThrow(
      'op.batch on "books" cannot run createTable',
    );
    await expect(batch("books", [{ kind: "addColumn", table: "books", column: { name: "title", type: "TEXT" } }])).rejects.toThrow(
      'op.batch on "books": column "title" already exists',
    );
    const error = await batch("books", [{ kind: "alterColumn", table: "books", column: "title", identity: { always: true } }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StratumError);
    // Nothing changed after the failures.
    expect(await rows("SELECT count(*) AS n FROM books")).toEqual([{ n: 3 }]);
    expect(await indexNames("books")).toEqual(["books_lower_isbn", "books_title"]);
  });

  it("names the index that no longer fits the rebuilt rows, and changes nothing", async () => {
    await exec("CREATE UNIQUE INDEX books_title_unique ON books (title);\nINSERT INTO books (title) VALUES ('one')");
    await expect(batch("books", [{ kind: "alterColumn", table: "books", column: "title", using: "lower(title)" }])).rejects.toThrow(
      /^op\.batch on "books" cannot recreate index "books_title_unique" on the new table: UNIQUE constraint failed/,
    );
    expect(await rows("SELECT title FROM books ORDER BY id")).toEqual([{ title: "One" }, { title: "Two" }, { title: "Three" }, { title: "one" }]);
    expect(await indexNames("books")).toEqual(["books_lower_isbn", "books_title", "books_title_unique"]);
  });

  it("keeps WITHOUT ROWID and STRICT table options", async () => {
    await exec("CREATE TABLE kv (k TEXT PRIMARY KEY, v INTEGER) WITHOUT ROWID, STRICT;\nINSERT INTO kv VALUES ('a', 1)");
    await batch("kv", [{ kind: "alterColumn", table: "kv", column: "v", nullable: false }]);
    expect(await tableSql("kv")).toBe('CREATE TABLE "kv" (\n  "k" TEXT PRIMARY KEY,\n  "v" INTEGER NOT NULL\n) WITHOUT ROWID, STRICT');
    expect(await rows("SELECT * FROM kv")).toEqual([{ k: "a", v: 1 }]);
    await expect(db.main.query("INSERT INTO kv VALUES ('b', 'not a number')")).rejects.toThrow(/cannot store TEXT value in INTEGER column/);
  });

  it("offline rendering of a batch is a clear error", () => {
    expect(() => render({ kind: "batch", table: "books", ops: [] }, { offline: true })).toThrow(
      'op.batch needs a connection to read the table; offline --sql cannot render it ("books")',
    );
  });
});
