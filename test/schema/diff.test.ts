import { describe, expect, it } from "vitest";
import { StratumError, UsageError } from "../../src/errors.js";
import type { Operation } from "../../src/ops/types.js";
import { applyOperations } from "../../src/schema/apply.js";
import { diffSchemas, type DiffOptions } from "../../src/schema/diff.js";
import type { SchemaModel } from "../../src/schema/model.js";
import { emptySchema } from "../../src/schema/model.js";
import { normalizeModel } from "../../src/schema/normalize.js";
import { tryReverseAll } from "../../src/ops/reverse.js";
import { col, fk, idx, model, tbl, withId } from "./builders.js";

/** Column order is not compared: a column added back lands at the end, as in the database. */
function byColumnName(model: SchemaModel): SchemaModel {
  const copy = normalizeModel(model);
  for (const table of copy.tables) table.columns.sort((a, b) => (a.name < b.name ? -1 : 1));
  return copy;
}

/** Diffs, checks that the operations really turn `from` into `to` and back, and returns them. */
function diffAndCheck(from: SchemaModel, to: SchemaModel, options: DiffOptions = {}): Operation[] {
  const result = diffSchemas(from, to, options);
  expect(result.renameCandidates).toEqual([]);
  const applied = applyOperations(from, result.operations);
  expect(byColumnName(applied)).toEqual(byColumnName(to));
  const reverse = tryReverseAll(result.operations, from.dialect);
  expect(reverse.irreversible).toEqual([]);
  expect(byColumnName(applyOperations(applied, reverse.reversed))).toEqual(byColumnName(from));
  expect(diffSchemas(applied, to).operations).toEqual([]);
  return result.operations;
}

function kinds(ops: Operation[]): string[] {
  return ops.map((op) => {
    if (op.kind === "createTable" || op.kind === "dropTable") return `${op.kind} ${typeof op.table === "string" ? op.table : op.table.name}`;
    if (op.kind === "createForeignKey" || op.kind === "dropConstraint") return `${op.kind} ${op.name}`;
    if (op.kind === "createIndex" || op.kind === "dropIndex" || op.kind === "createView" || op.kind === "dropView") return `${op.kind} ${op.name}`;
    if (op.kind === "addColumn") return `addColumn ${op.column.name}`;
    if (op.kind === "dropColumn" || op.kind === "alterColumn") return `${op.kind} ${op.column}`;
    if (op.kind === "execute") return `execute ${op.sql}`;
    return op.kind;
  });
}

describe("diffSchemas: no phantom differences", () => {
  it("finds nothing between a model and itself", () => {
    const a = model({ tables: [withId("users", [col("email", "text")], { indexes: [idx("users_email", ["email"])] })] });
    expect(diffSchemas(a, a)).toEqual({ operations: [], renameCandidates: [], manual: [] });
  });

  it("treats type aliases, default spellings and expression formatting as equal", () => {
    const declared = model({
      tables: [
        tbl(
          "t",
          [
            col("a", "int4", { default: "0" }),
            col("b", "varchar(20)", { default: "'x'" }),
            col("c", "timestamptz", { default: "CURRENT_TIMESTAMP" }),
            col("d", "bool", { default: "true" }),
            col("e", "decimal(10, 2)", { default: "1.50" }),
          ],
          {
            checks: [{ name: "t_a_check", expression: "a > 0", validated: true }],
            indexes: [idx("t_live", ["a"], { where: "c IS NULL" })],
          },
        ),
      ],
    });
    const introspected = model({
      tables: [
        tbl(
          "t",
          [
            col("a", "integer", { default: "0" }),
            col("b", "character varying(20)", { default: "'x'::character varying" }),
            col("c", "timestamp with time zone", { default: "now()" }),
            col("d", "boolean", { default: "true" }),
            col("e", "numeric(10,2)", { default: "1.5" }),
          ],
          {
            checks: [{ name: "t_a_check", expression: "(a > 0)", validated: true }],
            indexes: [idx("t_live", ["a"], { where: "(c IS NULL)" })],
          },
        ),
      ],
    });
    expect(diffSchemas(introspected, declared).operations).toEqual([]);
  });

  it("treats an index key's default sort order as unset", () => {
    const a = model({ tables: [tbl("t", [col("a", "text")], { indexes: [idx("i", ["a"])] })] });
    const b = model({ tables: [tbl("t", [col("a", "text")], { indexes: [{ ...idx("i", []), keys: [{ column: "a", order: "ASC", nulls: "LAST" }] }] })] });
    expect(diffSchemas(a, b).operations).toEqual([]);
  });

  it("refuses to compare models of different dialects", () => {
    expect(() => diffSchemas(emptySchema("postgresql"), emptySchema("sqlite"))).toThrow(UsageError);
  });
});

describe("diffSchemas: tables and columns", () => {
  it("creates a table with its columns, keys and indexes, and drops it", () => {
    const b = model({
      tables: [
        withId("users", [col("email", "text", { nullable: false }), col("name", "varchar(50)", { default: "'anon'" })], {
          uniques: [{ name: "users_email_key", columns: ["email"] }],
          checks: [{ name: "users_name_check", expression: "length(name) > 0", validated: true }],
          indexes: [idx("users_name_idx", ["name"])],
          comment: "people",
        }),
      ],
    });
    const ops = diffAndCheck(model(), b);
    expect(ops).toEqual([
      {
        kind: "createTable",
        table: "users",
        columns: [
          { name: "id", type: "integer", primaryKey: true },
          { name: "email", type: "text", nullable: false },
          { name: "name", type: "character varying(50)", default: "anon" },
        ],
        checks: [{ name: "users_name_check", expression: "length(name) > 0" }],
        uniques: [{ name: "users_email_key", columns: ["email"] }],
        comment: "people",
      },
      { kind: "createIndex", name: "users_name_idx", table: "users", keys: ["name"] },
    ]);
    const drop = diffAndCheck(b, model());
    expect(kinds(drop)).toEqual(["dropIndex users_name_idx", "dropTable users"]);
    expect(drop[1]).toMatchObject({ kind: "dropTable", previous: { kind: "createTable", table: "users" } });
  });

  it("adds, drops and alters columns, keeping what reversal needs", () => {
    const a = model({ tables: [withId("t", [col("old", "text"), col("n", "integer", { default: "1" }), col("s", "varchar(10)")])] });
    const b = model({ tables: [withId("t", [col("n", "bigint", { nullable: false }), col("s", "varchar(10)", { default: "'x'" }), col("added", "boolean", { default: "false" })])] });
    const ops = diffAndCheck(a, b);
    expect(kinds(ops)).toEqual(["dropColumn old", "alterColumn n", "alterColumn s", "addColumn added"]);
    expect(ops[0]).toMatchObject({ previous: { name: "old", type: "text" } });
    expect(ops[1]).toMatchObject({ type: "bigint", nullable: false, default: null, previous: { type: "integer", nullable: true, default: 1 } });
    expect(ops[2]).toEqual({ kind: "alterColumn", table: "t", column: "s", default: "x", previous: { default: null } });
    expect(ops[3]).toEqual({ kind: "addColumn", table: "t", column: { name: "added", type: "boolean", default: false } });
  });

  it("renders a serial column as serial rather than a default on a missing sequence", () => {
    const b = model({ tables: [tbl("t", [col("id", "integer", { nullable: false, default: "nextval('t_id_seq'::regclass)" })])] });
    const ops = diffAndCheck(model(), b);
    expect(ops[0]).toMatchObject({ columns: [{ name: "id", type: "serial" }] });
  });

  it("changes identity, generated expression, collation and comments", () => {
    const a = model({ tables: [tbl("t", [col("a", "integer", { nullable: false }), col("b", "integer"), col("c", "text"), col("d", "text", { comment: "old" })], { comment: "x" })] });
    const b = model({
      tables: [
        tbl("t", [col("a", "integer", { nullable: false, identity: { always: true } }), col("b", "integer", { generated: "a * 2" }), col("c", "text", { collation: "C" }), col("d", "text")], {
          comment: "y",
        }),
      ],
    });
    const ops = diffAndCheck(a, b);
    expect(kinds(ops)).toEqual(["alterColumn a", "alterColumn b", "alterColumn c", "setComment", "setTableComment"]);
    expect(ops[0]).toMatchObject({ identity: { always: true } });
    expect(ops[3]).toEqual({ kind: "setComment", target: { type: "column", table: "t", column: "d" }, comment: null, previous: "old" });
    expect(ops[4]).toEqual({ kind: "setTableComment", table: "t", comment: "y", previous: "x" });
  });

  it("handles tables in a non-default schema, creating the schema first", () => {
    const b = model({ schemas: ["app"], tables: [{ ...withId("orders"), schema: "app", primaryKey: { name: "orders_pkey", columns: ["id"] } }] });
    const ops = diffAndCheck(model(), b);
    expect(ops[0]).toEqual({ kind: "createSchema", name: "app" });
    expect(ops[1]).toMatchObject({ kind: "createTable", table: { schema: "app", name: "orders" } });
    expect(kinds(diffAndCheck(b, model()))).toEqual(["dropTable orders", "dropSchema"]);
  });
});

describe("diffSchemas: keys, constraints and indexes", () => {
  it("replaces a changed primary key and rebuilds foreign keys that point at it", () => {
    const a = model({
      tables: [withId("parent", [col("code", "text", { nullable: false })]), withId("child", [col("parent_id", "integer")], { foreignKeys: [fk("child_parent_id_fkey", ["parent_id"], "parent")] })],
    });
    const b = model({
      tables: [
        { ...withId("parent", [col("code", "text", { nullable: false })]), primaryKey: { name: "parent_pkey", columns: ["id", "code"] } },
        withId("child", [col("parent_id", "integer")], { foreignKeys: [fk("child_parent_id_fkey", ["parent_id"], "parent")] }),
      ],
    });
    const ops = diffAndCheck(a, b);
    expect(kinds(ops)).toEqual(["dropConstraint child_parent_id_fkey", "dropConstraint parent_pkey", "createPrimaryKey", "createForeignKey child_parent_id_fkey"]);
  });

  it("leaves a primary key alone when only its name differs (a renamed table keeps its old key name)", () => {
    const a = model({ tables: [withId("people")] });
    const b = model({ tables: [{ ...withId("people"), primaryKey: { name: "persons_pkey", columns: ["id"] } }] });
    expect(diffSchemas(a, b).operations).toEqual([]);
  });

  it("treats a serial column's own sequence as the same default after a table rename", () => {
    const a = model({ tables: [tbl("persons", [col("id", "integer", { nullable: false, default: "nextval('people_id_seq'::regclass)" })])] });
    const b = model({ tables: [tbl("persons", [col("id", "integer", { nullable: false, default: "nextval('persons_id_seq'::regclass)" })])] });
    expect(diffSchemas(a, b).operations).toEqual([]);
    const other = model({ tables: [tbl("persons", [col("id", "integer", { nullable: false, default: "nextval('tickets'::regclass)" })])] });
    expect(kinds(diffSchemas(a, other).operations)).toEqual(["alterColumn id"]);
  });

  it("compares foreign key actions, deferrability and validation", () => {
    const base = (extra: Parameters<typeof fk>[4]) =>
      model({ tables: [withId("p"), withId("c", [col("p_id", "integer")], { foreignKeys: [fk("c_p_id_fkey", ["p_id"], "p", ["id"], extra)] })] });
    expect(kinds(diffAndCheck(base({}), base({ onDelete: "CASCADE" })))).toEqual(["dropConstraint c_p_id_fkey", "createForeignKey c_p_id_fkey"]);
    const deferrable = diffAndCheck(base({}), base({ deferrable: true, initiallyDeferred: true }));
    expect(deferrable[1]).toMatchObject({ deferrable: true, initiallyDeferred: true });
    // Validation state alone is not a difference worth rebuilding a constraint for:
    // a key added NOT VALID is validated in place, and a valid one is left valid.
    expect(diffSchemas(base({ validated: false }), base({})).operations).toEqual([{ kind: "validateConstraint", table: "c", name: "c_p_id_fkey" }]);
    expect(diffSchemas(base({}), base({ validated: false })).operations).toEqual([]);
  });

  it("compares indexes on every property and rebuilds changed ones", () => {
    const withIndex = (index: ReturnType<typeof idx>) => model({ tables: [tbl("t", [col("a", "text"), col("b", "tsvector"), col("c", "integer")], { indexes: [index] })] });
    const plain = idx("t_i", ["a"]);
    const variants = [
      { ...plain, unique: true },
      { ...plain, method: "hash" as const },
      { ...plain, keys: [{ column: "a", order: "DESC" as const }] },
      { ...plain, keys: [{ column: "a", opclass: "text_pattern_ops" }] },
      { ...plain, keys: [{ expression: "lower(a)" }] },
      { ...plain, where: "c > 0" },
      { ...plain, include: ["c"] },
      { ...plain, keys: [{ column: "a" }, { column: "c" }] },
    ];
    for (const variant of variants) {
      expect(kinds(diffAndCheck(withIndex(plain), withIndex(variant)))).toEqual(["dropIndex t_i", "createIndex t_i"]);
    }
    const gin = diffAndCheck(model({ tables: [tbl("t", [col("b", "tsvector")])] }), withIndex({ ...idx("t_b", ["b"]), method: "gin" }).tables[0] ? model({ tables: [tbl("t", [col("b", "tsvector")], { indexes: [{ ...idx("t_b", ["b"]), method: "gin" }] })] }) : model());
    expect(gin).toEqual([{ kind: "createIndex", name: "t_b", table: "t", keys: ["b"], method: "gin" }]);
  });

  it("validates a check constraint that was added NOT VALID", () => {
    const withCheck = (validated: boolean) => model({ tables: [tbl("t", [col("a", "integer")], { checks: [{ name: "t_a", expression: "a > 0", validated }] })] });
    expect(diffSchemas(withCheck(false), withCheck(true)).operations).toEqual([{ kind: "validateConstraint", table: "t", name: "t_a" }]);
    expect(diffSchemas(withCheck(true), withCheck(false)).operations).toEqual([]);
  });

  it("adds and drops unique, check and exclusion constraints", () => {
    const a = model({ tables: [tbl("r", [col("room", "integer"), col("during", "tstzrange")], { checks: [{ name: "r_room", expression: "room > 0", validated: true }] })] });
    const b = model({
      tables: [
        tbl("r", [col("room", "integer"), col("during", "tstzrange")], {
          checks: [{ name: "r_room", expression: "room > 1", validated: true }],
          uniques: [{ name: "r_room_key", columns: ["room"] }],
          excludes: [{ name: "r_no_overlap", method: "gist", elements: [{ expression: "room", operator: "=" }, { expression: "during", operator: "&&" }] }],
        }),
      ],
    });
    expect(kinds(diffAndCheck(a, b))).toEqual(["dropConstraint r_room", "createUniqueConstraint", "createCheckConstraint", "createExcludeConstraint"]);
  });
});

describe("diffSchemas: ordering", () => {
  it("creates tables in foreign-key order and drops them in reverse", () => {
    const b = model({
      tables: [
        withId("a_comments", [col("post_id", "integer")], { foreignKeys: [fk("a_comments_post_id_fkey", ["post_id"], "m_posts")] }),
        withId("m_posts", [col("user_id", "integer")], { foreignKeys: [fk("m_posts_user_id_fkey", ["user_id"], "z_users")] }),
        withId("z_users"),
      ],
    });
    expect(kinds(diffAndCheck(model(), b))).toEqual(["createTable z_users", "createTable m_posts", "createTable a_comments"]);
    expect(kinds(diffAndCheck(b, model()))).toEqual(["dropTable a_comments", "dropTable m_posts", "dropTable z_users"]);
  });

  it("adds foreign keys that form a cycle after both tables exist, and cuts them before dropping", () => {
    const b = model({
      tables: [
        withId("a", [col("b_id", "integer")], { foreignKeys: [fk("a_b_id_fkey", ["b_id"], "b")] }),
        withId("b", [col("a_id", "integer")], { foreignKeys: [fk("b_a_id_fkey", ["a_id"], "a")] }),
        withId("selfish", [col("parent_id", "integer")], { foreignKeys: [fk("selfish_parent_id_fkey", ["parent_id"], "selfish")] }),
      ],
    });
    const create = diffAndCheck(model(), b);
    expect(kinds(create)).toEqual(["createTable selfish", "createTable a", "createTable b", "createForeignKey a_b_id_fkey"]);
    expect(create[0]).toHaveProperty("foreignKeys");
    expect(create[1]).not.toHaveProperty("foreignKeys");
    expect(create[2]).toHaveProperty("foreignKeys");
    const drop = diffAndCheck(b, model());
    expect(kinds(drop)).toEqual(["dropConstraint a_b_id_fkey", "dropTable b", "dropTable a", "dropTable selfish"]);
  });

  it("orders a long foreign-key chain without recursion", () => {
    const tables = Array.from({ length: 3000 }, (_, i) =>
      withId(`t${String(i).padStart(4, "0")}`, i === 0 ? [] : [col("prev_id", "integer")], {
        foreignKeys: i === 0 ? [] : [fk(`t${i}_fk`, ["prev_id"], `t${String(i - 1).padStart(4, "0")}`)],
      }),
    );
    const reversed = model({ tables: [...tables].reverse() });
    const ops = diffSchemas(model(), reversed).operations;
    expect(ops).toHaveLength(3000);
    expect(ops.every((op, i) => op.kind === "createTable" && op.table === `t${String(i).padStart(4, "0")}`)).toBe(true);
  });

  it("creates enums, extensions and sequences before tables, and drops them after", () => {
    const b = model({
      extensions: [{ name: "citext" }],
      enums: [{ schema: "public", name: "mood", values: ["sad", "happy"] }],
      sequences: [{ schema: "public", name: "ticket_seq", start: 100, increment: 1, cycle: false }],
      tables: [tbl("t", [col("m", "mood"), col("e", "citext"), col("n", "bigint", { default: "nextval('ticket_seq'::regclass)" })])],
    });
    const ops = diffAndCheck(model(), b);
    expect(kinds(ops)).toEqual(["createExtension", "createEnum", "createSequence", "createTable t"]);
    expect(ops[2]).toEqual({ kind: "createSequence", name: "ticket_seq", start: 100 });
    expect(kinds(diffAndCheck(b, model()))).toEqual(["dropTable t", "dropSequence", "dropEnum", "dropExtension"]);
  });

  it("creates views after their tables and views they read, and drops them first", () => {
    const b = model({
      tables: [withId("users", [col("active", "boolean")])],
      views: [
        { schema: "public", name: "active_names", definition: "SELECT id FROM active_users", materialized: false, indexes: [] },
        { schema: "public", name: "active_users", definition: "SELECT id FROM users WHERE active", materialized: false, indexes: [] },
        { schema: "public", name: "stats", definition: "SELECT count(*) AS n FROM users", materialized: true, indexes: [idx("stats_n", ["n"], { unique: true })] },
      ],
    });
    expect(kinds(diffAndCheck(model(), b))).toEqual(["createTable users", "createView active_users", "createView stats", "createIndex stats_n", "createView active_names"]);
    expect(kinds(diffAndCheck(b, model()))).toEqual(["dropView active_names", "dropIndex stats_n", "dropView stats", "dropView active_users", "dropTable users"]);
  });

  it("rebuilds a changed view and the views that read it, around the table change", () => {
    const views = (definition: string) => [
      { schema: "public", name: "v1", definition, materialized: false, indexes: [] },
      { schema: "public", name: "v2", definition: "SELECT * FROM v1", materialized: false, indexes: [] },
      { schema: "public", name: "unrelated", definition: "SELECT 1", materialized: false, indexes: [] },
    ];
    const a = model({ tables: [withId("users", [col("name", "text")])], views: views("SELECT id FROM users") });
    const b = model({ tables: [withId("users", [col("name", "text")])], views: views("SELECT id, name FROM users") });
    expect(kinds(diffAndCheck(a, b))).toEqual(["dropView v2", "dropView v1", "createView v1", "createView v2"]);
    // A column type change under a view: the view goes first and comes back after.
    const c = model({ tables: [withId("users", [col("name", "varchar(10)")])], views: views("SELECT id, name FROM users") });
    expect(kinds(diffAndCheck(b, c))).toEqual(["dropView v2", "dropView v1", "alterColumn name", "createView v1", "createView v2"]);
  });

  it("changes materialized view indexes and view comments without rebuilding the view", () => {
    const view = (indexes: ReturnType<typeof idx>[], comment?: string) =>
      model({ tables: [withId("t")], views: [{ schema: "public", name: "mv", definition: "SELECT id FROM t", materialized: true, indexes, ...(comment ? { comment } : {}) }] });
    expect(kinds(diffAndCheck(view([]), view([idx("mv_id", ["id"], { unique: true })], "hi")))).toEqual(["createIndex mv_id", "setComment"]);
  });
});

describe("diffSchemas: enums", () => {
  const enumModel = (values: string[]) => model({ enums: [{ schema: "public", name: "mood", values }] });

  it("adds a value at its declared position with BEFORE or AFTER", () => {
    const ops = diffAndCheckForward(enumModel(["b", "d"]), enumModel(["a", "b", "c", "d", "e"]));
    expect(ops).toEqual([
      { kind: "addEnumValue", name: "mood", value: "a", before: "b" },
      { kind: "addEnumValue", name: "mood", value: "c", after: "b" },
      { kind: "addEnumValue", name: "mood", value: "e" },
    ]);
  });

  it("places consecutive new values after one another", () => {
    const ops = diffAndCheckForward(enumModel(["a", "z"]), enumModel(["a", "b", "c", "z"]));
    expect(ops).toEqual([
      { kind: "addEnumValue", name: "mood", value: "b", after: "a" },
      { kind: "addEnumValue", name: "mood", value: "c", after: "b" },
    ]);
  });

  it("reports a removed or reordered value as needing a hand-written migration", () => {
    const removed = diffSchemas(enumModel(["a", "b"]), enumModel(["a"]));
    expect(removed.operations).toEqual([]);
    expect(removed.manual).toEqual([expect.stringContaining("Enum mood loses the value 'b'")]);
    const reordered = diffSchemas(enumModel(["a", "b"]), enumModel(["b", "a"]));
    expect(reordered.manual).toEqual([expect.stringContaining("reorders")]);
  });

  function diffAndCheckForward(a: SchemaModel, b: SchemaModel): Operation[] {
    const { operations } = diffSchemas(a, b);
    expect(applyOperations(a, operations)).toEqual(normalizeModel(b));
    return operations;
  }
});

describe("diffSchemas: sequences, functions, triggers, policies", () => {
  it("alters a changed sequence instead of recreating it", () => {
    const seq = (increment: number) => model({ sequences: [{ schema: "public", name: "s", start: 1, increment, cycle: false }] });
    expect(diffSchemas(seq(1), seq(5)).operations).toEqual([{ kind: "execute", sql: 'ALTER SEQUENCE "s" INCREMENT BY 5;' }]);
    expect(diffSchemas(seq(1), { ...seq(1), sequences: [{ schema: "public", name: "s", start: 1, increment: 1, cycle: false, minValue: 1, maxValue: 9223372036854775807 }] }).operations).toEqual([]);
  });

  it("replaces functions, creates them before triggers, and drops triggers before functions", () => {
    const fnDef = (body: string) => `CREATE OR REPLACE FUNCTION public.audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${body}; RETURN NEW; END $$`;
    const fn = (body: string) => ({ schema: "public", name: "audit", signature: "", kind: "function" as const, definition: fnDef(body) });
    const trigger = { name: "t_audit", definition: "CREATE TRIGGER t_audit AFTER INSERT ON public.t FOR EACH ROW EXECUTE FUNCTION audit()" };
    const a = model({ tables: [withId("t")] });
    const b = model({ tables: [withId("t", [], { triggers: [trigger] })], functions: [fn("NULL")] });
    expect(kinds(diffSchemas(a, b).operations)).toEqual([`execute ${fnDef("NULL")};`, `execute ${trigger.definition};`]);
    const c = model({ tables: [withId("t", [], { triggers: [trigger] })], functions: [fn("PERFORM 1")] });
    expect(kinds(diffSchemas(b, c).operations)).toEqual([`execute ${fnDef("PERFORM 1")};`]);
    expect(kinds(diffSchemas(b, a).operations)).toEqual(['execute DROP TRIGGER "t_audit" ON "t";', 'execute DROP FUNCTION "audit"();']);
    // Only spacing differs: nothing to do.
    expect(diffSchemas(b, model({ tables: [withId("t", [], { triggers: [{ ...trigger, definition: trigger.definition + ";\n" }] })], functions: [fn("NULL")] })).operations).toEqual([]);
  });

  it("sets and clears function comments", () => {
    const fn = (comment?: string) => ({ schema: "public", name: "f", signature: "integer", kind: "function" as const, definition: "CREATE FUNCTION f(integer) RETURNS integer LANGUAGE sql AS 'SELECT 1'", ...(comment ? { comment } : {}) });
    expect(diffSchemas(model({ functions: [fn()] }), model({ functions: [fn("doc")] })).operations).toEqual([
      { kind: "setComment", target: { type: "function", name: "f", signature: "integer" }, comment: "doc", previous: null },
    ]);
    expect(diffSchemas(model({ functions: [fn("doc")] }), model({ functions: [fn()] })).operations).toEqual([
      { kind: "setComment", target: { type: "function", name: "f", signature: "integer" }, comment: null, previous: "doc" },
    ]);
  });

  it("enables row-level security and creates, changes and drops policies", () => {
    const policy = { name: "own_rows", command: "SELECT" as const, permissive: true, roles: ["app_user"], using: "(owner = CURRENT_USER)" };
    const a = model({ tables: [withId("t", [col("owner", "text")])] });
    const b = model({ tables: [withId("t", [col("owner", "text")], { rowLevelSecurity: true, policies: [policy] })] });
    expect(kinds(diffSchemas(a, b).operations)).toEqual([
      'execute ALTER TABLE "t" ENABLE ROW LEVEL SECURITY;',
      'execute CREATE POLICY "own_rows" ON "t" FOR SELECT TO app_user USING ((owner = CURRENT_USER));',
    ]);
    const c = model({ tables: [withId("t", [col("owner", "text")], { rowLevelSecurity: true, policies: [{ ...policy, permissive: false, command: "ALL" }] })] });
    expect(kinds(diffSchemas(b, c).operations)).toEqual([
      'execute DROP POLICY "own_rows" ON "t";',
      'execute CREATE POLICY "own_rows" ON "t" AS RESTRICTIVE TO app_user USING ((owner = CURRENT_USER));',
    ]);
    expect(kinds(diffSchemas(b, a).operations)).toEqual(['execute DROP POLICY "own_rows" ON "t";', 'execute ALTER TABLE "t" DISABLE ROW LEVEL SECURITY;']);
  });

  it("creates the triggers, policies and RLS of a new table after the table", () => {
    const trigger = { name: "trg", definition: "CREATE TRIGGER trg BEFORE UPDATE ON public.t FOR EACH ROW EXECUTE FUNCTION f()" };
    const b = model({ tables: [withId("t", [], { triggers: [trigger], rowLevelSecurity: true })] });
    expect(kinds(diffSchemas(model(), b).operations)).toEqual(["createTable t", 'execute ALTER TABLE "t" ENABLE ROW LEVEL SECURITY;', `execute ${trigger.definition};`]);
  });
});

describe("diffSchemas: renames", () => {
  const before = model({
    tables: [
      withId("users", [col("fullname", "text"), col("age", "integer")], { indexes: [idx("users_fullname_idx", ["fullname"])] }),
      withId("posts", [col("user_id", "integer")], { foreignKeys: [fk("posts_user_id_fkey", ["user_id"], "users")] }),
    ],
  });
  const after = model({
    tables: [
      withId("people", [col("full_name", "text"), col("age", "integer")], { indexes: [idx("users_fullname_idx", ["full_name"])], primaryKey: { name: "users_pkey", columns: ["id"] } }),
      withId("posts", [col("user_id", "integer")], { foreignKeys: [fk("posts_user_id_fkey", ["user_id"], "people")] }),
    ],
  });

  it("reports a table that looks renamed and holds back its drop and creation", () => {
    const result = diffSchemas(before, after);
    expect(result.renameCandidates).toEqual([
      {
        kind: "table",
        from: "users",
        to: "people",
        message: expect.stringContaining("--rename users=people"),
      },
    ]);
    expect(result.operations.some((op) => op.kind === "dropTable" || op.kind === "createTable")).toBe(false);
  });

  it("reports a column that looks renamed", () => {
    const a = model({ tables: [withId("users", [col("fullname", "text")])] });
    const b = model({ tables: [withId("users", [col("full_name", "text")])] });
    const result = diffSchemas(a, b);
    expect(result.renameCandidates).toEqual([expect.objectContaining({ kind: "column", table: "users", from: "fullname", to: "full_name" })]);
    expect(result.renameCandidates[0]!.message).toContain("--rename users.fullname=full_name");
    expect(result.operations).toEqual([]);
  });

  it("renames tables and columns when told to, carrying foreign keys and indexes along", () => {
    const ops = diffAndCheck(before, after, { renames: { tables: { users: "people" }, columns: { "people.fullname": "full_name" } } });
    expect(ops).toEqual([
      { kind: "renameTable", table: "users", newName: "people" },
      { kind: "alterColumn", table: "people", column: "fullname", newName: "full_name", previous: { name: "fullname" } },
    ]);
  });

  it("drops and adds when drops are allowed", () => {
    const a = model({ tables: [withId("users", [col("fullname", "text")])] });
    const b = model({ tables: [withId("users", [col("full_name", "text")])] });
    const result = diffSchemas(a, b, { allowDrop: true });
    expect(result.renameCandidates).toEqual([]);
    expect(kinds(result.operations)).toEqual(["dropColumn fullname", "addColumn full_name"]);
  });

  it("does not call a drop plus an unrelated add a rename", () => {
    const a = model({ tables: [withId("users", [col("fullname", "text")])] });
    const b = model({ tables: [withId("users", [col("born", "date")])] });
    const result = diffSchemas(a, b);
    expect(result.renameCandidates).toEqual([]);
    expect(kinds(result.operations)).toEqual(["dropColumn fullname", "addColumn born"]);
  });

  it.each([
    [{ tables: { ghosts: "people" } }, "Cannot rename table ghosts: it does not exist"],
    [{ tables: { users: "nobody" } }, "nobody is not in the desired schema"],
    [{ columns: { fullname: "x" } }, "must name the table"],
    [{ columns: { "users.nope": "full_name" } }, "has no column nope"],
    [{ columns: { "users.fullname": "nope" } }, "nope is not in the desired schema"],
  ])("rejects a rename answer that does not fit: %j", (renames, message) => {
    const a = model({ tables: [withId("users", [col("fullname", "text")])] });
    const b = model({ tables: [withId("users", [col("full_name", "text")])] });
    const run = () => diffSchemas(a, b, { renames });
    expect(run).toThrow(StratumError);
    expect(run).toThrow(message);
  });
});

describe("diffSchemas: SQLite", () => {
  const sqlite = (tables: ReturnType<typeof tbl>[]): SchemaModel => ({ ...emptySchema("sqlite"), tables: tables.map((t) => ({ ...t, schema: "main" })) });

  it("gathers a table's changes that need a rebuild into one batch", () => {
    const a = sqlite([tbl("t", [col("id", "integer", { nullable: false }), col("a", "text"), col("b", "integer")], { primaryKey: { columns: ["id"] } })]);
    const b = sqlite([
      tbl("t", [col("id", "integer", { nullable: false }), col("a", "text", { nullable: false }), col("b", "integer"), col("c", "text")], {
        primaryKey: { columns: ["id"] },
        checks: [{ name: "t_b", expression: "b > 0", validated: true }],
        indexes: [idx("t_c", ["c"])],
      }),
    ]);
    const ops = diffSchemas(a, b).operations;
    expect(ops).toEqual([
      {
        kind: "batch",
        table: "t",
        ops: [
          { kind: "alterColumn", table: "t", column: "a", nullable: false, previous: { nullable: true } },
          { kind: "addColumn", table: "t", column: { name: "c", type: "text" } },
          { kind: "createCheckConstraint", table: "t", name: "t_b", expression: "b > 0" },
          { kind: "createIndex", name: "t_c", table: "t", keys: ["c"] },
        ],
      },
    ]);
    expect(applyOperations(a, ops)).toEqual(normalizeModel(b));
  });

  it("leaves changes SQLite makes natively as plain operations", () => {
    const a = sqlite([tbl("t", [col("a", "text")])]);
    const b = sqlite([tbl("t", [col("a", "text"), col("b", "integer")], { indexes: [idx("t_b", ["b"])] })]);
    expect(kinds(diffSchemas(a, b).operations)).toEqual(["addColumn b", "createIndex t_b"]);
  });
});
