import { readFileSync, writeFileSync } from "node:fs";
import { join, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { flushPacks, forgetPacks } from "../../src/cache-dir.js";
import { splitStatements } from "../../src/dialects/postgres/split.js";
import { InputError } from "../../src/errors.js";
import { useScratchCacheDir } from "../helpers/cache.js";
import { filesUnder } from "../helpers/files.js";

const cache = useScratchCacheDir("stratum-split-cache-");

const entries = (): string[] => filesUnder(join(cache(), "split-postgres")).filter((path) => !path.includes(`${sep}packs${sep}`));

describe("the PostgreSQL split cache", () => {
  it("stores a split and answers the same text from it", async () => {
    const text = "CREATE TABLE cached_a (id int);\n\nCREATE INDEX CONCURRENTLY cached_a_id ON cached_a (id);\n";
    const first = await splitStatements(text, "a.sql");
    expect(first).toEqual([
      { sql: "CREATE TABLE cached_a (id int)", line: 1, nonTransactional: false },
      { sql: "CREATE INDEX CONCURRENTLY cached_a_id ON cached_a (id)", line: 3, nonTransactional: true },
    ]);
    expect(entries()).toHaveLength(1);
    const [entry] = entries();
    // An entry edited by hand shows that the second split came from the cache.
    writeFileSync(entry!, readFileSync(entry!, "utf8").replace('"line":3', '"line":30'));
    expect((await splitStatements(text, "a.sql"))[1]!.line).toBe(30);
  });

  it("splits again when an entry is damaged, and repairs it", async () => {
    const text = "SELECT 'repair me';\n";
    await splitStatements(text);
    const entry = entries().find((path) => readFileSync(path, "utf8").includes("repair me"))!;
    writeFileSync(entry, "{not json");
    expect(await splitStatements(text)).toEqual([{ sql: "SELECT 'repair me'", line: 1, nonTransactional: false }]);
    expect(JSON.parse(readFileSync(entry, "utf8"))).toHaveLength(1);
  });

  it("serves a later process from the folder's pack, by the text's content", async () => {
    const text = "CREATE TABLE packed_a (id int);\n";
    const edited = "CREATE TABLE packed_b (id int);\n";
    await splitStatements(text, join("versions", "a.sql"));
    flushPacks();
    forgetPacks();
    for (const entry of entries()) writeFileSync(entry, readFileSync(entry, "utf8").replace('"line":1', '"line":10'));
    expect((await splitStatements(text, join("versions", "a.sql")))[0]!.line).toBe(1);
    expect(await splitStatements(edited, join("versions", "a.sql"))).toEqual([{ sql: "CREATE TABLE packed_b (id int)", line: 1, nonTransactional: false }]);
  });

  it("never caches a syntax error: the parser reports it every time", async () => {
    const before = entries().length;
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await splitStatements("SELECT 1;\nSELEC 2;\n", "bad.sql").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).message).toMatch(/bad\.sql:2: SQL syntax error/);
    }
    expect(entries()).toHaveLength(before);
  });
});
