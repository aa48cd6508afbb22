import { GraphError } from "../errors.js";
import type { GraphCore } from "./core.js";
import { reachable } from "./walk.js";

/** The first of `indices` that lies below another of them, with one it lies below; undefined when none does. */
export function findOverlap(core: GraphCore, indices: readonly number[]): { low: number; high: number } | undefined {
  const strictlyBelow = reachable(indices.flatMap((i) => core.below[i]!), core.below);
  const low = indices.find((i) => strictlyBelow[i]);
  if (low === undefined) return undefined;
  // Only on the error path: find which one it lies below, for the message.
  const high = indices.find((i) => i !== low && reachable([i], core.below)[low])!;
  return { low, high };
}

export function assertNoOverlap(core: GraphCore, indices: readonly number[], text: string): void {
  const overlap = findOverlap(core, indices);
  if (!overlap) return;
  const { low, high } = overlap;
  throw new GraphError(`Targets '${text}' overlap: '${core.headers[low]!.id}' is an ancestor of '${core.headers[high]!.id}'.`);
}

/** Those of `indices` that nothing else in `indices` sits on. */
export function maximal(core: GraphCore, indices: readonly number[]): number[] {
  const strictlyBelow = reachable(indices.flatMap((i) => core.below[i]!), core.below);
  return indices.filter((i) => !strictlyBelow[i]);
}
