import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import type { Operation } from "../../src/ops/types.js";
import { applyOperations } from "../../src/schema/apply.js";
import { col, model, withId } from "./builders.js";

const base = model({ tables: [withId("users", [col("email", "text")])], enums: [{ schema: "public", name: "mood", values: ["a", "c"] }] });

describe("applyOperations", () => {
  it("follows a table rename in the foreign keys that point at it", () => {
    const start = model({ tables: [withId("users"), withId("posts", [col("user_id", "integer")], { foreignKeys: [{ name: "fk", columns: ["user_id"], refSchema: "public", refTable: "users", refColumns: ["id"], onDelete: "NO ACTION", onUpdate: "NO ACTION", deferrable: false, initiallyDeferred: false, validated: true }] })] });
    const after = applyOperations(start, [
      { kind: "renameTable", table: "users", newName: "people" },
      { kind: "alterColumn", table: "people", column: "id", newName: "person_id" },
    ]);
    expect(after.tables.find((t) => t.name === "posts")!.foreignKeys[0]).toMatchObject({ refTable: "people", refColumns: ["person_id"] });
    expect(after.tables.find((t) => t.name === "people")!.primaryKey).toEqual({ name: "users_pkey", columns: ["person_id"] });
  });

  it("drops the indexes and constraints that used a dropped column, as the database does", () => {
    const start = model({ tables: [withId("t", [col("a", "text")], { indexes: [{ name: "t_a", unique: false, method: "btree", keys: [{ column: "a" }], include: [] }], uniques: [{ name: "t_a_key", columns: ["a"] }] })] });
    const after = applyOperations(start, [{ kind: "dropColumn", table: "t", column: "a" }]);
    expect(after.tables[0]!.indexes).toEqual([]);
    expect(after.tables[0]!.uniques).toEqual([]);
  });

  it("places enum values before or after others", () => {
    const after = applyOperations(base, [
      { kind: "addEnumValue", name: "mood", value: "b", after: "a" },
      { kind: "addEnumValue", name: "mood", value: "0", before: "a" },
      { kind: "addEnumValue", name: "mood", value: "z" },
    ]);
    expect(after.enums[0]!.values).toEqual(["0", "a", "b", "c", "z"]);
  });

  it("does not change the model it is given", () => {
    const copy = structuredClone(base);
    applyOperations(base, [{ kind: "dropTable", table: "users" }]);
    expect(base).toEqual(copy);
  });

  it.each<[string, Operation, string]>([
    ["a missing table", { kind: "dropTable", table: "ghosts" }, "Table ghosts does not exist."],
    ["a table that exists", { kind: "createTable", table: "users", columns: [{ name: "id", type: "integer" }] }, "Table users already exists."],
    ["a missing column", { kind: "dropColumn", table: "users", column: "nope" }, "Column users.nope does not exist."],
    ["a duplicate column", { kind: "addColumn", table: "users", column: { name: "email", type: "text" } }, "Column users.email already exists."],
    ["a missing index", { kind: "dropIndex", name: "nope" }, "Index nope does not exist."],
    ["a missing constraint", { kind: "dropConstraint", table: "users", name: "nope" }, "Table users has no constraint nope."],
    ["a missing enum anchor", { kind: "addEnumValue", name: "mood", value: "x", after: "nope" }, "Enum mood has no value nope."],
    ["a missing enum", { kind: "addEnumValue", name: "feeling", value: "x" }, "Enum feeling does not exist."],
    ["a rename onto an existing column", { kind: "alterColumn", table: "users", column: "email", newName: "id" }, "Column users.id already exists."],
    ["raw SQL", { kind: "execute", sql: "CREATE TABLE x ()" }, "Raw SQL cannot be applied to a schema model"],
  ])("rejects %s", (_what, op, message) => {
    expect(() => applyOperations(base, [op])).toThrow(InputError);
    expect(() => applyOperations(base, [op])).toThrow(message);
  });

  it("accepts drops and creates guarded by ifExists / ifNotExists", () => {
    expect(applyOperations(base, [{ kind: "dropTable", table: "ghosts", ifExists: true }, { kind: "createTable", table: "users", columns: [], ifNotExists: true }])).toEqual(applyOperations(base, []));
  });
});
