import type { GraphCore } from "./core.js";
import type { Plan, Step, VersionChange } from "./types.js";

/**
 * Replays steps on the version table. The rule throughout: the rows are exactly the maximal applied
 * revisions, where "below" follows parents and dependencies alike. So applying a revision consumes
 * the rows directly below it, and reverting one restores those below it that nothing else applied
 * still sits on.
 */
export class VersionTableSimulation {
  private readonly rows: Set<number>;
  private readonly applied: Uint8Array;
  /** The rows' ids, kept sorted as rows come and go, so a step costs O(rows) rather than a sort. */
  private readonly sorted: string[];
  /** A copy of `sorted` handed out as one step's headsAfter and the next step's headsBefore. */
  private snapshot: string[];

  constructor(
    private readonly core: GraphCore,
    rows: readonly number[],
    applied: Uint8Array,
  ) {
    this.rows = new Set(rows);
    this.applied = applied.slice();
    this.sorted = sortedIds(core, this.rows);
    this.snapshot = this.sorted.slice();
  }

  sortedRows(): string[] {
    return this.snapshot;
  }

  apply(revision: number): Step {
    const headsBefore = this.sortedRows();
    const consumed = this.core.below[revision]!.filter((b) => this.rows.has(b));
    const changes: VersionChange[] = [];
    if (consumed.length === 0) {
      changes.push({ kind: "insert", id: this.id(revision) });
    } else {
      // Parents come first in `below`, so the main line's row is the one kept and updated.
      const [kept, ...dropped] = consumed;
      for (const row of dropped) changes.push({ kind: "delete", id: this.id(row) });
      changes.push({ kind: "update", from: this.id(kept!), to: this.id(revision) });
    }
    for (const row of consumed) this.removeRow(row);
    this.addRow(revision);
    this.applied[revision] = 1;
    return { revision: this.id(revision), direction: "up", headsBefore, headsAfter: this.takeSnapshot(), versionChanges: changes };
  }

  revert(revision: number): Step {
    const headsBefore = this.sortedRows();
    this.applied[revision] = 0;
    const restored = this.core.below[revision]!.filter((b) => !this.core.above[b]!.some((a) => this.applied[a] === 1));
    const changes: VersionChange[] = [];
    if (restored.length === 0) {
      changes.push({ kind: "delete", id: this.id(revision) });
    } else {
      const [first, ...others] = restored;
      changes.push({ kind: "update", from: this.id(revision), to: this.id(first!) });
      for (const row of others) changes.push({ kind: "insert", id: this.id(row) });
    }
    this.removeRow(revision);
    for (const row of restored) this.addRow(row);
    return { revision: this.id(revision), direction: "down", headsBefore, headsAfter: this.takeSnapshot(), versionChanges: changes };
  }

  private addRow(row: number): void {
    this.rows.add(row);
    const id = this.id(row);
    this.sorted.splice(lowerBound(this.sorted, id), 0, id);
  }

  private removeRow(row: number): void {
    this.rows.delete(row);
    this.sorted.splice(lowerBound(this.sorted, this.id(row)), 1);
  }

  private takeSnapshot(): string[] {
    this.snapshot = this.sorted.slice();
    return this.snapshot;
  }

  private id(index: number): string {
    return this.core.headers[index]!.id;
  }
}

export function planSteps(
  core: GraphCore,
  rows: readonly number[],
  applied: Uint8Array,
  direction: "up" | "down",
  revisions: readonly number[],
): Plan {
  const table = new VersionTableSimulation(core, rows, applied);
  const steps = revisions.map((r) => (direction === "up" ? table.apply(r) : table.revert(r)));
  return { direction, steps, finalHeads: table.sortedRows() };
}

/** The first position in a sorted array whose value is not below `value`. */
function lowerBound(sorted: readonly string[], value: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (sorted[mid]! < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

export function sortedIds(core: GraphCore, indices: Iterable<number>): string[] {
  return [...indices].map((i) => core.headers[i]!.id).sort();
}
