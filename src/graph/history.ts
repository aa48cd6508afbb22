import { GraphError } from "../errors.js";
import type { GraphCore } from "./core.js";
import { splitRange } from "./range.js";
import type { ResolvedTarget, TargetResolver } from "./targets.js";
import { reachable } from "./walk.js";

/** Revisions in `a:b` (both ends included), `a:` or `:b`, in topological order. */
export function rangeIndices(core: GraphCore, targets: TargetResolver, range: string, rows: readonly number[]): number[] {
  const { from, to } = splitRange(range);
  const lower = from === undefined ? undefined : lowerEnd(targets.resolve(from, rows));
  const upper = to === undefined ? undefined : upperEnd(core, targets.resolve(to, rows));
  const aboveLower = lower === undefined ? undefined : reachable(lower, core.above);
  const belowUpper = upper === undefined ? undefined : reachable(upper, core.below);
  const chosen: number[] = [];
  for (let i = 0; i < core.headers.length; i++) {
    if ((!aboveLower || aboveLower[i]) && (!belowUpper || belowUpper[i])) chosen.push(i);
  }
  if (chosen.length === 0 && lower !== undefined && upper !== undefined && upper.length > 0) {
    throw new GraphError(`History range '${range}' is empty: '${from}' is not an ancestor of '${to}'.`);
  }
  return chosen;
}

/** Where a range starts; undefined (no limit) for base. */
function lowerEnd(target: ResolvedTarget): number[] | undefined {
  if (target.kind === "below") return target.cut;
  return target.ids.length === 0 ? undefined : target.ids;
}

/** Where a range ends; the base of a branch ends just below that branch. */
function upperEnd(core: GraphCore, target: ResolvedTarget): number[] {
  return target.kind === "revisions" ? target.ids : target.cut.flatMap((c) => core.parents[c]!);
}
