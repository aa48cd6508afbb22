/**
 * Where Stratum's own files are. The code runs from three places: `src/` under the test runner,
 * `dist/` as compiled, and `dist/bundle/` as shipped, where a module may be inlined into any
 * entry or chunk; so paths are found from the package root, never counted from a module's own
 * folder.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

const PACKAGE_NAME = "stratum";

interface Manifest {
  name?: unknown;
  version?: unknown;
}

let found: { root: string; manifest: Manifest } | undefined;

function locate(): { root: string; manifest: Manifest } {
  if (found) return found;
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    const path = join(dir, "package.json");
    if (existsSync(path)) {
      const manifest = JSON.parse(readFileSync(path, "utf8")) as Manifest;
      if (manifest.name === PACKAGE_NAME) return (found = { root: dir, manifest });
    }
    if (dirname(dir) === dir) throw new Error(`Stratum is incomplete: no package.json named "${PACKAGE_NAME}" above ${start}`);
  }
}

/** The folder holding Stratum's package.json, templates/ and dist/. */
export function packageRoot(): string {
  return locate().root;
}

export function packageVersion(): string {
  const { version } = locate().manifest;
  return typeof version === "string" ? version : "0.0.0";
}

/**
 * The folder the running modules were loaded from (`src`, `dist` or `dist/bundle`). Each has the
 * same layout, so the entries that revision files import as "stratum" are found under it, and a
 * revision shares the running copy of Stratum rather than loading a second one.
 */
export function moduleRoot(): string {
  const root = packageRoot();
  const parts = relative(root, dirname(fileURLToPath(import.meta.url))).split(sep);
  return parts[0] === "dist" && parts[1] === "bundle" ? join(root, "dist", "bundle") : join(root, parts[0] ?? "");
}

let stamp: string | undefined;

/**
 * Names this build of Stratum for cache keys: the version, and when the running modules' folder
 * was last written, which a rebuild changes. Cached results that Stratum's own code computed
 * (split statements, declared models) are then never read by a different build of the same version.
 */
export function buildStamp(): string {
  stamp ??= `${packageVersion()}+${Math.trunc(statSync(moduleRoot()).mtimeMs)}`;
  return stamp;
}

/**
 * The revision templates shipped with Stratum, in the package's `templates/` folder. Here rather
 * than beside the file writer, so that loading a config does not load the writer.
 */
export function defaultTemplatePath(kind: "ts" | "sql"): string {
  return join(packageRoot(), "templates", `revision.${kind}.tmpl`);
}
