#!/usr/bin/env node
/**
 * Links the compiled modules in dist/ into dist/bundle/: one file per entry point plus shared
 * chunks, so that a command loads a handful of files instead of a hundred. Node reads ES modules
 * one by one through its thread pool, and for a short command like `heads` those reads were a
 * fifth of the run. The type declarations stay in dist/.
 *
 * Two small pure-JavaScript dependencies that every command or every server connection loads
 * are linked in as well (see INLINED); the database engines, the parser and the TypeScript loader
 * stay external, loaded from node_modules only when a command needs them.
 */
import { existsSync, readFileSync, renameSync, rmSync } from "node:fs";
import { isBuiltin } from "node:module";
import { dirname, join, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * Packages linked into the bundle with everything they import. commander is loaded by every
 * command and pg by every command that talks to a server; as CommonJS trees of a dozen files
 * each, Node spent longer resolving, lexing and wrapping them than running them.
 */
const INLINED = new Set(["commander", "pg"]);
/** Optional add-ons that inlined packages require inside a try; absent, they must stay absent. */
const OPTIONAL = new Set(["pg-native"]);

function packageName(specifier) {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? specifier);
}

const inNodeModules = (path) => path.includes(`${sep}node_modules${sep}`);

/** Inlines INLINED and whatever they import; every other package stays an import at run time. */
const linkSelectedPackages = {
  name: "link-selected-packages",
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (isBuiltin(args.path)) return { path: args.path, external: true };
      const name = packageName(args.path);
      if (OPTIONAL.has(name)) return { path: args.path, external: true };
      if (INLINED.has(name) || inNodeModules(args.importer)) return undefined;
      return { path: args.path, external: true };
    });
  },
};

/**
 * pg decides at load time whether it runs in a Cloudflare Worker, and on Node 20 (which has no
 * `navigator`) it does so by constructing a fetch `Response`: that loads Node's whole fetch stack
 * (undici, http2, zlib, tls), a fifth of `stratum current`. The bundle is for Node only, so the
 * check is answered here. If pg changes the line, the bundle is built unchanged and says so.
 */
const CLOUDFLARE_CHECK = "if (isCloudflareRuntime()) {";
const nodeOnlyPgStream = {
  name: "node-only-pg-stream",
  setup(build) {
    build.onLoad({ filter: /[\\/]pg[\\/]lib[\\/]stream\.js$/ }, (args) => {
      const text = readFileSync(args.path, "utf8");
      if (!text.includes(CLOUDFLARE_CHECK)) {
        console.warn(`bundle: ${args.path} no longer has "${CLOUDFLARE_CHECK}"; pg's runtime check is left as it is`);
        return undefined;
      }
      return { contents: text.replace(CLOUDFLARE_CHECK, "if (false) {"), loader: "js" };
    });
  },
};
const dist = join(root, "dist");
const out = join(dist, "bundle");

// Built beside the live bundle and swapped in whole: a command started from the old bundle keeps
// finding complete files until the moment of the swap, and never a half-written chunk.
const staging = join(dist, `bundle.${process.pid}.staging`);
const retired = join(dist, `bundle.${process.pid}.retired`);
rmSync(staging, { recursive: true, force: true });
await build({
  // Every module that is imported by path rather than through another module: the CLI, the
  // package entries, the small entry that revision and config files get as "stratum", and the
  // cache sweep, which runs in a process of its own.
  entryPoints: ["cli/main.js", "index.js", "testing/index.js", "config/user-entry.js", "cache-sweep.js"].map((entry) => join(dist, entry)),
  outbase: dist,
  outdir: staging,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  plugins: [linkSelectedPackages, nodeOnlyPgStream],
  // Inlined CommonJS calls require() for Node's built-in modules; an ES module has none of its own.
  banner: { js: 'import { createRequire as __stratumCreateRequire } from "node:module";\nconst require = __stratumCreateRequire(import.meta.url);' },
  chunkNames: "chunks/[name]-[hash]",
  sourcemap: true,
  sourcesContent: false,
  logLevel: "warning",
});
if (existsSync(out)) renameSync(out, retired);
renameSync(staging, out);
rmSync(retired, { recursive: true, force: true });
