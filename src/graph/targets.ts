import { GraphError } from "../errors.js";
import type { GraphCore } from "./core.js";
import { MultipleHeadsError, listIds } from "./errors.js";
import type { LabelCoverage } from "./labels.js";
import { reachable } from "./walk.js";

/**
 * A target after resolution. `revisions` names the state "these revisions and everything below
 * them" ([] is base). `below` names the state without `cut` and everything above it: the base of
 * one branch, which `label@base` and walks past a root or out of a branch lead to.
 */
export type ResolvedTarget =
  | { kind: "revisions"; ids: number[]; relativeToCurrent?: Sign }
  | { kind: "below"; cut: number[]; relativeToCurrent?: Sign };

type Sign = "+" | "-";

/** The revisions a `name@...` target is restricted to. */
interface Lineage {
  readonly name: string;
  contains(index: number): boolean;
  /** Where a walk up from base enters the lineage. */
  readonly bottoms: readonly number[];
}

const RELATIVE = /^(.*?)([+-])(\d+)$/;

export class TargetResolver {
  private readonly effectiveHeads: number[] = [];
  private readonly realHeads: number[] = [];
  private readonly roots: number[] = [];

  constructor(
    private readonly core: GraphCore,
    private readonly labels: () => LabelCoverage,
  ) {
    core.headers.forEach((_, i) => {
      if (core.children[i]!.length === 0) {
        this.effectiveHeads.push(i);
        if (core.dependents[i]!.length === 0) this.realHeads.push(i);
      }
      if (core.parents[i]!.length === 0) this.roots.push(i);
    });
  }

  heads(): number[] {
    return this.realHeads;
  }

  effective(): number[] {
    return this.effectiveHeads;
  }

  bases(): number[] {
    return this.roots;
  }

  /** A revision id, a label (the revision declaring it) or a unique id prefix. */
  revision(name: string): number {
    const exact = this.core.indexOf.get(name) ?? this.core.labelOwner.get(name);
    if (exact !== undefined) return exact;
    const matches: string[] = [];
    if (name.length > 0) for (const id of this.core.indexOf.keys()) if (id.startsWith(name)) matches.push(id);
    if (matches.length === 0) throw new GraphError(`No revision or branch label matches '${name}'.`);
    if (matches.length > 1) {
      throw new GraphError(`Revision prefix '${name}' is ambiguous: it matches ${listIds(matches.sort())}.`, {
        hint: "Type more characters of the id.",
      });
    }
    return this.core.indexOf.get(matches[0]!)!;
  }

  resolve(text: string, rows: readonly number[]): ResolvedTarget {
    const target = text.trim();
    if (target.length === 0) throw new GraphError("The target is empty; name a revision, 'head', 'heads' or 'base'.");
    if (target.includes(":")) {
      throw new GraphError(`Target '${target}' is a range; ranges are only for history and offline --sql.`);
    }
    if (!target.includes("@") && this.isWholeName(target)) return this.absolute(target, undefined, rows, target);

    let branch: string | undefined;
    let rest = target;
    const at = target.indexOf("@");
    if (at >= 0) {
      branch = target.slice(0, at);
      rest = target.slice(at + 1);
      if (branch.length === 0 || rest.length === 0 || rest.includes("@")) {
        throw new GraphError(`Target '${target}' is not valid; expected forms such as 'label@head' or 'label@-1'.`);
      }
    }
    const lineage = branch === undefined ? undefined : this.lineage(branch);
    const relative = RELATIVE.exec(rest);
    if (!relative) return this.absolute(rest, lineage, rows, target);

    const symbol = relative[1]!;
    const sign = relative[2] as Sign;
    const steps = Number(relative[3]);
    if (steps === 0) throw new GraphError(`Relative target '${target}' must move at least one step.`);
    if (symbol === "" || symbol === "current") {
      const start = this.currentStart(rows, lineage, sign, target);
      const result = sign === "+" ? this.walkUp(start, steps, lineage, target) : this.walkDown(start, steps, lineage, target);
      return { ...result, relativeToCurrent: sign };
    }
    const start = this.point(symbol, lineage, target);
    return sign === "+" ? this.walkUp(start, steps, lineage, target) : this.walkDown(start, steps, lineage, target);
  }

  private isWholeName(name: string): boolean {
    return ["head", "heads", "base", "current"].includes(name) || this.core.indexOf.has(name) || this.core.labelOwner.has(name);
  }

  private absolute(symbol: string, lineage: Lineage | undefined, rows: readonly number[], text: string): ResolvedTarget {
    switch (symbol) {
      case "base":
        return lineage ? { kind: "below", cut: [...lineage.bottoms] } : { kind: "revisions", ids: [] };
      case "heads":
        return { kind: "revisions", ids: lineage ? this.lineageHeads(lineage) : [...this.realHeads] };
      case "head":
        return { kind: "revisions", ids: [this.singleHead(lineage, text)] };
      case "current":
        return { kind: "revisions", ids: lineage ? rows.filter((r) => lineage.contains(r)) : [...rows] };
      default: {
        const index = this.revision(symbol);
        if (lineage && !lineage.contains(index)) {
          throw new GraphError(`Revision '${this.id(index)}' is not on branch '${lineage.name}' (target '${text}').`);
        }
        return { kind: "revisions", ids: [index] };
      }
    }
  }

  /** The revision a relative walk such as `head-2` or `abc+1` starts from; null is base. */
  private point(symbol: string, lineage: Lineage | undefined, text: string): number | null {
    if (symbol === "base") return null;
    if (symbol === "head" || symbol === "heads") return this.singleHead(lineage, text);
    const resolved = this.absolute(symbol, lineage, [], text);
    return resolved.kind === "revisions" ? resolved.ids[0]! : null;
  }

  private currentStart(rows: readonly number[], lineage: Lineage | undefined, sign: Sign, text: string): number | null {
    const candidates = lineage ? rows.filter((r) => lineage.contains(r)) : [...rows];
    if (candidates.length > 1) {
      throw new GraphError(
        `Relative target '${text}' is ambiguous: there are several current heads (${listIds(this.ids(candidates))}).`,
        { hint: `Use 'label@${sign}N' for one branch, or name the revision.` },
      );
    }
    if (candidates.length === 0 && sign === "-") {
      throw new GraphError(
        lineage
          ? `Relative target '${text}' has no current revision on branch '${lineage.name}' to step down from.`
          : `Relative target '${text}' cannot step down: no revision is applied.`,
      );
    }
    return candidates[0] ?? null;
  }

  private walkUp(start: number | null, steps: number, lineage: Lineage | undefined, text: string): ResolvedTarget {
    let node = start;
    for (let step = 0; step < steps; step++) {
      const next =
        node === null
          ? [...(lineage ? lineage.bottoms : this.roots)]
          : this.core.children[node]!.filter((c) => !lineage || lineage.contains(c));
      if (next.length === 0) {
        const where = node === null ? "there are no revisions" : `'${this.id(node)}' is a head`;
        throw new GraphError(`Relative target '${text}' walks too far: ${where}, ${steps - step} step(s) short.`);
      }
      if (next.length > 1) {
        const where = node === null ? "there are several roots" : `'${this.id(node)}' is a branch point`;
        throw new GraphError(`Relative target '${text}' is an ambiguous walk: ${where} (${listIds(this.ids(next))}).`, {
          hint: "Use 'label@+N' or name the revision.",
        });
      }
      node = next[0]!;
    }
    return { kind: "revisions", ids: node === null ? [] : [node] };
  }

  private walkDown(start: number | null, steps: number, lineage: Lineage | undefined, text: string): ResolvedTarget {
    let node = start;
    let leftFrom: number | undefined;
    for (let step = 0; step < steps; step++) {
      if (node === null) {
        throw new GraphError(`Relative target '${text}' walks too far: it steps below base.`);
      }
      const parents = this.core.parents[node]!;
      if (parents.length > 1) {
        throw new GraphError(
          `Relative target '${text}' is an ambiguous walk: '${this.id(node)}' is a merge of ${listIds(this.ids(parents))}.`,
          { hint: "Name the revision to go to." },
        );
      }
      const parent = parents[0];
      // Leaving the lineage (or passing a root) means "this branch reverted", not "the parent and all its branches".
      leftFrom = parent === undefined || (lineage && !lineage.contains(parent)) ? node : undefined;
      node = parent ?? null;
    }
    if (leftFrom !== undefined) return { kind: "below", cut: [leftFrom] };
    return { kind: "revisions", ids: node === null ? [] : [node] };
  }

  private singleHead(lineage: Lineage | undefined, text: string): number {
    const heads = lineage ? this.effectiveHeads.filter((h) => lineage.contains(h)) : this.effectiveHeads;
    if (heads.length === 1) return heads[0]!;
    if (heads.length === 0) throw new GraphError(`Target '${text}' names no revision: the versions folder is empty.`);
    const names = this.ids(heads);
    if (lineage) {
      throw new MultipleHeadsError(
        `Target '${text}' is ambiguous: branch '${lineage.name}' has ${heads.length} heads (${listIds(names)}).`,
        names,
        `Use '${lineage.name}@heads' for all of them, or name one head.`,
      );
    }
    throw new MultipleHeadsError(
      `Target '${text}' is ambiguous: there are ${heads.length} heads (${listIds(names)}).`,
      names,
      "Use 'label@head' for one branch, or 'heads' for all of them.",
    );
  }

  /** Heads of a lineage, without any head that lies below another (a dependency-only head). */
  private lineageHeads(lineage: Lineage): number[] {
    const heads = this.effectiveHeads.filter((h) => lineage.contains(h));
    const belowOthers = reachable(
      heads.flatMap((h) => this.core.below[h]!),
      this.core.below,
    );
    return heads.filter((h) => !belowOthers[h]);
  }

  private lineage(name: string): Lineage {
    const owner = this.core.labelOwner.get(name);
    if (owner !== undefined) {
      const coverage = this.labels();
      return { name, contains: (i) => coverage.covers(i, name), bottoms: [coverage.bottomOf(name)] };
    }
    const anchor = this.revision(name);
    const up = reachable([anchor], this.core.children);
    const down = reachable([anchor], this.core.parents);
    return {
      name,
      contains: (i) => up[i] === 1 || down[i] === 1,
      bottoms: this.roots.filter((r) => down[r] === 1),
    };
  }

  private id(index: number): string {
    return this.core.headers[index]!.id;
  }

  private ids(indices: readonly number[]): string[] {
    return indices.map((i) => this.id(i)).sort();
  }
}
