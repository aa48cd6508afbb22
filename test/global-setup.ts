/**
 * Every test run gets a cache folder of its own, removed when the run ends: the suites create
 * hundreds of throw-away projects, and their compiled modules, splits and header indexes would
 * otherwise pile up in the shared cache, never to be asked for again. The prepared PGlite data
 * directory is the exception: it takes seconds to build, so the run borrows the shared one and
 * hands back one it had to build.
 */
import { existsSync, linkSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const TEMPLATE = /^pglite-.*\.tar$/;

function share(from: string, to: string): void {
  if (existsSync(to)) return;
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}

export default function setup(): () => void {
  const shared = process.env.STRATUM_CACHE_DIR ?? join(tmpdir(), "stratum-cache");
  const run = mkdtempSync(join(tmpdir(), "stratum-test-cache-"));
  if (existsSync(shared)) {
    for (const name of readdirSync(shared)) if (TEMPLATE.test(name)) share(join(shared, name), join(run, name));
  }
  process.env.STRATUM_CACHE_DIR = run;
  return () => {
    try {
      mkdirSync(shared, { recursive: true });
      for (const name of readdirSync(run)) if (TEMPLATE.test(name)) share(join(run, name), join(shared, name));
    } finally {
      rmSync(run, { recursive: true, force: true });
    }
  };
}
