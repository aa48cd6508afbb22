/**
 * Keeps the cache folder from growing without bound. Entries are named by their inputs, so every
 * edit of a revision, every new build and every scratch project leaves entries that nothing will
 * ask for again. Once a day, files that nobody has read or written for two weeks are deleted.
 * "Read" is the access time, which Linux's default `relatime` mount option refreshes at most
 * daily; where access times are off, an entry in use is simply rebuilt after two weeks.
 *
 * Walking a cache of tens of thousands of files takes about a second, so the sweep runs in a
 * detached process of its own and never holds up the command that started it.
 */
import { spawn } from "node:child_process";
import { existsSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { readdir, rm, rmdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { moduleRoot } from "./package-files.js";

const SWEEP_EVERY_MS = 24 * 60 * 60 * 1000;
export const UNUSED_FOR_MS = 14 * 24 * 60 * 60 * 1000;
const MARKER = ".last-sweep";

type Sweeper = (dir: string, cutoff: number) => void;

/**
 * Starts a sweep of `dir` when the last one is a day old, recording the time first so that
 * concurrent processes do not all sweep. True when one was started.
 */
export function sweepWhenDue(dir: string, now = Date.now(), sweep: Sweeper = sweepInBackground): boolean {
  const marker = join(dir, MARKER);
  const last = statSync(marker, { throwIfNoEntry: false })?.mtimeMs;
  if (last !== undefined && now - last < SWEEP_EVERY_MS) return false;
  try {
    writeFileSync(marker, "");
    utimesSync(marker, now / 1000, now / 1000);
  } catch {
    // A folder that cannot be written to has nothing this process could delete either.
    return false;
  }
  sweep(dir, now - UNUSED_FOR_MS);
  return true;
}

/** What the detached process runs: this module, loaded from the build, sweeping one folder. */
const SWEEP_MAIN = "const [url, dir, cutoff] = process.argv.slice(1); await (await import(url)).sweepUnused(dir, Number(cutoff));";

/**
 * Runs sweepUnused in a detached Node process. Only a build has this module as JavaScript
 * (dist/cache-sweep.js, dist/bundle/cache-sweep.js); run from the TypeScript sources, nothing starts.
 */
export function sweepInBackground(dir: string, cutoff: number): void {
  const script = join(moduleRoot(), "cache-sweep.js");
  if (!existsSync(script)) return;
  try {
    spawn(process.execPath, ["--input-type=module", "-e", SWEEP_MAIN, pathToFileURL(script).href, dir, String(cutoff)], {
      detached: true,
      stdio: "ignore",
    }).unref();
  } catch {
    // A cache only saves time: without a sweep it is merely larger.
  }
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
