import { describe, expect, it } from "vitest";
import { collapseWhitespace, lowerOutsideQuotes, mapOutsideQuotes, withoutSpacesOutsideLiterals } from "../../src/schema/sql-text.js";

describe("SQL text outside quotes", () => {
  it("maps only the characters outside the given quotes, keeping doubled quotes inside", () => {
    expect(mapOutsideQuotes(`a 'b''c' "d" e`, "'", (ch) => ch.toUpperCase())).toBe(`A 'b''c' "D" E`);
    expect(mapOutsideQuotes(`x'unterminated`, "'", () => "-")).toBe(`-'unterminated`);
  });

  it("collapses whitespace runs to one space and trims, but not inside literals or identifiers", () => {
    expect(collapseWhitespace("  a \n\t b  'x   y'  \"p  q\"  ")).toBe(`a b 'x   y' "p  q"`);
  });

  it("lowers keywords but not quoted text", () => {
    expect(lowerOutsideQuotes(`SELECT 'ABC' AS "Name"`)).toBe(`select 'ABC' as "Name"`);
  });

  it("drops spaces outside string literals only", () => {
    expect(withoutSpacesOutsideLiterals("10, 2")).toBe("10,2");
    expect(withoutSpacesOutsideLiterals("'on hold', 'done'")).toBe("'on hold','done'");
  });
});
