import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { splitStatements } from "../../src/dialects/sqlite/split.js";
import { expectLinearSplit } from "./helpers.js";

describe("SQLite splitStatements", () => {
  it("splits on semicolons outside quotes and comments, with 1-based lines", async () => {
    const text = [
      "-- header comment; not a statement",
      "CREATE TABLE \"a;b\" (x TEXT DEFAULT 'semi;colon', [odd;name] INT, `back;tick` INT);",
      "/* block; comment */ INSERT INTO \"a;b\" (x) VALUES ('it''s; fine');",
      "",
      "SELECT 1",
    ].join("\n");
    const statements = await splitStatements(text, "v.sql");
    expect(statements).toEqual([
      { sql: "CREATE TABLE \"a;b\" (x TEXT DEFAULT 'semi;colon', [odd;name] INT, `back;tick` INT)", line: 2, nonTransactional: false },
      { sql: "INSERT INTO \"a;b\" (x) VALUES ('it''s; fine')", line: 3, nonTransactional: false },
      { sql: "SELECT 1", line: 5, nonTransactional: false },
    ]);
  });

  it("keeps a CREATE TRIGGER body with CASE ... END in one statement", async () => {
    const text = `CREATE TABLE t (a INT, b TEXT);
CREATE TRIGGER IF NOT EXISTS t_audit AFTER INSERT ON t
BEGIN
  UPDATE t SET b = CASE WHEN new.a > 0 THEN 'pos;' ELSE 'neg' END WHERE rowid = new.rowid;
  SELECT 1;
END;
CREATE TEMP TRIGGER t2 BEFORE DELETE ON t BEGIN SELECT RAISE(ABORT, 'no'); END;
DROP TABLE t;`;
    const statements = await splitStatements(text, "t.sql");
    expect(statements.map((s) => s.line)).toEqual([1, 2, 7, 8]);
    expect(statements[1]!.sql).toMatch(/^CREATE TRIGGER IF NOT EXISTS t_audit[\s\S]*SELECT 1;\nEND$/);
    expect(statements[2]!.sql).toBe("CREATE TEMP TRIGGER t2 BEFORE DELETE ON t BEGIN SELECT RAISE(ABORT, 'no'); END");
  });

  it("marks statements SQLite refuses inside a transaction", async () => {
    const statements = await splitStatements("VACUUM; PRAGMA foreign_keys = OFF; ATTACH 'x.db' AS x; SELECT 2;");
    expect(statements.map((s) => s.nonTransactional)).toEqual([true, true, true, false]);
  });

  it("splits a large script in linear time", async () => {
    await expectLinearSplit(splitStatements);
  });

  it("drops comment-only and empty statements", async () => {
    expect(await splitStatements(";;\n-- nothing\n;  /* still nothing */ ;")).toEqual([]);
  });

  it("reports an unterminated string with the file and the line where it starts", async () => {
    const error = await splitStatements("SELECT 1;\nSELECT 'abc;\nSELECT 2;", "bad.sql").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe("bad.sql:2: unterminated string literal");
  });

  it("reports unterminated quoted identifiers and comments", async () => {
    await expect(splitStatements('SELECT\n"abc', "q.sql")).rejects.toThrow("q.sql:2: unterminated quoted identifier");
    await expect(splitStatements("SELECT 1;\n\n/* open", "c.sql")).rejects.toThrow("c.sql:3: unterminated /* comment");
    await expect(splitStatements("SELECT [abc", "b.sql")).rejects.toThrow("b.sql:1: unterminated [bracketed] identifier");
  });
});
