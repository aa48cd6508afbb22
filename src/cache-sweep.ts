/**
 * Keeps the cache folder from growing without bound. Entries are named by their inputs, so every
 * edit of a revision, every new build and every scratch project leaves entries that nothing will
 * ask for again. Once a day, files that nobody has read or written for two weeks are deleted.
 * "Read" is the access time, which Linux's default `relatime` mount option refreshes at most
 * daily; where access times are off, an entry in use is simply rebuilt after two weeks.
 */
import { readdir, rm, rmdir, stat } from "node:fs/promises";
import { statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const SWEEP_EVERY_MS = 24 * 60 * 60 * 1000;
export const UNUSED_FOR_MS = 14 * 24 * 60 * 60 * 1000;
const MARKER = ".last-sweep";

/**
 * Starts a sweep of `dir` when the last one is a day old, recording the time first so that
 * concurrent processes do not all sweep. Resolves when the sweep is done (at once when none is due).
 */
export function sweepWhenDue(dir: string, now = Date.now()): Promise<void> {
  const marker = join(dir, MARKER);
  const last = statSync(marker, { throwIfNoEntry: false })?.mtimeMs;
  if (last !== undefined && now - last < SWEEP_EVERY_MS) return Promise.resolve();
  try {
    writeFileSync(marker, "");
    utimesSync(marker, now / 1000, now / 1000);
  } catch {
    // A folder that cannot be written to has nothing this process could delete either.
    return Promise.resolve();
  }
  return sweepUnused(dir, now - UNUSED_FOR_MS).catch(() => {});
}

/** Deletes every file below `dir` last read and last written before `cutoff`, then empty folders. */
export async function sweepUnused(dir: string, cutoff: number): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (name === MARKER) continue;
    const path = join(dir, name);
    const info = await stat(path).catch(() => undefined);
    if (info === undefined) continue;
    if (info.isDirectory()) {
      await sweepUnused(path, cutoff);
      // Only an empty folder goes; one that a concurrent run has just written to stays.
      await rmdir(path).catch(() => {});
      continue;
    }
    if (Math.max(info.atimeMs, info.mtimeMs) < cutoff) await rm(path, { force: true }).catch(() => {});
  }
}
