import { describe, expect, it } from "vitest";
import { RevisionGraph, type RevisionHeader } from "../../src/graph/index.js";

function chain(n: number): RevisionHeader[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `r${String(i).padStart(6, "0")}`,
    parents: i === 0 ? [] : [`r${String(i - 1).padStart(6, "0")}`],
    message: "",
    branchLabels: i === 0 ? ["main"] : [],
    dependsOn: [],
    path: `versions/${String(n - i).padStart(6, "0")}.ts`,
  }));
}

describe("large graphs", () => {
  it("handles a 10,000-revision chain without deep recursion, quickly", () => {
    const headers = chain(10_000);
    const started = performance.now();
    const g = RevisionGraph.build(headers);
    expect(g.heads()).toEqual(["r009999"]);
    const elapsed = performance.now() - started;
    // Generous bound: the work is O(n log n); this only catches quadratic slips.
    expect(elapsed).toBeLessThan(2_000);

    expect(g.revisions[0]!.id).toBe("r000000");
    expect(g.resolve("main@head-9999", [])).toEqual(["r000000"]);
    expect(g.labelsOf("r009999")).toEqual(["main"]);
    const up = g.planUpgrade([], "head");
    expect(up.steps).toHaveLength(10_000);
    expect(up.finalHeads).toEqual(["r009999"]);
    const down = g.planDowngrade(up.finalHeads, "base");
    expect(down.steps[0]!.revision).toBe("r009999");
    expect(down.finalHeads).toEqual([]);
    expect(g.history("r005000:", [])).toHaveLength(5_000);
  });
});
