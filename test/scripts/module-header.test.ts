import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { readHeader } from "../../src/scripts/headers.js";

const FILE = "migrations/x.ts";

function header(text: string) {
  return readHeader(FILE, text);
}

function failure(text: string): InputError {
  try {
    readHeader(FILE, text);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error("expected the header to be rejected");
}

describe("reading TypeScript revision headers", () => {
  it("reads the fields of the sketch in the design notes", () => {
    const h = header(`import { revision } from "stratum";

export default revision({
  id: "3f2a9c1e0b7d",
  parents: ["a1b2c3d4e5f6"],      // [] for a root
  message: "add coating_type to assets",
  createDate: "2024-05-01T10:00:00Z",
  branchLabels: ["feature"], dependsOn: ["dep1", "dep2"],
  async upgrade(op) {
    await op.addColumn("assets", { name: "coating_type", type: "varchar(50)" });
  },
  async downgrade(op) {
    await op.dropColumn("assets", "coating_type");
  },
});
`);
    expect(h).toEqual({
      id: "3f2a9c1e0b7d",
      parents: ["a1b2c3d4e5f6"],
      message: "add coating_type to assets",
      createDate: "2024-05-01T10:00:00Z",
      branchLabels: ["feature"],
      dependsOn: ["dep1", "dep2"],
      path: FILE,
      line: 3,
    });
  });

  it("defaults missing lists and message for a root", () => {
    const h = header(`export default revision({ id: "root1", upgrade() {} });`);
    expect(h.parents).toEqual([]);
    expect(h.branchLabels).toEqual([]);
    expect(h.dependsOn).toEqual([]);
    expect(h.message).toBe("");
    expect(h.createDate).toBeUndefined();
  });

  it("accepts every quote style, escapes, trailing commas, quoted keys and `as const`", () => {
    const h = header(`export default revision({
      'id': 'abc',
      "parents": [\`p1\`, 'p2', "p3",],
      message: "tab\\there \\"q\\" \\u00e9 \\x41 \\u{1F600}",
      branchLabels: [] as const,
    });`);
    expect(h.id).toBe("abc");
    expect(h.parents).toEqual(["p1", "p2", "p3"]);
    expect(h.message).toBe('tab\there "q" é A 😀');
  });

  it("reads a multi-line template message without substitutions", () => {
    const h = header("export default revision({ id: 'a', message: `line one\r\nline two`, upgrade() {} })");
    expect(h.message).toBe("line one\nline two");
  });

  it("skips code that looks like a header inside comments, strings, templates and regexes", () => {
    const h = header(`
// export default revision({ id: "in-line-comment" })
/* export default revision({ id: "block" }) */
const s = "revision({ id: 'string' })";
const t = \`revision({ id: \${"template"} })\`;
const r = /revision\\(\\{ id: "regex" \\}\\)/;
obj.revision({ id: "method" });
export default revision({ id: "real", parents: [] , upgrade() {} });
`);
    expect(h.id).toBe("real");
    expect(h.line).toBe(8);
  });

  it("skips function bodies with braces, commas, strings, templates and regexes before later fields", () => {
    const h = header(`export default revision({
  id: "x1",
  async upgrade(op, ctx) {
    const a = { b: [1, 2], c: "}", d: '{', e: \`\${ { f: "}" }.f } ,\` };
    const re = /[},]/g, half = 1 / 2;
    if (a.b.length > 1) { await op.execute("select '}'"); }
  },
  downgrade: async (op) => { await op.execute(\`drop \${"x"}\`); },
  transactional: false,
  lint: { disable: ["rule-a", "rule-b"] },
  ...shared,
  [computed]: 1,
  message: "after the bodies",
  parents: ["p"],
});`);
    expect(h.message).toBe("after the bodies");
    expect(h.parents).toEqual(["p"]);
  });

  it("reads a JavaScript revision with generic arrows and getters", () => {
    const h = header(`import { revision } from "stratum";
export default revision({
  get other() { return 1; },
  upgrade: async <T,>(op: T) => {},
  id: "js1",
});`);
    expect(h.id).toBe("js1");
  });

  describe("malformed headers give the file and line", () => {
    const cases: Array<[string, string, RegExp]> = [
      ["no revision call", `export default { id: "x" };\n`, /^migrations\/x\.ts:1: revision file has no `export default revision/],
      ["no id", `\n\nexport default revision({\n  parents: [],\n});`, /^migrations\/x\.ts:3: revision header has no id$/],
      ["id is a variable", `export default revision({\n  id: ID,\n});`, /^migrations\/x\.ts:2: revision header field "id" must be a string literal/],
      ["shorthand id", `const id = "a";\nexport default revision({\n  id,\n});`, /^migrations\/x\.ts:3: .*"id" must be written as a literal/],
      ["concatenated message", `export default revision({\n  id: "a",\n  message: "a" + "b",\n});`, /^migrations\/x\.ts:3: .*"message" must be a plain literal/],
      ["interpolated template", "export default revision({\n  id: `a${x}`,\n});", /^migrations\/x\.ts:2: .*"id" must be a string literal/],
      ["parents not an array", `export default revision({\n  id: "a",\n  parents: "p",\n});`, /^migrations\/x\.ts:3: .*"parents" must be an array of string literals/],
      ["parents with a variable", `export default revision({\n  id: "a",\n  parents: ["p",\n    other],\n});`, /^migrations\/x\.ts:4: .*"parents" must be an array of string literals/],
      ["array without commas", `export default revision({\n  id: "a",\n  parents: ["p" "q"],\n});`, /^migrations\/x\.ts:3: .*array of string literals/],
      ["duplicate field", `export default revision({\n  id: "a",\n  id: "b",\n});`, /^migrations\/x\.ts:3: revision header field "id" is given twice/],
      ["empty id", `export default revision({ id: "" });`, /^migrations\/x\.ts:1: a revision id may not be empty/],
      ["id with a dash", `export default revision({\n  id: "ab-cd",\n});`, /^migrations\/x\.ts:2: revision id "ab-cd" may not contain "-"/],
      ["id with @", `export default revision({ id: "a@b" });`, /may not contain "@"/],
      ["id with +", `export default revision({ id: "a+1" });`, /may not contain "\+"/],
      ["id with :", `export default revision({ id: "a:b" });`, /may not contain ":"/],
      ["reserved id", `export default revision({ id: "head" });`, /reserved word/],
      ["bad parent id", `export default revision({\n  id: "a",\n  parents: ["x:y"],\n});`, /^migrations\/x\.ts:3: bad parent: .*may not contain ":"/],
      ["label with @", `export default revision({\n  id: "a",\n  branchLabels: ["x@y"],\n});`, /^migrations\/x\.ts:3: branch label "x@y" may not contain @ : , quotes or whitespace/],
      ["empty label", `export default revision({\n  id: "a",\n  branchLabels: [""],\n});`, /^migrations\/x\.ts:3: .*"branchLabels" has an empty or padded entry/],
      ["unterminated string", `export default revision({\n  id: "a,\n});`, /^migrations\/x\.ts:2: cannot read the revision header: unterminated string/],
      ["unterminated object", `export default revision({\n  id: "a",\n  upgrade() {\n`, /^migrations\/x\.ts:\d+: cannot read the revision header: unexpected end of file/],
      ["unclosed block comment", `export default revision({\n  id: "a",\n  /* oops\n});`, /^migrations\/x\.ts:3: cannot read the revision header: unterminated block comment/],
      ["mismatched bracket", `export default revision({\n  id: "a",\n  upgrade() { foo(] },\n});`, /^migrations\/x\.ts:3: cannot read the revision header: unexpected "\]"/],
    ];
    for (const [name, text, pattern] of cases) {
      it(name, () => {
        const error = failure(text);
        expect(error.message).toMatch(pattern);
        expect(error.location?.file).toBe(FILE);
        expect(error.location?.line).toBeGreaterThan(0);
        expect(error.exitCode).toBe(2);
      });
    }
  });
});
