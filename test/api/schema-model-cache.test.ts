/**
 * The cache of models produced from SQL schema files, on a real PGlite. Each call starts the
 * scratch database through a counting wrapper, so a cache hit is proven by PGlite not starting.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadProject } from "../../src/api/project.js";
import { loadDeclaredSchema } from "../../src/api/schema-declared.js";
import {
  MODEL_CACHE_ENTRIES,
  modelCacheKey,
  modelCachePath,
  modelsDir,
  parseModel,
  readCachedModel,
  serializeModel,
  writeCachedModel,
} from "../../src/api/schema-model-cache.js";
import { startScratchPGlite, templatePath } from "../../src/api/schema-pglite.js";
import { readSqlFiles, sqlFilesToModel, type SqlSchemaFile, type StartScratch } from "../../src/api/schema-sql.js";
import { validateConfig } from "../../src/config/validate.js";
import { InputError } from "../../src/errors.js";
import { emptySchema, type SchemaModel } from "../../src/schema/model.js";
import { tempDir } from "../helpers/databases.js";

const FIXTURES = new URL("../introspect/fixtures/", import.meta.url);
const fixture = (name: string): string => readFileSync(new URL(name, FIXTURES), "utf8");
const seedFiles = (): SqlSchemaFile[] =>
  readdirSync(new URL("seeds/", FIXTURES))
    .sort()
    .map((name) => ({ path: `schema/${name}`, text: fixture(`seeds/${name}`) }));
const richFiles = (): SqlSchemaFile[] => [{ path: "schema/rich.sql", text: fixture("rich-postgres.sql") }];

let starts = 0;
const counting: StartScratch = (extensions) => {
  starts++;
  return startScratchPGlite(extensions);
};

const saved = { cacheDir: process.env.STRATUM_CACHE_DIR, noCache: process.env.STRATUM_NO_SCHEMA_CACHE };
let cache: { path: string; remove(): void };

beforeAll(() => {
  // A cache folder of this file's own, seeded with the prepared data directory when there is
  // one, so that the tests do not each pay for initdb.
  const shared = templatePath();
  cache = tempDir("stratum-model-cache-");
  process.env.STRATUM_CACHE_DIR = cache.path;
  if (existsSync(shared)) copyFileSync(shared, templatePath());
});
beforeEach(() => {
  delete process.env.STRATUM_NO_SCHEMA_CACHE;
  rmSync(modelsDir(), { recursive: true, force: true });
  starts = 0;
});
afterEach(() => {
  if (saved.noCache === undefined) delete process.env.STRATUM_NO_SCHEMA_CACHE;
  else process.env.STRATUM_NO_SCHEMA_CACHE = saved.noCache;
});
afterAll(() => {
  if (saved.cacheDir === undefined) delete process.env.STRATUM_CACHE_DIR;
  else process.env.STRATUM_CACHE_DIR = saved.cacheDir;
  cache.remove();
});

const entries = (): string[] => (existsSync(modelsDir()) ? readdirSync(modelsDir()).sort() : []);
const keyOf = (files: readonly SqlSchemaFile[], extensions: string[]): string =>
  modelCacheKey({ extensions, schemas: undefined, exclude: [], direct: true, files });

describe("the model cache of SQL schema files", () => {
  it("applies the files once, then reads the model without starting PGlite", async () => {
    const files = seedFiles();
    const first = await sqlFilesToModel(files, {}, counting);
    expect(starts).toBe(1);
    expect(entries()).toEqual([`${keyOf(files, ["ltree"])}.json`]);
    expect(first.tables.map((t) => t.name)).toContain("entities");

    const second = await sqlFilesToModel(files, {}, counting);
    expect(starts).toBe(1);
    expect(second).toStrictEqual(first);
  });

  it("gives back a rich model exactly as introspection produced it", async () => {
    const files = richFiles();
    const introspected = await sqlFilesToModel(files, { cache: false }, counting);
    // The fixture must exercise the model's optional fields, or the comparison proves little.
    const entities = introspected.tables.find((t) => t.name === "entities")!;
    expect(introspected.schemas).toEqual(["audit"]);
    expect(introspected.enums).not.toHaveLength(0);
    expect(introspected.sequences[0]).toMatchObject({ name: "invoice_numbers", start: 1000, increment: 5 });
    expect(introspected.views.map((v) => [v.name, v.materialized])).toEqual([["active_users", false], ["hierarchy_mv", true]]);
    expect(introspected.functions.map((f) => f.kind).sort()).toEqual(["function", "procedure"]);
    expect(entities.triggers).toHaveLength(1);
    expect(entities.policies.map((p) => p.permissive).sort()).toEqual([false, true]);
    expect(entities.indexes.find((i) => i.name === "entities_lower_title")).toMatchObject({ include: ["id"], keys: [{ order: "DESC", nulls: "LAST" }] });

    const text = serializeModel(introspected);
    expect(text).toBeDefined();
    expect(parseModel(text!)).toStrictEqual(introspected);

    await sqlFilesToModel(files, {}, counting);
    const cached = await sqlFilesToModel(files, {}, counting);
    expect(starts).toBe(2);
    expect(cached).toStrictEqual(introspected);
  });

  it("applies the files again when a file's text changes, and caches both versions", async () => {
    const files = seedFiles();
    await sqlFilesToModel(files, {}, counting);
    const edited = files.map((f) => (f.path.endsWith("04_agi_tracker.sql") ? { ...f, text: `${f.text}\nCREATE TABLE added (id int);\n` } : f));
    const model = await sqlFilesToModel(edited, {}, counting);
    expect(starts).toBe(2);
    expect(model.tables.map((t) => t.name)).toContain("added");
    expect(entries()).toHaveLength(2);

    const again = await sqlFilesToModel(edited, {}, counting);
    expect(starts).toBe(2);
    expect(again.tables.map((t) => t.name)).toContain("added");
  });

  it("keys on every input: files' text, path and order, extensions, schemas and exclude", () => {
    const files = [
      { path: "a.sql", text: "CREATE TABLE a (id int);" },
      { path: "b.sql", text: "CREATE TABLE b (id int);" },
    ];
    const base = { extensions: [], schemas: undefined, exclude: [], direct: true, files };
    const key = modelCacheKey(base);
    expect(modelCacheKey({ ...base, files: files.map((f) => ({ ...f })) })).toBe(key);
    const variants = [
      { ...base, files: [files[0]!, { ...files[1]!, text: "CREATE TABLE b (id bigint);" }] },
      { ...base, files: [files[0]!, { ...files[1]!, path: "c.sql" }] },
      { ...base, files: [files[1]!, files[0]!] },
      // The boundary between two files is part of the key, not only their concatenation.
      { ...base, files: [{ path: "a.sql", text: `${files[0]!.text}${files[1]!.text}` }, { path: "b.sql", text: "" }] },
      { ...base, extensions: ["ltree"] },
      { ...base, schemas: [] },
      { ...base, schemas: ["public"] },
      { ...base, exclude: ["stratum_version"] },
    ];
    const keys = variants.map(modelCacheKey);
    expect(new Set([key, ...keys]).size).toBe(variants.length + 1);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
  });

  it("ignores a damaged entry, applies the files, and rewrites the entry", async () => {
    const files = seedFiles();
    const first = await sqlFilesToModel(files, {}, counting);
    const path = modelCachePath(keyOf(files, ["ltree"]));
    const whole = readFileSync(path, "utf8");

    for (const damaged of [whole.slice(0, whole.length / 2), "{}", '{"dialect":"postgresql","tables":{}}', ""]) {
      writeFileSync(path, damaged);
      const model = await sqlFilesToModel(files, {}, counting);
      expect(model).toStrictEqual(first);
      expect(readFileSync(path, "utf8")).toBe(whole);
    }
    expect(starts).toBe(5);
  });

  it("never fails the command when the entry cannot be written", async () => {
    // A plain file where the models folder should be: every write fails.
    writeFileSync(modelsDir(), "not a folder");
    try {
      const model = await sqlFilesToModel(seedFiles(), {}, counting);
      expect(model.tables.map((t) => t.name)).toContain("entities");
      await sqlFilesToModel(seedFiles(), {}, counting);
      expect(starts).toBe(2);
    } finally {
      rmSync(modelsDir(), { force: true });
    }
  });

  it("is neither read nor written with cache: false", async () => {
    const files = seedFiles();
    await sqlFilesToModel(files, { cache: false }, counting);
    expect(entries()).toEqual([]);
    await sqlFilesToModel(files, {}, counting);
    expect(entries()).toHaveLength(1);
    await sqlFilesToModel(files, { cache: false }, counting);
    expect(starts).toBe(3);
  });

  it("is neither read nor written with STRATUM_NO_SCHEMA_CACHE=1", async () => {
    const files = seedFiles();
    await sqlFilesToModel(files, {}, counting);
    const before = readFileSync(modelCachePath(keyOf(files, ["ltree"])), "utf8");
    process.env.STRATUM_NO_SCHEMA_CACHE = "1";
    await sqlFilesToModel(files, {}, counting);
    await sqlFilesToModel(files, { cache: true }, counting);
    expect(starts).toBe(3);
    expect(entries()).toHaveLength(1);
    expect(readFileSync(modelCachePath(keyOf(files, ["ltree"])), "utf8")).toBe(before);
  });

  it("reports a failing file with its file and line, and writes no entry", async () => {
    const files = [...seedFiles(), { path: "schema/bad.sql", text: fixture("bad.sql") }];
    const failure = await sqlFilesToModel(files, {}, counting).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(InputError);
    expect((failure as InputError).location).toEqual({ file: "schema/bad.sql", line: 5 });
    expect((failure as InputError).message).toMatch(/nosuchtype/);
    expect(entries()).toEqual([]);
  });
});

describe("the models folder", () => {
  const model = (name: string): SchemaModel => ({ ...emptySchema("postgresql"), schemas: [name] });

  it(`keeps the ${MODEL_CACHE_ENTRIES} most recently used entries`, () => {
    const keys = Array.from({ length: MODEL_CACHE_ENTRIES }, (_, i) => `k${String(i).padStart(2, "0")}`);
    const hour = 3600_000;
    keys.forEach((key, i) => {
      writeCachedModel(key, model(key));
      // k00 is the oldest, k19 the newest.
      const when = new Date(Date.now() - (MODEL_CACHE_ENTRIES - i) * hour);
      utimesSync(modelCachePath(key), when, when);
    });
    // Reading k00 makes it the most recently used; k01 is now the least.
    expect(readCachedModel("k00")).toStrictEqual(model("k00"));
    writeCachedModel("new", model("new"));

    const kept = entries().map((name) => name.replace(/\.json$/, ""));
    expect(kept).toHaveLength(MODEL_CACHE_ENTRIES);
    expect(kept).toContain("k00");
    expect(kept).toContain("new");
    expect(kept).not.toContain("k01");
  });

  it("removes temporary files a dead process left, and only old ones", () => {
    mkdirSync(modelsDir(), { recursive: true });
    const old = join(modelsDir(), "x.json.1.abc.tmp");
    const fresh = join(modelsDir(), "y.json.2.def.tmp");
    writeFileSync(old, "{");
    writeFileSync(fresh, "{");
    const yesterday = new Date(Date.now() - 24 * 3600_000);
    utimesSync(old, yesterday, yesterday);
    writeCachedModel("k", model("k"));
    expect(existsSync(old)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
  });
});

describe("what JSON would not give back exactly", () => {
  it("is not cached", () => {
    const base = emptySchema("postgresql");
    const withUndefined = { ...base, tables: [{ ...emptyTableLike(), comment: undefined }] } as unknown as SchemaModel;
    const withNegativeZero = { ...base, sequences: [{ schema: "public", name: "s", start: -0, increment: 1, cycle: false }] };
    const withInfinity = { ...base, sequences: [{ schema: "public", name: "s", start: 1, increment: Infinity, cycle: false }] };
    const withMap = { ...base, enums: [new Map()] } as unknown as SchemaModel;
    for (const bad of [withUndefined, withNegativeZero, withInfinity, withMap]) expect(serializeModel(bad)).toBeUndefined();
    expect(serializeModel(base)).toBe(JSON.stringify(base));
  });
});

function emptyTableLike(): Record<string, unknown> {
  return { schema: "public", name: "t", columns: [], uniques: [], foreignKeys: [], checks: [], excludes: [], indexes: [], triggers: [], rowLevelSecurity: false, policies: [] };
}

describe("the schemaCache config key", () => {
  it("is a boolean", () => {
    expect(validateConfig({ schemaCache: false }, "stratum.config.ts")).toEqual({ schemaCache: false });
    expect(() => validateConfig({ schemaCache: "no" }, "stratum.config.ts")).toThrow(/schemaCache must be true or false/);
  });

  it("turns the cache off where check, drift and autogenerate load the declared schema", async () => {
    const project = tempDir("stratum-model-cache-project-");
    try {
      mkdirSync(join(project.path, "schema"));
      writeFileSync(join(project.path, "schema", "app.sql"), "CREATE TABLE users (id bigint PRIMARY KEY);\n");
      writeFileSync(join(project.path, "stratum.config.mjs"), 'export default { url: "pglite:memory" };\n');
      const loaded = await loadProject({ cwd: project.path });
      const source = { kind: "sql" as const, globs: ["schema/*.sql"] };
      const exclude = ["stratum_version", "stratum_history"];
      // A planted entry under the key these inputs give: read when the cache is on.
      const files = readSqlFiles(source.globs, project.path);
      const planted = { ...emptySchema("postgresql"), schemas: ["planted"] };
      writeCachedModel(modelCacheKey({ extensions: [], schemas: undefined, exclude, direct: true, files }), planted);

      expect(await loadDeclaredSchema(loaded, "postgresql", source, exclude, undefined, "pglite")).toStrictEqual(planted);
      const off = { ...loaded, config: { ...loaded.config, schemaCache: false } };
      const real = await loadDeclaredSchema(off, "postgresql", source, exclude, undefined, "pglite");
      expect(real.tables.map((t) => t.name)).toEqual(["users"]);
      expect(entries()).toHaveLength(1);
    } finally {
      project.remove();
    }
  });
});
