import { GraphError } from "../errors.js";
import type { GraphCore } from "./core.js";
import { describeRevision } from "./errors.js";
import type { VersionChange } from "./types.js";

/**
 * Revisions that `squash` folded into one. A database that was at the last revision of the range
 * keeps that id in its version table; it stands for the squashed revision until the first step
 * that moves the row rewrites it. A row naming a revision inside the range cannot be mapped: that
 * database has only part of what the squashed revision does.
 */
export class ReplacedRevisions {
  /** The last id of a squashed range → the squashed revision's index. */
  private readonly standIns = new Map<string, number>();
  /** Earlier ids of a squashed range → the squashed revision's index. */
  private readonly inside = new Map<string, number>();

  constructor(private readonly core: GraphCore) {
    core.headers.forEach((header, index) => {
      const replaced = header.replaces ?? [];
      replaced.forEach((id, position) => {
        const other = this.standIns.get(id) ?? this.inside.get(id);
        if (other !== undefined && other !== index) {
          throw new GraphError(
            `Revisions ${describeRevision(core.headers[other]!)} and ${describeRevision(header)} both declare that they replace '${id}'.`,
          );
        }
        (position === replaced.length - 1 ? this.standIns : this.inside).set(id, index);
      });
    });
  }

  get empty(): boolean {
    return this.standIns.size === 0;
  }

  /** The squashed revision's index where `id` ended a squashed range; undefined otherwise. Never throws. */
  standInFor(id: string): number | undefined {
    return this.standIns.get(id);
  }

  /** The index a version row stands for, or undefined when no squash replaced it. */
  indexOfRow(id: string): number | undefined {
    const index = this.standIns.get(id);
    if (index !== undefined) return index;
    const container = this.inside.get(id);
    if (container === undefined) return undefined;
    const squashed = this.core.headers[container]!;
    throw new GraphError(
      `The version table names revision '${id}', which was squashed into ${describeRevision(squashed)}; the database stopped in the middle of the squashed range.`,
      { hint: `Upgrade it with the archived revision files first, or stamp it at the revision it matches.` },
    );
  }

  /**
   * Version-table changes say which row they move by its id; where the table still holds the
   * replaced id, the first change that moves the squashed revision's row must name that id.
   */
  restoreRowNames(current: readonly string[], changeLists: readonly VersionChange[][]): void {
    const pending = new Map<string, string>();
    for (const row of new Set(current)) {
      if (this.core.indexOf.has(row)) continue;
      const index = this.standIns.get(row);
      if (index !== undefined) pending.set(this.core.headers[index]!.id, row);
    }
    if (pending.size === 0) return;
    for (const changes of changeLists) {
      changes.forEach((change, i) => {
        if (change.kind === "update" && pending.has(change.from)) {
          changes[i] = { ...change, from: pending.get(change.from)! };
          pending.delete(change.from);
        } else if (change.kind === "delete" && pending.has(change.id)) {
          changes[i] = { ...change, id: pending.get(change.id)! };
          pending.delete(change.id);
        }
      });
    }
  }
}
