/**
 * A throw-away embedded PostgreSQL for SQL schema files. A fresh PGlite runs initdb, which takes
 * seconds; so the first start saves its data directory as a tarball under the OS temp folder,
 * and every later start loads that tarball instead.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Extension, PGlite } from "@electric-sql/pglite";
import { cacheDir, writeAtomically } from "../cache-dir.js";
import { BUNDLED_EXTENSIONS, bundledExtension, extensionsCreatedBy as createdBy } from "../drivers/pglite-extensions.js";
import type { Connection, QueryResult, Row } from "../drivers/types.js";
import { InputError } from "../errors.js";

/** Names of the extensions that SQL text creates, so that only those bundles are loaded. */
export function extensionsCreatedBy(text: string): string[] {
  const created = createdBy(text);
  // A CREATE EXTENSION whose name is built at run time: every bundle, as PGlite could need any.
  return created === "unknown" ? [...BUNDLED_EXTENSIONS] : [...created];
}

async function loadExtensions(names: readonly string[]): Promise<Record<string, Extension>> {
  const extensions: Record<string, Extension> = {};
  for (const name of names) {
    if (name === "plpgsql") continue;
    if (!BUNDLED_EXTENSIONS.includes(name)) {
      throw new InputError(
        `The extension "${name}" is not available in the embedded PostgreSQL used for SQL schema files.`,
        undefined,
        { hint: `Available: ${BUNDLED_EXTENSIONS.join(", ")}.` },
      );
    }
    const bundled = await bundledExtension(name);
    if (bundled) extensions[bundled.key] = bundled.extension;
  }
  return extensions;
}

let installedVersion: string | undefined;

/**
 * The installed PGlite's version, read once per process. The package's exports hide
 * package.json, so it is found next to the resolved entry point.
 */
export function pgliteVersion(): string {
  return (installedVersion ??= findPgliteVersion());
}

function findPgliteVersion(): string {
  try {
    const require = createRequire(import.meta.url);
    let dir = dirname(require.resolve("@electric-sql/pglite"));
    for (let depth = 0; depth < 4; depth++, dir = dirname(dir)) {
      const manifest = join(dir, "package.json");
      if (!existsSync(manifest)) continue;
      const parsed = JSON.parse(readFileSync(manifest, "utf8")) as { name?: string; version?: string };
      if (parsed.name === "@electric-sql/pglite") return parsed.version ?? "unknown";
    }
  } catch {
    // Falls through: the cache is then shared by whatever version is installed.
  }
  return "unknown";
}

/**
 * Where the prepared data directory is kept, in the cache folder. It is an uncompressed tarball:
 * about 40 MB instead of 5, but unpacking a gzip one costs every start about 0.3 s.
 */
export function templatePath(): string {
  return join(cacheDir(), `pglite-${pgliteVersion()}-${process.versions.node.split(".")[0]}.tar`);
}

/**
 * Server settings for a database that lives for one command and is never read back from disk.
 * - wal_init_zero: a new WAL segment is otherwise written out as 16 MB of zeros, and the
 *   in-memory file system grows the file step by step while copying it; a thousand-table schema
 *   fills two segments.
 * - shared_buffers: the 128 MB default is cleared at every start, and a schema's catalogs and
 *   empty relations fit in a quarter of it.
 */
const SCRATCH_SETTINGS = ["wal_init_zero=off", "shared_buffers=32MB"];

function startParams(defaults: readonly string[]): string[] {
  return [...defaults, ...SCRATCH_SETTINGS.flatMap((setting) => ["-c", setting])];
}

/** Starts a scratch PGlite in memory from the cached data directory, preparing it on first use. */
export async function startScratchPGlite(extensionNames: readonly string[] = []): Promise<PGlite> {
  const { PGlite } = await import("@electric-sql/pglite");
  const extensions = await loadExtensions(extensionNames);
  const options = { extensions, startParams: startParams(PGlite.defaultStartParams) };
  const template = templatePath();
  if (existsSync(template)) {
    try {
      return await PGlite.create({ ...options, loadDataDir: new Blob([readFileSync(template)]) });
    } catch {
      // A damaged or foreign tarball: fall through and prepare a new one.
    }
  }
  const db = await PGlite.create(options);
  await saveTemplate(db, template);
  return db;
}

/** Saves the fresh data directory as the template, atomically: a concurrent start never reads half of it. */
async function saveTemplate(db: PGlite, template: string): Promise<void> {
  try {
    const dump = await db.dumpDataDir("none");
    // The cache only saves time; without it the next start runs initdb again.
    writeAtomically(template, new Uint8Array(await dump.arrayBuffer()));
  } catch {
    // The dump failed: the next start prepares the template again.
  }
}

/** The scratch database as a Connection, for introspection. */
export function scratchConnection(db: PGlite): Connection {
  return {
    async query<R extends Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
      const result = await db.query<R>(sql, params as unknown[] | undefined);
      return { rows: result.rows, rowCount: result.affectedRows ?? 0 };
    },
    close: () => db.close(),
  };
}
