import { MinHeap } from "./heap.js";

export type TopoResult =
  | { ok: true; order: number[] }
  /** `cycle` lists nodes so that each one has the next below it; the last has the first below it. */
  | { ok: false; cycle: number[] };

/**
 * Kahn's algorithm over `below` edges (a node's parents and dependencies): every node comes after
 * everything below it. Among ready nodes the smallest by `less` goes first, which makes the order
 * deterministic (file path, then id).
 */
export function topologicalOrder(below: readonly (readonly number[])[], less: (a: number, b: number) => boolean): TopoResult {
  const n = below.length;
  const above: (number[] | undefined)[] = new Array<number[] | undefined>(n);
  const waiting = new Int32Array(n);
  for (let node = 0; node < n; node++) {
    for (const b of below[node]!) (above[b] ??= []).push(node);
    waiting[node] = below[node]!.length;
  }
  const ready = new MinHeap(less);
  for (let node = 0; node < n; node++) if (waiting[node] === 0) ready.push(node);
  const order: number[] = [];
  for (let node = ready.pop(); node !== undefined; node = ready.pop()) {
    order.push(node);
    for (const up of above[node] ?? []) if (--waiting[up]! === 0) ready.push(up);
  }
  if (order.length === n) return { ok: true, order };
  return { ok: false, cycle: findCycle(below, waiting, less) };
}

/** Nodes left waiting all have a waiting node below them, so walking down among them must loop. */
function findCycle(below: readonly (readonly number[])[], waiting: Int32Array, less: (a: number, b: number) => boolean): number[] {
  let start = -1;
  for (let node = 0; node < below.length; node++) {
    if (waiting[node]! > 0 && (start < 0 || less(node, start))) start = node;
  }
  const seenAt = new Map<number, number>();
  const path: number[] = [];
  let node = start;
  while (!seenAt.has(node)) {
    seenAt.set(node, path.length);
    path.push(node);
    node = below[node]!.find((b) => waiting[b]! > 0)!;
  }
  return path.slice(seenAt.get(node)!);
}
