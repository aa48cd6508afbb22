/**
 * TypeScript user modules (revisions, the config, a DSL schema) evaluated from a cache of their
 * compiled form. jiti compiles them (its `transform`, the same one `jiti.import` uses), but its
 * per-file import machinery costs about half a millisecond a file, which dominates a run over
 * hundreds of revisions. Here a file costs a hash, one small read and a `vm.Script`: the cache
 * entry is named by the SHA-256 of everything the compiled text depends on, so an edited file,
 * a moved file (import.meta.url is compiled in) or another jiti version never meets a stale entry.
 *
 * The compiled text is the body of the async function jiti wraps modules in, with the same
 * parameters, so it runs exactly as under `jiti.import`: "stratum" resolves to the running
 * package, and any other import or require goes to a jiti instance rooted at the file.
 *
 * An entry also keeps V8's code cache for the wrapped text, taken after the module has run.
 * Compiling 500 small scripts from source costs about twice as much as from that cache. V8
 * checks the cache against the source, its own version and its flags and rejects a mismatch;
 * the script is then compiled from source and the entry rewritten with a fresh cache.
 *
 * V8 compiles a function when it is first called, so a cache taken right after the module body
 * ran lacks the revision's upgrade and downgrade, and every run would compile them again, in
 * the middle of its steps. So once per entry the cache is taken again when the process exits,
 * after the run called them, and the entry is marked complete.
 */
import { createRequire, Module } from "node:module";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { Script } from "node:vm";
import type { Jiti } from "jiti";
import { cacheDir, contentCacheEnabled, contentKey, flushPacks, readGroupedEntry, writeGroupedEntry } from "../cache-dir.js";

/** Bumped when the shape of an entry or of the wrapper changes. */
const FORMAT = "3";

/** What an entry holds: the compiled text and, when one was taken, V8's code cache for it. */
export interface CompiledEntry {
  code: string;
  codeCache?: Buffer;
  /** The code cache was taken at the end of a run, so it holds the functions that run called. */
  complete?: boolean;
}

/**
 * Bytes before the code: its length in bytes, as an unsigned 32-bit little-endian number, then
 * one byte of flags (1: complete).
 */
const HEAD_BYTES = 5;

/** An entry as stored: the code's length, the flags, the code as UTF-8, then the code cache (possibly empty). */
export function encodeCompiledEntry(entry: CompiledEntry): Buffer {
  const code = Buffer.from(entry.code, "utf8");
  const head = Buffer.allocUnsafe(HEAD_BYTES);
  head.writeUInt32LE(code.length, 0);
  head.writeUInt8(entry.complete === true ? 1 : 0, 4);
  return Buffer.concat(entry.codeCache === undefined ? [head, code] : [head, code, entry.codeCache]);
}

/** The entry in `bytes`, or undefined when they cannot be one (a damaged file is a cache miss). */
export function decodeCompiledEntry(bytes: Buffer): CompiledEntry | undefined {
  if (bytes.length < HEAD_BYTES) return undefined;
  const end = HEAD_BYTES + bytes.readUInt32LE(0);
  const flags = bytes.readUInt8(4);
  if (end > bytes.length || flags > 1) return undefined;
  const code = bytes.toString("utf8", HEAD_BYTES, end);
  const complete = flags === 1 ? { complete: true } : {};
  return end === bytes.length ? { code, ...complete } : { code, codeCache: bytes.subarray(end), ...complete };
}

/**
 * Entries whose code cache is taken again when the process exits, by group and key: a process
 * that loads the same file again and again (the API in a long-lived program) keeps one.
 */
const toComplete = new Map<string, { script: Script; group: string; key: string; code: string }>();

/** Rewrites the entries still waiting for a complete code cache; runs when the process exits (exported for tests). */
export function completeCodeCaches(): void {
  const waiting = [...toComplete.values()];
  toComplete.clear();
  // Like the packs: a cache folder removed since (a test run's own, cleaned up) stays removed.
  if (!existsSync(join(cacheDir(), "modules"))) return;
  for (const { script, group, key, code } of waiting) {
    try {
      writeGroupedEntry("modules", group, key, encodeCompiledEntry({ code, codeCache: script.createCachedData(), complete: true }));
    } catch {
      // A cache only saves time: an entry that cannot be written must not fail the exit.
    }
  }
  // The packs are written on exit too, and may have been written before this ran.
  flushPacks();
}

function completeAtExit(script: Script, group: string, key: string, code: string): void {
  if (toComplete.size === 0) process.once("exit", completeCodeCaches);
  toComplete.set(`${group}\0${key}`, { script, group, key, code });
}

/** Files compiled through the cache: TypeScript in ES module form, which jiti always transpiles. */
export function compilesThroughCache(path: string): boolean {
  return path.endsWith(".ts") || path.endsWith(".mts");
}

export interface CompiledModuleContext {
  /** The namespace that `import ... from "stratum"` receives. */
  stratum: Record<string, unknown>;
  /** A jiti instance for compiling on a cache miss. */
  compiler: () => Jiti;
  /** A jiti instance rooted at `path`, for the module's other imports. */
  childLoader: (path: string) => Jiti;
  /** Loads the file through jiti itself: for a file that does not compile, it reports where. */
  viaJiti: () => Promise<Record<string, unknown>>;
}

type ModuleBody = (
  exports: Record<string, unknown>,
  require: NodeJS.Require,
  module: Module,
  filename: string,
  dirname: string,
  jitiImport: (id: string) => Promise<unknown>,
  jitiESMResolve: (id: string, options?: unknown) => string,
) => Promise<void>;

/**
 * What V8 checks a code cache against besides the source: its version and its flags, which
 * Node's options can change. Runs under other options (say, a larger heap in CI) keep packs of
 * their own; sharing one, each would reject the other's code cache and rewrite every entry.
 */
export function v8SettingOf(v8Version: string, execArgv: readonly string[], nodeOptions: string | undefined): string {
  return [v8Version, ...execArgv, nodeOptions ?? ""].join("\0");
}

let setting: string | undefined;

function v8Setting(): string {
  setting ??= v8SettingOf(process.versions.v8, process.execArgv, process.env.NODE_OPTIONS);
  return setting;
}

let jitiVersion: string | undefined;

export function compilerVersion(): string {
  jitiVersion ??= (createRequire(import.meta.url)("jiti/package.json") as { version: string }).version;
  return jitiVersion;
}

/**
 * Compiles (or finds compiled) and evaluates the module at the absolute `path` whose text is
 * `text`, and returns its exports. A file that does not compile throws jiti's error, naming the
 * file and line; such a file is never cached.
 */
export async function evaluateCompiled(path: string, text: string, context: CompiledModuleContext): Promise<Record<string, unknown>> {
  const key = contentKey([FORMAT, compilerVersion(), path, text]);
  // Grouped by folder: the revisions of one versions folder are read from one pack.
  const group = `${dirname(path)}\0${v8Setting()}`;
  const stored = readGroupedEntry("modules", group, key);
  const entry = stored === undefined ? undefined : decodeCompiledEntry(stored);
  let code = entry?.code;
  if (code === undefined) {
    code = context.compiler().transform({ source: text, filename: path, ts: true, async: true });
    // jiti compiles a syntax error into a module that reports it; only its own import throws it.
    if (code.includes("__JITI_ERROR__")) return context.viaJiti();
  }
  // The same one-line wrapper jiti uses, so that line numbers in stack traces match the file.
  const script = new Script(`(async function (exports, require, module, __filename, __dirname, jitiImport, jitiESMResolve) { ${code}\n});`, {
    filename: path,
    ...(entry?.codeCache === undefined ? {} : { cachedData: entry.codeCache }),
  });
  const caching = contentCacheEnabled();
  const fresh = caching && (entry?.codeCache === undefined || script.cachedDataRejected === true);
  try {
    return await runModule(script.runInThisContext() as ModuleBody, path, context);
  } finally {
    // Taken after the run, so that the functions the module body compiled are in the cache too.
    if (fresh) writeGroupedEntry("modules", group, key, encodeCompiledEntry({ code, codeCache: script.createCachedData() }));
    if (caching && (fresh || entry?.complete !== true)) completeAtExit(script, group, key, code);
  }
}

async function runModule(body: ModuleBody, path: string, context: CompiledModuleContext): Promise<Record<string, unknown>> {
  let child: Jiti | undefined;
  const loader = (): Jiti => (child ??= context.childLoader(path));
  const module = new Module(path);
  module.filename = path;
  const require = ((id: string) => loader()(id)) as NodeJS.Require;
  const jitiImport = (id: string): Promise<unknown> => (id === "stratum" ? Promise.resolve(context.stratum) : loader().import(id));
  const jitiESMResolve = (id: string): string => loader().esmResolve(id);
  await body(module.exports as Record<string, unknown>, require, module, path, dirname(path), jitiImport, jitiESMResolve);
  return module.exports as Record<string, unknown>;
}
