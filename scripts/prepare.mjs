#!/usr/bin/env node
/**
 * `npm ci` runs `prepare`, and so does `npx stratum` in this folder: npx installs the folder as a
 * dependency, which prepares it in place. Rebuilding then would swap the bundle under commands
 * that are running from it, so the build runs only when it is missing or older than its sources.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const built = join(root, "dist", "bundle", "cli", "main.js");

function newestUnder(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestUnder(join(path, name))));
}

const inputs = ["src", "scripts", "package.json", "tsconfig.json", "tsconfig.build.json"].map((name) => join(root, name));
if (existsSync(built) && statSync(built).mtimeMs > Math.max(...inputs.filter(existsSync).map(newestUnder))) {
  console.log("stratum: the build is up to date");
} else {
  const result = spawnSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" });
  process.exitCode = result.status ?? 1;
}
