/**
 * The header index: a remembered header is used only while its file is unchanged, files changed
 * just before the index was written are read again, and the index never outlives a damaged or
 * disabled cache.
 */
import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RevisionHeader } from "../../src/graph/types.js";
import { HeaderIndex } from "../../src/scripts/header-index.js";
import { tempDir } from "../helpers/databases.js";

const LATER = Date.now() + 60_000;

function header(id: string, parents: string[] = []): RevisionHeader {
  return { id, parents, message: `m ${id}`, branchLabels: [], dependsOn: [], line: 1, path: "shown" };
}

describe("HeaderIndex", () => {
  let dir: { path: string; remove(): void };
  let versions: string;
  let reads: string[];
  const savedCacheDir = process.env.STRATUM_CACHE_DIR;
  const savedNoCache = process.env.STRATUM_NO_CACHE;

  beforeEach(() => {
    dir = tempDir("stratum-header-index-");
    versions = join(dir.path, "versions");
    mkdirSync(versions);
    process.env.STRATUM_CACHE_DIR = join(dir.path, "cache");
    delete process.env.STRATUM_NO_CACHE;
    reads = [];
  });

  afterEach(() => {
    dir.remove();
    if (savedCacheDir === undefined) delete process.env.STRATUM_CACHE_DIR;
    else process.env.STRATUM_CACHE_DIR = savedCacheDir;
    if (savedNoCache === undefined) delete process.env.STRATUM_NO_CACHE;
    else process.env.STRATUM_NO_CACHE = savedNoCache;
  });

  /** One run: every file's header through the index, recording which ones had to be read. */
  function run(files: Record<string, RevisionHeader>, now = LATER): RevisionHeader[] {
    const index = HeaderIndex.open([versions]);
    const headers = Object.entries(files).map(([name, parsed]) =>
      index.header(join(versions, name), `versions/${name}`, () => {
        reads.push(name);
        return { ...parsed, path: `versions/${name}` };
      }),
    );
    index.save(now);
    return headers;
  }

  it("reads each file once, then answers from the index while the files are unchanged", () => {
    writeFileSync(join(versions, "a.sql"), "a");
    writeFileSync(join(versions, "b.sql"), "b");
    const files = { "a.sql": header("a"), "b.sql": header("b", ["a"]) };
    const first = run(files);
    expect(reads).toEqual(["a.sql", "b.sql"]);
    reads = [];
    const second = run(files);
    expect(reads).toEqual([]);
    expect(second).toEqual(first);
    expect(second[1]).toMatchObject({ id: "b", parents: ["a"], path: "versions/b.sql", line: 1 });
  });

  it("reads a file again when its modification time changes, even at the same size", () => {
    writeFileSync(join(versions, "a.sql"), "a");
    run({ "a.sql": header("a") });
    writeFileSync(join(versions, "a.sql"), "z");
    utimesSync(join(versions, "a.sql"), new Date(2001, 1, 1), new Date(2001, 1, 1));
    reads = [];
    const [again] = run({ "a.sql": header("z") });
    expect(reads).toEqual(["a.sql"]);
    expect(again?.id).toBe("z");
  });

  it("reads a file again when it grows", () => {
    writeFileSync(join(versions, "a.sql"), "a");
    run({ "a.sql": header("a") });
    writeFileSync(join(versions, "a.sql"), "a longer text");
    reads = [];
    run({ "a.sql": header("a2") });
    expect(reads).toEqual(["a.sql"]);
  });

  /** Writes a.sql, runs once (saving the index as of `firstNow`), and returns what a second run read. */
  function secondRunReads(firstNow = LATER): string[] {
    writeFileSync(join(versions, "a.sql"), "a");
    run({ "a.sql": header("a") }, firstNow);
    reads = [];
    run({ "a.sql": header("a") });
    return reads;
  }

  it("does not remember files changed within two seconds of writing the index", () => {
    expect(secondRunReads(Date.now())).toEqual(["a.sql"]);
  });

  it("shows each header's path as the current run names it", () => {
    writeFileSync(join(versions, "a.sql"), "a");
    run({ "a.sql": header("a") });
    const index = HeaderIndex.open([versions]);
    const remembered = index.header(join(versions, "a.sql"), "elsewhere/a.sql", () => {
      throw new Error("should come from the index");
    });
    expect(remembered.path).toBe("elsewhere/a.sql");
  });

  it("rebuilds a damaged index from the files", () => {
    writeFileSync(join(versions, "a.sql"), "a");
    run({ "a.sql": header("a") });
    const cache = join(dir.path, "cache", "headers");
    for (const shard of readdirSync(cache)) {
      for (const entry of readdirSync(join(cache, shard))) writeFileSync(join(cache, shard, entry), "{not json");
    }
    reads = [];
    run({ "a.sql": header("a") });
    expect(reads).toEqual(["a.sql"]);
    reads = [];
    run({ "a.sql": header("a") });
    expect(reads).toEqual([]);
  });

  it("writes no index while every file is too new to remember", () => {
    writeFileSync(join(versions, "a.sql"), "a");
    run({ "a.sql": header("a") }, Date.now());
    expect(existsSync(join(dir.path, "cache", "headers"))).toBe(false);
  });

  it("reads every file when STRATUM_NO_CACHE=1", () => {
    process.env.STRATUM_NO_CACHE = "1";
    expect(secondRunReads()).toEqual(["a.sql"]);
  });

  it("keeps separate indexes for separate versions folders", () => {
    writeFileSync(join(versions, "a.sql"), "a");
    run({ "a.sql": header("a") });
    const other = join(dir.path, "other");
    mkdirSync(other);
    writeFileSync(join(other, "a.sql"), "a");
    const index = HeaderIndex.open([other]);
    let read = false;
    index.header(join(other, "a.sql"), "other/a.sql", () => {
      read = true;
      return header("x");
    });
    expect(read).toBe(true);
  });
});
