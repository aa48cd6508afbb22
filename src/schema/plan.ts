/**
 * What `revision --autogenerate` writes: the upgrade that turns the current schema into the
 * desired one, and the downgrade that turns it back, each from the diff in that direction.
 */
import type { Operation } from "../ops/types.js";
import { type DiffOptions, diffSchemas } from "./diff.js";
import type { SchemaModel } from "./model.js";
import { invertRenames, type RenameCandidate } from "./renames.js";

export interface RevisionPlan {
  upgradeOps: Operation[];
  downgradeOps: Operation[];
  /** Non-empty means the user must answer (--rename or --allow-drop) before anything is written. */
  renameCandidates: RenameCandidate[];
  /** Upgrade changes that need a hand-written migration. */
  manual: string[];
  /** Downgrade changes that need a hand-written migration (such as removing an added enum value). */
  downgradeManual: string[];
}

export function planRevision(current: SchemaModel, desired: SchemaModel, options: DiffOptions = {}): RevisionPlan {
  const upgrade = diffSchemas(current, desired, options);
  if (upgrade.renameCandidates.length > 0) {
    return { upgradeOps: upgrade.operations, downgradeOps: [], renameCandidates: upgrade.renameCandidates, manual: upgrade.manual, downgradeManual: [] };
  }
  const downgrade = diffSchemas(desired, current, { allowDrop: true, renames: invertRenames(options.renames ?? {}) });
  return {
    upgradeOps: upgrade.operations,
    downgradeOps: downgrade.operations,
    renameCandidates: [],
    manual: upgrade.manual,
    downgradeManual: downgrade.manual,
  };
}

/** True when the plan changes nothing (an empty diff writes no revision unless asked to). */
export function isEmptyPlan(plan: RevisionPlan): boolean {
  return plan.upgradeOps.length === 0 && plan.manual.length === 0;
}
