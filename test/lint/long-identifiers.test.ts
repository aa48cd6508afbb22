import fc from "fast-check";
import { scan } from "libpg-query";
import { describe, expect, it } from "vitest";
import { mayHoldLongIdentifier } from "../../src/lint/sql-changes.js";
import { sqlRules } from "./helpers.js";

/** What the rule reads from the scanner: identifiers as the server stores them. */
async function scannedNames(sql: string): Promise<string[]> {
  const { tokens = [] } = (await scan(sql)) as { tokens?: Array<{ text: string; tokenName: string }> };
  return tokens
    .filter((token) => token.tokenName === "IDENT")
    .map((token) => (token.text.startsWith('"') ? token.text.slice(1, -1).replace(/""/g, '"') : token.text.toLowerCase()));
}

describe("the pre-check before scanning for identifiers over 63 bytes", () => {
  it("lets through every statement whose identifiers the scanner finds too long", async () => {
    const char = fc.constantFrom("a", "Z", "_", "7", "$", "é", "ß", "İ", "日", "😀", " ", '"', "-");
    const name = fc.tuple(fc.array(char, { minLength: 1, maxLength: 90 }), fc.boolean()).map(([chars, quoted]) => {
      const raw = chars.join("");
      return quoted ? `"${raw.replace(/"/g, '""')}"` : raw.replace(/[\s"$-]/g, "x").replace(/^[0-9$]/, "t");
    });
    await fc.assert(
      fc.asyncProperty(name, name, async (table, column) => {
        const sql = `CREATE TABLE ${table} (${column} integer, note text DEFAULT 'x')`;
        let names: string[];
        try {
          names = await scannedNames(sql);
        } catch {
          return;
        }
        if (names.some((n) => Buffer.byteLength(n, "utf8") > 63)) expect(mayHoldLongIdentifier(sql)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("skips statements made of short names only, and still finds long quoted and multi-byte ones", async () => {
    expect(mayHoldLongIdentifier("CREATE TABLE bench_1 (id integer PRIMARY KEY, name text)")).toBe(false);
    expect(await sqlRules(`CREATE TABLE "${"a b ".repeat(16)}" (id bigint PRIMARY KEY)`)).toContain("identifier-too-long");
    expect(await sqlRules(`CREATE TABLE ${"é".repeat(32)} (id bigint PRIMARY KEY)`)).toContain("identifier-too-long");
    expect(await sqlRules(`CREATE TABLE ${"é".repeat(31)} (id bigint PRIMARY KEY)`)).not.toContain("identifier-too-long");
  });
});
