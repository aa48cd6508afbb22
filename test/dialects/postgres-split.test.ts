import { describe, expect, it } from "vitest";
import { markEnumValueUse, render } from "../../src/dialects/postgres/render.js";
import { splitStatements } from "../../src/dialects/postgres/split.js";
import { InputError } from "../../src/errors.js";
import { steps } from "../ops/scenario.js";

describe("PostgreSQL SQL splitter", () => {
  it("keeps dollar-quoted function bodies, DO blocks and strings with semicolons whole", async () => {
    const text = [
      "-- header comment; with a semicolon",
      "CREATE TABLE t (a text DEFAULT 'x;y');",
      "",
      "CREATE FUNCTION f() RETURNS trigger AS $body$",
      "BEGIN",
      "  NEW.a := 'done;';",
      "  RETURN NEW;",
      "END;",
      "$body$ LANGUAGE plpgsql;",
      "DO $$ BEGIN RAISE NOTICE 'a;b'; END $$;",
      "/* block; comment */ INSERT INTO t VALUES (E'it\\'s;'), ('two''s;');",
      "SELECT 1",
    ].join("\n");
    const statements = await splitStatements(text, "V1.sql");
    expect(statements).toEqual([
      { sql: "CREATE TABLE t (a text DEFAULT 'x;y')", line: 2, nonTransactional: false },
      {
        sql: "CREATE FUNCTION f() RETURNS trigger AS $body$\nBEGIN\n  NEW.a := 'done;';\n  RETURN NEW;\nEND;\n$body$ LANGUAGE plpgsql",
        line: 4,
        nonTransactional: false,
      },
      { sql: "DO $$ BEGIN RAISE NOTICE 'a;b'; END $$", line: 10, nonTransactional: false },
      { sql: "INSERT INTO t VALUES (E'it\\'s;'), ('two''s;')", line: 11, nonTransactional: false },
      { sql: "SELECT 1", line: 12, nonTransactional: false },
    ]);
  });

  it("keeps a BEGIN ATOMIC function body whole", async () => {
    const text = "CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT a + b;\nEND;\nSELECT 2;";
    const statements = await splitStatements(text);
    expect(statements.map((s) => s.line)).toEqual([1, 5]);
    expect(statements[0]!.sql).toBe("CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT a + b;\nEND");
  });

  it("counts lines by bytes correctly after multi-byte text", async () => {
    const text = "INSERT INTO t VALUES ('żółć; ☃');\n\n  -- note\n  SELECT 'ü';\nSELECT 3;";
    const statements = await splitStatements(text);
    expect(statements).toEqual([
      { sql: "INSERT INTO t VALUES ('żółć; ☃')", line: 1, nonTransactional: false },
      { sql: "SELECT 'ü'", line: 4, nonTransactional: false },
      { sql: "SELECT 3", line: 5, nonTransactional: false },
    ]);
  });

  it("marks statements that cannot run in a transaction from the syntax tree", async () => {
    const text = [
      "CREATE INDEX CONCURRENTLY i1 ON t (a);",
      "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i2 ON t (b);",
      "CREATE INDEX i3 ON t (c);",
      "DROP INDEX CONCURRENTLY IF EXISTS i1;",
      "DROP INDEX i3;",
      "REINDEX INDEX CONCURRENTLY i2;",
      "REINDEX (CONCURRENTLY) TABLE t;",
      "REINDEX TABLE t;",
      "VACUUM (ANALYZE) t;",
      "ANALYZE t;",
      "CREATE DATABASE other;",
      "DROP DATABASE other;",
      "SELECT 'CREATE INDEX CONCURRENTLY';",
    ].join("\n");
    const statements = await splitStatements(text);
    expect(statements.map((s) => [s.line, s.nonTransactional])).toEqual([
      [1, true],
      [2, true],
      [3, false],
      [4, true],
      [5, false],
      [6, true],
      [7, true],
      [8, false],
      [9, true],
      [10, false],
      [11, true],
      [12, true],
      [13, false],
    ]);
  });

  it("marks ALTER TYPE ... ADD VALUE only when a later statement uses the value", async () => {
    const text = [
      "ALTER TYPE mood ADD VALUE 'meh';",
      "ALTER TYPE mood ADD VALUE IF NOT EXISTS 'great' AFTER 'ok';",
      "ALTER TYPE mood RENAME VALUE 'sad' TO 'unhappy';",
      "UPDATE people SET mood = 'meh' WHERE mood IS NULL;",
      "SELECT 'unhappy';",
    ].join("\n");
    const statements = await splitStatements(text);
    expect(statements.map((s) => s.nonTransactional)).toEqual([true, false, false, false, false]);
  });

  it("returns nothing for a file of comments", async () => {
    expect(await splitStatements("-- nothing here\n/* at all */\n")).toEqual([]);
  });

  it("reports a syntax error with the file and the line of the error", async () => {
    const text = "CREATE TABLE a (id int);\n\nCREATE TABEL b (id int);\nSELECT 1;";
    const error = await splitStatements(text, "versions/0002_b.sql").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe('versions/0002_b.sql:3: SQL syntax error: syntax error at or near "TABEL"');
    expect((error as InputError).location).toEqual({ file: "versions/0002_b.sql", line: 3 });
    expect((error as InputError).exitCode).toBe(2);
  });

  it("reports the line of an error after multi-byte text", async () => {
    const text = "SELECT 'żółć';\nSELECT 'ü';\nSELEC 3;";
    const error = await splitStatements(text, "x.sql").catch((e: unknown) => e);
    expect((error as InputError).location).toEqual({ file: "x.sql", line: 3 });
  });

  it("reports an unterminated dollar quote", async () => {
    const error = await splitStatements("SELECT 1;\nDO $$ BEGIN\n", "y.sql").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(/^y\.sql:2: SQL syntax error: unterminated dollar-quoted string/);
  });

  it("agrees with the renderer on every statement of the operation scenario, rendered offline", async () => {
    // autocommit marks statements that are transactional by themselves, which SQL text cannot show.
    const rendered = markEnumValueUse(steps.filter((s) => s.op.kind !== "autocommit").flatMap((s) => render(s.op, { offline: true })));
    expect(rendered.some((s) => s.params)).toBe(false);
    const script = rendered.map((s) => `${s.sql};`).join("\n");
    const split = await splitStatements(script, "offline.sql");
    expect(split.map((s) => s.sql)).toEqual(rendered.map((s) => s.sql));
    expect(split.map((s) => s.nonTransactional)).toEqual(rendered.map((s) => !s.transactional));
    // The enum value added by the scenario is inserted later, so both mark it.
    expect(split.filter((s) => s.nonTransactional).map((s) => s.sql.slice(0, 24))).toEqual([
      `ALTER TYPE "app"."mood" `,
      "CREATE INDEX CONCURRENTL",
      "DROP INDEX CONCURRENTLY ",
    ]);
  });
});
