/** Finds, loads and resolves stratum.config.ts. */
import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { InputError, UsageError } from "../errors.js";
import { errorLineIn, importUserModule } from "../scripts/module-loader.js";
import { DEFAULT_FILE_TEMPLATE } from "../scripts/file-name.js";
import { defaultTemplatePath } from "../package-files.js";
import { displayPath } from "../scripts/display-path.js";
import { loadEnvFile } from "./env-file.js";
import { resolveUrlPath } from "./urls.js";
import type { ResolvedConfig, StratumConfig, UrlSource } from "./types.js";
import { validateConfig } from "./validate.js";

export const CONFIG_FILE_NAMES = ["stratum.config.ts", "stratum.config.mts", "stratum.config.js", "stratum.config.mjs"];

export interface LoadConfigOptions {
  /** The working folder (`-C DIR`); default the process's. */
  cwd?: string;
  /** An explicit config file (`--config FILE`), relative to `cwd`. */
  configFile?: string;
  /** The environment to select (`-e/--env NAME`). */
  env?: string;
  /** A URL that overrides every other source (`--url`). Relative paths resolve against `cwd`. */
  url?: string;
}

export async function loadConfig(options: LoadConfigOptions = {}): Promise<ResolvedConfig> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const configFile = findConfigFile(cwd, options.configFile);
  const configDir = configFile ? dirname(configFile) : cwd;
  loadEnvFile(join(configDir, ".env"));

  let config: StratumConfig = {};
  if (configFile) {
    config = validateConfig(await importConfig(configFile), displayPath(configFile));
  } else if (options.url === undefined && !process.env["DATABASE_URL"]) {
    throw new InputError(`no config file found: looked for ${CONFIG_FILE_NAMES.join(", ")} in ${cwd}, and neither --url nor DATABASE_URL is set`, undefined, {
      hint: "run `stratum init` to create one, or pass --config FILE",
    });
  }
  return resolveConfig(config, { configDir, configFile, cwd, env: options.env, url: options.url });
}

function findConfigFile(cwd: string, explicit: string | undefined): string | undefined {
  if (explicit !== undefined) {
    const path = resolve(cwd, explicit);
    if (!existsSync(path)) throw new InputError(`config file ${displayPath(path)} does not exist`);
    if (!statSync(path).isFile()) throw new InputError(`config file ${displayPath(path)} is not a file`);
    return path;
  }
  return CONFIG_FILE_NAMES.map((name) => join(cwd, name)).find((path) => existsSync(path));
}

async function importConfig(file: string): Promise<unknown> {
  try {
    const namespace = await importUserModule(file, "light");
    return "default" in namespace ? namespace["default"] : undefined;
  } catch (error) {
    const line = errorLineIn(error, file);
    const reason = error instanceof Error ? (error.message.split("\n")[0] ?? "").trim() : String(error);
    throw new InputError(`cannot load config: ${reason}`, line === undefined ? { file: displayPath(file) } : { file: displayPath(file), line }, { cause: error });
  }
}

interface ResolveContext {
  configDir: string;
  configFile: string | undefined;
  cwd: string;
  env: string | undefined;
  url: string | undefined;
}

function resolveConfig(config: StratumConfig, context: ResolveContext): ResolvedConfig {
  const { configDir } = context;
  const envs = config.envs ?? {};
  const envName = context.env ?? config.defaultEnv;
  const selected = envName === undefined ? undefined : envs[envName];
  if (envName !== undefined && selected === undefined) {
    const names = Object.keys(envs);
    const where = context.configFile ? displayPath(context.configFile) : "the configuration (no config file was found)";
    throw new UsageError(
      names.length === 0 ? `unknown environment "${envName}": ${where} defines no envs` : `unknown environment "${envName}"; ${where} defines: ${names.join(", ")}`,
    );
  }

  const candidates: Array<[UrlSource, string | undefined, string]> = [
    ["flag", context.url, context.cwd],
    ["env", selected?.url, configDir],
    ["config", config.url, configDir],
    ["DATABASE_URL", process.env["DATABASE_URL"] || undefined, configDir],
  ];
  const chosen = candidates.find(([, url]) => url !== undefined);

  const templates = typeof config.revisionTemplate === "string" ? { ts: config.revisionTemplate } : (config.revisionTemplate ?? {});
  const resolved: ResolvedConfig = {
    configDir,
    envs,
    versionPaths: (config.versionPaths ?? ["migrations"]).map((path) => resolve(configDir, path)),
    versionTable: config.versionTable ?? "stratum_version",
    historyTable: config.historyTable ?? "stratum_history",
    fileTemplate: config.fileTemplate ?? DEFAULT_FILE_TEMPLATE,
    revisionTemplate: {
      ts: templates.ts ? resolve(configDir, templates.ts) : defaultTemplatePath("ts"),
      sql: templates.sql ? resolve(configDir, templates.sql) : defaultTemplatePath("sql"),
    },
    transactionMode: config.transactionMode ?? "per-revision",
    lockTimeoutMs: config.lockTimeoutMs ?? 2000,
    lockRetries: config.lockRetries ?? 5,
    linearHistory: config.linearHistory ?? false,
    ...(config.includeName ? { includeName: config.includeName } : {}),
    ...(config.includeObject ? { includeObject: config.includeObject } : {}),
    lint: { rules: { ...(config.lint?.rules ?? {}) }, onUpgrade: config.lint?.onUpgrade ?? "warn", onRevision: config.lint?.onRevision ?? "warn" },
    hooks: { ...(config.hooks ?? {}) },
  };
  if (resolved.versionTable === resolved.historyTable) {
    throw new InputError(`versionTable and historyTable are both "${resolved.versionTable}"; they must be different tables`, context.configFile ? { file: displayPath(context.configFile) } : undefined);
  }
  if (context.configFile) resolved.configFile = context.configFile;
  if (chosen) {
    resolved.url = resolveUrlPath(chosen[1] as string, chosen[2]);
    resolved.urlSource = chosen[0];
  }
  if (envName !== undefined) resolved.env = envName;
  const schema = selected?.schema ?? config.schema;
  if (schema !== undefined) resolved.schema = schema;
  if (config.statementTimeoutMs !== undefined) resolved.statementTimeoutMs = config.statementTimeoutMs;
  if (config.lockWaitMs !== undefined) resolved.lockWaitMs = config.lockWaitMs;
  if (config.declaredSchema !== undefined) resolved.declaredSchema = resolve(configDir, config.declaredSchema);
  if (config.schemaCache !== undefined) resolved.schemaCache = config.schemaCache;
  if (config.schemaParse !== undefined) resolved.schemaParse = config.schemaParse;
  return resolved;
}

/** The resolved URL, or an InputError saying how to give one. */
export function requireUrl(config: ResolvedConfig): string {
  if (config.url !== undefined) return config.url;
  const where = config.configFile ? displayPath(config.configFile) : "a stratum.config.ts";
  throw new InputError(`no database URL: set url in ${where}, pass --url, or set DATABASE_URL`);
}
