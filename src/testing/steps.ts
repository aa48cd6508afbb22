import type { Step, VersionChange } from "../graph/types.js";

/**
 * The step that undoes `step` right after it ran: the same revision the other way, with the
 * version-table changes undone in reverse order. Planning a downgrade to the parent instead would
 * also revert sibling branches applied earlier in the walk.
 */
export function reverseStep(step: Step): Step {
  return {
    revision: step.revision,
    direction: step.direction === "up" ? "down" : "up",
    headsBefore: step.headsAfter,
    headsAfter: step.headsBefore,
    versionChanges: [...step.versionChanges].reverse().map(undoChange),
  };
}

function undoChange(change: VersionChange): VersionChange {
  switch (change.kind) {
    case "insert":
      return { kind: "delete", id: change.id };
    case "delete":
      return { kind: "insert", id: change.id };
    case "update":
      return { kind: "update", from: change.to, to: change.from };
  }
}
