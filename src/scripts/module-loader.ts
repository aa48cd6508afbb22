/**
 * Loads user modules (revision files, stratum.config.ts) with jiti, so TypeScript runs without
 * a build step, and `import ... from "stratum"` resolves to the running Stratum even in a
 * project that has not installed it (as under npx).
 *
 * "stratum" is handed to jiti as an already-loaded module rather than as a path alias: an alias
 * would make jiti transpile and evaluate a second copy of the whole package for every file,
 * which costs seconds and splits module state (errors would fail `instanceof`).
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { createJiti as CreateJiti, Jiti } from "jiti";
import { moduleRoot } from "../package-files.js";
import { compilesThroughCache, evaluateCompiled } from "./compiled-modules.js";
import { lightStratumSuffices } from "./stratum-imports.js";

/**
 * jiti is required as CommonJS, and only when a file is loaded: importing its ESM wrapper
 * makes Node scan the large CommonJS bundle for exports, which triples its start-up cost.
 */
function requireJiti(): typeof CreateJiti {
  return (createRequire(import.meta.url)("jiti") as { createJiti: typeof CreateJiti }).createJiti;
}

/**
 * What "stratum" means inside the loaded file. `light` offers `revision` and `defineConfig`
 * only, which is all a config file needs and keeps commands such as `heads` from loading the
 * database drivers. `full` is the package entry.
 */
export type StratumFlavor = "light" | "full";

function firstExisting(candidates: string[]): string | undefined {
  return candidates.find((candidate) => existsSync(candidate));
}

/** Paths of the modules that "stratum" and "stratum/testing" stand for, beside the running ones. */
export function stratumEntries(): { light: string; full: string; testing?: string } {
  const root = moduleRoot();
  // `.js` after a build, `.ts` when running from source.
  const entry = (path: string) => firstExisting([join(root, `${path}.js`), join(root, `${path}.ts`)]);
  const light = entry("config/user-entry");
  if (!light) throw new Error(`Stratum is incomplete: no config/user-entry module in ${root}`);
  const full = entry("index") ?? light;
  const testing = entry("testing/index");
  return testing ? { light, full, testing } : { light, full };
}

const namespaces = new Map<StratumFlavor, Promise<Record<string, unknown>>>();

/** The module "stratum" stands for in a user file of this flavor. */
function stratumNamespace(flavor: StratumFlavor): Promise<Record<string, unknown>> {
  let namespace = namespaces.get(flavor);
  if (!namespace) {
    namespace = import(pathToFileURL(stratumEntries()[flavor]).href) as Promise<Record<string, unknown>>;
    namespaces.set(flavor, namespace);
  }
  return namespace;
}

function jitiFor(parent: string, stratum: Record<string, unknown>): Jiti {
  const { testing } = stratumEntries();
  return requireJiti()(parent, {
    virtualModules: { stratum },
    alias: testing ? { "stratum/testing": testing } : {},
    interopDefault: false,
    // Off so that a file edited while the process runs is read again.
    moduleCache: false,
  });
}

const loaders = new Map<StratumFlavor, Promise<Jiti>>();

function getLoader(flavor: StratumFlavor): Promise<Jiti> {
  let loader = loaders.get(flavor);
  if (!loader) {
    loader = stratumNamespace(flavor).then((stratum) => jitiFor(import.meta.url, stratum));
    loaders.set(flavor, loader);
  }
  return loader;
}

let lightNames: Promise<ReadonlySet<string>> | undefined;

/** The flavor a module with this text needs: `light` when it takes nothing else from "stratum". */
export async function flavorFor(text: string): Promise<StratumFlavor> {
  lightNames ??= stratumNamespace("light").then((namespace) => new Set(Object.keys(namespace)));
  return lightStratumSuffices(text, await lightNames) ? "light" : "full";
}

/**
 * Imports a module file and returns its namespace object. TypeScript files go through the
 * compiled-module cache; other files through jiti, which is given an absolute path rather than
 * a file URL, since it resolves that form with less work. A caller that has read the file
 * passes its text.
 */
export async function importUserModule(path: string, flavor: StratumFlavor = "full", text?: string): Promise<Record<string, unknown>> {
  const absolute = resolve(path);
  if (compilesThroughCache(absolute)) {
    const stratum = await stratumNamespace(flavor);
    return evaluateCompiled(absolute, text ?? readFileSync(absolute, "utf8"), {
      stratum,
      compiler: () => jitiFor(import.meta.url, stratum),
      childLoader: (file) => jitiFor(file, stratum),
      viaJiti: async () => (await (await getLoader(flavor)).import(absolute)) as Record<string, unknown>,
    });
  }
  const loader = await getLoader(flavor);
  return (await loader.import(absolute)) as Record<string, unknown>;
}

/**
 * The line in `file` where a load error happened, read from the error's stack or message,
 * when it can be found there.
 */
export function errorLineIn(error: unknown, file: string): number | undefined {
  if (!(error instanceof Error)) return undefined;
  const text = `${error.stack ?? ""}\n${error.message}`;
  const fileUrl = pathToFileURL(file).href;
  for (const name of [fileUrl, file]) {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const match = new RegExp(`${escaped}:(\\d+)(?::\\d+)?`).exec(text);
    if (match) return Number(match[1]);
  }
  const babel = /\((\d+):(\d+)\)/.exec(error.message);
  return babel ? Number(babel[1]) : undefined;
}
