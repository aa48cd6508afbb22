/**
 * modelMatchesDatabase against a declared SQL schema, and the kit on scratch databases beside a
 * configured server: PostgreSQL (a temporary database, dropped afterwards) and SQLite (a temporary file).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SchemaDifferences } from "../../src/api/schema.js";
import { atRevision, modelMatchesDatabase, stairway } from "../../src/testing/index.js";
import { PG_SERVER_URL, tempDir } from "../helpers/databases.js";
import { kitProject, writeShop, type KitProject } from "./project.js";

describe("modelMatchesDatabase", () => {
  let project: KitProject;
  beforeAll(() => {
    project = kitProject();
    writeShop(project);
    mkdirSync(join(project.dir, "schema"));
  });
  afterAll(() => project.remove());

  const declare = (sql: string) => writeFileSync(join(project.dir, "schema", "shop.sql"), sql);
  const shop = `
    CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL);
    CREATE TABLE products (id serial PRIMARY KEY, name text NOT NULL, price_cents int NOT NULL);
    CREATE TABLE orders (id serial PRIMARY KEY, user_id int NOT NULL REFERENCES users (id), product_id int NOT NULL REFERENCES products (id), quantity int NOT NULL DEFAULT 1);
    CREATE INDEX orders_user_idx ON orders (user_id);
  `;

  it("passes when the revisions produce the declared schema", async () => {
    declare(shop);
    expect(await modelMatchesDatabase({ cwd: project.dir })).toEqual({ source: join(project.dir, "schema", "*.sql") });
  });

  it("lists what differs when the declared schema has more", async () => {
    declare(`${shop}\nALTER TABLE users ADD COLUMN nickname text;`);
    const error = await modelMatchesDatabase({ cwd: project.dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaDifferences);
    expect((error as SchemaDifferences).message).toMatch(/differs from the declared schema[^\n]*:\n\s+\+ column users\.nickname text/);
  });
});

describe("extensions on the in-memory PGlite", () => {
  it("loads the contrib extensions the revisions create, and ignores ones PGlite lacks", async () => {
    const project = kitProject();
    const { writeFileSync } = await import("node:fs");
    writeFileSync(
      join(project.versions, "f00000000001_trigram.ts"),
      `import { revision } from "stratum";
export default revision({
  id: "f00000000001",
  parents: [],
  message: "trigram search",
  async upgrade(op) {
    await op.createExtension("pg_trgm", { ifNotExists: true });
    await op.execute("CREATE TABLE docs (id int PRIMARY KEY, body text)");
    await op.execute("CREATE INDEX docs_body_trgm ON docs USING gin (body gin_trgm_ops)");
    // Named only in a guarded block, as production-only extensions often are.
    await op.execute("DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb') THEN CREATE EXTENSION IF NOT EXISTS timescaledb; END IF; END $$");
  },
  async downgrade(op) {
    await op.execute("DROP TABLE docs");
    await op.execute("DROP EXTENSION pg_trgm");
  },
});
`,
    );
    try {
      const report = await stairway({ cwd: project.dir, scratch: "pglite" });
      expect(report.steps.map((s) => `${s.action}:${s.ok}`)).toEqual(["upgrade:true", "downgrade:true", "compare:true", "upgrade again:true"]);
    } finally {
      project.remove();
    }
  });
});

describe("scratch databases beside a configured server", () => {
  it("stairway on PostgreSQL creates a temporary database and drops it", async () => {
    const project = kitProject();
    writeShop(project);
    const databasesNow = async () => {
      const client = new pg.Client({ connectionString: `${PG_SERVER_URL}/postgres` });
      await client.connect();
      try {
        return (await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'stratum_scratch_%'")).rows.map((r) => r.datname);
      } finally {
        await client.end();
      }
    };
    try {
      const report = await stairway({ cwd: project.dir, url: `${PG_SERVER_URL}/postgres` });
      const name = /\/(stratum_scratch_\d+_[0-9a-f]+)$/.exec(report.database)?.[1];
      expect(name).toBeDefined();
      expect(report.steps.filter((s) => s.action === "compare")).toHaveLength(4);
      // Other suites may hold scratch databases of their own at the same time; this one is gone.
      expect(await databasesNow()).not.toContain(name);
    } finally {
      project.remove();
    }
  });

  it("atRevision on SQLite seeds a temporary file and removes it on close", async () => {
    const dir = tempDir("stratum-kit-sqlite-");
    const project = kitProject({ url: `sqlite:${join(dir.path, "app.db")}` });
    project.revision({ id: "e00000000001", message: "notes", up: ["CREATE TABLE notes (id integer PRIMARY KEY, body text NOT NULL)"], down: ["DROP TABLE notes"] });
    project.revision({ id: "e00000000002", parents: ["e00000000001"], message: "note length", up: ["ALTER TABLE notes ADD COLUMN length integer", "UPDATE notes SET length = length(body)"], down: ["ALTER TABLE notes DROP COLUMN length"] });
    try {
      const db = await atRevision("e00000000001", async (seed) => {
        await seed.execute("INSERT INTO notes (body) VALUES (?), (?)", ["hello", "hi"]);
      }, { cwd: project.dir });
      try {
        expect(db.url).toMatch(/^sqlite:.*scratch\.db$/);
        await db.upgradeTo("head");
        expect(await db.query("SELECT body, length FROM notes ORDER BY id")).toEqual([{ body: "hello", length: 5 }, { body: "hi", length: 2 }]);
      } finally {
        await db.close();
      }
      const { existsSync } = await import("node:fs");
      expect(existsSync(db.url.slice("sqlite:".length))).toBe(false);
      // The configured database itself was never touched.
      expect(existsSync(join(dir.path, "app.db"))).toBe(false);
    } finally {
      project.remove();
      dir.remove();
    }
  });
});
