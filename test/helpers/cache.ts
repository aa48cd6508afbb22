import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";

/**
 * Points STRATUM_CACHE_DIR at a new empty folder for the test file, and restores it and removes
 * the folder afterwards. Returns the folder's path, once the file's tests have started.
 */
export function useScratchCacheDir(prefix: string): () => string {
  let cache: string | undefined;
  const saved = process.env.STRATUM_CACHE_DIR;
  beforeAll(() => {
    cache = mkdtempSync(join(tmpdir(), prefix));
    process.env.STRATUM_CACHE_DIR = cache;
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.STRATUM_CACHE_DIR;
    else process.env.STRATUM_CACHE_DIR = saved;
    if (cache !== undefined) rmSync(cache, { recursive: true, force: true });
  });
  return () => {
    if (cache === undefined) throw new Error("the scratch cache folder exists only while the tests run");
    return cache;
  };
}
