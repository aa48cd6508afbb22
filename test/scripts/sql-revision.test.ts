import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { readHeader } from "../../src/scripts/headers.js";
import { formatSqlHeader, parseSqlRevision } from "../../src/scripts/sql-revision.js";

const FILE = "migrations/001_init.sql";

function failure(fn: () => unknown): InputError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error("expected an InputError");
}

const SAMPLE = `-- stratum:revision id=b2 parents=a1,a2 message="add \\"assets\\" table" labels=core depends=x9 date=2024-01-02T03:04:05Z
-- A comment before the sections is fine.

-- stratum:up
CREATE TABLE assets (id int);
CREATE INDEX assets_id ON assets (id);

-- stratum:down
DROP TABLE assets;
`;

describe("SQL revisions", () => {
  it("reads the header line", () => {
    expect(readHeader(FILE, SAMPLE)).toEqual({
      id: "b2",
      parents: ["a1", "a2"],
      message: 'add "assets" table',
      branchLabels: ["core"],
      dependsOn: ["x9"],
      createDate: "2024-01-02T03:04:05Z",
      path: FILE,
      line: 1,
    });
  });

  it("splits the up and down sections and gives the line where each starts", () => {
    const parsed = parseSqlRevision(FILE, SAMPLE);
    expect(parsed.up).toEqual({ text: "CREATE TABLE assets (id int);\nCREATE INDEX assets_id ON assets (id);\n", line: 5 });
    expect(parsed.down).toEqual({ text: "DROP TABLE assets;\n", line: 9 });
    expect(parsed.transactional).toBe(true);
  });

  it("treats a missing parents field as a root and a missing down section as none", () => {
    const parsed = parseSqlRevision(FILE, "-- stratum:revision id=r0 message=init\n-- stratum:up\nSELECT 1;");
    expect(parsed.header.parents).toEqual([]);
    expect(parsed.header.message).toBe("init");
    expect(parsed.down).toBeUndefined();
    expect(parsed.up).toEqual({ text: "SELECT 1;", line: 3 });
  });

  it("handles CRLF, a BOM, leading blank lines and transactional=false", () => {
    const text = "\uFEFF\r\n-- stratum:revision id=c1 parents= transactional=false\r\n-- stratum:down\r\nDROP INDEX i;\r\n-- stratum:up\r\nCREATE INDEX CONCURRENTLY i ON t (a);\r\n";
    const parsed = parseSqlRevision(FILE, text);
    expect(readHeader(FILE, text)).toEqual(parsed.header);
    expect(readHeader(FILE, "\r\r\n  \n-- stratum:revision id=c2").line).toBe(4);
    expect(parsed.header.line).toBe(2);
    expect(parsed.header.parents).toEqual([]);
    expect(parsed.transactional).toBe(false);
    expect(parsed.up).toEqual({ text: "CREATE INDEX CONCURRENTLY i ON t (a);\n", line: 6 });
    expect(parsed.down).toEqual({ text: "DROP INDEX i;", line: 4 });
  });

  it("round-trips the header it formats", () => {
    const header = { id: "z1", parents: ["a", "b"], message: 'quote " and \\ backslash', branchLabels: ["l"], dependsOn: [], createDate: "2024-01-01T00:00:00.000Z" };
    const text = `${formatSqlHeader(header)}\n-- stratum:up\n`;
    expect(readHeader(FILE, text)).toEqual({ ...header, path: FILE, line: 1 });
  });

  describe("malformed SQL revisions give the file and line", () => {
    const cases: Array<[string, string, RegExp]> = [
      ["no header", "CREATE TABLE t (a int);\n", /^migrations\/001_init\.sql:1: SQL revision must start with a "-- stratum:revision id=\.\.\." line/],
      ["no id", "\n-- stratum:revision parents=a\n-- stratum:up\n", /^migrations\/001_init\.sql:2: revision header has no id$/],
      ["unknown field", "-- stratum:revision id=a parent=b\n", /:1: unknown revision header field "parent"/],
      ["duplicate field", "-- stratum:revision id=a id=b\n", /:1: revision header field "id" is given twice/],
      ["unterminated quote", '-- stratum:revision id=a message="oops\n', /:1: unterminated quoted value for "message"/],
      ["stray quote", '-- stratum:revision id=a message=say"hi"\n', /:1: value of "message" has a stray quote/],
      ["text glued to a quoted value", '-- stratum:revision id=a message="x"y\n', /:1: expected a space after the quoted value/],
      ["no key", "-- stratum:revision id=a junk\n", /:1: cannot read the revision header near "junk"/],
      ["bad id", "-- stratum:revision id=a-b\n", /:1: revision id "a-b" may not contain "-"/],
      ["empty parent entry", "-- stratum:revision id=a parents=b,,c\n-- stratum:up\n", /:1: revision header field "parents" has an empty or padded entry/],
      ["bad transactional", "-- stratum:revision id=a transactional=no\n-- stratum:up\n", /:1: transactional must be true or false/],
    ];
    for (const [name, text, pattern] of cases) {
      it(name, () => {
        const error = failure(() => readHeader(FILE, text));
        expect(error.message).toMatch(pattern);
        expect(error.location).toMatchObject({ file: FILE });
      });
    }

    const bodyCases: Array<[string, string, RegExp]> = [
      ["no up section", "-- stratum:revision id=a\n-- stratum:down\nDROP TABLE t;\n", /:1: SQL revision has no "-- stratum:up" section/],
      ["up twice", "-- stratum:revision id=a\n-- stratum:up\nSELECT 1;\n-- stratum:up\n", /:4: the "-- stratum:up" section appears twice/],
      ["unknown marker", "-- stratum:revision id=a\n-- stratum:up\n-- stratum:sideways\n", /:3: unknown marker "-- stratum:sideways"/],
      ["SQL before the up marker", "-- stratum:revision id=a\n\nCREATE TABLE t (a int);\n-- stratum:up\n", /:3: SQL before the "-- stratum:up" marker/],
    ];
    for (const [name, text, pattern] of bodyCases) {
      it(name, () => {
        expect(failure(() => parseSqlRevision(FILE, text)).message).toMatch(pattern);
      });
    }
  });
});
