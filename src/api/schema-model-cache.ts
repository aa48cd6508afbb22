/**
 * The models SQL schema files produced, kept on disk. PGlite needs seconds to apply the DDL of a
 * thousand tables and nothing makes that faster, so a run whose inputs have not changed reads
 * the model the last such run wrote instead of applying the files again.
 *
 * An entry is `<cache folder>/models/<key>.json`, where the key is a sha256 over everything the
 * model depends on. The cache only ever saves time: an entry that cannot be read, parsed or
 * written is ignored, and the caller takes the slow path.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, rmSync, statSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { cacheDir, contentCacheEnabled, writeAtomically } from "../cache-dir.js";
import { envFlagSet } from "../env-flag.js";
import { buildStamp } from "../package-files.js";
import type { SchemaModel } from "../schema/model.js";
import { pgliteVersion } from "./schema-pglite.js";

/** Bumped whenever the entries' layout or the meaning of the key changes. */
export const MODEL_CACHE_FORMAT = 1;

/** How many entries the models folder keeps, the most recently used first. */
export const MODEL_CACHE_ENTRIES = 20;

/** A temporary file this old was left by a process that died before renaming it. */
const ABANDONED_TEMP_MS = 60 * 60 * 1000;

/** What the model depends on besides Stratum's and PGlite's versions, which the key adds itself. */
export interface ModelCacheInputs {
  /** Every extension loaded into the scratch database. */
  extensions: readonly string[];
  /** The schemas introspected; undefined means public plus those the files create. */
  schemas: readonly string[] | undefined;
  exclude: readonly string[];
  /** Whether the model may come from the parse trees (schema-sql.ts); PGlite's text differs in spelling. */
  direct: boolean;
  /** In the order they are applied. */
  files: readonly { path: string; text: string }[];
}

/**
 * True unless the caller passed `false`, STRATUM_NO_CACHE=1 turns every cache off, or
 * STRATUM_NO_SCHEMA_CACHE is set (to anything but "", "0" or "false").
 */
export function modelCacheEnabled(option: boolean | undefined): boolean {
  return option !== false && contentCacheEnabled() && !envFlagSet("STRATUM_NO_SCHEMA_CACHE");
}

export function modelCacheKey(inputs: ModelCacheInputs): string {
  // JSON keeps every field's boundaries, so no two different inputs hash the same text.
  const text = JSON.stringify([
    MODEL_CACHE_FORMAT,
    buildStamp(),
    pgliteVersion(),
    inputs.extensions,
    inputs.schemas ?? null,
    inputs.exclude,
    inputs.direct,
    inputs.files.map((file) => [file.path, file.text]),
  ]);
  return createHash("sha256").update(text).digest("hex");
}

export function modelsDir(): string {
  return join(cacheDir(), "models");
}

export function modelCachePath(key: string): string {
  return join(modelsDir(), `${key}.json`);
}

/** The cached model, or undefined when there is none or it is damaged. */
export function readCachedModel(key: string): SchemaModel | undefined {
  const path = modelCachePath(key);
  let model: SchemaModel | undefined;
  try {
    model = parseModel(readFileSync(path, "utf8"));
  } catch {
    return undefined;
  }
  if (model) markUsed(path);
  return model;
}

/** Saves the model under the key; a failure only costs the next run the slow path. */
export function writeCachedModel(key: string, model: SchemaModel): void {
  const text = serializeModel(model);
  if (text === undefined) return;
  if (!writeAtomically(modelCachePath(key), text)) return;
  pruneModels();
}

/**
 * The model as JSON, or undefined when JSON would not give it back exactly (an undefined
 * property, a non-finite number or -0, or anything but plain objects and arrays); such a model
 * is not cached rather than cached wrong.
 */
export function serializeModel(model: SchemaModel): string | undefined {
  return isJsonExact(model) ? JSON.stringify(model) : undefined;
}

/** The model in a cache entry's text, or undefined when the text is not one. */
export function parseModel(text: string): SchemaModel | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return isSchemaModel(value) ? value : undefined;
}

function isJsonExact(value: unknown): boolean {
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value) && !Object.is(value, -0);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!(i in value) || !isJsonExact(value[i])) return false;
    return true;
  }
  if (typeof value !== "object") return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return false;
  if (Object.getOwnPropertySymbols(value).length > 0) return false;
  return Object.values(value).every(isJsonExact);
}

const MODEL_LISTS = ["schemas", "extensions", "enums", "sequences", "tables", "views", "functions"] as const;

/** Enough of a check to tell a model from a truncated, foreign or hand-edited file. */
function isSchemaModel(value: unknown): value is SchemaModel {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  if (record.dialect !== "postgresql" && record.dialect !== "sqlite" && record.dialect !== "mysql") return false;
  return MODEL_LISTS.every((list) => Array.isArray(record[list]));
}

/** The modification time is the last use: access times are not kept on many file systems. */
function markUsed(path: string): void {
  try {
    const now = new Date();
    utimesSync(path, now, now);
  } catch {
    // Pruning may then drop this entry a little early; nothing else depends on it.
  }
}

/** Keeps the most recently used entries, and removes temporary files a dead process left. */
function pruneModels(): void {
  try {
    const dir = modelsDir();
    const now = Date.now();
    const entries: { path: string; used: number }[] = [];
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      // Undefined when a concurrent run removed or renamed the file since the listing.
      const used = statSync(path, { throwIfNoEntry: false })?.mtimeMs;
      if (used === undefined) continue;
      if (name.endsWith(".json")) entries.push({ path, used });
      else if (name.endsWith(".tmp") && now - used > ABANDONED_TEMP_MS) rmSync(path, { force: true });
    }
    entries.sort((a, b) => b.used - a.used);
    for (const entry of entries.slice(MODEL_CACHE_ENTRIES)) rmSync(entry.path, { force: true });
  } catch {
    // Another process may be pruning the same folder; the next write tries again.
  }
}
