export { defineConfig } from "./define.js";
export { loadConfig, requireUrl, CONFIG_FILE_NAMES, type LoadConfigOptions } from "./load.js";
export { loadEnvFile } from "./env-file.js";
export { resolveUrlPath } from "./urls.js";
export { validateConfig } from "./validate.js";
export type { StratumConfig, ResolvedConfig, EnvironmentConfig, LintLevel, TransactionMode, UrlSource } from "./types.js";
