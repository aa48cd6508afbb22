import { describe, expect, it } from "vitest";
import { inlineParams } from "../../src/dialects/mysql/params.js";
import { splitStatements } from "../../src/dialects/mysql/split.js";
import { expectLinearSplit } from "./helpers.js";
import { InputError, StratumError } from "../../src/errors.js";

describe("MySQL splitStatements", () => {
  it("splits on ; outside quotes, backticks, backslash escapes and every comment style", async () => {
    const text = [
      "# a hash comment; not a statement",
      "CREATE TABLE `a;b` (x VARCHAR(9) DEFAULT 'it\\'s;', y TEXT DEFAULT \"dq;\"\"x\");",
      "-- dash comment; still a comment",
      "INSERT INTO `a;b` (x) VALUES ('a\\\\'); /* block; */ SELECT 1--1",
      ";",
      "/*!40101 SET NAMES utf8mb4 */;",
    ].join("\n");
    expect(await splitStatements(text, "m.sql")).toEqual([
      { sql: "CREATE TABLE `a;b` (x VARCHAR(9) DEFAULT 'it\\'s;', y TEXT DEFAULT \"dq;\"\"x\")", line: 2, nonTransactional: false },
      { sql: "INSERT INTO `a;b` (x) VALUES ('a\\\\')", line: 4, nonTransactional: false },
      { sql: "SELECT 1--1", line: 4, nonTransactional: false },
      { sql: "/*!40101 SET NAMES utf8mb4 */", line: 6, nonTransactional: false },
    ]);
  });

  it("follows DELIMITER directives for procedure and trigger bodies", async () => {
    const text = `CREATE TABLE t (a INT);
DELIMITER $$
CREATE PROCEDURE p()
BEGIN
  INSERT INTO t VALUES (1);
  SELECT ';$$ in a string';
END$$
CREATE TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW
BEGIN
  SET NEW.a = NEW.a + 1;
END $$
delimiter ;
DROP DATABASE IF EXISTS other;
CALL p();`;
    const statements = await splitStatements(text, "proc.sql");
    expect(statements.map((s) => [s.line, s.sql.split("\n")[0], s.nonTransactional])).toEqual([
      [1, "CREATE TABLE t (a INT)", false],
      [3, "CREATE PROCEDURE p()", false],
      [8, "CREATE TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW", false],
      [13, "DROP DATABASE IF EXISTS other", true],
      [14, "CALL p()", false],
    ]);
    expect(statements[1]!.sql).toBe("CREATE PROCEDURE p()\nBEGIN\n  INSERT INTO t VALUES (1);\n  SELECT ';$$ in a string';\nEND");
    expect(statements[2]!.sql.endsWith("SET NEW.a = NEW.a + 1;\nEND")).toBe(true);
  });

  it("reports an unterminated string, identifier or comment with its file and line", async () => {
    const error = await splitStatements("SELECT 1;\n\nSELECT 'it\\'s;\nSELECT 2;", "bad.sql").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe("bad.sql:3: unterminated string literal");
    await expect(splitStatements("SELECT `x;\n", "q.sql")).rejects.toThrow("q.sql:1: unterminated quoted identifier");
    await expect(splitStatements("SELECT 1;\n/*! open", "c.sql")).rejects.toThrow("c.sql:2: unterminated /* comment");
  });

  it("rejects a DELIMITER with a backslash, naming the line", async () => {
    await expect(splitStatements("SELECT 1;\nDELIMITER \\\\\n", "d.sql")).rejects.toThrow("d.sql:2: a DELIMITER cannot contain a backslash");
  });

  it("splits a large script in linear time", async () => {
    await expectLinearSplit(splitStatements);
  });

  it("drops empty and comment-only statements", async () => {
    expect(await splitStatements("; ;\n# nothing\n-- nothing\n/* nothing */;")).toEqual([]);
  });
});

describe("MySQL inlineParams", () => {
  it("replaces ? outside quotes and comments with literals", () => {
    expect(inlineParams("UPDATE t SET a = ?, b = ? WHERE c = '?' -- ?\n AND d = ?", ["x'y\\z", null, new Date("2024-05-06T07:08:09.010Z")])).toBe(
      "UPDATE t SET a = 'x''y\\\\z', b = NULL WHERE c = '?' -- ?\n AND d = '2024-05-06 07:08:09.010'",
    );
    expect(inlineParams("SELECT ?, ?", [Buffer.from([1, 255]), { a: 1 }])).toBe(`SELECT X'01ff', '{"a":1}'`);
  });

  it("fails when placeholders and parameters do not match", () => {
    expect(() => inlineParams("SELECT ?", [])).toThrow(StratumError);
    expect(() => inlineParams("SELECT ?", [1, 2])).toThrow("2 parameter(s) given but the statement has 1 placeholder(s): SELECT ?");
  });
});
