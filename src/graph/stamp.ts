import type { GraphCore } from "./core.js";
import { assertNoOverlap, maximal } from "./relations.js";
import type { ResolvedTarget } from "./targets.js";
import type { StampPlan, VersionChange } from "./types.js";
import { markedIndices, reachable } from "./walk.js";

/**
 * The rows after stamping `targets` onto `rows`: a target unrelated to every row is added beside
 * them, one sharing lineage with rows replaces them, base empties the table, and the base of a
 * branch removes that branch.
 */
export function stampRows(core: GraphCore, rows: readonly number[], targets: readonly ResolvedTarget[], text: string): number[] {
  assertNoOverlap(core, targets.flatMap((t) => (t.kind === "revisions" ? t.ids : [])), text);
  let after = [...rows];
  for (const target of targets) {
    if (target.kind === "below") {
      const removed = reachable(target.cut, core.above);
      const applied = reachable(after, core.below);
      after = maximal(core, markedIndices(applied).filter((i) => !removed[i]));
    } else if (target.ids.length === 0) {
      after = [];
    } else {
      for (const id of target.ids) after = replaceLineage(core, after, id);
    }
  }
  return after;
}

function replaceLineage(core: GraphCore, rows: readonly number[], target: number): number[] {
  const below = reachable([target], core.below);
  const above = reachable([target], core.above);
  return [...rows.filter((r) => !below[r] && !above[r]), target];
}

/** The fewest version-table changes that turn `before` into `after`: updates where a row is replaced, then deletes or inserts. */
export function stampChanges(before: readonly string[], after: readonly string[]): StampPlan {
  const removed = before.filter((id) => !after.includes(id)).sort();
  const added = after.filter((id) => !before.includes(id)).sort();
  const changes: VersionChange[] = [];
  const paired = Math.min(removed.length, added.length);
  for (let i = 0; i < paired; i++) changes.push({ kind: "update", from: removed[i]!, to: added[i]! });
  for (const id of removed.slice(paired)) changes.push({ kind: "delete", id });
  for (const id of added.slice(paired)) changes.push({ kind: "insert", id });
  return { headsBefore: [...before].sort(), headsAfter: [...after].sort(), versionChanges: changes };
}
