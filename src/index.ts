/**
 * The `stratum` package: `revision()` and `defineConfig()` for project files, the operation
 * types and `sql` for revisions, the errors, and the programmatic API the CLI is built on.
 */
export { revision, type RevisionDefinition, type RevisionContext, type MigrationFunction } from "./scripts/revision.js";
export { defineConfig } from "./config/define.js";
export type { StratumConfig, ResolvedConfig, EnvironmentConfig } from "./config/types.js";
export { sql, isSqlExpression } from "./ops/types.js";
export type * from "./ops/types.js";
export { Op } from "./ops/op.js";
export type { BackfillOptions, BackfillProgress, BackfillResult } from "./ops/backfill.js";
export {
  StratumError,
  UsageError,
  InputError,
  GraphError,
  DatabaseError,
  CheckFailed,
  ExitCode,
  type ExitCodeValue,
  type ErrorLocation,
} from "./errors.js";
export type { Target, DialectName } from "./drivers/types.js";
export * from "./api/index.js";
export { check } from "./api/index.js";
// The schema DSL (defineSchema, table, column types, index(), ...). Its `check()` constraint
// builder is exported as `checkConstraint`, since `check` is the schema check command above.
export * from "./schema/dsl.js";
export { check as checkConstraint } from "./schema/dsl.js";
