#!/usr/bin/env node
/**
 * Links the compiled modules in dist/ into dist/bundle/: one file per entry point plus shared
 * chunks, so that a command loads a handful of files instead of a hundred. Node reads ES modules
 * one by one through its thread pool, and for a short command like `heads` those reads were a
 * fifth of the run. Dependencies stay external; the type declarations stay in dist/.
 */
import { existsSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
const out = join(dist, "bundle");

// Built beside the live bundle and swapped in whole: a command started from the old bundle keeps
// finding complete files until the moment of the swap, and never a half-written chunk.
const staging = join(dist, `bundle.${process.pid}.staging`);
const retired = join(dist, `bundle.${process.pid}.retired`);
rmSync(staging, { recursive: true, force: true });
await build({
  // Every module that is imported by path rather than through another module: the CLI, the
  // package entries, and the small entry that revision and config files get as "stratum".
  entryPoints: ["cli/main.js", "index.js", "testing/index.js", "config/user-entry.js"].map((entry) => join(dist, entry)),
  outbase: dist,
  outdir: staging,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  chunkNames: "chunks/[name]-[hash]",
  sourcemap: true,
  sourcesContent: false,
  logLevel: "warning",
});
if (existsSync(out)) renameSync(out, retired);
renameSync(staging, out);
rmSync(retired, { recursive: true, force: true });
