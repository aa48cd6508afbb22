/**
 * The cache sweep: files unused for two weeks go, files read or written since stay, a sweep runs
 * at most once a day, and the built sweep runs in a process of its own.
 */
import { existsSync, mkdirSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sweepUnused, sweepWhenDue, UNUSED_FOR_MS } from "../../src/cache-sweep.js";
import { tempDir } from "../helpers/databases.js";

const DAY = 24 * 60 * 60 * 1000;
const REPO = join(import.meta.dirname, "..", "..");

describe("cache sweep", () => {
  let dir: { path: string; remove(): void };
  const now = Date.now();

  beforeEach(() => {
    dir = tempDir("stratum-cache-sweep-");
  });
  afterEach(() => dir.remove());

  /** A file whose last read and last write were `readAgo` and `writtenAgo` before now. */
  function entry(relative: string, writtenAgo: number, readAgo = writtenAgo): string {
    const path = join(dir.path, relative);
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, "x");
    utimesSync(path, (now - readAgo) / 1000, (now - writtenAgo) / 1000);
    return path;
  }

  it("deletes files neither read nor written for two weeks, and the folders they leave empty", async () => {
    const stale = entry("modules/ab/stale", 30 * DAY);
    const fresh = entry("modules/cd/fresh", 1 * DAY);
    const readLately = entry("headers/ef/read", 30 * DAY, 2 * DAY);
    await sweepUnused(dir.path, now - UNUSED_FOR_MS);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(join(dir.path, "modules", "ab"))).toBe(false);
    expect(existsSync(fresh)).toBe(true);
    expect(existsSync(readLately)).toBe(true);
  });

  it("sweeps at most once a day", () => {
    const cutoffs: number[] = [];
    const record = (_dir: string, cutoff: number) => void cutoffs.push(cutoff);
    expect(sweepWhenDue(dir.path, now, record)).toBe(true);
    expect(sweepWhenDue(dir.path, now + DAY / 2, record)).toBe(false);
    expect(sweepWhenDue(dir.path, now + DAY + 1000, record)).toBe(true);
    expect(cutoffs).toEqual([now - UNUSED_FOR_MS, now + DAY + 1000 - UNUSED_FOR_MS]);
  });

  it("starts nothing for a cache folder that does not exist", () => {
    expect(sweepWhenDue(join(dir.path, "missing"), now, () => {})).toBe(false);
  });

  it("sweeps from a build in a detached process", async () => {
    const built = join(REPO, "dist", "bundle", "cache-sweep.js");
    expect(existsSync(built), "npm test builds dist/ first").toBe(true);
    const { sweepInBackground } = (await import(built)) as typeof import("../../src/cache-sweep.js");
    const stale = entry("splits/aa/old", 30 * DAY);
    const fresh = entry("splits/bb/new", 0);
    sweepInBackground(dir.path, now - UNUSED_FOR_MS);
    for (let waited = 0; existsSync(stale) && waited < 10_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
  });
});
