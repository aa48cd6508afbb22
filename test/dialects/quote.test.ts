import { describe, expect, it } from "vitest";
import * as mysql from "../../src/dialects/mysql/quote.js";
import * as postgres from "../../src/dialects/postgres/quote.js";
import * as sqlite from "../../src/dialects/sqlite/quote.js";

describe("dialect quoting", () => {
  it("doubles the dialect's own identifier quote", () => {
    expect(postgres.quoteIdent('a"b`c')).toBe('"a""b`c"');
    expect(sqlite.quoteIdent('a"b')).toBe('"a""b"');
    expect(mysql.quoteIdent('a`b"c')).toBe('`a``b"c`');
  });

  it("qualifies a table reference with its schema when it has one", () => {
    expect(postgres.qualify({ schema: "app", name: "users" })).toBe('"app"."users"');
    expect(postgres.qualify({ name: "users" })).toBe('"users"');
    expect(mysql.qualify("users")).toBe("`users`");
  });

  it("escapes backslashes in string literals on MySQL only", () => {
    expect(mysql.quoteLiteral("it's a\\b")).toBe("'it''s a\\\\b'");
    expect(postgres.quoteLiteral("it's a\\b")).toBe("'it''s a\\b'");
    expect(sqlite.quoteLiteral("a\\b")).toBe("'a\\b'");
  });

  it("spells booleans as the dialect does", () => {
    expect(postgres.quoteLiteral(true)).toBe("TRUE");
    expect(mysql.quoteLiteral(false)).toBe("FALSE");
    expect(sqlite.quoteLiteral(true)).toBe("1");
    expect(sqlite.quoteLiteral(false)).toBe("0");
  });

  it("writes null, numbers, dates and objects as literals", () => {
    expect(postgres.quoteLiteral(null)).toBe("NULL");
    expect(postgres.quoteLiteral(undefined)).toBe("NULL");
    expect(mysql.quoteLiteral(12n)).toBe("12");
    expect(sqlite.quoteLiteral(new Date("2024-01-02T03:04:05Z"))).toBe("'2024-01-02T03:04:05.000Z'");
    expect(mysql.quoteLiteral({ path: "a\\b", q: "'" })).toBe(`'{"path":"a\\\\\\\\b","q":"''"}'`);
  });
});
