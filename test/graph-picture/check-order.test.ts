import { describe, expect, it } from "vitest";
import { assertLinearHistory, linearHistoryProblem } from "../../src/api/check-order.js";
import { CheckFailed } from "../../src/errors.js";
import { RevisionGraph } from "../../src/graph/index.js";
import type { RevisionHeader } from "../../src/graph/types.js";

const rev = (id: string, parents: string[] = []): RevisionHeader => ({ id, parents, message: id, branchLabels: [], dependsOn: [] });

describe("linear history", () => {
  it("passes with one head, merges included", () => {
    const graph = RevisionGraph.build([rev("a1"), rev("b2", ["a1"]), rev("c3", ["a1"]), rev("m4", ["b2", "c3"])]);
    expect(linearHistoryProblem(graph)).toEqual({ ok: true, heads: ["m4"], forkedAt: null });
    expect(() => assertLinearHistory(graph)).not.toThrow();
  });

  it("fails with two heads, naming them and where they fork, with the merge command as hint", () => {
    const graph = RevisionGraph.build([rev("a1"), rev("b2", ["a1"]), rev("c3", ["b2"]), rev("d4", ["b2"])]);
    let thrown: unknown;
    try {
      assertLinearHistory(graph);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CheckFailed);
    expect((thrown as CheckFailed).exitCode).toBe(1);
    expect((thrown as CheckFailed).message).toBe("The revision graph has 2 heads (c3, d4), branching from b2; merge them before deploying.");
    expect((thrown as CheckFailed).hint).toBe('stratum merge heads -m "merge c3 and d4"');
  });

  it("says when the heads come from separate roots", () => {
    const graph = RevisionGraph.build([rev("a1"), rev("x1")]);
    expect(linearHistoryProblem(graph).message).toBe("The revision graph has 2 heads (a1, x1), branching from separate roots; merge them before deploying.");
  });
});
