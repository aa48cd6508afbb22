/**
 * The smallest "stratum" a config or revision file can import: what those files use. Module
 * loading points `stratum` here only when the full package entry (src/index) is absent.
 */
export { revision } from "../scripts/revision.js";
export { defineConfig } from "./define.js";
