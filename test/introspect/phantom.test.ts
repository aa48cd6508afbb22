/**
 * No phantom differences: a database introspected and diffed with itself is empty, and so is the
 * diff between it and a second database rebuilt from its model by the diff's own operations.
 */
import { readFileSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { ltree } from "@electric-sql/pglite/contrib/ltree";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { afterAll, describe, expect, it } from "vitest";
import { getDialect } from "../../src/dialects/index.js";
import type { Dialect } from "../../src/dialects/types.js";
import type { DialectName } from "../../src/drivers/types.js";
import { createSchemaOps } from "../../src/schema/codegen.js";
import { diffSchemas } from "../../src/schema/diff.js";
import type { SchemaModel } from "../../src/schema/model.js";
import { createMysqlDatabase, createPostgresDatabase, tempDir } from "../helpers/databases.js";
import { mysqlConnection, pgConnection, pgliteConnection, sqliteConnection, type CountingConnection } from "./connections.js";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");

interface Engine {
  name: string;
  dialect: DialectName;
  script: string;
  schemas?: string[];
  /** A new empty database and a way to drop it. */
  open(): Promise<{ connection: CountingConnection; drop(): Promise<void> }>;
}

const dir = tempDir();
let sqliteFiles = 0;
const engines: Engine[] = [
  {
    name: "PostgreSQL",
    dialect: "postgresql",
    script: fixture("rich-postgres.sql"),
    schemas: ["public", "audit"],
    async open() {
      const db = await createPostgresDatabase();
      const connection = await pgConnection(db.url);
      return { connection, drop: async () => (await connection.close(), await db.drop()) };
    },
  },
  {
    name: "PGlite",
    dialect: "postgresql",
    script: fixture("rich-postgres.sql"),
    schemas: ["public", "audit"],
    async open() {
      const lite = await PGlite.create({ extensions: { ltree, pg_trgm } });
      return { connection: pgliteConnection(lite), drop: () => lite.close() };
    },
  },
  {
    name: "SQLite",
    dialect: "sqlite",
    script: fixture("rich-sqlite.sql"),
    async open() {
      const connection = sqliteConnection(`${dir.path}/db${sqliteFiles++}.sqlite`);
      return { connection, drop: () => connection.close() };
    },
  },
  {
    name: "MariaDB",
    dialect: "mysql",
    script: fixture("rich-mysql.sql"),
    async open() {
      const db = await createMysqlDatabase();
      const connection = await mysqlConnection(db.url);
      return { connection, drop: async () => (await connection.close(), await db.drop()) };
    },
  },
];

afterAll(() => dir.remove());

async function rebuild(connection: CountingConnection, dialect: Dialect, model: SchemaModel): Promise<void> {
  for (const op of createSchemaOps(model)) {
    for (const each of op.kind === "autocommit" ? op.ops : [op]) {
      for (const statement of dialect.render(each, { offline: false })) await connection.query(statement.sql, statement.params);
    }
  }
}

describe.each(engines)("no phantom diffs on $name", (engine) => {
  it("diffs an introspected database with itself and with its rebuild as empty", async () => {
    const dialect = getDialect(engine.dialect);
    const options = { exclude: ["stratum_version"], ...(engine.schemas ? { schemas: engine.schemas } : {}) };
    const original = await engine.open();
    const copy = await engine.open();
    try {
      await original.connection.exec(engine.script);
      const model = await dialect.introspect(original.connection, options);
      expect(model.tables.length).toBeGreaterThanOrEqual(2);
      expect(diffSchemas(model, model).operations).toEqual([]);
      expect(diffSchemas(model, await dialect.introspect(original.connection, options)).operations).toEqual([]);

      // The diff does not create exclusion constraints for a new table yet, so the rebuild leaves them out.
      const buildable = { ...model, tables: model.tables.map((t) => ({ ...t, excludes: [] })) };
      await rebuild(copy.connection, dialect, buildable);
      const rebuilt = await dialect.introspect(copy.connection, options);
      const diff = diffSchemas(buildable, rebuilt, { allowDrop: true });
      expect(diff.operations).toEqual([]);
      expect(diff.manual).toEqual([]);
    } finally {
      await original.drop();
      await copy.drop();
    }
  });
});
