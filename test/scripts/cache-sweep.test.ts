/**
 * The cache sweep: files unused for two weeks go, files read or written since stay, and a sweep
 * runs at most once a day.
 */
import { existsSync, mkdirSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sweepUnused, sweepWhenDue, UNUSED_FOR_MS } from "../../src/cache-sweep.js";
import { tempDir } from "../helpers/databases.js";

const DAY = 24 * 60 * 60 * 1000;

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

  it("sweeps at most once a day", async () => {
    const first = entry("splits/aa/old", 30 * DAY);
    await sweepWhenDue(dir.path, now);
    expect(existsSync(first)).toBe(false);

    const second = entry("splits/bb/old", 30 * DAY);
    await sweepWhenDue(dir.path, now + DAY / 2);
    expect(existsSync(second)).toBe(true);

    await sweepWhenDue(dir.path, now + DAY + 1000);
    expect(existsSync(second)).toBe(false);
  });

  it("does nothing for a cache folder that does not exist", async () => {
    await expect(sweepWhenDue(join(dir.path, "missing"), now)).resolves.toBeUndefined();
  });
});
