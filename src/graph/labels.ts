import type { GraphCore } from "./core.js";

/**
 * Which branch labels cover each revision. A label covers the revision that declares it, all of its
 * descendants (through parents), and its ancestors back to the previous branch point or merge.
 */
export class LabelCoverage {
  /** Labels inherited through parents; arrays are shared along a chain, never mutated. */
  private readonly inherited: readonly (readonly string[])[];
  /** Labels that reach down from a labelled revision to ancestors, kept apart to leave shared arrays intact. */
  private readonly extended = new Map<number, string[]>();
  /** The lowest revision each label covers. */
  private readonly bottoms = new Map<string, number>();

  constructor(private readonly core: GraphCore) {
    const declared = core.headers.map((h) => h.branchLabels);
    const inherited: (readonly string[])[] = [];
    const empty: readonly string[] = [];
    for (let i = 0; i < core.headers.length; i++) {
      const parents = core.parents[i]!;
      const own = declared[i]!;
      if (own.length === 0 && parents.length === 1) {
        inherited.push(inherited[parents[0]!]!);
        continue;
      }
      const union = new Set<string>(own);
      for (const p of parents) for (const label of inherited[p]!) union.add(label);
      inherited.push(union.size === 0 ? empty : [...union]);
    }
    this.inherited = inherited;
    for (const [label, owner] of core.labelOwner) this.extendDown(label, owner);
  }

  labelsOf(index: number): string[] {
    const labels = new Set(this.inherited[index]!);
    for (const label of this.extended.get(index) ?? []) labels.add(label);
    return [...labels].sort();
  }

  covers(index: number, label: string): boolean {
    return this.inherited[index]!.includes(label) || (this.extended.get(index)?.includes(label) ?? false);
  }

  bottomOf(label: string): number {
    return this.bottoms.get(label)!;
  }

  private extendDown(label: string, owner: number): void {
    const { children, parents } = this.core;
    let node = owner;
    let bottom = owner;
    while (children[node]!.length <= 1 && parents[node]!.length <= 1) {
      bottom = node;
      if (node !== owner) {
        const list = this.extended.get(node) ?? [];
        list.push(label);
        this.extended.set(node, list);
      }
      const parent = parents[node]![0];
      if (parent === undefined) break;
      node = parent;
    }
    this.bottoms.set(label, bottom);
  }
}
