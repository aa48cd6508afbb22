/**
 * The schema layer against a real PostgreSQL: a DSL declaration, created from empty with the
 * diff's operations, read back by introspection, must compare equal to the declaration; and a
 * later declaration must be reached by the diff's upgrade and left again by its downgrade.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresDialect } from "../../src/dialects/postgres/index.js";
import { openDatabase, type Database } from "../../src/drivers/index.js";
import type { Operation } from "../../src/ops/types.js";
import { createSchemaOps } from "../../src/schema/codegen.js";
import { diffSchemas } from "../../src/schema/diff.js";
import {
  bigint,
  boolean,
  check,
  custom,
  defineSchema,
  enumType,
  func,
  index,
  integer,
  jsonb,
  ltree,
  materializedView,
  numeric,
  pgEnum,
  policy,
  rls,
  serial,
  sql,
  table,
  text,
  timestamptz,
  trigger,
  unique,
  uuid,
  varchar,
  view,
  type SchemaDeclaration,
} from "../../src/schema/dsl.js";
import { emptySchema, type SchemaModel } from "../../src/schema/model.js";
import { planRevision } from "../../src/schema/plan.js";
import { createPostgresDatabase, type ScratchDatabase } from "../helpers/databases.js";

function declaration(version: 1 | 2): SchemaDeclaration {
  const status = pgEnum("alert_status", version === 1 ? ["open", "closed"] : ["new", "open", "acked", "closed"]);
  const assets = table(
    "assets",
    {
      id: serial().primaryKey(),
      name: varchar(100).notNull(),
      coating_type: version === 2 ? varchar(50) : text(),
      created_at: timestamptz().notNull().default(sql`CURRENT_TIMESTAMP`),
      tags: custom("text[]").default("{}"),
      meta: jsonb().default(sql`'{}'::jsonb`),
      ...(version === 2 ? { retired: boolean().notNull().default(false) } : {}),
    },
    [
      unique("assets_name_key", ["name"]),
      index("assets_meta_gin").on("meta").using("gin"),
      index("assets_created_idx").on({ column: "created_at", order: "DESC" }),
      ...(version === 2 ? [index("assets_active_idx").on("name").where(sql`NOT retired`)] : []),
    ],
  ).comment("physical things");
  const alerts = table(
    "alerts",
    {
      id: uuid().primaryKey().default(sql`gen_random_uuid()`),
      asset_id: integer().notNull().references("assets.id", { onDelete: "CASCADE" }),
      status: enumType(status).notNull().default("open"),
      severity: integer().notNull().default(1),
      score: numeric(6, 2),
      owner: text(),
      escalated_to: uuid().references("alerts.id"),
    },
    [
      check("alerts_severity_range", sql`severity BETWEEN 1 AND 5`),
      index("alerts_open_idx").on("asset_id").where(sql`status = 'open'`),
      trigger("alerts_touch", sql`CREATE TRIGGER alerts_touch BEFORE UPDATE ON alerts FOR EACH ROW EXECUTE FUNCTION touch()`),
      rls(),
      policy("alerts_owner", { command: "SELECT", using: sql`owner = CURRENT_USER` }),
    ],
  );
  const counters = table("counters", { id: bigint().primaryKey().identity({ always: true }), n: integer().default(0) });
  return {
    enums: [status],
    tables: version === 1 ? [assets, alerts, counters] : [assets, alerts],
    views: [
      view("open_alerts", sql`SELECT id, asset_id FROM alerts WHERE status = 'open'`),
      materializedView("alert_counts", sql`SELECT asset_id, count(*) AS n FROM alerts GROUP BY asset_id`).index(index("alert_counts_asset").on("asset_id").unique()),
    ],
    functions: [
      func("touch", sql`CREATE OR REPLACE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$`),
    ],
  };
}

const model = (version: 1 | 2) => defineSchema(declaration(version)).toModel("postgresql");

describe("schema diff against PostgreSQL", () => {
  let scratch: ScratchDatabase;
  let database: Database;

  beforeAll(async () => {
    scratch = await createPostgresDatabase("stratum_schema_roundtrip");
    database = await openDatabase({ url: scratch.url });
  });
  afterAll(async () => {
    await database?.close();
    await scratch?.drop();
  });

  async function run(ops: readonly Operation[]): Promise<void> {
    for (const op of ops) {
      for (const statement of postgresDialect.render(op, { offline: false })) {
        await database.main.query(statement.sql, statement.params);
      }
    }
  }

  const introspect = (): Promise<SchemaModel> => postgresDialect.introspect(database.main, { schemas: ["public"], exclude: [] });

  /** What still differs, as readable operation kinds (views' text is the catalog's own, so they are left out). */
  function remaining(from: SchemaModel, to: SchemaModel): string[] {
    const result = diffSchemas(from, to);
    return [...result.operations.map((op) => JSON.stringify(op)), ...result.manual];
  }

  it("creates a declared schema from empty, and reads it back with no difference", async () => {
    await run(createSchemaOps(model(1)));
    const live = await introspect();
    expect(remaining(live, model(1))).toEqual([]);
    expect(live.views.map((v) => v.name).sort()).toEqual(["alert_counts", "open_alerts"]);
    expect(live.functions.map((f) => f.name)).toEqual(["touch"]);
  });

  it("upgrades to a new declaration and downgrades back", async () => {
    const before = await introspect();
    const plan = planRevision(before, model(2));
    expect(plan.renameCandidates).toEqual([]);
    expect(plan.manual).toEqual([]);
    expect(plan.upgradeOps.map((op) => op.kind)).toContain("addEnumValue");
    // Enum values added inside the step cannot be used by it, so they run first on their own.
    const enumValues = plan.upgradeOps.filter((op) => op.kind === "addEnumValue");
    await run(enumValues);
    await run(plan.upgradeOps.filter((op) => op.kind !== "addEnumValue"));
    const after = await introspect();
    expect(remaining(after, model(2))).toEqual([]);

    // The views survived the column change under them: dropped and created again.
    expect(after.views.map((v) => v.name).sort()).toEqual(["alert_counts", "open_alerts"]);
    await run(plan.downgradeOps);
    const back = await introspect();
    // Enum values cannot be removed by PostgreSQL: the downgrade says so instead.
    expect(plan.downgradeManual).toEqual([expect.stringContaining("loses the value 'new'"), expect.stringContaining("loses the value 'acked'")]);
    expect(remaining({ ...back, enums: [] }, { ...model(1), enums: [] })).toEqual([]);
  });

  it("renames a column and a table when told to, keeping their rows", async () => {
    const v1 = defineSchema({ tables: [table("people", { id: serial().primaryKey(), fullname: text() })] }).toModel("postgresql");
    const v2 = defineSchema({ tables: [table("persons", { id: serial().primaryKey(), full_name: text() })] }).toModel("postgresql");
    await run(createSchemaOps(v1));
    await database.main.query("INSERT INTO people (fullname) VALUES ('Ada')");
    // Only this test's table: the earlier tests' objects stay as they are.
    const live = { ...emptySchema("postgresql"), tables: (await introspect()).tables.filter((t) => t.name === "people") };

    const unanswered = planRevision(live, v2);
    expect(unanswered.renameCandidates.map((c) => c.message)).toEqual([expect.stringContaining("--rename people=persons")]);

    const plan = planRevision(live, v2, { renames: { tables: { people: "persons" }, columns: { "people.fullname": "full_name" } } });
    expect(plan.upgradeOps.slice(0, 2).map((op) => op.kind)).toEqual(["renameTable", "alterColumn"]);
    expect(plan.upgradeOps.some((op) => op.kind === "dropTable" || op.kind === "dropColumn")).toBe(false);
    await run(plan.upgradeOps);
    const { rows } = await database.main.query<{ full_name: string }>("SELECT full_name FROM persons");
    expect(rows).toEqual([{ full_name: "Ada" }]);
    const after = await introspect();
    expect(remaining({ ...emptySchema("postgresql"), tables: after.tables.filter((t) => t.name === "persons") }, v2)).toEqual([]);

    await run(plan.downgradeOps);
    const back = await database.main.query<{ fullname: string }>("SELECT fullname FROM people");
    expect(back.rows).toEqual([{ fullname: "Ada" }]);
  });

  it("declares the Forecastin entities seed (ltree, GiST, full-text GIN, materialized view, trigger) with no difference", async () => {
    const entities = table(
      "entities",
      {
        id: uuid().primaryKey().default(sql`gen_random_uuid()`),
        name: text().notNull(),
        entity_type: text().notNull(),
        path: ltree().notNull(),
        path_depth: integer().notNull().default(0),
        is_active: boolean().notNull().default(true),
      },
      [
        index("entities_path_gist_idx").on("path").using("gist"),
        index("entities_name_fts_idx").on(sql`to_tsvector('english', name)`).using("gin"),
        index("entities_active_type_idx").on("entity_type").where(sql`is_active`),
        check("entities_depth_check", sql`path_depth >= 0`),
        trigger("entity_hierarchy_refresh", sql`CREATE TRIGGER entity_hierarchy_refresh AFTER INSERT OR UPDATE OR DELETE ON entities FOR EACH STATEMENT EXECUTE FUNCTION refresh_hierarchy_mv()`),
      ],
    );
    const seed = defineSchema({
      extensions: ["ltree"],
      tables: [entities],
      views: [
        materializedView("hierarchy_mv", sql`SELECT e.id, e.name, e.path, e.path_depth, nlevel(e.path) AS computed_depth FROM entities e WHERE e.is_active = true`).index(
          index("hierarchy_mv_id_idx").on("id").unique(),
          index("hierarchy_mv_path_gist_idx").on("path").using("gist"),
        ),
      ],
      functions: [
        func("refresh_hierarchy_mv", sql`CREATE OR REPLACE FUNCTION public.refresh_hierarchy_mv() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN REFRESH MATERIALIZED VIEW CONCURRENTLY hierarchy_mv; RETURN NULL; END; $$`),
      ],
    }).toModel("postgresql");
    const fresh = await createPostgresDatabase("stratum_schema_seed");
    const db = await openDatabase({ url: fresh.url });
    try {
      for (const op of createSchemaOps(seed)) for (const statement of postgresDialect.render(op, { offline: false })) await db.main.query(statement.sql, statement.params);
      const live = await postgresDialect.introspect(db.main, { schemas: ["public"], exclude: [] });
      const result = diffSchemas(live, seed);
      expect([...result.operations.map((op) => JSON.stringify(op)), ...result.manual]).toEqual([]);
    } finally {
      await db.close();
      await fresh.drop();
    }
  });
});
