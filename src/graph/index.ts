import { GraphError } from "../errors.js";
import { buildCore } from "./build.js";
import type { GraphCore } from "./core.js";
import { listIds } from "./errors.js";
import { LabelCoverage } from "./labels.js";
import { planSteps, sortedIds } from "./plan.js";
import { rangeIndices } from "./history.js";
import { ReplacedRevisions } from "./replaced.js";
import { assertNoOverlap, findOverlap } from "./relations.js";
import { stampChanges, stampRows } from "./stamp.js";
import { TargetResolver, type ResolvedTarget } from "./targets.js";
import type { Plan, RevisionHeader, StampPlan } from "./types.js";
import { markedIndices, reachable } from "./walk.js";

export type { Direction, Plan, RevisionHeader, StampPlan, Step, VersionChange } from "./types.js";
export { MultipleHeadsError } from "./errors.js";
export { splitRange, type RevisionRange } from "./range.js";
export { invalidIdReason, invalidLabelReason, RESERVED_NAMES } from "./names.js";

/**
 * The revision graph: validated on build, then queried and planned against. Pure: it knows headers
 * and version-table rows, never files or databases. Version rows passed in are ids as the table
 * holds them; every plan keeps them equal to the maximal applied revisions.
 */
export class RevisionGraph {
  /** Topological order (parents and dependencies first, ties by file path then id); `dependsOn` holds resolved ids. */
  readonly revisions: readonly RevisionHeader[];
  private readonly core: GraphCore;
  private readonly targets: TargetResolver;
  private coverage: LabelCoverage | undefined;
  /** Ids that squashed revisions replaced, which version rows may still name. */
  private readonly replaced: ReplacedRevisions;

  private constructor(core: GraphCore) {
    this.core = core;
    this.revisions = core.headers;
    this.targets = new TargetResolver(core, () => this.labels());
    this.replaced = new ReplacedRevisions(core);
  }

  /** Validates the headers; throws GraphError naming the revisions (and files) at fault. */
  static build(headers: readonly RevisionHeader[]): RevisionGraph {
    return new RevisionGraph(buildCore(headers));
  }

  has(id: string): boolean {
    return this.core.indexOf.has(id);
  }

  /** The header of an exact id; GraphError when unknown. */
  /**
   * The revision a version row stands for: the row's own id, or the squashed revision that
   * replaced the range the row ended; undefined when no revision accounts for the row.
   */
  revisionForRow(id: string): string | undefined {
    if (this.core.indexOf.has(id)) return id;
    const index = this.replaced.standInFor(id);
    return index === undefined ? undefined : this.core.headers[index]!.id;
  }

  get(id: string): RevisionHeader {
    return this.core.headers[this.index(id)]!;
  }

  /** Revisions nothing builds on: no children and no dependents. */
  heads(): string[] {
    return sortedIds(this.core, this.targets.heads());
  }

  /** Revisions without children, including those that others only depend on; `head` must be unique among these. */
  effectiveHeads(): string[] {
    return sortedIds(this.core, this.targets.effective());
  }

  bases(): string[] {
    return sortedIds(this.core, this.targets.bases());
  }

  branchPoints(): string[] {
    return sortedIds(this.core, this.indicesWhere((i) => this.core.children[i]!.length > 1));
  }

  mergePoints(): string[] {
    return sortedIds(this.core, this.indicesWhere((i) => this.core.parents[i]!.length > 1));
  }

  labelsOf(id: string): string[] {
    return this.labels().labelsOf(this.index(id));
  }

  /** Resolves any target form to revision ids; [] means base (for `label@base`, the base of that branch). */
  resolve(target: string, current: string[]): string[] {
    const resolved = this.targets.resolve(target, this.checkedRows(current));
    if (resolved.kind === "revisions") return sortedIds(this.core, resolved.ids);
    const parents = new Set(resolved.cut.flatMap((c) => this.core.parents[c]!));
    return sortedIds(this.core, parents);
  }

  /** Applies the targets' ancestors (dependencies included) that are not applied yet, in topological order. */
  planUpgrade(current: string[], target: string): Plan {
    const rows = this.checkedRows(current);
    const resolved = this.targets.resolve(target, rows);
    if (resolved.relativeToCurrent === "-") {
      throw new GraphError(`Upgrade target '${target}' steps down; use downgrade for that.`);
    }
    const applied = reachable(rows, this.core.below);
    const wanted = resolved.kind === "revisions" ? reachable(resolved.ids, this.core.below) : new Uint8Array(0);
    const toApply = markedIndices(wanted).filter((i) => !applied[i]);
    return this.withRowNames(current, planSteps(this.core, rows, applied, "up", toApply));
  }

  /** Reverts everything applied above the target (dependents included), newest first. */
  planDowngrade(current: string[], target: string): Plan {
    const rows = this.checkedRows(current);
    const resolved = this.targets.resolve(target, rows);
    if (resolved.relativeToCurrent === "+") {
      throw new GraphError(`Downgrade target '${target}' steps up; use upgrade for that.`);
    }
    const applied = reachable(rows, this.core.below);
    const doomed = this.revertedBy(resolved, applied, rows, target);
    const toRevert = markedIndices(doomed).filter((i) => applied[i]).reverse();
    return this.withRowNames(current, planSteps(this.core, rows, applied, "down", toRevert));
  }

  /**
   * Version rows for `stamp`: a target unrelated to every row is added, one sharing lineage with rows
   * replaces them, `base` empties the table, and `purge` starts from an empty table (unknown rows included).
   */
  planStamp(current: string[], targets: string[], options: { purge?: boolean } = {}): StampPlan {
    const rows = options.purge ? [] : this.checkedRows(current);
    const resolved = targets.map((t) => this.targets.resolve(t, rows));
    const after = stampRows(this.core, rows, resolved, targets.join(" "));
    const before = options.purge ? [...new Set(current)] : sortedIds(this.core, rows);
    const plan = stampChanges(before, sortedIds(this.core, after));
    if (!options.purge && !this.replaced.empty) this.replaced.restoreRowNames(current, [plan.versionChanges]);
    return plan;
  }

  /** `a:b`, `a:`, `:b` (any target form on each side, `current` included), newest first; undefined is everything. */
  history(range: string | undefined, current: string[]): RevisionHeader[] {
    if (range === undefined || range.trim() === "") return [...this.core.headers].reverse();
    const chosen = rangeIndices(this.core, this.targets, range, this.checkedRows(current));
    return chosen.reverse().map((i) => this.core.headers[i]!);
  }

  /** The given revisions and everything below them (parents and dependencies). */
  ancestors(ids: string[]): Set<string> {
    return new Set(sortedIds(this.core, markedIndices(reachable(ids.map((id) => this.index(id)), this.core.below))));
  }

  /** The given revisions and everything above them (children and dependents). */
  descendants(ids: string[]): Set<string> {
    return new Set(sortedIds(this.core, markedIndices(reachable(ids.map((id) => this.index(id)), this.core.above))));
  }

  /** Throws GraphError when a version row is unknown or lies below another row. */
  checkCurrent(current: string[]): void {
    this.checkedRows(current);
  }

  /** Where a version row still names a squashed-away id, the step that moves it must name that id. */
  private withRowNames(current: readonly string[], plan: Plan): Plan {
    if (!this.replaced.empty) this.replaced.restoreRowNames(current, plan.steps.map((step) => step.versionChanges));
    return plan;
  }

  private checkedRows(current: readonly string[]): number[] {
    const rows = [...new Set(current)].map((id) => {
      const index = this.core.indexOf.get(id) ?? this.replaced.indexOfRow(id);
      if (index === undefined) {
        throw new GraphError(`The version table names revision '${id}', which is not in the versions folder.`, {
          hint: "Restore the revision file, or fix the table with 'stamp --purge REV'.",
        });
      }
      return index;
    });
    const overlap = findOverlap(this.core, rows);
    if (overlap) {
      const [low, high] = [this.core.headers[overlap.low]!.id, this.core.headers[overlap.high]!.id];
      throw new GraphError(`The version table is inconsistent: row '${low}' is below row '${high}'.`, {
        hint: "Fix the table with 'stamp --purge REV'.",
      });
    }
    return rows;
  }

  private revertedBy(resolved: ResolvedTarget, applied: Uint8Array, rows: readonly number[], text: string): Uint8Array {
    if (resolved.kind === "below") return reachable(resolved.cut, this.core.above);
    const ids = resolved.ids;
    if (ids.length === 0) return applied;
    for (const id of ids) {
      if (!applied[id]) {
        const heads = rows.length === 0 ? "nothing is applied" : `current heads are ${listIds(sortedIds(this.core, rows))}`;
        throw new GraphError(`'${this.core.headers[id]!.id}' is not a valid downgrade target from current heads (${heads}).`);
      }
    }
    assertNoOverlap(this.core, ids, text);
    return reachable(ids.flatMap((i) => this.core.above[i]!), this.core.above);
  }

  private indicesWhere(predicate: (index: number) => boolean): number[] {
    const result: number[] = [];
    for (let i = 0; i < this.core.headers.length; i++) if (predicate(i)) result.push(i);
    return result;
  }

  private index(id: string): number {
    const index = this.core.indexOf.get(id);
    if (index === undefined) throw new GraphError(`Revision '${id}' is not in the versions folder.`);
    return index;
  }

  private labels(): LabelCoverage {
    this.coverage ??= new LabelCoverage(this.core);
    return this.coverage;
  }
}
