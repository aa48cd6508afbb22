import { describe, expect, it } from "vitest";
import { StratumError } from "../../src/errors.js";
import type { OperationExecutor } from "../../src/ops/executor.js";
import { RecordingExecutor } from "../../src/ops/executor.js";
import { Op } from "../../src/ops/op.js";
import { sql } from "../../src/ops/types.js";
import type { Operation } from "../../src/ops/types.js";
import { OperationArgumentError } from "../../src/ops/validate.js";

function recorder(): { op: Op; ops: Operation[] } {
  const executor = new RecordingExecutor("postgresql");
  return { op: new Op(executor), ops: executor.operations };
}

/** Calls an `op` method the way an untyped .js revision could. */
function untyped(op: Op): Record<string, (...args: unknown[]) => Promise<void>> {
  return op as unknown as Record<string, (...args: unknown[]) => Promise<void>>;
}

describe("the op facade builds one operation per call", () => {
  it("tables and columns", async () => {
    const { op, ops } = recorder();
    await op.createTable(
      "assets",
      [
        { name: "id", type: "uuid", primaryKey: true, default: sql`gen_random_uuid()` },
        { name: "name", type: "text", nullable: false },
      ],
      { comment: "things", ifNotExists: true },
    );
    await op.addColumn("assets", { name: "coating_type", type: "varchar(50)" });
    await op.alterColumn("assets", "coating_type", { type: "varchar(80)", nullable: false });
    await op.dropColumn("assets", "coating_type", { ifExists: true });
    await op.renameTable("assets", "items");
    await op.setTableComment("items", null);
    await op.dropTable({ schema: "app", name: "items" }, { cascade: true });
    expect(ops).toEqual([
      {
        kind: "createTable",
        table: "assets",
        columns: [
          { name: "id", type: "uuid", primaryKey: true, default: { kind: "sql", text: "gen_random_uuid()" } },
          { name: "name", type: "text", nullable: false },
        ],
        comment: "things",
        ifNotExists: true,
      },
      { kind: "addColumn", table: "assets", column: { name: "coating_type", type: "varchar(50)" } },
      { kind: "alterColumn", table: "assets", column: "coating_type", type: "varchar(80)", nullable: false },
      { kind: "dropColumn", table: "assets", column: "coating_type", ifExists: true },
      { kind: "renameTable", table: "assets", newName: "items" },
      { kind: "setTableComment", table: "items", comment: null },
      { kind: "dropTable", table: { schema: "app", name: "items" }, cascade: true },
    ]);
  });

  it("indexes and constraints, in Alembic's argument order", async () => {
    const { op, ops } = recorder();
    await op.createIndex("ix_name", "t", ["col"], { concurrently: true, where: "deleted_at IS NULL", method: "gin" });
    await op.dropIndex("ix_name", { table: "t", concurrently: true });
    await op.createPrimaryKey("t_pk", "t", ["id"]);
    await op.createPrimaryKey(undefined, "u", ["id"]);
    await op.createUniqueConstraint("t_code_key", "t", ["code"]);
    await op.createUniqueConstraint("t_code_key2", "t", [], { usingIndex: "t_code_idx" });
    await op.createForeignKey("t_user_fk", "t", "users", ["user_id"], ["id"], { onDelete: "CASCADE", notValid: true });
    await op.createCheckConstraint("t_score", "t", "score BETWEEN 0 AND 1", { notValid: true });
    await op.createExcludeConstraint("t_no_overlap", "t", [["room", "="], { expression: "during", operator: "&&" }], { where: "active" });
    await op.validateConstraint("t_user_fk", "t");
    await op.dropConstraint("t_score", "t", { type: "check" });
    expect(ops).toEqual([
      { kind: "createIndex", name: "ix_name", table: "t", keys: ["col"], concurrently: true, where: "deleted_at IS NULL", method: "gin" },
      { kind: "dropIndex", name: "ix_name", table: "t", concurrently: true },
      { kind: "createPrimaryKey", table: "t", name: "t_pk", columns: ["id"] },
      { kind: "createPrimaryKey", table: "u", columns: ["id"] },
      { kind: "createUniqueConstraint", table: "t", name: "t_code_key", columns: ["code"] },
      { kind: "createUniqueConstraint", table: "t", name: "t_code_key2", columns: [], usingIndex: "t_code_idx" },
      {
        kind: "createForeignKey",
        table: "t",
        name: "t_user_fk",
        columns: ["user_id"],
        refTable: "users",
        refColumns: ["id"],
        onDelete: "CASCADE",
        notValid: true,
      },
      { kind: "createCheckConstraint", table: "t", name: "t_score", expression: "score BETWEEN 0 AND 1", notValid: true },
      {
        kind: "createExcludeConstraint",
        table: "t",
        name: "t_no_overlap",
        elements: [
          { expression: "room", operator: "=" },
          { expression: "during", operator: "&&" },
        ],
        where: "active",
      },
      { kind: "validateConstraint", table: "t", name: "t_user_fk" },
      { kind: "dropConstraint", table: "t", name: "t_score", type: "check" },
    ]);
  });

  it("PostgreSQL objects", async () => {
    const { op, ops } = recorder();
    await op.createSchema("app", { ifNotExists: true });
    await op.dropSchema("app", { cascade: true });
    await op.createExtension("ltree", { ifNotExists: true });
    await op.dropExtension("ltree", { ifExists: true });
    await op.createEnum("mood", ["sad", "ok"], { schema: "app" });
    await op.addEnumValue("mood", "happy", { after: "ok", schema: "app" });
    await op.renameEnumValue("mood", "sad", "unhappy");
    await op.dropEnum("mood", { ifExists: true });
    await op.createSequence("seq", { start: 10, increment: 2 });
    await op.dropSequence("seq");
    await op.createView("v", "SELECT 1", { orReplace: true });
    await op.createMaterializedView("mv", "SELECT 1", { withNoData: true });
    await op.refreshMaterializedView("mv", { concurrently: true });
    await op.dropMaterializedView("mv");
    await op.dropView("v", { ifExists: true });
    await op.setComment({ type: "function", name: "f", signature: "" }, "does things");
    expect(ops).toEqual([
      { kind: "createSchema", name: "app", ifNotExists: true },
      { kind: "dropSchema", name: "app", cascade: true },
      { kind: "createExtension", name: "ltree", ifNotExists: true },
      { kind: "dropExtension", name: "ltree", ifExists: true },
      { kind: "createEnum", name: "mood", values: ["sad", "ok"], schema: "app" },
      { kind: "addEnumValue", name: "mood", value: "happy", after: "ok", schema: "app" },
      { kind: "renameEnumValue", name: "mood", from: "sad", to: "unhappy" },
      { kind: "dropEnum", name: "mood", ifExists: true },
      { kind: "createSequence", name: "seq", start: 10, increment: 2 },
      { kind: "dropSequence", name: "seq" },
      { kind: "createView", name: "v", definition: "SELECT 1", orReplace: true },
      { kind: "createView", name: "mv", definition: "SELECT 1", withNoData: true, materialized: true },
      { kind: "refreshMaterializedView", name: "mv", concurrently: true },
      { kind: "dropView", name: "mv", materialized: true },
      { kind: "dropView", name: "v", ifExists: true },
      { kind: "setComment", target: { type: "function", name: "f", signature: "" }, comment: "does things" },
    ]);
  });

  it("data, batch and autocommit", async () => {
    const { op, ops } = recorder();
    await op.execute("UPDATE t SET a = $1", [1]);
    await op.execute("VACUUM t", undefined, { nonTransactional: true });
    await op.bulkInsert("t", [{ a: 1 }, { a: 2 }]);
    await op.batch("t", async (b) => {
      await b.addColumn("t", { name: "b", type: "int" });
      await b.dropColumn("t", "c");
    });
    await op.autocommit(async (a) => {
      await a.createIndex("i", "t", ["b"], { concurrently: true });
    });
    expect(ops).toEqual([
      { kind: "execute", sql: "UPDATE t SET a = $1", params: [1] },
      { kind: "execute", sql: "VACUUM t", nonTransactional: true },
      { kind: "bulkInsert", table: "t", rows: [{ a: 1 }, { a: 2 }] },
      {
        kind: "batch",
        table: "t",
        ops: [
          { kind: "addColumn", table: "t", column: { name: "b", type: "int" } },
          { kind: "dropColumn", table: "t", column: "c" },
        ],
      },
      { kind: "autocommit", ops: [{ kind: "createIndex", name: "i", table: "t", keys: ["b"], concurrently: true }] },
    ]);
  });

  it("run() passes an operation object through", async () => {
    const { op, ops } = recorder();
    await op.run({ kind: "createSchema", name: "x" });
    expect(ops).toEqual([{ kind: "createSchema", name: "x" }]);
  });

  it("query reads through the executor online", async () => {
    const executor: OperationExecutor = {
      dialect: "postgresql",
      offline: false,
      run: async () => {},
      query: async <R,>(text: string, params?: readonly unknown[]) => [{ text, params }] as R[],
    };
    expect(await new Op(executor).query("SELECT $1", [1])).toEqual([{ text: "SELECT $1", params: [1] }]);
  });

  it("query leaves offline refusal to the executor", async () => {
    const executor: OperationExecutor = {
      dialect: "postgresql",
      offline: true,
      run: async () => {},
      query: async () => {
        throw new StratumError("op.query cannot run in offline --sql mode");
      },
    };
    await expect(new Op(executor).query("SELECT 1")).rejects.toThrow("op.query cannot run in offline --sql mode");
    expect(new Op(executor).offline).toBe(true);
  });

  it("query inside batch is a clear StratumError", async () => {
    const { op } = recorder();
    const error = await op
      .batch("t", async (b) => {
        await b.query("SELECT 1");
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StratumError);
    expect((error as Error).message).toMatch(/^op\.batch: the block failed while collecting its operations: op\.query cannot run/);
  });
});

describe("the op facade rejects bad arguments from untyped revisions", () => {
  const cases: [string, (op: Record<string, (...args: unknown[]) => Promise<void>>) => Promise<void>, string][] = [
    ["a numeric column type", (o) => o.addColumn!("t", { name: "c", type: 42 }), 'op.addColumn: column.type must be the SQL type as a string (e.g. "varchar(50)"), got number 42.'],
    ["a missing column name", (o) => o.addColumn!("t", { type: "int" }), "op.addColumn: column.name must be a non-empty string, got nothing."],
    ["a missing table", (o) => o.addColumn!(undefined, { name: "c", type: "int" }), "op.addColumn: table must be a table name or { schema, name }, got nothing."],
    ["a table object without a name", (o) => o.dropTable!({ schema: "s" }), "op.dropTable: table.name must be a non-empty string, got nothing."],
    ["a string for nullable", (o) => o.addColumn!("t", { name: "c", type: "int", nullable: "no" }), 'op.addColumn: column.nullable must be true or false, got the string "no".'],
    ["an object default", (o) => o.addColumn!("t", { name: "c", type: "int", default: { now: true } }), "op.addColumn: column.default must be a string, number, boolean, null or sql`...` expression, got an object."],
    ["a default on an identity column", (o) => o.addColumn!("t", { name: "c", type: "int", default: 1, identity: { always: true } }), "op.addColumn: column.identity must be left out when column.default is given (a column takes only one of them), got an object."],
    ["a generated column with identity", (o) => o.addColumn!("t", { name: "c", type: "int", identity: { always: true }, generated: "a + 1" }), 'op.addColumn: column.generated must be left out when column.identity is given (a column takes only one of them), got the string "a + 1".'],
    ["columns that are not an array", (o) => o.createTable!("t", { name: "id", type: "int" }), "op.createTable: columns must be a non-empty array of columns, got an object."],
    ["a bad column inside createTable", (o) => o.createTable!("t", [{ name: "a", type: "int" }, { name: "b" }]), 'op.createTable: columns[1].type must be the SQL type as a string (e.g. "varchar(50)"), got nothing.'],
    ["index columns as a string", (o) => o.createIndex!("i", "t", "col"), 'op.createIndex: columns must be a non-empty array of columns or { expression }, got the string "col".'],
    ["an unknown index method", (o) => o.createIndex!("i", "t", ["a"], { method: "fulltext" }), 'op.createIndex: options.method must be one of "btree", "hash", "gin", "gist", "spgist", "brin", got the string "fulltext".'],
    ["an index key with column and expression", (o) => o.createIndex!("i", "t", [{ column: "a", expression: "lower(a)" }]), "op.createIndex: columns[0] must be an object with exactly one of `column` or `expression`, got an object."],
    ["a lower-case referential action", (o) => o.createForeignKey!("f", "t", "r", ["a"], ["id"], { onDelete: "cascade" }), 'op.createForeignKey: options.onDelete must be one of "NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT", got the string "cascade".'],
    ["mismatched foreign key columns", (o) => o.createForeignKey!("f", "t", "r", ["a", "b"], ["id"]), 'op.createForeignKey: refColumns must be 2 column(s), as many as columns, got an array.'],
    ["an empty check expression", (o) => o.createCheckConstraint!("c", "t", ""), 'op.createCheckConstraint: expression must be a non-empty string, got the string "".'],
    ["an exclusion element without operator", (o) => o.createExcludeConstraint!("x", "t", [{ expression: "room" }]), "op.createExcludeConstraint: elements[0].operator must be a non-empty string, got nothing."],
    ["an unknown constraint type", (o) => o.dropConstraint!("c", "t", { type: "fk" }), 'op.dropConstraint: options.type must be one of "primaryKey", "unique", "foreignKey", "check", "exclude", got the string "fk".'],
    ["enum values as a string", (o) => o.createEnum!("mood", "sad,ok"), 'op.createEnum: values must be an array of strings, got the string "sad,ok".'],
    ["before and after together", (o) => o.addEnumValue!("mood", "x", { before: "a", after: "b" }), "op.addEnumValue: options must be either `before` or `after`, not both, got an object."],
    ["a string sequence start", (o) => o.createSequence!("s", { start: "10" }), 'op.createSequence: options.start must be a number, got the string "10".'],
    ["or replace on a materialized view", (o) => o.createView!("v", "SELECT 1", { materialized: true, orReplace: true }), "op.createMaterializedView: options.orReplace must be unset for a materialized view (drop and create it instead), got boolean true."],
    ["an unknown comment target", (o) => o.setComment!({ type: "database", name: "x" }, "c"), 'op.setComment: target.type must be one of "table", "column", "view", "materializedView", "sequence", "type", "schema", "extension", "index", "function", "constraint", "trigger", "policy", got the string "database".'],
    ["a function comment without signature", (o) => o.setComment!({ type: "function", name: "f" }, "c"), 'op.setComment: target.signature must be the argument types as a string (e.g. "integer, text"), got nothing.'],
    ["a numeric comment", (o) => o.setTableComment!("t", 5), "op.setTableComment: comment must be a string or null, got number 5."],
    ["SQL that is not text", (o) => o.execute!(["SELECT 1"]), "op.execute: sql must be a non-empty string, got an array."],
    ["params that are not an array", (o) => o.execute!("SELECT $1", 1), "op.execute: params must be an array, got number 1."],
    ["rows that are not objects", (o) => o.bulkInsert!("t", [1, 2]), "op.bulkInsert: rows[0] must be an object, got number 1."],
    ["a batch without a block", (o) => o.batch!("t"), "op.batch: block must be a function, got nothing."],
    ["an autocommit without a block", (o) => o.autocommit!("CREATE INDEX"), 'op.autocommit: block must be a function, got the string "CREATE INDEX".'],
    ["an alterColumn without changes", (o) => o.alterColumn!("t", "c", {}), "op.alterColumn: changes must be at least one change (type, nullable, default, newName, ...), got an object."],
    ["a bad identity", (o) => o.alterColumn!("t", "c", { identity: { start: 1 } }), "op.alterColumn: changes.identity.always must be true or false, got nothing."],
    ["run() of an unknown kind", (o) => o.run!({ kind: "truncate" }), 'op.run: operation.kind must be one of "createTable"'],
  ];

  it.each(cases)("%s", async (_title, call, message) => {
    const { op, ops } = recorder();
    const error = await call(untyped(op)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OperationArgumentError);
    expect(error).toBeInstanceOf(StratumError);
    expect((error as StratumError).exitCode).toBe(2);
    expect((error as Error).message.startsWith(message)).toBe(true);
    expect(ops).toEqual([]);
  });

  it("names the operation and the field", async () => {
    const { op } = recorder();
    const error = (await untyped(op).addColumn!("t", { name: "c", type: 42 }).catch((e: unknown) => e)) as OperationArgumentError;
    expect(error.operation).toBe("addColumn");
    expect(error.field).toBe("column.type");
  });
});
