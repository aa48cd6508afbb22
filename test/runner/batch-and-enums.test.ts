/**
 * Runner paths that need the whole revision or the live table: SQLite's op.batch rebuild on a
 * table other tables reference (child rows must survive), and a PostgreSQL enum value added and
 * used in the same revision (the ADD VALUE must be committed before its use).
 */
import { writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { downgrade, upgrade } from "../../src/index.js";
import { createPostgresDatabase, type ScratchDatabase, sqliteUrl, tempDir } from "../helpers/databases.js";
import pg from "pg";

function project(url: string, revisions: Record<string, string>): { dir: string; remove(): void } {
  const temp = tempDir("stratum-runner-gaps-");
  mkdirSync(join(temp.path, "migrations"));
  writeFileSync(join(temp.path, "stratum.config.mjs"), `export default { url: ${JSON.stringify(url)}, lint: { onUpgrade: "off" } };\n`);
  for (const [name, text] of Object.entries(revisions)) writeFileSync(join(temp.path, "migrations", name), text);
  return { dir: temp.path, remove: temp.remove };
}

const SQLITE_ROOT = `import { revision } from "stratum";
export default revision({
  id: "b00000000001",
  parents: [],
  message: "parents and children",
  async upgrade(op) {
    await op.execute("CREATE TABLE owners (id integer PRIMARY KEY, name varchar(20))");
    await op.execute("CREATE TABLE pets (id integer PRIMARY KEY, owner_id integer NOT NULL REFERENCES owners (id) ON DELETE CASCADE)");
    await op.execute("INSERT INTO owners VALUES (1, 'ann'), (2, 'bob')");
    await op.execute("INSERT INTO pets VALUES (10, 1), (11, 2)");
  },
  async downgrade(op) {
    await op.execute("DROP TABLE pets");
    await op.execute("DROP TABLE owners");
  },
});
`;

const SQLITE_BATCH = `import { revision } from "stratum";
export default revision({
  id: "b00000000002",
  parents: ["b00000000001"],
  message: "widen owners.name",
  async upgrade(op) {
    await op.batch("owners", (b) => b.alterColumn("owners", "name", { type: "text", nullable: false }));
  },
  async downgrade(op) {
    await op.batch("owners", (b) => b.alterColumn("owners", "name", { type: "varchar(20)", nullable: true }));
  },
});
`;

const SQLITE_ORPHAN = `import { revision } from "stratum";
export default revision({
  id: "b00000000003",
  parents: ["b00000000002"],
  message: "leaves an orphan",
  async upgrade(op) {
    await op.execute("INSERT INTO pets VALUES (12, 99)");
  },
  async downgrade(op) {
    await op.execute("DELETE FROM pets WHERE id = 12");
  },
});
`;

describe("op.batch through the runner on SQLite", () => {
  const temp = tempDir("stratum-sqlite-batch-");
  const url = sqliteUrl(temp.path);
  afterAll(() => temp.remove());

  it("rebuilds a referenced table without losing or cascading into child rows, and back", async () => {
    const p = project(url, { "b1.ts": SQLITE_ROOT, "b2.ts": SQLITE_BATCH });
    try {
      await upgrade({ cwd: p.dir, target: "head" });
      const db = new Database(join(temp.path, "test.db"));
      try {
        const column = (db.prepare("SELECT type, \"notnull\" FROM pragma_table_info('owners') WHERE name = 'name'").get() as { type: string; notnull: number });
        expect(column).toEqual({ type: "TEXT", notnull: 1 });
        expect(db.prepare("SELECT id, owner_id FROM pets ORDER BY id").all()).toEqual([{ id: 10, owner_id: 1 }, { id: 11, owner_id: 2 }]);
        expect(db.prepare("PRAGMA foreign_key_list(pets)").all()).toHaveLength(1);
      } finally {
        db.close();
      }
      await downgrade({ cwd: p.dir, target: "b00000000001", yes: true });
      const after = new Database(join(temp.path, "test.db"));
      try {
        expect(after.prepare("SELECT count(*) AS n FROM pets").get()).toEqual({ n: 2 });
        expect(after.prepare("SELECT type FROM pragma_table_info('owners') WHERE name = 'name'").get()).toEqual({ type: "varchar(20)" });
      } finally {
        after.close();
      }
    } finally {
      p.remove();
    }
  });

  it("fails a step that leaves rows pointing nowhere, and rolls it back", async () => {
    const p = project(url, { "b1.ts": SQLITE_ROOT, "b2.ts": SQLITE_BATCH, "b3.ts": SQLITE_ORPHAN });
    try {
      const error = await upgrade({ cwd: p.dir, target: "head" }).catch((e: unknown) => e);
      expect(String((error as Error).message)).toMatch(/b00000000003.*violate foreign keys.*"pets".*"owners"/s);
      const db = new Database(join(temp.path, "test.db"));
      try {
        expect(db.prepare("SELECT count(*) AS n FROM pets WHERE id = 12").get()).toEqual({ n: 0 });
        expect(db.prepare("SELECT version_num FROM stratum_version").all()).toEqual([{ version_num: "b00000000002" }]);
      } finally {
        db.close();
      }
    } finally {
      p.remove();
    }
  });
});

const PG_ENUM = `import { revision } from "stratum";
export default revision({
  id: "c00000000001",
  parents: [],
  message: "moods",
  async upgrade(op) {
    await op.createEnum("mood", ["sad", "happy"]);
    await op.execute("CREATE TABLE people (id int PRIMARY KEY, mood mood NOT NULL)");
  },
  async downgrade(op) {
    await op.execute("DROP TABLE people");
    await op.dropEnum("mood");
  },
});
`;

const PG_ADD_AND_USE = `import { revision } from "stratum";
export default revision({
  id: "c00000000002",
  parents: ["c00000000001"],
  message: "add ok and use it",
  async upgrade(op) {
    await op.addEnumValue("mood", "ok", { after: "sad" });
    await op.execute("INSERT INTO people VALUES (1, 'ok')");
  },
  async downgrade(op) {
    await op.execute("DELETE FROM people WHERE id = 1");
  },
});
`;

describe("an enum value added and used in one revision on PostgreSQL", () => {
  let database: ScratchDatabase;
  beforeAll(async () => {
    database = await createPostgresDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("commits the ADD VALUE before the statement that uses it", async () => {
    const p = project(database.url, { "c1.ts": PG_ENUM, "c2.ts": PG_ADD_AND_USE });
    try {
      await upgrade({ cwd: p.dir, target: "head" });
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        const values = await client.query("SELECT enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid WHERE t.typname = 'mood' ORDER BY enumsortorder");
        expect(values.rows.map((r) => r.enumlabel)).toEqual(["sad", "ok", "happy"]);
        expect((await client.query("SELECT mood::text AS mood FROM people")).rows).toEqual([{ mood: "ok" }]);
        expect((await client.query("SELECT version_num FROM stratum_version")).rows).toEqual([{ version_num: "c00000000002" }]);
      } finally {
        await client.end();
      }
    } finally {
      p.remove();
    }
  });
});
