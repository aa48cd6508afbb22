import { describe, expect, it } from "vitest";
import { analyzeSql } from "../../src/importer/analyze.js";
import { withoutTransactionControl } from "../../src/importer/transaction-control.js";

describe("analysing legacy SQL with the PostgreSQL parser", () => {
  it("flags statements that fail when run twice, with their lines", async () => {
    const text = [
      "CREATE TABLE IF NOT EXISTS a (id int);",
      "CREATE TABLE b (id int);",
      "CREATE INDEX b_id ON b (id);",
      "ALTER TABLE b ADD COLUMN IF NOT EXISTS x int;",
      "ALTER TABLE b ADD COLUMN y int;",
      "CREATE OR REPLACE VIEW v AS SELECT 1;",
      "CREATE VIEW w AS SELECT 'CREATE TABLE c (id int);';",
      "DROP TABLE IF EXISTS z;",
      "INSERT INTO a VALUES (1);",
    ].join("\n");
    const result = await analyzeSql(text, "x.sql");
    expect(result.statements).toBe(9);
    expect(result.warnings).toEqual([
      { line: 2, message: "CREATE TABLE b without IF NOT EXISTS" },
      { line: 3, message: "CREATE INDEX b_id without IF NOT EXISTS" },
      { line: 5, message: "ALTER TABLE b ADD COLUMN without IF NOT EXISTS" },
      { line: 7, message: "CREATE VIEW w without OR REPLACE" },
    ]);
  });

  it("rejects a statement that does not parse, naming file and line", async () => {
    await expect(analyzeSql("CREATE TABLE ok (id int);\n\nCREATE TABEL broken (id int);\n", "legacy/003_x.sql")).rejects.toThrow(
      /^legacy\/003_x\.sql:3: SQL syntax error: syntax error at or near "TABEL"/,
    );
  });

  it("comments out BEGIN/COMMIT but keeps a function body's BEGIN", async () => {
    const text = "BEGIN;\nCREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN 1;\nEND;\n$$;\nCOMMIT;\n";
    const result = await analyzeSql(text, "f.sql");
    expect(result.transactionControl.map((t) => t.line)).toEqual([1, 7]);
    const body = withoutTransactionControl(text, result.transactionControl);
    expect(body.split("\n")[0]).toBe("-- BEGIN; (removed on import: each revision runs in its own transaction)");
    expect(body).toContain("$$\nBEGIN\n  RETURN 1;\nEND;\n$$;");
    expect(body.split("\n")[6]).toBe("-- COMMIT; (removed on import: each revision runs in its own transaction)");
    expect((await analyzeSql(body, "f.sql")).statements).toBe(1);
  });
});
