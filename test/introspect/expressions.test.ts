import { describe, expect, it } from "vitest";
import { stableExpression } from "../../src/dialects/postgres/introspect-expressions.js";

describe("stableExpression", () => {
  it("moves an array cast onto each literal, as PostgreSQL's second deparse does", () => {
    expect(stableExpression("status::text = ANY (ARRAY['draft'::character varying, 'it''s'::character varying]::text[])")).toBe(
      "status::text = ANY (ARRAY['draft'::character varying::text, 'it''s'::character varying::text])",
    );
    expect(stableExpression("code::bpchar = ANY (ARRAY['a'::character(1), 'b'::character(1)]::bpchar[])")).toBe(
      "code::bpchar = ANY (ARRAY['a'::character(1)::bpchar, 'b'::character(1)::bpchar])",
    );
  });

  it("leaves text that is already stable alone", () => {
    const stable = "status = ANY (ARRAY['a'::text, 'b'::text])";
    expect(stableExpression(stable)).toBe(stable);
    expect(stableExpression(stableExpression("x::text = ANY (ARRAY['a'::character varying]::text[])"))).toBe(
      "x::text = ANY (ARRAY['a'::character varying::text])",
    );
    expect(stableExpression("balance >= 0::numeric")).toBe("balance >= 0::numeric");
  });
});
