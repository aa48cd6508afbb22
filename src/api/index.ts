/**
 * The programmatic API. Every function takes its options (project folder, config, target,
 * and its own settings), returns plain data, and keeps no state between calls.
 */
export type { CommonOptions, RunEvent } from "./options.js";
export type { RevisionInfo } from "./describe.js";
export { init, type InitOptions, type InitResult } from "./init.js";
export { createRevision, type CreateRevisionOptions, type CreateRevisionResult } from "./revision.js";
export { merge, type MergeOptions, type MergeResult } from "./merge.js";
export { upgrade, type UpgradeOptions } from "./upgrade.js";
export { downgrade, type DowngradeOptions } from "./downgrade.js";
export { stamp, type StampOptions } from "./stamp.js";
export type { RunOptions, RunResult, RunStep, RunKind } from "./run.js";
export { current, type CurrentResult } from "./current.js";
export { status, type StatusResult, type PendingRevision } from "./status.js";
export { history, type HistoryOptions, type HistoryResult } from "./history.js";
export { heads, type HeadsOptions, type HeadsResult } from "./heads.js";
export { branches, type BranchesResult } from "./branches.js";
export { show, type ShowOptions, type ShowResult } from "./show.js";
export { ensureVersion, type EnsureVersionResult } from "./ensure-version.js";
export { verify, type VerifyProblem, type VerifyResult } from "./verify.js";
export { repair, type RepairOptions, type RepairResult } from "./repair.js";
export { log, type LogEntry, type LogOptions, type LogResult } from "./log.js";
export { importSql, type ImportSqlOptions, type ImportSqlResult, type ImportedRevision } from "./import-sql.js";
export { graphPicture, renderGraph, GRAPH_FORMATS, type GraphFormat, type GraphPictureOptions, type GraphPicture, type PictureNode, type RevisionStatus } from "./graph-picture.js";
export { checkOrder, assertLinearHistory, linearHistoryProblem, type CheckOrderResult } from "./check-order.js";
export { check, drift, baseline, autogenerate, SchemaDifferences, loadSqlSchema } from "./schema.js";
export type { SchemaOptions, CheckResult, DriftResult, BaselineOptions, BaselineResult, AutogenerateOptions, AutogenerateResult } from "./schema.js";
export { lint, type LintOptions, type LintResult } from "./lint.js";
