import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readModuleHeader, scanModuleHeader } from "../../src/scripts/module-header.js";
import { readHeaderFast } from "../../src/scripts/module-header-fast.js";
import { writeRevisionFile } from "../../src/scripts/write.js";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const id = fc.stringMatching(/^[0-9a-f]{4,12}$/);
const label = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/);
const message = fc.string({ maxLength: 30 });

/** Writes a string literal in one of the styles people use. */
function literal(value: string, style: number): string {
  if (style === 0) return JSON.stringify(value);
  if (style === 1) return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\n/g, "\\n").replace(/\r/g, "\\r")}'`;
  return `\`${value.replace(/\\/g, "\\\\").replace(/`/g, "\\`").replace(/\$\{/g, "\\${").replace(/\r/g, "\\r")}\``;
}

const headerArb = fc.record({
  id,
  parents: fc.array(id, { maxLength: 3 }),
  message,
  branchLabels: fc.array(label, { maxLength: 2 }),
  dependsOn: fc.array(id, { maxLength: 2 }),
  createDate: fc.constantFrom("2024-01-01T00:00:00.000Z", "2025-06-30T12:34:56Z"),
});

describe("header reading agrees with the source in every layout", () => {
  it("reads back what was written, whatever the quotes, order, comments and extra keys", () => {
    fc.assert(
      fc.property(headerArb, fc.array(fc.nat(2), { minLength: 12, maxLength: 12 }), fc.boolean(), fc.boolean(), fc.boolean(), (header, styles, comment, bodyFirst, shuffle) => {
        const s = (i: number) => styles[i] ?? 0;
        const list = (items: string[], base: number) => `[${items.map((item, i) => literal(item, s(base + i))).join(", ")}${items.length && s(base) === 1 ? "," : ""}]`;
        const entries = [
          `id: ${literal(header.id, s(0))}`,
          `parents: ${list(header.parents, 1)}`,
          `message: ${literal(header.message, s(4))}`,
          `createDate: ${literal(header.createDate, s(5))}`,
          `branchLabels: ${list(header.branchLabels, 6)}`,
          `dependsOn: ${list(header.dependsOn, 8)}`,
        ];
        if (shuffle) entries.reverse();
        const body = `async upgrade(op) { await op.execute(${literal("SELECT '}' , 1", s(10))}); }`;
        const parts = bodyFirst ? [body, ...entries] : [...entries, body];
        const text = `import { revision } from "stratum";\n${comment ? "/* a header: revision({ id: 'no' }) */\n" : ""}export default revision({\n  ${parts.join(comment ? ", // note\n  " : ",\n  ")},\n});\n`;
        const expected = { ...header, path: "m.ts", line: comment ? 3 : 2 };
        expect(scanModuleHeader("m.ts", text)).toEqual(expected);
        expect(readModuleHeader("m.ts", text)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it("takes the shortcut for files written from the default template", async () => {
    const dir = mkdtempSync(join(tmpdir(), "stratum-fast-"));
    try {
      const path = await writeRevisionFile({ dir, id: "abc123", parents: ["p1", "p2"], message: "add things", branchLabels: ["x"], kind: "ts" });
      const text = readFileSync(path, "utf8");
      expect(readHeaderFast(text)).toBeDefined();
      expect(readModuleHeader(path, text)).toEqual(scanModuleHeader(path, text));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("leaves unusual layouts to the full scanner", () => {
    expect(readHeaderFast(`/* c */ export default revision({ id: "a", parents: [], message: "", createDate: "", branchLabels: [], dependsOn: [], upgrade() {} });`)).toBeUndefined();
    expect(readHeaderFast(`export default revision({ id: "a\\"b", parents: [], message: "", createDate: "", branchLabels: [], dependsOn: [], });`)).toBeUndefined();
    expect(readHeaderFast(`export default revision({ id: "a", id: "b", parents: [], message: "", createDate: "", branchLabels: [], });`)).toBeUndefined();
  });

  it("reports a bad value found by the shortcut at the field's own line", () => {
    const text = `export default revision({\n  id: "ab-cd",\n  parents: [],\n  message: "",\n  createDate: "",\n  branchLabels: [],\n  dependsOn: [],\n});`;
    expect(readHeaderFast(text)).toBeDefined();
    expect(() => readModuleHeader("m.ts", text)).toThrow(/^m\.ts:2: revision id "ab-cd" may not contain "-"/);
  });
});
