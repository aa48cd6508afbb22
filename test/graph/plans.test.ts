import { describe, expect, it } from "vitest";
import { branchingGraph, graph, order, rev } from "./fixtures.js";

const branches = branchingGraph();

const diamond = graph(rev("a"), rev("b", ["a"]), rev("c", ["a"]), rev("m", ["b", "c"]), rev("d", ["m"]));

/** Two roots; app's a2 depends on lib's l2. */
const crossRoots = graph(rev("l1"), rev("l2", ["l1"]), rev("a1"), rev("a2", ["a1"], { deps: ["l2"] }));

/** r - a1 - a2, r - b1; a2 depends on its sibling b1. */
const siblingDep = graph(rev("r"), rev("a1", ["r"]), rev("a2", ["a1"], { deps: ["b1"] }), rev("b1", ["r"]));

describe("upgrade plans", () => {
  it("applies a diamond in order and merges the rows", () => {
    const plan = diamond.planUpgrade([], "head");
    expect(plan.direction).toBe("up");
    expect(plan.steps.map((s) => [s.revision, s.headsBefore, s.headsAfter, s.versionChanges])).toEqual([
      ["a", [], ["a"], [{ kind: "insert", id: "a" }]],
      ["b", ["a"], ["b"], [{ kind: "update", from: "a", to: "b" }]],
      ["c", ["b"], ["b", "c"], [{ kind: "insert", id: "c" }]],
      ["m", ["b", "c"], ["m"], [{ kind: "delete", id: "c" }, { kind: "update", from: "b", to: "m" }]],
      ["d", ["m"], ["d"], [{ kind: "update", from: "m", to: "d" }]],
    ]);
    expect(plan.finalHeads).toEqual(["d"]);
  });

  it("applies only the target's ancestors, not sibling branches", () => {
    expect(order(branches.planUpgrade([], "x2"))).toEqual(["r", "p", "x1", "x2"]);
    expect(order(branches.planUpgrade(["x2"], "heads"))).toEqual(["x3", "y1", "y2"]);
  });

  it("adds a row when upgrading onto another branch", () => {
    const plan = branches.planUpgrade(["x3"], "y1");
    expect(order(plan)).toEqual(["y1"]);
    expect(plan.steps[0]!.versionChanges).toEqual([{ kind: "insert", id: "y1" }]);
    expect(plan.finalHeads).toEqual(["x3", "y1"]);
  });

  it("does nothing when the target is already applied", () => {
    expect(branches.planUpgrade(["x3"], "x1").steps).toEqual([]);
    expect(branches.planUpgrade(["x3"], "x1").finalHeads).toEqual(["x3"]);
    expect(branches.planUpgrade(["x3", "y2"], "heads").steps).toEqual([]);
    expect(branches.planUpgrade(["x3"], "current").steps).toEqual([]);
    expect(branches.planUpgrade(["x3"], "feat@base").steps).toEqual([]);
  });

  it("pulls in dependencies with their ancestors, and lets the dependent consume their rows", () => {
    const plan = crossRoots.planUpgrade([], "a2");
    expect(order(plan)).toEqual(["a1", "l1", "l2", "a2"]);
    expect(plan.steps[3]!.versionChanges).toEqual([
      { kind: "delete", id: "l2" },
      { kind: "update", from: "a1", to: "a2" },
    ]);
    expect(plan.finalHeads).toEqual(["a2"]);
  });

  it("refuses head with several heads, and a version row it does not know", () => {
    expect(() => branches.planUpgrade([], "head")).toThrow(/there are 2 heads/);
    expect(() => branches.planUpgrade(["ghost"], "heads")).toThrow(
      "The version table names revision 'ghost', which is not in the versions folder.",
    );
  });
});

describe("downgrade plans", () => {
  it("unmerges a diamond back to base", () => {
    const plan = diamond.planDowngrade(["d"], "base");
    expect(plan.steps.map((s) => [s.revision, s.headsAfter, s.versionChanges])).toEqual([
      ["d", ["m"], [{ kind: "update", from: "d", to: "m" }]],
      ["m", ["b", "c"], [{ kind: "update", from: "m", to: "b" }, { kind: "insert", id: "c" }]],
      ["c", ["b"], [{ kind: "delete", id: "c" }]],
      ["b", ["a"], [{ kind: "update", from: "b", to: "a" }]],
      ["a", [], [{ kind: "delete", id: "a" }]],
    ]);
    expect(plan.finalHeads).toEqual([]);
  });

  it("downgrades to one side of a merge, leaving both parents as rows", () => {
    const plan = diamond.planDowngrade(["d"], "b");
    expect(order(plan)).toEqual(["d", "m"]);
    expect(plan.finalHeads).toEqual(["b", "c"]);
  });

  it("leaves other branches alone", () => {
    const plan = branches.planDowngrade(["x3", "y2"], "x1");
    expect(order(plan)).toEqual(["x3", "x2"]);
    expect(plan.finalHeads).toEqual(["x1", "y2"]);
    expect(order(branches.planDowngrade(["x3", "y2"], "p"))).toEqual(["y2", "y1", "x3", "x2", "x1"]);
  });

  it("reverts one branch with label@base", () => {
    const plan = branches.planDowngrade(["x3", "y2"], "feat@base");
    expect(order(plan)).toEqual(["x3", "x2", "x1"]);
    expect(plan.steps[2]!.versionChanges).toEqual([{ kind: "delete", id: "x1" }]);
    expect(plan.finalHeads).toEqual(["y2"]);
  });

  it("does nothing when the target is a current row", () => {
    expect(branches.planDowngrade(["x3", "y2"], "x3").steps).toEqual([]);
    expect(branches.planDowngrade(["x3"], "current").steps).toEqual([]);
  });

  it("refuses a target that is not below the current heads", () => {
    expect(() => branches.planDowngrade(["x3"], "y1")).toThrow(
      "'y1' is not a valid downgrade target from current heads (current heads are 'x3').",
    );
    expect(() => branches.planDowngrade([], "r")).toThrow(
      "'r' is not a valid downgrade target from current heads (nothing is applied).",
    );
  });

  it("reverts the dependents of a dependency, on whatever branch they are", () => {
    const plan = crossRoots.planDowngrade(["a2"], "l1");
    expect(order(plan)).toEqual(["a2", "l2"]);
    expect(plan.steps.map((s) => s.versionChanges)).toEqual([
      [{ kind: "update", from: "a2", to: "a1" }, { kind: "insert", id: "l2" }],
      [{ kind: "update", from: "l2", to: "l1" }],
    ]);
    expect(plan.finalHeads).toEqual(["a1", "l1"]);
  });

  it("never leaves a row below another after reverting a revision that depends on a sibling", () => {
    const up = siblingDep.planUpgrade([], "heads");
    expect(order(up)).toEqual(["r", "a1", "b1", "a2"]);
    expect(up.finalHeads).toEqual(["a2"]);
    const down = siblingDep.planDowngrade(["a2"], "a1");
    expect(down.finalHeads).toEqual(["a1", "b1"]);
    const toRoot = siblingDep.planDowngrade(["a2"], "r");
    expect(order(toRoot)).toEqual(["a2", "b1", "a1"]);
    expect(toRoot.steps.map((s) => s.headsAfter)).toEqual([["a1", "b1"], ["a1"], ["r"]]);
    expect(toRoot.steps[1]!.versionChanges).toEqual([{ kind: "delete", id: "b1" }]);
  });

  it("rejects version rows where one is below another", () => {
    expect(() => branches.planDowngrade(["p", "x1"], "base")).toThrow(
      "The version table is inconsistent: row 'p' is below row 'x1'.",
    );
    expect(() => siblingDep.checkCurrent(["b1", "a2"])).toThrow(/row 'b1' is below row 'a2'/);
    expect(() => branches.checkCurrent(["x3", "y2"])).not.toThrow();
  });
});

describe("stamp plans", () => {
  it("adds an unrelated target as a new row", () => {
    expect(branches.planStamp([], ["x2"])).toEqual({ headsBefore: [], headsAfter: ["x2"], versionChanges: [{ kind: "insert", id: "x2" }] });
    expect(branches.planStamp(["x2"], ["y1"]).headsAfter).toEqual(["x2", "y1"]);
  });

  it("replaces rows sharing lineage with the target, up or down", () => {
    expect(branches.planStamp(["x1", "y1"], ["x3"])).toEqual({
      headsBefore: ["x1", "y1"],
      headsAfter: ["x3", "y1"],
      versionChanges: [{ kind: "update", from: "x1", to: "x3" }],
    });
    expect(branches.planStamp(["x3", "y2"], ["p"]).headsAfter).toEqual(["p"]);
  });

  it("deletes every row for base, and one branch's rows for label@base", () => {
    expect(branches.planStamp(["x3", "y2"], ["base"]).versionChanges).toEqual([
      { kind: "delete", id: "x3" },
      { kind: "delete", id: "y2" },
    ]);
    expect(branches.planStamp(["x3", "y2"], ["feat@base"]).headsAfter).toEqual(["y2"]);
    expect(branches.planStamp(["x3"], ["feat@base"]).headsAfter).toEqual(["p"]);
  });

  it("keeps every real head for stamp heads", () => {
    expect(branches.planStamp(["p"], ["heads"]).headsAfter).toEqual(["x3", "y2"]);
    expect(branches.planStamp(["x1", "y1"], ["heads"]).headsAfter).toEqual(["x3", "y2"]);
    expect(branches.planStamp(["x3"], ["heads"]).versionChanges).toEqual([{ kind: "insert", id: "y2" }]);
  });

  it("takes several targets, and refuses overlapping ones", () => {
    expect(branches.planStamp([], ["x3", "y2"]).headsAfter).toEqual(["x3", "y2"]);
    expect(() => branches.planStamp([], ["x1", "x3"])).toThrow("Targets 'x1 x3' overlap: 'x1' is an ancestor of 'x3'.");
  });

  it("empties the table first with purge, unknown rows included", () => {
    expect(() => branches.planStamp(["ghost"], ["x1"])).toThrow(/names revision 'ghost'/);
    expect(branches.planStamp(["ghost", "y2"], ["x1"], { purge: true })).toEqual({
      headsBefore: ["ghost", "y2"],
      headsAfter: ["x1"],
      versionChanges: [{ kind: "update", from: "ghost", to: "x1" }, { kind: "delete", id: "y2" }],
    });
  });
});

describe("history", () => {
  const ids = (list: { id: string }[]): string[] => list.map((r) => r.id);

  it("lists everything newest first", () => {
    expect(ids(branches.history(undefined, []))).toEqual(["y2", "y1", "x3", "x2", "x1", "p", "r"]);
  });

  it("takes a:b, a:, :b and current:", () => {
    expect(ids(branches.history("x1:x3", []))).toEqual(["x3", "x2", "x1"]);
    expect(ids(branches.history(":x2", []))).toEqual(["x2", "x1", "p", "r"]);
    expect(ids(branches.history("x2:", []))).toEqual(["x3", "x2"]);
    expect(ids(branches.history("current:", ["x2"]))).toEqual(["x3", "x2"]);
    expect(ids(branches.history("base:fix@head", []))).toEqual(["y2", "y1", "p", "r"]);
    expect(ids(branches.history("-1:current", ["x3"]))).toEqual(["x3", "x2"]);
  });

  it("rejects a range whose ends are unrelated, or that has no colon", () => {
    expect(() => branches.history("y1:x3", [])).toThrow("History range 'y1:x3' is empty: 'y1' is not an ancestor of 'x3'.");
    expect(() => branches.history("x2", [])).toThrow("Range 'x2' needs a colon: use 'a:b', 'a:' or ':b'.");
    expect(() => branches.history("x1:x2:x3", [])).toThrow("Range 'x1:x2:x3' has more than one colon.");
    expect(() => branches.history("zz:", [])).toThrow(/No revision or branch label matches 'zz'/);
  });
});
