/**
 * `stratum/testing`: checks for a project's migrations, as plain async functions that throw
 * readable errors, so that vitest, jest and node:test can all call them.
 */
export type { KitOptions, KitStep, ScratchMode } from "./options.js";
export { stairway, StairwayFailure, type StairwayReport } from "./stairway.js";
export { singleHead, upgradeBaseToHead, downgradeLeavesNoTrace, modelMatchesDatabase, type ModelMatchOptions, type UpgradeReport } from "./checks.js";
export { atRevision, type RevisionFixture, type SeedHandle } from "./at-revision.js";
