import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { checksum } from "../../src/scripts/checksum.js";
import { discoverRevisionFiles, isRevisionFileName } from "../../src/scripts/discover.js";
import { readHeaders, readRevisionText } from "../../src/scripts/headers.js";
import { loadRevisionModule } from "../../src/scripts/load-revision.js";
import { importUserModule } from "../../src/scripts/module-loader.js";
import { revision } from "../../src/scripts/revision.js";

let root: string;

beforeAll(() => {
  // Outside the repository, so "stratum" cannot resolve through node_modules.
  root = mkdtempSync(join(tmpdir(), "stratum-scripts-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function folder(name: string, files: Record<string, string>): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

const rev = (id: string, parents: string[] = []) =>
  `import { revision } from "stratum";\nexport default revision({ id: ${JSON.stringify(id)}, parents: ${JSON.stringify(parents)}, async upgrade() {} });\n`;

describe("discoverRevisionFiles", () => {
  it("keeps revision files and leaves out helpers, declarations, dotfiles and other files", async () => {
    const dir = folder("discover", {
      "b.ts": "", "a.mts": "", "c.js": "", "d.mjs": "", "e.sql": "",
      "types.d.ts": "", "x.d.mts": "", ".hidden.ts": "", "_helper.ts": "", "__init__.ts": "",
      "README.md": "", "script.ts.tmpl": "", "data.json": "", ".ts": "",
    });
    mkdirSync(join(dir, "nested.ts"));
    mkdirSync(join(dir, "sub"));
    writeFileSync(join(dir, "sub", "deep.ts"), "");
    const files = await discoverRevisionFiles([dir]);
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual(["a.mts", "b.ts", "c.js", "d.mjs", "e.sql"]);
  });

  it("merges several folders into one sorted list", async () => {
    const one = folder("multi/one", { "2.ts": "" });
    const two = folder("multi/two", { "1.ts": "" });
    expect(await discoverRevisionFiles([two, one])).toEqual([join(one, "2.ts"), join(two, "1.ts")]);
  });

  it("follows symlinked revision files", async () => {
    const dir = folder("links", { "real.ts": "" });
    symlinkSync(join(dir, "real.ts"), join(dir, "alias.ts"));
    expect(await discoverRevisionFiles([dir])).toEqual([join(dir, "alias.ts"), join(dir, "real.ts")]);
  });

  it("rejects a missing folder and a file given as a folder", async () => {
    await expect(discoverRevisionFiles([join(root, "nope")])).rejects.toThrow(/versions folder .*nope does not exist/);
    const dir = folder("notdir", { "f.ts": "" });
    await expect(discoverRevisionFiles([join(dir, "f.ts")])).rejects.toThrow(/is not a folder/);
  });

  it("names files consistently", () => {
    expect(isRevisionFileName("001_init.sql")).toBe(true);
    expect(isRevisionFileName("x.d.ts")).toBe(false);
  });
});

describe("readHeaders", () => {
  it("reads every header and maps ids to files", async () => {
    const dir = folder("headers", {
      "a.ts": rev("aaa"),
      "b.sql": "-- stratum:revision id=bbb parents=aaa\n-- stratum:up\n",
      "c.mjs": rev("ccc", ["bbb"]),
    });
    const { headers, files } = await readHeaders([dir]);
    expect(headers.map((h) => [h.id, h.parents])).toEqual([["aaa", []], ["bbb", ["aaa"]], ["ccc", ["bbb"]]]);
    expect(files.get("bbb")).toBe(join(dir, "b.sql"));
  });

  it("reads files larger than the read buffer and non-ASCII text", async () => {
    const big = `export default revision({ id: "big", message: "héllo ✓", async upgrade(op) {\n${"  // padding padding padding padding\n".repeat(3000)}} });\n`;
    expect(big.length).toBeGreaterThan(64 * 1024);
    const dir = folder("big", { "big.ts": big, "small.ts": rev("small") });
    const { headers } = await readHeaders([dir]);
    expect(headers.map((h) => [h.id, h.message])).toEqual([["big", "héllo ✓"], ["small", ""]]);
    expect(readRevisionText(join(dir, "big.ts"))).toBe(big);
  });

  it("hands the text it read to the next read of each file once; later reads go to the disk", async () => {
    const dir = folder("handover", { "a.ts": rev("one") });
    const path = join(dir, "a.ts");
    await readHeaders([dir]);
    writeFileSync(path, rev("two"));
    // The run loads the revision it planned from, even if the file changed in between.
    expect(readRevisionText(path)).toBe(rev("one"));
    expect(readRevisionText(path)).toBe(rev("two"));

    await readHeaders([dir]);
    writeFileSync(path, rev("three"));
    await readHeaders([dir]);
    expect(readRevisionText(path)).toBe(rev("three"));
  });

  it("rejects the same id in two files, naming both", async () => {
    const dir = folder("dupes", { "a.ts": rev("same"), "b.ts": rev("same") });
    const error = await readHeaders([dir]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/b\.ts:2: revision id same is also declared in .*a\.ts/);
  });

  it("reports the first malformed file with its line", async () => {
    const dir = folder("malformed", { "a.ts": rev("ok"), "b.ts": "\n\nexport default revision({ parents: [] });" });
    await expect(readHeaders([dir])).rejects.toThrow(/b\.ts:3: revision header has no id/);
  });
});

describe("loadRevisionModule", () => {
  it("loads a TypeScript revision outside the repository that imports from stratum", async () => {
    const dir = folder("load", {
      "r1.ts": `import { revision } from "stratum";
import type { Op } from "stratum";
interface Note { text: string }
const note: Note = { text: "typed" };
export default revision({
  id: "r1",
  parents: [],
  message: "typed",
  async upgrade(op: any) { await op.execute("SELECT " + (note.text.length - 4)); },
});
`,
    });
    const definition = await loadRevisionModule(join(dir, "r1.ts"));
    expect(definition.id).toBe("r1");
    expect(definition.message).toBe("typed");
    expect(definition.parents).toEqual([]);
    const seen: string[] = [];
    await definition.upgrade({ execute: async (sql: string) => void seen.push(sql) } as never, {} as never);
    expect(seen).toEqual(["SELECT 1"]);
  });

  it("hands revisions the running Stratum rather than a second copy", async () => {
    const dir = folder("load-same", { "same.mjs": `import { revision } from "stratum";\nexport const declare = revision;\n` });
    const namespace = await importUserModule(join(dir, "same.mjs"));
    expect(namespace["declare"]).toBe(revision);
  });

  it("reads an edited file again in the same process", async () => {
    const dir = folder("load-edit", { "e.ts": rev("e1") });
    expect((await loadRevisionModule(join(dir, "e.ts"))).message).toBeUndefined();
    writeFileSync(join(dir, "e.ts"), rev("e1").replace("parents: []", 'parents: [], message: "edited"'));
    expect((await loadRevisionModule(join(dir, "e.ts"))).message).toBe("edited");
  });

  it("loads a plain .mjs revision", async () => {
    const dir = folder("load-mjs", { "m.mjs": rev("m1") });
    expect((await loadRevisionModule(join(dir, "m.mjs"))).id).toBe("m1");
  });

  it("rejects a module whose id differs from its header", async () => {
    const dir = folder("load-mismatch", {
      "x.ts": `import { revision } from "stratum";\nconst real = "other";\nexport default revision({\n  id: "x1",\n  ...{ id: real },\n  upgrade() {},\n});\n`,
    });
    await expect(loadRevisionModule(join(dir, "x.ts"))).rejects.toThrow(/x\.ts:3: revision exports id "other" but its header says x1/);
  });

  it("rejects a file without a revision default export", async () => {
    const dir = folder("load-noexport", { "y.ts": `export const x = 1;\n// revision({ id: "nope" })\nconst revision = (o: object) => o;\nrevision({ id: "y1" });\n` });
    await expect(loadRevisionModule(join(dir, "y.ts"))).rejects.toThrow(/y\.ts:4: revision file must `export default revision/);
  });

  it("turns a syntax error into an InputError naming the file", async () => {
    const dir = folder("load-syntax", { "s.ts": `export default revision({ id: "s1", upgrade() {} });\nconst = ;\n` });
    const error = await loadRevisionModule(join(dir, "s.ts")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/s\.ts(:\d+)?: cannot load revision: /);
    expect((error as Error).message).not.toMatch(/\n\s+at /);
  });

  it("turns an error thrown while loading into an InputError with the line", async () => {
    const dir = folder("load-throw", { "t.ts": `import { revision } from "stratum";\n\nthrow new Error("boom");\nexport default revision({ id: "t1", upgrade() {} });\n` });
    const error = (await loadRevisionModule(join(dir, "t.ts")).catch((e: unknown) => e)) as InputError;
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/t\.ts:3: cannot load revision: boom$/);
  });

  it("reports a revision() without upgrade as a load error", async () => {
    const dir = folder("load-noupgrade", { "u.ts": `import { revision } from "stratum";\nexport default revision({ id: "u1" } as any);\n` });
    await expect(loadRevisionModule(join(dir, "u.ts"))).rejects.toThrow(/u\.ts(:\d+)?: cannot load revision: revision u1 needs an upgrade function/);
  });

  it("refuses to load a SQL revision as a module", async () => {
    await expect(loadRevisionModule(join(root, "a.sql"))).rejects.toThrow(/parseSqlRevision/);
  });

  it("reports a missing file", async () => {
    await expect(loadRevisionModule(join(root, "missing.ts"))).rejects.toThrow(/missing\.ts: cannot read revision file/);
  });
});

describe("checksum", () => {
  it("is versioned sha256 of the text", () => {
    expect(checksum("abc")).toBe("v1:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("ignores a BOM and CRLF or CR line endings", () => {
    const lf = checksum("a\nb\n");
    expect(checksum("\uFEFFa\nb\n")).toBe(lf);
    expect(checksum("a\r\nb\r\n")).toBe(lf);
    expect(checksum("a\rb\r")).toBe(lf);
  });

  it("hashes the UTF-8 bytes, and removes one leading BOM only", () => {
    // sha256 of the bytes 68 c3 a9 ("hé").
    expect(checksum("hé")).toBe("v1:7dfbe0eab96510b11c9a2671d83019cd52953211294db5f917ffa0b7cc84f534");
    expect(checksum("a\uFEFF\n")).not.toBe(checksum("a\n"));
    expect(checksum("\uFEFF\uFEFFa")).not.toBe(checksum("a"));
  });

  it("changes when the content changes", () => {
    expect(checksum("a\nb\n")).not.toBe(checksum("a\nb"));
    expect(checksum("a b")).not.toBe(checksum("a  b"));
  });
});
