/**
 * Stratum's on-disk caches: the prepared PGlite data directory, compiled TypeScript modules,
 * split SQL, declared schema models. Everything in them can be rebuilt, so they live under the OS
 * temp folder unless STRATUM_CACHE_DIR names another place, and STRATUM_NO_CACHE=1 turns the
 * content caches off. Entries are named by a SHA-256 of everything their content depends on, so
 * an entry is never stale: a change to any input is a different name.
 */
import { hash } from "node:crypto";
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { readBytesFile, readTextFile } from "./read-text.js";

let osTemp: string | undefined;

export function cacheDir(): string {
  // tmpdir() reads three environment variables on every call; a run asks hundreds of times.
  return process.env.STRATUM_CACHE_DIR ?? join((osTemp ??= tmpdir()), "stratum-cache");
}

export function contentCacheEnabled(): boolean {
  return process.env.STRATUM_NO_CACHE !== "1";
}

/** The name of an entry whose content follows from exactly these inputs. A run names about two per revision, so the one-shot hash is used. */
export function contentKey(inputs: readonly string[]): string {
  return hash("sha256", inputs.join("\0"), "hex");
}

function entryPath(kind: string, key: string): string {
  return join(cacheDir(), kind, key.slice(0, 2), key);
}

export function readCacheEntry(kind: string, key: string): string | undefined {
  if (!contentCacheEnabled()) return undefined;
  try {
    return readTextFile(entryPath(kind, key));
  } catch {
    return undefined;
  }
}

/** An entry's bytes, for entries that are not text (compiled code with V8's code cache). */
export function readCacheEntryBytes(kind: string, key: string): Buffer | undefined {
  if (!contentCacheEnabled()) return undefined;
  try {
    return readBytesFile(entryPath(kind, key));
  } catch {
    return undefined;
  }
}

let written = 0;

/**
 * Writes `content` under a temporary name and renames it into place, so that a concurrent reader
 * never sees half a file. False when it could not; a cache only saves time, so callers go on.
 */
export function writeAtomically(path: string, content: string | Uint8Array): boolean {
  const partial = `${path}.${process.pid}-${++written}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(partial, content);
    renameSync(partial, path);
    return true;
  } catch {
    try {
      rmSync(partial, { force: true });
    } catch {
      // Nothing was written, or the folder cannot be reached: there is nothing to clean.
    }
    return false;
  }
}

export function writeCacheEntry(kind: string, key: string, content: string | Uint8Array): void {
  if (contentCacheEnabled()) writeAtomically(entryPath(kind, key), content);
}
