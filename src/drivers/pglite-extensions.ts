/**
 * PGlite's contrib extensions, made available to a running instance only when needed.
 *
 * Handing every bundle to `PGlite.create` makes PGlite unzip each one and compile its WebAssembly
 * library before the database starts, on every open, whether or not anything uses it. But an
 * extension needs nothing from start-up: PostgreSQL reads its control and script files when
 * CREATE EXTENSION runs and loads its library the first time one of its functions is called.
 * So a bundle's files can be written into the instance's file system later, just before the
 * statement that creates the extension, or straight after opening a database where it is
 * already installed; the library is then compiled when PostgreSQL first loads it.
 */
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import type { Extension, PGlite } from "@electric-sql/pglite";
import { DatabaseError } from "../errors.js";
import { parseTar } from "nanotar";

/**
 * The contrib extensions PGlite ships, by the name CREATE EXTENSION uses. Their entry points
 * spell a dash as an underscore (uuid-ossp → contrib/uuid_ossp, export `uuid_ossp`).
 */
const CONTRIB = [
  "amcheck", "bloom", "btree_gin", "btree_gist", "citext", "cube", "dict_int", "dict_xsyn", "earthdistance",
  "fuzzystrmatch", "hstore", "intarray", "isn", "lo", "ltree", "pg_trgm", "pgcrypto", "seg", "tablefunc",
  "tcn", "tsm_system_rows", "tsm_system_time", "unaccent", "uuid-ossp",
] as const;

interface EntryPoint {
  specifier: string;
  exportName: string;
}

const ENTRY_POINTS: ReadonlyMap<string, EntryPoint> = new Map<string, EntryPoint>([
  ...CONTRIB.map((name): [string, EntryPoint] => {
    const exportName = name.replaceAll("-", "_");
    return [name, { specifier: `@electric-sql/pglite/contrib/${exportName}`, exportName }];
  }),
  // pgvector ships in some PGlite releases under an entry point of its own.
  ["vector", { specifier: "@electric-sql/pglite/vector", exportName: "vector" }],
]);

/** The extension names this driver knows how to find a PGlite bundle for. */
export const BUNDLED_EXTENSIONS: readonly string[] = [...ENTRY_POINTS.keys()];

/**
 * What a statement's text says about the extensions it creates: their names, or "unknown" when
 * it creates one whose name is not written after CREATE EXTENSION (built in a DO block, say).
 */
export type CreatedExtensions = readonly string[] | "unknown";

const CREATE_EXTENSION = /\bcreate\s+extension\b/gi;
const NAMED = /^\s+(?:if\s+not\s+exists\s+)?("(?:[^"]|"")+"|[a-z_][a-z0-9_$]*)/i;

export function extensionsCreatedBy(sql: string): CreatedExtensions {
  // Most statements never mention an extension; this keeps them to one cheap test.
  if (!/extension/i.test(sql)) return [];
  const names = new Set<string>();
  for (const match of sql.matchAll(CREATE_EXTENSION)) {
    const name = NAMED.exec(sql.slice(match.index + match[0].length))?.[1];
    if (name === undefined) return "unknown";
    // PostgreSQL folds unquoted names to lower case and keeps quoted ones as written.
    names.add(name.startsWith('"') ? name.slice(1, -1).replaceAll('""', '"') : name.toLowerCase());
  }
  return [...names];
}

/**
 * The bundles a statement needs before it runs. pg_available_extensions lists what has control
 * files, so a statement reading it gets every bundle: a revision that asks whether an extension
 * is available must get the same answer it would have with all bundles registered at start-up.
 */
export function bundlesNeededBy(sql: string): readonly string[] {
  const created = extensionsCreatedBy(sql);
  if (created === "unknown" || /\bpg_available_extension/i.test(sql)) return BUNDLED_EXTENSIONS;
  return created;
}

/** The `requires` list of an extension's control file, e.g. earthdistance requires cube. */
export function requiredExtensions(control: string): string[] {
  const list = /^\s*requires\s*=\s*'([^']*)'/m.exec(control)?.[1] ?? "";
  return list
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
}

const gunzipAsync = promisify(gunzip);

function quoteName(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

type SetupResult = Awaited<ReturnType<Extension["setup"]>>;

/**
 * The PGlite extension object for a bundled extension, to hand to `PGlite.create`, with the key
 * PGlite expects for it; undefined when this PGlite release does not ship it.
 */
export async function bundledExtension(name: string): Promise<{ key: string; extension: Extension } | undefined> {
  const entry = ENTRY_POINTS.get(name);
  const extension = entry && (await importEntryPoint(entry));
  return entry && extension ? { key: entry.exportName, extension } : undefined;
}

/** Not every PGlite release ships every entry point; a missing one means "not shipped". */
async function importEntryPoint(entry: EntryPoint): Promise<Extension | undefined> {
  let module: Record<string, Extension | undefined>;
  try {
    module = (await import(entry.specifier)) as Record<string, Extension | undefined>;
  } catch {
    return undefined;
  }
  return module[entry.exportName];
}

/**
 * Bundles that only need their files in place can be added after start-up. One that asks for
 * more (a preloaded library, a start-up hook, changed start options) cannot, and saying so beats
 * a database that quietly lacks what the extension expects.
 */
function checkLateLoadable(name: string, result: SetupResult, optionsGiven: object): URL {
  const extra =
    (result.sharedPreloadLibraries?.length ?? 0) > 0 ||
    result.init !== undefined ||
    result.namespaceObj !== undefined ||
    (result.emscriptenOpts !== undefined && result.emscriptenOpts !== optionsGiven);
  if (extra || result.bundlePath === undefined) {
    throw new Error(`The PGlite extension "${name}" must be set up when the database starts, which the pglite: driver does not do.`);
  }
  return result.bundlePath;
}

/** The bundles written into one PGlite instance's file system. */
export class PGliteExtensionBundles {
  /** Per name, the unpacking under way or done; it settles to the extensions that one requires. */
  private readonly unpacked = new Map<string, Promise<readonly string[]>>();
  private readonly written = new Set<string>();

  constructor(private readonly db: PGlite) {}

  /**
   * Adds the files of the named extensions PGlite ships, and of those they require; any other
   * name is left for PostgreSQL to report. `seen` stops a requires cycle from looping.
   */
  async ensure(names: Iterable<string>, seen = new Set<string>()): Promise<void> {
    const fresh = [...new Set(names)].filter((name) => !seen.has(name));
    for (const name of fresh) seen.add(name);
    await Promise.all(
      fresh.map(async (name) => {
        await this.ensure(await this.ensureOne(name), seen);
      }),
    );
  }

  /** Called before each statement so that CREATE EXTENSION finds its files, in or out of a transaction. */
  async prepareFor(sql: string): Promise<void> {
    await this.ensure(bundlesNeededBy(sql));
  }

  /** Extensions a data directory already has need their files again in every new instance. */
  async ensureInstalled(): Promise<void> {
    const { rows } = await this.db.query<{ extname: string }>("SELECT extname FROM pg_extension");
    await this.ensure(rows.map((row) => row.extname));
  }

  /** The extensions whose files this instance has been given. */
  loaded(): string[] {
    return [...this.written].sort();
  }

  /**
   * PostgreSQL says "not available" for a shipped extension whose files were never written:
   * one created by a statement that does not name it (inside a function body, say). The
   * message alone would suggest PGlite lacks it, so the error gets a hint saying what to do.
   */
  async explain(error: DatabaseError): Promise<DatabaseError> {
    const name = /^extension "([^"]+)" is not available$/.exec(error.message)?.[1];
    const entry = name === undefined ? undefined : ENTRY_POINTS.get(name);
    if (name === undefined || entry === undefined || this.written.has(name)) return error;
    if ((await importEntryPoint(entry)) === undefined) return error;
    return new DatabaseError(error.message, {
      ...(error.code === undefined ? {} : { code: error.code }),
      hint: `PGlite ships ${name}, but its files are loaded only for a statement that names it after CREATE EXTENSION; run CREATE EXTENSION IF NOT EXISTS ${quoteName(name)} before this statement.`,
      cause: error.cause,
    });
  }

  private ensureOne(name: string): Promise<readonly string[]> {
    const entry = ENTRY_POINTS.get(name);
    if (entry === undefined) return Promise.resolve([]);
    let pending = this.unpacked.get(name);
    if (pending === undefined) {
      pending = this.unpack(name, entry);
      this.unpacked.set(name, pending);
      // A failed attempt is not remembered, so a later statement tries again and reports it again.
      pending.catch(() => this.unpacked.delete(name));
    }
    return pending;
  }

  private async unpack(name: string, entry: EntryPoint): Promise<readonly string[]> {
    const extension = await importEntryPoint(entry);
    // Not in this PGlite release: CREATE EXTENSION then fails with PostgreSQL's own message.
    if (extension === undefined) return [];
    const options = {};
    const bundlePath = checkLateLoadable(name, await extension.setup(this.db, options), options);
    const files = bundleFiles(await gunzipAsync(await readFile(bundlePath)));
    // Where PGlite itself installs bundles: share/postgresql/extension, lib/postgresql, ...
    const prefix = this.db.Module.WASM_PREFIX;
    for (const file of files) this.db.copyToFS(`${prefix}/${file.name}`, file.data);
    this.written.add(name);
    const control = files.find((file) => file.name.endsWith(`/extension/${name}.control`));
    return control === undefined ? [] : requiredExtensions(new TextDecoder().decode(control.data));
  }
}

/** The regular files of an unpacked bundle, by their path inside it (without a leading "./"). */
function bundleFiles(tar: Uint8Array): { name: string; data: Uint8Array }[] {
  return parseTar(tar).flatMap((item) =>
    item.type === "file" && item.data ? [{ name: item.name.replace(/^\.?\//, ""), data: item.data }] : [],
  );
}
