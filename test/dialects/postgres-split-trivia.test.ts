import { describe, expect, it } from "vitest";
import { splitStatements } from "../../src/dialects/postgres/split.js";

describe("PostgreSQL split: comments and blanks around statements", () => {
  it("drops every comment and blank line before a statement and counts them into its line", async () => {
    const text = ["SELECT 1;", "", "-- one", "/* two", "   lines */ -- and more", "  /*/ still a comment */", "\tSELECT 2 ;  ", ""].join("\n");
    expect(await splitStatements(text)).toEqual([
      { sql: "SELECT 1", line: 1, nonTransactional: false },
      { sql: "SELECT 2", line: 7, nonTransactional: false },
    ]);
  });

  it("keeps comments inside a statement and a trailing comment-only remainder out of it", async () => {
    const statements = await splitStatements("SELECT /* inside */ 1 -- after\n;\n-- the end\n");
    expect(statements.map((s) => s.sql)).toEqual(["SELECT /* inside */ 1 -- after"]);
  });

  it("counts lines before a statement preceded by a long run of comment lines", async () => {
    const comments = Array.from({ length: 500 }, (_, i) => `-- note ${i}`).join("\n");
    const [statement] = await splitStatements(`${comments}\nCREATE TABLE t (id int);`);
    expect(statement).toEqual({ sql: "CREATE TABLE t (id int)", line: 501, nonTransactional: false });
  });
});
