/** Executes plans against a target: lock, transactions, version and history tables, retries, offline scripts. */
export type {
  HistoryDirection,
  HistoryFilter,
  HistoryRow,
  LoadedRevision,
  OfflineOptions,
  RepairAction,
  RunEvents,
  RunOptions,
  RunResult,
  SqlRevisionSource,
  SqlSectionSource,
  StateTables,
  StepOutcome,
} from "./types.js";
export { withMigrationLock, lockKey } from "./lock.js";
export { readVersionHeads, ensureStateTables } from "./state-tables.js";
export { runSteps } from "./run-steps.js";
export { applyStamp } from "./stamp.js";
export { renderOfflineScript } from "./offline.js";
export { readHistoryLog, readRecordedChecksums, findIncompleteSteps, repairStep, describeIncomplete } from "./history.js";
export { loadDefinition } from "./definitions.js";
