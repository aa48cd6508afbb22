/**
 * Property: for random schemas A and B on the real PostgreSQL server, creating A, applying the
 * diff A→B and introspecting gives B; applying the diff back gives A again.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresDialect } from "../../src/dialects/postgres/index.js";
import type { Operation } from "../../src/ops/types.js";
import { diffSchemas } from "../../src/schema/diff.js";
import {
  boolean,
  check,
  defineSchema,
  enumType,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  serial,
  sql,
  table,
  text,
  timestamptz,
  varchar,
  view,
  type ColumnBuilder,
} from "../../src/schema/dsl.js";
import { emptySchema, type SchemaModel } from "../../src/schema/model.js";
import { createPostgresDatabase, type ScratchDatabase } from "../helpers/databases.js";
import { pgConnection, type CountingConnection } from "./connections.js";

const mood = pgEnum("mood", ["sad", "ok", "happy"]);

const columnKinds: Record<string, () => ColumnBuilder> = {
  int: () => integer(),
  int_default: () => integer().notNull().default(7),
  text: () => text(),
  short: () => varchar(40),
  long: () => varchar(200).notNull(),
  flag: () => boolean().notNull().default(false),
  amount: () => numeric(10, 2),
  at: () => timestamptz().default(sql`now()`),
  doc: () => jsonb(),
  mood: () => enumType(mood).default("ok"),
};

interface TableShape {
  columns: Record<string, keyof typeof columnKinds>;
  indexed: boolean;
  references: boolean;
  checked: boolean;
}

const tableShape: fc.Arbitrary<TableShape> = fc.record({
  columns: fc.dictionary(fc.constantFrom("a", "b", "c", "d", "e"), fc.constantFrom(...Object.keys(columnKinds)), { maxKeys: 4 }),
  indexed: fc.boolean(),
  references: fc.boolean(),
  checked: fc.boolean(),
});

interface SchemaShape {
  tables: Record<string, TableShape>;
  withView: boolean;
}

const schemaShape: fc.Arbitrary<SchemaShape> = fc.record({
  tables: fc.dictionary(fc.constantFrom("t1", "t2", "t3", "t4"), tableShape, { minKeys: 1, maxKeys: 4 }),
  withView: fc.boolean(),
});

function toModel(shape: SchemaShape): SchemaModel {
  const names = Object.keys(shape.tables).sort();
  const tables = names.map((name, position) => {
    const s = shape.tables[name]!;
    const columns: Record<string, ColumnBuilder> = { id: serial().primaryKey() };
    for (const [column, kind] of Object.entries(s.columns)) columns[`${column}_${kind}`] = columnKinds[kind]!();
    const previous = names[position - 1];
    if (s.references && previous) columns.parent_id = integer().references(`${previous}.id`, { onDelete: "CASCADE" });
    const first = Object.keys(columns)[1];
    const extras = [];
    if (s.indexed && first) extras.push(index(`${name}_${first}_idx`).on(first));
    if (s.checked) extras.push(check(`${name}_id_positive`, sql`id > 0`));
    return table(name, columns, extras);
  });
  const views = shape.withView ? [view("first_ids", sql`SELECT id FROM ${names[0]!}`)] : [];
  const usesMood = names.some((n) => Object.values(shape.tables[n]!.columns).includes("mood"));
  return defineSchema({ tables, views, enums: usesMood ? [mood] : [] }).toModel("postgresql");
}

describe("diff round trip on PostgreSQL (property)", () => {
  let db: ScratchDatabase;
  let connection: CountingConnection;
  beforeAll(async () => {
    db = await createPostgresDatabase();
    connection = await pgConnection(db.url);
  });
  afterAll(async () => {
    await connection?.close();
    await db?.drop();
  });

  async function apply(operations: readonly Operation[]): Promise<void> {
    for (const op of operations) {
      for (const each of op.kind === "autocommit" ? op.ops : [op]) {
        for (const statement of postgresDialect.render(each, { offline: false })) await connection.query(statement.sql, statement.params);
      }
    }
  }

  const read = () => postgresDialect.introspect(connection, { schemas: ["public"], exclude: [] });

  it("reaches B from A and comes back to A", async () => {
    await fc.assert(
      fc.asyncProperty(schemaShape, schemaShape, async (shapeA, shapeB) => {
        await connection.exec("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        const a = toModel(shapeA);
        const b = toModel(shapeB);
        await apply(diffSchemas(emptySchema("postgresql"), a).operations);
        const readA = await read();
        expect(diffSchemas(readA, a).operations).toEqual([]);

        await apply(diffSchemas(readA, b, { allowDrop: true }).operations);
        const readB = await read();
        expect(diffSchemas(readB, b).operations).toEqual([]);

        await apply(diffSchemas(readB, a, { allowDrop: true }).operations);
        expect(diffSchemas(await read(), a).operations).toEqual([]);
      }),
      { numRuns: 15, seed: 4242, endOnFailure: true },
    );
  });
});
