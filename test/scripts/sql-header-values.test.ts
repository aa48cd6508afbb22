import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatSqlHeader, readSqlHeader } from "../../src/scripts/sql-revision.js";

const header = (fields: string) => readSqlHeader("v/x.sql", `-- stratum:revision ${fields}\n-- stratum:up\nSELECT 1;\n`);

describe("SQL header values", () => {
  it("unescape only \\\" and \\\\ inside quotes, keeping any other backslash", () => {
    expect(header(String.raw`id=a message="say \"hi\""`).message).toBe('say "hi"');
    expect(header(String.raw`id=a message="C:\\dir\\x"`).message).toBe(String.raw`C:\dir\x`);
    expect(header(String.raw`id=a message="a\nb\"c"`).message).toBe(String.raw`a\nb"c`);
    expect(header(String.raw`id=a message="a\\\"b"`).message).toBe(String.raw`a\"b`);
  });

  it("accept blanks around pairs, empty values and tabs", () => {
    const read = header('\tid=a   parents=  message=""\t labels=x,y  ');
    expect(read).toMatchObject({ id: "a", parents: [], message: "", branchLabels: ["x", "y"] });
  });

  it("reject a quoted value that runs into the next word, and a trailing escaped quote", () => {
    expect(() => header('id=a message="x"y')).toThrow(/expected a space after the quoted value of "message"/);
    expect(() => header(String.raw`id=a message="x\"`)).toThrow(/unterminated quoted value for "message"/);
    expect(() => header("id=a =b")).toThrow(/expected key=value/);
  });

  it("read back any message the formatter writes", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 40 }), (message) => {
        const line = formatSqlHeader({ id: "a1", parents: ["p1"], message, branchLabels: [], dependsOn: [] });
        expect(header(line.slice("-- stratum:revision ".length)).message).toBe(message.replace(/[\r\n]+/g, " "));
      }),
      { numRuns: 150 },
    );
  });
});
