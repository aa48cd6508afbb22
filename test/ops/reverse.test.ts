import { describe, expect, it } from "vitest";
import { IrreversibleOperationError, reverseAll, reverseOperation, tryReverseAll } from "../../src/ops/reverse.js";
import type { CreateIndexOp, CreateTableOp, Operation } from "../../src/ops/types.js";

const table: CreateTableOp = { kind: "createTable", table: { schema: "app", name: "t" }, columns: [{ name: "id", type: "int" }] };
const index: CreateIndexOp = { kind: "createIndex", name: "i", table: { schema: "app", name: "t" }, keys: ["id"], concurrently: true };

describe("reverseOperation", () => {
  it("turns creations into drops that remember what they dropped", () => {
    expect(reverseOperation(table)).toEqual({ kind: "dropTable", table: table.table, previous: table });
    expect(reverseOperation(index)).toEqual({ kind: "dropIndex", name: "i", table: index.table, schema: "app", concurrently: true, previous: index });
    expect(reverseOperation({ kind: "addColumn", table: "t", column: { name: "c", type: "int" } })).toEqual({
      kind: "dropColumn",
      table: "t",
      column: "c",
      previous: { name: "c", type: "int" },
    });
    expect(reverseOperation({ kind: "createEnum", name: "m", schema: "s", values: ["a"] })).toMatchObject({ kind: "dropEnum", name: "m", schema: "s" });
    expect(reverseOperation({ kind: "createSequence", name: "q" })).toMatchObject({ kind: "dropSequence", name: "q" });
    expect(reverseOperation({ kind: "createView", name: "v", definition: "SELECT 1", materialized: true })).toMatchObject({
      kind: "dropView",
      name: "v",
      materialized: true,
    });
    expect(reverseOperation({ kind: "createSchema", name: "s" })).toEqual({ kind: "dropSchema", name: "s" });
    expect(reverseOperation({ kind: "createExtension", name: "ltree" })).toEqual({ kind: "dropExtension", name: "ltree" });
  });

  it("drops constraints by name and type, naming an unnamed primary key as PostgreSQL does", () => {
    const pk: Operation = { kind: "createPrimaryKey", table: { schema: "s", name: "orders" }, columns: ["id"] };
    expect(reverseOperation(pk)).toEqual({ kind: "dropConstraint", table: { schema: "s", name: "orders" }, name: "orders_pkey", type: "primaryKey", previous: pk });
    const fk: Operation = { kind: "createForeignKey", table: "t", name: "f", columns: ["a"], refTable: "r", refColumns: ["id"] };
    expect(reverseOperation(fk)).toMatchObject({ kind: "dropConstraint", name: "f", type: "foreignKey" });
    expect(reverseOperation({ kind: "createUniqueConstraint", table: "t", name: "u", columns: ["a"] })).toMatchObject({ type: "unique" });
    expect(reverseOperation({ kind: "createCheckConstraint", table: "t", name: "c", expression: "a > 0" })).toMatchObject({ type: "check" });
    expect(reverseOperation({ kind: "createExcludeConstraint", table: "t", name: "x", elements: [] })).toMatchObject({ type: "exclude" });
  });

  it("restores what a drop recorded in previous, and has no reverse without it", () => {
    expect(reverseOperation({ kind: "dropTable", table: "t", previous: table })).toBe(table);
    expect(reverseOperation({ kind: "dropTable", table: "t" })).toBeUndefined();
    expect(reverseOperation({ kind: "dropColumn", table: "t", column: "c", previous: { name: "c", type: "int" } })).toEqual({
      kind: "addColumn",
      table: "t",
      column: { name: "c", type: "int" },
    });
    expect(reverseOperation({ kind: "dropColumn", table: "t", column: "c" })).toBeUndefined();
    expect(reverseOperation({ kind: "dropIndex", name: "i", previous: index })).toBe(index);
    expect(reverseOperation({ kind: "dropIndex", name: "i" })).toBeUndefined();
    expect(reverseOperation({ kind: "dropConstraint", table: "t", name: "c" })).toBeUndefined();
    expect(reverseOperation({ kind: "dropEnum", name: "m" })).toBeUndefined();
    expect(reverseOperation({ kind: "dropSequence", name: "q" })).toBeUndefined();
    expect(reverseOperation({ kind: "dropView", name: "v" })).toBeUndefined();
  });

  it("has no reverse for operations that lose information", () => {
    expect(reverseOperation({ kind: "dropSchema", name: "s" })).toBeUndefined();
    expect(reverseOperation({ kind: "dropExtension", name: "e" })).toBeUndefined();
    expect(reverseOperation({ kind: "addEnumValue", name: "m", value: "x" })).toBeUndefined();
    expect(reverseOperation({ kind: "execute", sql: "DELETE FROM t" })).toBeUndefined();
    expect(reverseOperation({ kind: "bulkInsert", table: "t", rows: [{ a: 1 }] })).toBeUndefined();
    expect(reverseOperation({ kind: "createView", name: "v", definition: "SELECT 1", orReplace: true })).toBeUndefined();
    expect(reverseOperation({ kind: "setTableComment", table: "t", comment: "x" })).toBeUndefined();
    expect(reverseOperation({ kind: "setComment", target: { type: "schema", name: "s" }, comment: "x" })).toBeUndefined();
  });

  it("swaps renames and comments", () => {
    expect(reverseOperation({ kind: "renameTable", table: { schema: "s", name: "a" }, newName: "b" })).toEqual({
      kind: "renameTable",
      table: { schema: "s", name: "b" },
      newName: "a",
    });
    expect(reverseOperation({ kind: "renameTable", table: "a", newName: "b" })).toEqual({ kind: "renameTable", table: "b", newName: "a" });
    expect(reverseOperation({ kind: "renameEnumValue", name: "m", schema: "s", from: "a", to: "b" })).toEqual({
      kind: "renameEnumValue",
      name: "m",
      schema: "s",
      from: "b",
      to: "a",
    });
    expect(reverseOperation({ kind: "setTableComment", table: "t", comment: "new", previous: null })).toEqual({
      kind: "setTableComment",
      table: "t",
      comment: null,
      previous: "new",
    });
  });

  it("reverses alterColumn from previous, field by field", () => {
    expect(
      reverseOperation({
        kind: "alterColumn",
        table: "t",
        column: "a",
        newName: "b",
        type: "bigint",
        nullable: false,
        default: 0,
        comment: "new",
        previous: { type: "integer", nullable: true, default: undefined, comment: "old" },
      }),
    ).toEqual({
      kind: "alterColumn",
      table: "t",
      column: "b",
      newName: "a",
      type: "integer",
      nullable: true,
      default: null,
      comment: "old",
      previous: { type: "bigint", nullable: false, default: 0, comment: "new" },
    });
    expect(reverseOperation({ kind: "alterColumn", table: "t", column: "a", identity: { always: true }, previous: { identity: undefined } })).toMatchObject({
      identity: null,
    });
    expect(reverseOperation({ kind: "alterColumn", table: "t", column: "a", newName: "b" })).toBeUndefined();
  });

  it("has no alterColumn reverse when previous lacks a changed field", () => {
    expect(reverseOperation({ kind: "alterColumn", table: "t", column: "a", type: "bigint", previous: { nullable: true } })).toBeUndefined();
    expect(reverseOperation({ kind: "alterColumn", table: "t", column: "a", nullable: false, previous: { type: "int" } })).toBeUndefined();
    expect(reverseOperation({ kind: "alterColumn", table: "t", column: "a", default: 1, previous: {} })).toBeUndefined();
    expect(reverseOperation({ kind: "alterColumn", table: "t", column: "a", comment: "x", previous: {} })).toBeUndefined();
    expect(reverseOperation({ kind: "alterColumn", table: "t", column: "a", collation: "C", previous: { type: "text" } })).toBeUndefined();
    expect(reverseOperation({ kind: "alterColumn", table: "t", column: "a", generated: null, previous: { generated: "a * 2" } })).toBeUndefined();
  });

  it("reverses the contents of batch and autocommit blocks in reverse order", () => {
    const add: Operation = { kind: "addColumn", table: "t", column: { name: "c", type: "int" } };
    const check: Operation = { kind: "createCheckConstraint", table: "t", name: "k", expression: "c > 0" };
    expect(reverseOperation({ kind: "batch", table: "t", ops: [add, check] })).toEqual({
      kind: "batch",
      table: "t",
      ops: [reverseOperation(check), reverseOperation(add)],
    });
    expect(reverseOperation({ kind: "autocommit", ops: [index] })).toEqual({ kind: "autocommit", ops: [reverseOperation(index)] });
    expect(reverseOperation({ kind: "batch", table: "t", ops: [{ kind: "execute", sql: "x" }] })).toBeUndefined();
  });
});

describe("reverseOperation with a dialect", () => {
  it("reads a dotted table name as schema-qualified, except on MySQL", () => {
    expect(reverseOperation({ kind: "renameTable", table: "app.a", newName: "b" }, "postgresql")).toEqual({
      kind: "renameTable",
      table: { schema: "app", name: "b" },
      newName: "a",
    });
    expect(reverseOperation({ kind: "renameTable", table: "a", newName: "b" }, "postgresql")).toEqual({ kind: "renameTable", table: "b", newName: "a" });
    expect(reverseOperation({ kind: "renameTable", table: "app.a", newName: "b" }, "mysql")).toEqual({ kind: "renameTable", table: "b", newName: "app.a" });
  });

  it("names an unnamed primary key the way the dialect does", () => {
    const pk: Operation = { kind: "createPrimaryKey", table: "orders", columns: ["id"] };
    expect(reverseOperation(pk, "mysql")).toMatchObject({ kind: "dropConstraint", name: "PRIMARY" });
    expect(reverseOperation(pk, "postgresql")).toMatchObject({ name: "orders_pkey" });
    expect(reverseOperation(pk, "sqlite")).toMatchObject({ name: "orders_pkey" });
  });

  it("keeps the table on a reversed index, which MySQL needs to drop it", () => {
    const create: CreateIndexOp = { kind: "createIndex", name: "i", table: "t", keys: ["a"] };
    expect(reverseOperation(create, "mysql")).toEqual({ kind: "dropIndex", name: "i", table: "t", previous: create });
  });
});

describe("reverseOperation of recorded drops and column changes", () => {
  it("restores a schema or extension dropped with its previous state", () => {
    expect(reverseOperation({ kind: "dropSchema", name: "s", previous: { kind: "createSchema", name: "s" } })).toEqual({ kind: "createSchema", name: "s" });
    expect(reverseOperation({ kind: "dropExtension", name: "e", previous: { kind: "createExtension", name: "e", ifNotExists: true } })).toEqual({
      kind: "createExtension",
      name: "e",
      ifNotExists: true,
    });
  });

  it("reverses a column becoming generated, but not one that stopped being generated", () => {
    expect(reverseOperation({ kind: "alterColumn", table: "t", column: "b", generated: "a * 2", previous: { generated: undefined } })).toEqual({
      kind: "alterColumn",
      table: "t",
      column: "b",
      generated: null,
      previous: { generated: "a * 2" },
    });
    expect(reverseOperation({ kind: "alterColumn", table: "t", column: "b", generated: "a * 2", previous: {} })).toBeUndefined();
  });

  it("reverses a collation change alone, keeping the type in previous for ALTER TYPE", () => {
    expect(reverseOperation({ kind: "alterColumn", table: "t", column: "c", collation: "C", previous: { type: "text", collation: "default" } })).toEqual({
      kind: "alterColumn",
      table: "t",
      column: "c",
      collation: "default",
      previous: { type: "text", collation: "C" },
    });
  });
});

describe("reverseAll", () => {
  it("reverses a sequence last first, skipping operations with nothing to undo", () => {
    const ops: Operation[] = [
      table,
      index,
      { kind: "createCheckConstraint", table: "t", name: "k", expression: "id > 0", notValid: true },
      { kind: "validateConstraint", table: "t", name: "k" },
      { kind: "refreshMaterializedView", name: "mv" },
    ];
    expect(reverseAll(ops).map((op) => op.kind)).toEqual(["dropConstraint", "dropIndex", "dropTable"]);
  });

  it("refuses a sequence with an irreversible operation, naming it", () => {
    const ops: Operation[] = [table, { kind: "dropTable", table: "legacy" }];
    expect(() => reverseAll(ops)).toThrow(IrreversibleOperationError);
    expect(() => reverseAll(ops)).toThrow("The dropTable operation on legacy cannot be reversed automatically; write its downgrade by hand.");
  });

  it("tryReverseAll returns the irreversible operations apart", () => {
    const execute: Operation = { kind: "execute", sql: "UPDATE t SET a = 1" };
    expect(tryReverseAll([table, execute])).toEqual({ reversed: [reverseOperation(table)], irreversible: [execute] });
  });

  it("reversing twice gives back the original creations", () => {
    const ops: Operation[] = [table, index, { kind: "createEnum", name: "m", values: ["a"] }];
    expect(reverseAll(reverseAll(ops))).toEqual(ops);
  });
});
