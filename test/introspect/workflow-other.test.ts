/** The DSL path end to end on SQLite and MariaDB: autogenerate, upgrade, check, drift. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SchemaDifferences, autogenerate, check, drift } from "../../src/api/schema.js";
import { upgrade } from "../../src/api/upgrade.js";
import { openDatabase } from "../../src/drivers/index.js";
import { createMysqlDatabase, sqliteUrl, tempDir } from "../helpers/databases.js";
import { createProject, type TestProject } from "./project.js";

const SCHEMA = `import { defineSchema, table, integer, varchar, text, timestamptz, boolean, index, sql } from "stratum";

const customers = table("customers", {
  id: integer().primaryKey(),
  email: varchar(255).notNull().unique(),
  name: text(),
  active: boolean().notNull().default(true),
});

const orders = table(
  "orders",
  {
    id: integer().primaryKey(),
    customer_id: integer().notNull().references("customers.id", { onDelete: "CASCADE" }),
    note: varchar(200),
  },
  [index("orders_customer_idx").on("customer_id")],
);

export default defineSchema({ tables: [customers, orders] });
`;

interface Target {
  name: string;
  create(): Promise<{ url: string; drop(): Promise<void> }>;
}

const targets: Target[] = [
  {
    name: "SQLite",
    async create() {
      const dir = tempDir("stratum-sqlite-");
      return { url: sqliteUrl(dir.path), drop: async () => dir.remove() };
    },
  },
  { name: "MariaDB", create: () => createMysqlDatabase() },
];

describe.each(targets)("DSL workflow on $name", (target) => {
  let database: { url: string; drop(): Promise<void> };
  let project: TestProject;
  beforeAll(async () => {
    database = await target.create();
    project = createProject(database.url, false);
    writeFileSync(join(project.dir, "schema.ts"), SCHEMA);
  });
  afterAll(async () => {
    await database?.drop();
    project?.remove();
  });

  it("autogenerates from empty, applies, and check and drift are clean", async () => {
    const result = await autogenerate({ cwd: project.dir, message: "shop", schema: "schema.ts" });
    expect(result.operations.map((o) => o.kind)).toEqual(expect.arrayContaining(["createTable", "createIndex"]));
    await upgrade({ cwd: project.dir, target: "heads" });
    await expect(check({ cwd: project.dir, schema: "schema.ts" })).resolves.toMatchObject({ clean: true });
    await expect(drift({ cwd: project.dir })).resolves.toMatchObject({ clean: true });
  });

  it("reports a column added by hand as drift and as a check difference", async () => {
    const db = await openDatabase({ url: database.url });
    await db.main.query("ALTER TABLE orders ADD COLUMN hotfix integer");
    await db.close();
    const error = await drift({ cwd: project.dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaDifferences);
    expect((error as SchemaDifferences).lines).toEqual([expect.stringMatching(/^\+ column orders\.hotfix int/)]);
    const checked = await check({ cwd: project.dir, schema: "schema.ts" }).catch((e: unknown) => e);
    expect((checked as SchemaDifferences).lines).toEqual(["- column orders.hotfix"]);
  });
});

describe("includeName from the config", () => {
  it("leaves out of check and drift the tables the hook rejects", async () => {
    const dir = tempDir("stratum-sqlite-");
    const project = createProject(sqliteUrl(dir.path), false);
    try {
      writeFileSync(join(project.dir, "schema.ts"), SCHEMA);
      await autogenerate({ cwd: project.dir, message: "shop", schema: "schema.ts" });
      await upgrade({ cwd: project.dir, target: "heads" });
      const db = await openDatabase({ url: sqliteUrl(dir.path) });
      await db.main.query("CREATE TABLE legacy_reports (id integer)");
      await db.close();
      const unfiltered = await check({ cwd: project.dir, schema: "schema.ts" }).catch((e: unknown) => e);
      expect((unfiltered as SchemaDifferences).lines).toEqual(["- table legacy_reports"]);
      writeFileSync(
        join(project.dir, "filtered.config.mjs"),
        `export default { url: ${JSON.stringify(sqliteUrl(dir.path))}, versionPaths: ["migrations"], includeName: (type, name) => !(type === "table" && name.startsWith("legacy_")) };\n`,
      );
      await expect(check({ cwd: project.dir, configFile: join(project.dir, "filtered.config.mjs"), schema: "schema.ts" })).resolves.toMatchObject({ clean: true });
    } finally {
      project.remove();
      dir.remove();
    }
  });
});
