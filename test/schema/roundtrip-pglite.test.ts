/**
 * The same declared schema on embedded PostgreSQL (PGlite, PostgreSQL 18): created from empty
 * with the diff's operations and read back, it compares equal to the declaration.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresDialect } from "../../src/dialects/postgres/index.js";
import { openDatabase, type Database } from "../../src/drivers/index.js";
import { createSchemaOps } from "../../src/schema/codegen.js";
import { diffSchemas } from "../../src/schema/diff.js";
import { boolean, check, defineSchema, enumType, func, index, integer, jsonb, materializedView, pgEnum, policy, rls, serial, sql, table, text, timestamptz, trigger, uuid, varchar, view } from "../../src/schema/dsl.js";
import { planRevision } from "../../src/schema/plan.js";

const status = pgEnum("status", ["open", "closed"]);
const declared = (withArchive: boolean) =>
  defineSchema({
    enums: [status],
    tables: [
      table(
        "tickets",
        {
          id: serial().primaryKey(),
          ref: uuid().notNull().default(sql`gen_random_uuid()`).unique(),
          title: varchar(200).notNull(),
          status: enumType(status).notNull().default("open"),
          data: jsonb().default(sql`'{}'::jsonb`),
          owner: text(),
          opened_at: timestamptz().notNull().default(sql`now()`),
          ...(withArchive ? { archived: boolean().notNull().default(false) } : {}),
        },
        [
          check("tickets_title_check", sql`length(title) BETWEEN 1 AND 200`),
          index("tickets_open_idx").on("opened_at").where(sql`status = 'open'`),
          index("tickets_data_gin").on("data").using("gin"),
          trigger("tickets_touch", sql`CREATE TRIGGER tickets_touch BEFORE UPDATE ON tickets FOR EACH ROW EXECUTE FUNCTION touch()`),
          rls(),
          policy("tickets_owner", { using: sql`owner = current_user` }),
        ],
      ),
      table("comments", { id: serial().primaryKey(), ticket_id: integer().notNull().references("tickets.id", { onDelete: "CASCADE" }), body: text() }),
    ],
    views: [
      view("open_tickets", sql`SELECT id, title FROM tickets WHERE status = 'open'`),
      materializedView("ticket_counts", sql`SELECT status, count(*) AS n FROM tickets GROUP BY status`).index(index("ticket_counts_status").on("status").unique()),
    ],
    functions: [func("touch", sql`CREATE OR REPLACE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$`)],
  }).toModel("postgresql");

describe("schema diff against PGlite", () => {
  let database: Database;
  beforeAll(async () => {
    database = await openDatabase({ url: "pglite:memory" });
  }, 30_000);
  afterAll(async () => {
    await database?.close();
  });

  const run = async (ops: ReturnType<typeof createSchemaOps>) => {
    for (const op of ops) for (const statement of postgresDialect.render(op, { offline: false })) await database.main.query(statement.sql, statement.params);
  };
  const introspect = () => postgresDialect.introspect(database.main, { schemas: ["public"], exclude: [] });
  const remaining = async (model: ReturnType<typeof declared>) => {
    const result = diffSchemas(await introspect(), model);
    return [...result.operations.map((op) => JSON.stringify(op)), ...result.manual];
  };

  it("reads a declared schema back with no difference, then follows a change up and down", async () => {
    await run(createSchemaOps(declared(false)));
    expect(await remaining(declared(false))).toEqual([]);
    const plan = planRevision(await introspect(), declared(true));
    await run(plan.upgradeOps);
    expect(await remaining(declared(true))).toEqual([]);
    await run(plan.downgradeOps);
    expect(await remaining(declared(false))).toEqual([]);
  }, 60_000);
});
