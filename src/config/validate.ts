/**
 * Checks a loaded config object field by field, so a typo or a wrong type is reported with the
 * field's name instead of surfacing later as a strange failure.
 */
import { InputError } from "../errors.js";
import type { StratumConfig } from "./types.js";

type Check = (value: unknown, field: string) => string | undefined;

const describe = (value: unknown): string => {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "object") return "an object";
  return String(value);
};

const string: Check = (v, f) => (typeof v === "string" && v.length > 0 ? undefined : `${f} must be a non-empty string (got ${describe(v)})`);
const boolean: Check = (v, f) => (typeof v === "boolean" ? undefined : `${f} must be true or false (got ${describe(v)})`);
const count: Check = (v, f) => (typeof v === "number" && Number.isInteger(v) && v >= 0 ? undefined : `${f} must be a whole number of 0 or more (got ${describe(v)})`);
const fn: Check = (v, f) => (typeof v === "function" ? undefined : `${f} must be a function (got ${describe(v)})`);
const oneOf =
  (...allowed: string[]): Check =>
  (v, f) =>
    typeof v === "string" && allowed.includes(v) ? undefined : `${f} must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")} (got ${describe(v)})`;
const tableName: Check = (v, f) =>
  typeof v === "string" && /^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(v) ? undefined : `${f} must be a plain table name (letters, digits, _) (got ${describe(v)})`;
const stringList: Check = (v, f) => {
  if (!Array.isArray(v) || v.length === 0) return `${f} must be a non-empty array of strings (got ${describe(v)})`;
  const bad = v.findIndex((item) => typeof item !== "string" || item.length === 0);
  return bad === -1 ? undefined : `${f}[${bad}] must be a non-empty string (got ${describe(v[bad])})`;
};
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Checks an object's fields; unknown keys are errors, since they are usually typos. */
function objectOf(checks: Record<string, Check>): Check {
  return (v, f) => {
    if (!isPlainObject(v)) return `${f} must be an object (got ${describe(v)})`;
    for (const [key, value] of Object.entries(v)) {
      const check = checks[key];
      const path = f ? `${f}.${key}` : key;
      if (!check) return `unknown field ${path} (known: ${Object.keys(checks).join(", ")})`;
      if (value === undefined) continue;
      const problem = check(value, path);
      if (problem) return problem;
    }
    return undefined;
  };
}

const recordOf =
  (check: Check): Check =>
  (v, f) => {
    if (!isPlainObject(v)) return `${f} must be an object (got ${describe(v)})`;
    for (const [key, value] of Object.entries(v)) {
      const problem = check(value, `${f}.${key}`);
      if (problem) return problem;
    }
    return undefined;
  };

const environment = objectOf({ url: string, schema: string });
const envs: Check = (v, f) => {
  const problem = recordOf(environment)(v, f);
  if (problem) return problem;
  for (const [name, env] of Object.entries(v as Record<string, { url?: unknown }>)) {
    if (env.url === undefined) return `${f}.${name}.url is required`;
  }
  return undefined;
};
const revisionTemplate: Check = (v, f) => (typeof v === "string" ? string(v, f) : objectOf({ ts: string, sql: string })(v, f));

const CONFIG_FIELDS: Record<keyof StratumConfig, Check> = {
  url: string,
  envs,
  defaultEnv: string,
  versionPaths: stringList,
  versionTable: tableName,
  historyTable: tableName,
  schema: string,
  fileTemplate: string,
  revisionTemplate,
  transactionMode: oneOf("per-revision", "single"),
  lockTimeoutMs: count,
  statementTimeoutMs: count,
  lockRetries: count,
  lockWaitMs: count,
  linearHistory: boolean,
  includeName: fn,
  includeObject: fn,
  declaredSchema: string,
  schemaCache: boolean,
  schemaParse: boolean,
  lint: objectOf({ rules: recordOf(oneOf("error", "warn", "off")), onUpgrade: oneOf("error", "warn", "off"), onRevision: oneOf("error", "warn", "off") }),
  hooks: objectOf({ postWrite: string, backup: string }),
};

/** Returns the value as a StratumConfig, or throws an InputError naming `file` and the field. */
export function validateConfig(value: unknown, file: string): StratumConfig {
  if (!isPlainObject(value)) {
    throw new InputError(`config must export an object as its default export, e.g. \`export default defineConfig({ ... })\` (got ${describe(value)})`, { file });
  }
  const problem = objectOf(CONFIG_FIELDS)(value, "");
  if (problem) throw new InputError(problem, { file });
  const config = value as StratumConfig;
  if (config.defaultEnv !== undefined && !(config.defaultEnv in (config.envs ?? {}))) {
    throw new InputError(`defaultEnv "${config.defaultEnv}" is not one of envs (${Object.keys(config.envs ?? {}).join(", ") || "none defined"})`, { file });
  }
  if (config.versionTable !== undefined && config.versionTable === config.historyTable) {
    throw new InputError("versionTable and historyTable must be different tables", { file });
  }
  return config;
}
