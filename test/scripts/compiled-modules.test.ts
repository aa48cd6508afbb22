import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { flushPacks, forgetPacks } from "../../src/cache-dir.js";
import { completeCodeCaches, decodeCompiledEntry, encodeCompiledEntry, v8SettingOf } from "../../src/scripts/compiled-modules.js";
import { errorLineIn, importUserModule } from "../../src/scripts/module-loader.js";
import { filesUnder } from "../helpers/files.js";

let root: string;
let cache: string;
const savedEnv = { dir: process.env.STRATUM_CACHE_DIR, off: process.env.STRATUM_NO_CACHE };

beforeAll(() => {
  // Outside the repository, so "stratum" cannot resolve through node_modules.
  root = mkdtempSync(join(tmpdir(), "stratum-compiled-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeEach(() => {
  cache = mkdtempSync(join(root, "cache-"));
  process.env.STRATUM_CACHE_DIR = cache;
  delete process.env.STRATUM_NO_CACHE;
});
afterEach(() => {
  for (const [name, value] of [["STRATUM_CACHE_DIR", savedEnv.dir], ["STRATUM_NO_CACHE", savedEnv.off]] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

function write(name: string, text: string): string {
  const path = join(root, name);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
  return path;
}

const entries = (): string[] => filesUnder(join(cache, "modules")).filter((path) => !path.includes(`${sep}packs${sep}`));
const packs = (): string[] => filesUnder(join(cache, "modules", "packs"));

function readEntry(path: string): { code: string; codeCache?: Buffer; complete?: boolean } {
  const entry = decodeCompiledEntry(readFileSync(path));
  if (entry === undefined) throw new Error(`${path} is not a compiled-module entry`);
  return entry;
}

const moduleText = (value: string) =>
  `import { revision } from "stratum";\nconst label: string = ${JSON.stringify(value)};\nexport const value = label;\nexport default revision({ id: "a1", parents: [], async upgrade() {} });\n`;

describe("compiled TypeScript modules", () => {
  it("evaluates a TypeScript module, with the running Stratum as \"stratum\"", async () => {
    const path = write("basic/a.ts", moduleText("first"));
    const namespace = await importUserModule(path, "light");
    expect(namespace.value).toBe("first");
    const definition = namespace.default as { id: string; upgrade: unknown };
    expect(definition.id).toBe("a1");
    expect(typeof definition.upgrade).toBe("function");
  });

  it("reads a second load from the cache, and compiles again when the text changes", async () => {
    const path = write("hit/a.ts", moduleText("original"));
    await importUserModule(path, "light");
    const [entry] = entries();
    expect(entries()).toHaveLength(1);
    // An entry edited by hand shows whether the next load came from the cache. V8's code cache
    // is left out: it belongs to the original text.
    writeFileSync(entry!, encodeCompiledEntry({ code: readEntry(entry!).code.replace('"original"', '"from the cache"') }));
    expect((await importUserModule(path, "light")).value).toBe("from the cache");

    write("hit/a.ts", moduleText("edited"));
    expect((await importUserModule(path, "light")).value).toBe("edited");
    expect(entries()).toHaveLength(2);
  });

  it("keeps V8's code cache in the entry and loads from it without rewriting the entry", async () => {
    const path = write("v8/a.ts", moduleText("with a code cache"));
    await importUserModule(path, "light");
    const [entry] = entries();
    const stored = readFileSync(entry!);
    expect(readEntry(entry!).codeCache?.length).toBeGreaterThan(0);
    expect((await importUserModule(path, "light")).value).toBe("with a code cache");
    expect(readFileSync(entry!).equals(stored)).toBe(true);
  });

  it("takes the code cache again once at exit, with the functions the run called, and then leaves the entry alone", async () => {
    const path = write("complete/a.ts", moduleText("called later"));
    const first = await importUserModule(path, "light");
    const [entry] = entries();
    const before = readEntry(entry!);
    expect(before.complete).toBeUndefined();
    // The upgrade is compiled when it is first called, after the first code cache was taken.
    await (first.default as { upgrade: () => Promise<void> }).upgrade();
    completeCodeCaches();
    const after = readEntry(entry!);
    expect(after.complete).toBe(true);
    expect(after.code).toBe(before.code);
    expect(after.codeCache!.length).toBeGreaterThan(before.codeCache!.length);

    // Loaded from a complete entry, nothing is left to take at exit.
    forgetPacks();
    expect((await importUserModule(path, "light")).value).toBe("called later");
    rmSync(entry!);
    completeCodeCaches();
    expect(existsSync(entry!)).toBe(false);
  });

  it("takes no code cache at exit into a cache folder removed since", async () => {
    await importUserModule(write("complete-gone/a.ts", moduleText("gone")), "light");
    rmSync(cache, { recursive: true, force: true });
    completeCodeCaches();
    expect(existsSync(cache)).toBe(false);
  });

  it("reads an entry whose flags it does not know as a miss", () => {
    const bytes = encodeCompiledEntry({ code: "x", complete: true });
    expect(decodeCompiledEntry(bytes)).toEqual({ code: "x", complete: true });
    bytes.writeUInt8(2, 4);
    expect(decodeCompiledEntry(bytes)).toBeUndefined();
  });

  it("compiles from source when V8 rejects the code cache, and stores a fresh one", async () => {
    const path = write("v8-bad/a.ts", moduleText("rejected cache"));
    await importUserModule(path, "light");
    const [entry] = entries();
    // Other code than the first load compiled: V8 keeps compiled sources in memory, and a source
    // it already holds would never look at the cache given with it.
    const code = readEntry(entry!).code.replace('"rejected cache"', '"rejected again"');
    const damaged = Buffer.alloc(64, 7);
    writeFileSync(entry!, encodeCompiledEntry({ code, codeCache: damaged }));
    expect((await importUserModule(path, "light")).value).toBe("rejected again");
    const repaired = readEntry(entry!);
    expect(repaired.code).toBe(code);
    expect(repaired.codeCache?.length).toBeGreaterThan(0);
    expect(repaired.codeCache?.equals(damaged)).toBe(false);
  });

  it("compiles again when an entry is damaged, and repairs it", async () => {
    const path = write("damaged/a.ts", moduleText("repaired"));
    await importUserModule(path, "light");
    const [entry] = entries();
    writeFileSync(entry!, Buffer.from([0xff, 0xff, 0xff, 0x7f, 0x41]));
    expect((await importUserModule(path, "light")).value).toBe("repaired");
    expect(readEntry(entry!).code).toContain('"repaired"');
  });

  it("serves a later process from the folder's pack, which holds each entry under its content key", async () => {
    const one = write("pack/one.ts", moduleText("one"));
    const two = write("pack/two.ts", moduleText("two"));
    await importUserModule(one, "light");
    await importUserModule(two, "light");
    expect(packs()).toHaveLength(0);
    // What the process does when it exits; then a new process, which has read no pack yet.
    flushPacks();
    forgetPacks();
    expect(packs()).toHaveLength(1);
    // The entries' own files, edited by hand, show that the next loads come from the pack.
    for (const entry of entries()) {
      writeFileSync(entry, encodeCompiledEntry({ code: readEntry(entry).code.replace(/"(one|two)"/, '"from the file"') }));
    }
    expect((await importUserModule(one, "light")).value).toBe("one");
    expect((await importUserModule(two, "light")).value).toBe("two");
    // An edited revision is another key: compiled again, never answered by the pack.
    write("pack/one.ts", moduleText("edited"));
    expect((await importUserModule(one, "light")).value).toBe("edited");
    flushPacks();
    forgetPacks();
    write("pack/one.ts", moduleText("one"));
    expect((await importUserModule(one, "light")).value).toBe("one");
    write("pack/one.ts", moduleText("edited"));
    expect((await importUserModule(one, "light")).value).toBe("edited");
  });

  it("keeps the code caches of runs under other V8 versions or Node options apart", () => {
    const base = v8SettingOf("11.3", ["--enable-source-maps"], undefined);
    expect(v8SettingOf("11.3", ["--enable-source-maps"], "")).toBe(base);
    expect(v8SettingOf("11.3", ["--enable-source-maps"], "--max-old-space-size=4096")).not.toBe(base);
    expect(v8SettingOf("11.3", ["--max-semi-space-size=64"], undefined)).not.toBe(base);
    expect(v8SettingOf("12.4", ["--enable-source-maps"], undefined)).not.toBe(base);
    expect(v8SettingOf("11.3", ["--a", "b"], undefined)).not.toBe(v8SettingOf("11.3", ["--a b"], undefined));
  });

  it("reads the entries' own files when the pack is damaged, and writes a whole one again", async () => {
    const path = write("damaged-pack/a.ts", moduleText("intact"));
    await importUserModule(path, "light");
    flushPacks();
    forgetPacks();
    const [pack] = packs();
    writeFileSync(pack!, readFileSync(pack!).subarray(0, 80));
    expect((await importUserModule(path, "light")).value).toBe("intact");
    flushPacks();
    forgetPacks();
    expect(readFileSync(pack!).length).toBeGreaterThan(80);
    expect((await importUserModule(path, "light")).value).toBe("intact");
  });

  it("writes no pack into a cache folder removed since", async () => {
    const path = write("removed/a.ts", moduleText("gone"));
    await importUserModule(path, "light");
    rmSync(cache, { recursive: true, force: true });
    flushPacks();
    expect(filesUnder(cache)).toHaveLength(0);
  });

  it("compiles import.meta.url for the file's own place, so a copy elsewhere is a different entry", async () => {
    const text = `export const url = import.meta.url;\n`;
    const first = write("meta/one/m.ts", text);
    const second = write("meta/two/m.ts", text);
    expect((await importUserModule(first)).url).toBe(pathToFileURL(first).href);
    expect((await importUserModule(second)).url).toBe(pathToFileURL(second).href);
    expect(entries()).toHaveLength(2);
  });

  it("resolves the module's other imports from its own folder, TypeScript helpers included", async () => {
    write("imports/lib/helper.ts", `export const twice = (n: number): number => n * 2;\n`);
    const path = write(
      "imports/m.ts",
      `import { twice } from "./lib/helper";\nimport { join, sep } from "node:path";\nexport const result = twice(21);\nexport const joined = join("a", "b");\n`,
    );
    const namespace = await importUserModule(path);
    expect(namespace.result).toBe(42);
    expect(namespace.joined).toBe(join("a", "b"));
  });

  it("reports a syntax error with the file and line, and caches nothing for it", async () => {
    const path = write("syntax/s.ts", `export const a = 1;\nexport const b = (;\n`);
    const error = await importUserModule(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(errorLineIn(error, path)).toBe(2);
    expect(entries()).toHaveLength(0);
  });

  it("lets an error thrown while the module runs point at its line in the file", async () => {
    const path = write("throws/t.ts", `export const a: number = 1;\n\nthrow new Error("top-level failure");\n`);
    const error = await importUserModule(path).catch((e: unknown) => e);
    expect((error as Error).message).toBe("top-level failure");
    expect(errorLineIn(error, path)).toBe(3);
  });

  it("writes nothing with STRATUM_NO_CACHE=1", async () => {
    process.env.STRATUM_NO_CACHE = "1";
    const path = write("off/a.ts", moduleText("uncached"));
    expect((await importUserModule(path, "light")).value).toBe("uncached");
    expect(entries()).toHaveLength(0);
  });

  it("ignores a cache folder it cannot write to", async () => {
    const blocker = join(root, "not-a-folder");
    writeFileSync(blocker, "");
    process.env.STRATUM_CACHE_DIR = blocker;
    const path = write("unwritable/a.ts", moduleText("still loads"));
    expect((await importUserModule(path, "light")).value).toBe("still loads");
  });
});
