import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyOperations } from "../../src/schema/apply.js";
import { diffSchemas } from "../../src/schema/diff.js";
import type { ColumnModel, IndexModel, SchemaModel, TableModel } from "../../src/schema/model.js";
import { normalizeModel } from "../../src/schema/normalize.js";
import { tryReverseAll } from "../../src/ops/reverse.js";
import { col, fk, tbl } from "./builders.js";

const tableNames = ["a", "b", "c", "d"];
const types = ["integer", "text", "varchar(20)", "character varying(30)", "boolean", "bigint", "mood", "int4"];
const defaults: Record<string, string[]> = {
  integer: ["0", "7", "'-1'::integer"],
  int4: ["0", "7"],
  bigint: ["0", "42"],
  text: ["'x'", "'y'::text", "''"],
  "varchar(20)": ["'x'::character varying"],
  "character varying(30)": ["'z'"],
  boolean: ["true", "false"],
  mood: ["'a'::mood", "'b'"],
};
const enumMaster = ["a", "b", "c", "d", "e"];

const arbColumn = fc.record({
  present: fc.boolean(),
  type: fc.constantFrom(...types),
  nullable: fc.boolean(),
  defaultIndex: fc.option(fc.nat(2), { nil: undefined }),
  comment: fc.option(fc.constantFrom("note", "other"), { nil: undefined }),
  collation: fc.option(fc.constant("C"), { nil: undefined }),
});

const arbIndex = fc.record({
  columns: fc.subarray([0, 1, 2, 3], { minLength: 1, maxLength: 2 }),
  unique: fc.boolean(),
  method: fc.constantFrom("btree" as const, "hash" as const),
  where: fc.option(fc.constantFrom("id > 0", "(id < 100)"), { nil: undefined }),
  desc: fc.boolean(),
});

const arbTable = fc.record({
  present: fc.boolean(),
  schema: fc.constantFrom("public", "public", "app"),
  columns: fc.array(arbColumn, { minLength: 4, maxLength: 4 }),
  refs: fc.subarray(tableNames),
  onDelete: fc.constantFrom("NO ACTION" as const, "CASCADE" as const),
  unique: fc.option(fc.subarray([0, 1, 2, 3], { minLength: 1, maxLength: 2 }), { nil: undefined }),
  indexes: fc.array(arbIndex, { maxLength: 2 }),
  check: fc.option(fc.constantFrom("id > 0", "(id < 1000)", "id <> 5"), { nil: undefined }),
  comment: fc.option(fc.constantFrom("table a", "table b"), { nil: undefined }),
  compositeKey: fc.boolean(),
});

const arbModel = fc.record({
  tables: fc.array(arbTable, { minLength: 4, maxLength: 4 }),
  enumValues: fc.option(fc.subarray(enumMaster, { minLength: 1 }), { nil: undefined }),
  sequence: fc.boolean(),
  extension: fc.boolean(),
  views: fc.subarray(["v_a", "v_of_v", "mv_b"]),
  mvIndex: fc.boolean(),
  viewComment: fc.option(fc.constant("a view"), { nil: undefined }),
});

type ModelSpec = typeof arbModel extends fc.Arbitrary<infer T> ? T : never;

function buildModel(spec: ModelSpec): SchemaModel {
  const tables: TableModel[] = [];
  spec.tables.forEach((t, i) => {
    if (!t.present) return;
    const name = tableNames[i]!;
    const present = t.columns.map((c, k) => ({ ...c, name: `c${k}` })).filter((c) => c.present);
    const columns: ColumnModel[] = [col("id", "integer", { nullable: false })];
    for (const c of present) {
      const options = defaults[c.type]!;
      const extra: Partial<ColumnModel> = { nullable: c.nullable };
      if (c.defaultIndex !== undefined) extra.default = options[c.defaultIndex % options.length]!;
      if (c.comment !== undefined) extra.comment = c.comment;
      if (c.collation !== undefined && c.type.includes("text")) extra.collation = c.collation;
      columns.push(col(c.name, c.type, extra));
    }
    const table = tbl(name, columns, { schema: t.schema, primaryKey: { name: `${name}_pkey`, columns: t.compositeKey && present.length > 0 ? ["id", present[0]!.name] : ["id"] } });
    if (t.compositeKey && present.length > 0) columns.find((c) => c.name === present[0]!.name)!.nullable = false;
    const names = present.map((c) => c.name);
    const pick = (positions: number[]) => positions.map((p) => names[p]).filter((n): n is string => n !== undefined);
    if (t.unique && pick(t.unique).length > 0) table.uniques.push({ name: `${name}_uq`, columns: [...new Set(pick(t.unique))] });
    t.indexes.forEach((ix, k) => {
      const cols = [...new Set(pick(ix.columns))];
      if (cols.length === 0) return;
      const index: IndexModel = { name: `${name}_ix${k}`, unique: ix.unique, method: ix.method === "hash" && cols.length === 1 ? "hash" : "btree", keys: cols.map((c) => (ix.desc ? { column: c, order: "DESC" as const } : { column: c })), include: [] };
      if (ix.where) index.where = ix.where;
      table.indexes.push(index);
    });
    if (t.check) table.checks.push({ name: `${name}_ck`, expression: t.check, validated: true });
    if (t.comment) table.comment = t.comment;
    tables.push(table);
  });
  // Foreign keys only onto tables of this model, through their single-column key.
  spec.tables.forEach((t, i) => {
    const table = tables.find((x) => x.name === tableNames[i]);
    if (!table) return;
    for (const target of t.refs) {
      const referenced = tables.find((x) => x.name === target);
      if (!referenced || referenced.primaryKey!.columns.length !== 1) continue;
      table.columns.push(col(`ref_${target}`, "integer"));
      table.foreignKeys.push(fk(`${table.name}_ref_${target}_fkey`, [`ref_${target}`], target, ["id"], { refSchema: referenced.schema, onDelete: t.onDelete }));
    }
  });
  const model: SchemaModel = {
    dialect: "postgresql",
    schemas: tables.some((t) => t.schema === "app") ? ["app"] : [],
    extensions: spec.extension ? [{ name: "citext" }] : [],
    enums: spec.enumValues ? [{ schema: "public", name: "mood", values: spec.enumValues }] : [],
    sequences: spec.sequence ? [{ schema: "public", name: "tickets", start: 10, increment: 2, cycle: false }] : [],
    tables,
    views: [],
    functions: [],
  };
  const a = tables.find((t) => t.name === "a" && t.schema === "public");
  const b = tables.find((t) => t.name === "b" && t.schema === "public");
  if (a && spec.views.includes("v_a")) {
    model.views.push({ schema: "public", name: "v_a", definition: "SELECT id FROM a", materialized: false, indexes: [], ...(spec.viewComment ? { comment: spec.viewComment } : {}) });
    if (spec.views.includes("v_of_v")) model.views.push({ schema: "public", name: "v_of_v", definition: "SELECT id FROM v_a", materialized: false, indexes: [] });
  }
  if (b && spec.views.includes("mv_b")) {
    const indexes: IndexModel[] = spec.mvIndex ? [{ name: "mv_b_id", unique: true, method: "btree", keys: [{ column: "id" }], include: [] }] : [];
    model.views.push({ schema: "public", name: "mv_b", definition: "SELECT id FROM b", materialized: true, indexes });
  }
  return model;
}

/** Columns are compared as a set: a column added back lands at the end, as in a database. */
function comparable(model: SchemaModel, withEnums = true): SchemaModel {
  const copy = normalizeModel(model);
  for (const table of copy.tables) table.columns.sort((x, y) => (x.name < y.name ? -1 : 1));
  if (!withEnums) copy.enums = [];
  return copy;
}

/** The same random model as SQLite or MySQL would hold it: one schema, no PostgreSQL-only objects. */
function forDialect(model: SchemaModel, dialect: "sqlite" | "mysql"): SchemaModel {
  const schema = dialect === "sqlite" ? "main" : "app_db";
  const copy = structuredClone(model);
  copy.dialect = dialect;
  copy.schemas = [];
  copy.enums = [];
  copy.extensions = [];
  copy.sequences = [];
  copy.views = copy.views.filter((v) => !v.materialized).map((v) => ({ ...v, schema }));
  for (const table of copy.tables) {
    table.schema = schema;
    if (table.primaryKey) table.primaryKey = dialect === "mysql" ? { name: "PRIMARY", columns: table.primaryKey.columns } : { columns: table.primaryKey.columns };
    for (const column of table.columns) {
      if (column.type === "mood") column.type = "text";
      if (dialect === "mysql") delete column.collation;
    }
    for (const fk of table.foreignKeys) {
      if (dialect === "mysql") delete fk.refSchema;
      else fk.refSchema = schema;
    }
  }
  return copy;
}

function comparableFor(model: SchemaModel): SchemaModel {
  const copy = comparable(model);
  // A MySQL model's schema is the connected database, which operations never name.
  if (copy.dialect === "mysql") {
    for (const item of [...copy.tables, ...copy.views]) item.schema = "";
    copy.tables.sort((x, y) => (x.name < y.name ? -1 : 1));
    copy.views.sort((x, y) => (x.name < y.name ? -1 : 1));
  }
  return copy;
}

describe("diffSchemas (property)", () => {
  it.each(["sqlite", "mysql"] as const)("diff(A, B) applied to A gives B on %s, and diff(B, A) brings A back", (dialect) => {
    fc.assert(
      fc.property(arbModel, arbModel, (specA, specB) => {
        const a = forDialect(buildModel(specA), dialect);
        const b = forDialect(buildModel(specB), dialect);
        const forward = diffSchemas(a, b, { allowDrop: true });
        const applied = applyOperations(a, forward.operations);
        expect(comparableFor(applied)).toEqual(comparableFor(b));
        expect(diffSchemas(applied, b, { allowDrop: true }).operations).toEqual([]);
        const backward = diffSchemas(applied, a, { allowDrop: true });
        expect(comparableFor(applyOperations(applied, backward.operations))).toEqual(comparableFor(a));
      }),
      { numRuns: 200 },
    );
  });

  it("diff(A, B) applied to A gives B; its reverse, or diff(B, A), gives A back", () => {
    fc.assert(
      fc.property(arbModel, arbModel, (specA, specB) => {
        const a = buildModel(specA);
        const b = buildModel(specB);
        const forward = diffSchemas(a, b, { allowDrop: true });
        const enumsComparable = forward.manual.length === 0;
        const applied = applyOperations(a, forward.operations);
        expect(comparable(applied, enumsComparable)).toEqual(comparable(b, enumsComparable));
        // Nothing is left to do once the operations ran.
        expect(diffSchemas(applied, b, { allowDrop: true }).operations).toEqual([]);

        const reverse = tryReverseAll(forward.operations, "postgresql");
        if (reverse.irreversible.length === 0) {
          expect(comparable(applyOperations(applied, reverse.reversed))).toEqual(comparable(a));
        } else {
          // Only enum values cannot be taken back; the downgrade diff still restores everything else.
          expect(reverse.irreversible.every((op) => op.kind === "addEnumValue")).toBe(true);
        }
        const backward = diffSchemas(applied, a, { allowDrop: true });
        const restored = applyOperations(applied, backward.operations);
        const enumsBack = backward.manual.length === 0;
        expect(comparable(restored, enumsBack)).toEqual(comparable(a, enumsBack));
      }),
      { numRuns: 400 },
    );
  });

  it("finds no difference between a model and its own normalized copy", () => {
    fc.assert(
      fc.property(arbModel, (spec) => {
        const model = buildModel(spec);
        expect(diffSchemas(model, normalizeModel(model)).operations).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});
