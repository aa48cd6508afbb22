import { describe, expect, it } from "vitest";
import { planRebuild } from "../../src/dialects/sqlite/batch-plan.js";
import { parseCreateTable, renderTableDefinition } from "../../src/dialects/sqlite/table-definition.js";
import { StratumError } from "../../src/errors.js";

describe("SQLite CREATE TABLE reader", () => {
  it("splits columns into type and clauses, keeping REFERENCES actions and defaults whole", () => {
    const definition = parseCreateTable(
      `CREATE TABLE "t" (
        id INTEGER PRIMARY KEY ASC ON CONFLICT ROLLBACK AUTOINCREMENT,
        [parent id] INT REFERENCES t (id) ON DELETE SET NULL ON UPDATE SET DEFAULT NOT DEFERRABLE NOT NULL,
        price NUMERIC(10, 2) DEFAULT NULL CONSTRAINT price_ok CHECK (price >= 0),
        label TEXT COLLATE NOCASE DEFAULT 'a,b' NULL,
        total REAL GENERATED ALWAYS AS (price * 2) VIRTUAL,
        "check" TEXT,
        CONSTRAINT t_uq UNIQUE ("parent id", label),
        FOREIGN KEY (label) REFERENCES other (name),
        CHECK (length(label) > 0)
      ) WITHOUT ROWID, STRICT`,
      "t",
    );
    expect(definition.columns).toEqual([
      { name: "id", type: "INTEGER", clauses: [{ kind: "primaryKey", text: "PRIMARY KEY ASC ON CONFLICT ROLLBACK AUTOINCREMENT" }] },
      {
        name: "parent id",
        type: "INT",
        clauses: [
          { kind: "references", text: "REFERENCES t (id) ON DELETE SET NULL ON UPDATE SET DEFAULT NOT DEFERRABLE" },
          { kind: "notNull", text: "NOT NULL" },
        ],
      },
      {
        name: "price",
        type: "NUMERIC(10, 2)",
        clauses: [
          { kind: "default", text: "DEFAULT NULL" },
          { kind: "check", name: "price_ok", text: "CHECK (price >= 0)" },
        ],
      },
      {
        name: "label",
        type: "TEXT",
        clauses: [
          { kind: "collate", text: "COLLATE NOCASE" },
          { kind: "default", text: "DEFAULT 'a,b'" },
          { kind: "null", text: "NULL" },
        ],
      },
      { name: "total", type: "REAL", clauses: [{ kind: "generated", text: "GENERATED ALWAYS AS (price * 2) VIRTUAL" }] },
      { name: "check", type: "TEXT", clauses: [] },
    ]);
    expect(definition.constraints.map((c) => [c.kind, c.name, c.columns])).toEqual([
      ["unique", "t_uq", ["parent id", "label"]],
      ["foreignKey", undefined, ["label"]],
      ["check", undefined, ["check", "length", "label"]],
    ]);
    expect(definition.options).toBe("WITHOUT ROWID, STRICT");
    // Rendering it back gives a statement SQLite reads the same way.
    const again = parseCreateTable(renderTableDefinition("t", definition), "t");
    expect(again).toEqual(definition);
  });

  it("refuses a table made with CREATE TABLE ... AS SELECT", () => {
    expect(() => parseCreateTable("CREATE TABLE t AS SELECT 1 AS a", "t")).toThrow(StratumError);
  });

  it("plans a rebuild: copies surviving columns, drops what depends on a dropped column", () => {
    const current = parseCreateTable("CREATE TABLE t (a INT, b INT, c INT GENERATED ALWAYS AS (a + 1), UNIQUE (a, b), CHECK (b > 0))", "t");
    const plan = planRebuild(
      "t",
      current,
      [
        { name: "t_b", sql: "CREATE INDEX t_b ON t (b)" },
        { name: "t_a", sql: "CREATE INDEX t_a ON t (a) WHERE a > 0" },
      ],
      [
        { kind: "dropColumn", table: "t", column: "b" },
        { kind: "dropColumn", table: "t", column: "zzz", ifExists: true },
        { kind: "addColumn", table: "t", column: { name: "d", type: "TEXT", default: "x" } },
        { kind: "createIndex", name: "t_a", table: "t", keys: ["a"], ifNotExists: true },
      ],
    );
    expect(renderTableDefinition("t", plan.definition)).toBe(`CREATE TABLE "t" (\n  "a" INT,\n  "c" INT GENERATED ALWAYS AS (a + 1),\n  "d" TEXT DEFAULT 'x'\n)`);
    expect(plan.copy).toEqual([{ column: "a", from: '"a"' }]);
    expect(plan.indexes.map((i) => i.name)).toEqual(["t_a"]);
  });
});
