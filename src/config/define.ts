import type { StratumConfig } from "./types.js";

/**
 * Declares the configuration in stratum.config.ts. It returns the object unchanged; its
 * purpose is the type, which gives editors completion and checks for every field.
 */
export function defineConfig(config: StratumConfig): StratumConfig {
  return config;
}
