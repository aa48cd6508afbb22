import { describe, expect, it } from "vitest";
import { MultipleHeadsError, type RevisionGraph } from "../../src/graph/index.js";
import { branchingGraph, graph, graphErrorOf as errorOf, order, rev } from "./fixtures.js";

const branches = branchingGraph();

/** a1[A] - a2 and b1[B] - b2: two roots. */
const roots = graph(rev("a1", [], { labels: ["A"] }), rev("a2", ["a1"]), rev("b1", [], { labels: ["B"] }), rev("b2", ["b1"]));

const prefixes = graph(rev("3f2a9c1e0b7d"), rev("3f9b00000000", ["3f2a9c1e0b7d"]), rev("a1b2c3d4e5f6", ["3f9b00000000"]));

const diamond = graph(rev("a"), rev("b", ["a"]), rev("c", ["a"]), rev("m", ["b", "c"]));

describe("absolute targets", () => {
  it("head needs exactly one head and suggests label@head or heads", () => {
    const error = errorOf(() => branches.resolve("head", []));
    expect(error).toBeInstanceOf(MultipleHeadsError);
    expect(error.message).toBe("Target 'head' is ambiguous: there are 2 heads ('x3', 'y2').");
    expect(error.hint).toMatch(/'label@head'.*'heads'/);
    expect((error as MultipleHeadsError).heads).toEqual(["x3", "y2"]);
    expect(diamond.resolve("head", [])).toEqual(["m"]);
  });

  it("head counts a revision that is only depended on", () => {
    const g = graph(rev("lib"), rev("app"), rev("app2", ["app"], { deps: ["lib"] }));
    expect(() => g.resolve("head", [])).toThrow(/there are 2 heads \('app2', 'lib'\)/);
    expect(g.resolve("heads", [])).toEqual(["app2"]);
  });

  it("resolves heads, base and current", () => {
    expect(branches.resolve("heads", [])).toEqual(["x3", "y2"]);
    expect(branches.resolve("base", ["x3"])).toEqual([]);
    expect(branches.resolve("current", ["y1", "x2"])).toEqual(["x2", "y1"]);
    expect(branches.resolve("current", [])).toEqual([]);
  });

  it("resolves label@head, label@heads, rev@head and rev@heads", () => {
    expect(branches.resolve("feat@head", [])).toEqual(["x3"]);
    expect(branches.resolve("fix@head", [])).toEqual(["y2"]);
    expect(branches.resolve("feat@heads", [])).toEqual(["x3"]);
    expect(branches.resolve("x1@head", [])).toEqual(["x3"]);
    expect(branches.resolve("p@heads", [])).toEqual(["x3", "y2"]);
    expect(branches.resolve("feat", [])).toEqual(["x2"]);
    expect(roots.resolve("B@head", [])).toEqual(["b2"]);
  });

  it("drops a dependency-only head from label@heads, but counts it for label@head", () => {
    const g = graph(rev("a", [], { labels: ["L"] }), rev("b", ["a"]), rev("c", ["b"], { deps: ["d"] }), rev("d", ["a"]));
    expect(g.resolve("L@heads", [])).toEqual(["c"]);
    expect(() => g.resolve("L@head", [])).toThrow("Target 'L@head' is ambiguous: branch 'L' has 2 heads ('c', 'd').");
    expect(() => graph().resolve("head", [])).toThrow("Target 'head' names no revision: the versions folder is empty.");
  });

  it("refuses rev@head when the revision leads to several heads", () => {
    const error = errorOf(() => branches.resolve("p@head", []));
    expect(error).toBeInstanceOf(MultipleHeadsError);
    expect(error.message).toBe("Target 'p@head' is ambiguous: branch 'p' has 2 heads ('x3', 'y2').");
  });

  it("resolves label@base to what lies below the branch", () => {
    expect(branches.resolve("feat@base", [])).toEqual(["p"]);
    expect(roots.resolve("A@base", [])).toEqual([]);
  });

  it("accepts a revision inside label@ only when it is on that branch", () => {
    expect(branches.resolve("feat@x3", [])).toEqual(["x3"]);
    expect(() => branches.resolve("fix@x3", [])).toThrow("Revision 'x3' is not on branch 'fix' (target 'fix@x3').");
  });

  it("resolves full ids and unique prefixes of any length, and lists ambiguous candidates", () => {
    expect(prefixes.resolve("3f2a9c1e0b7d", [])).toEqual(["3f2a9c1e0b7d"]);
    expect(prefixes.resolve("a", [])).toEqual(["a1b2c3d4e5f6"]);
    expect(prefixes.resolve("3f2", [])).toEqual(["3f2a9c1e0b7d"]);
    const error = errorOf(() => prefixes.resolve("3f", []));
    expect(error.message).toBe("Revision prefix '3f' is ambiguous: it matches '3f2a9c1e0b7d', '3f9b00000000'.");
    expect(() => prefixes.resolve("zz", [])).toThrow("No revision or branch label matches 'zz'.");
  });

  it("rejects malformed targets", () => {
    expect(() => branches.resolve("  ", [])).toThrow(/The target is empty/);
    expect(() => branches.resolve("@head", [])).toThrow(/is not valid/);
    expect(() => branches.resolve("feat@", [])).toThrow(/is not valid/);
    expect(() => branches.resolve("feat@head@x", [])).toThrow(/is not valid/);
    expect(() => branches.resolve("nope@head", [])).toThrow(/No revision or branch label matches 'nope'/);
    expect(() => branches.resolve("+0", [])).toThrow("Relative target '+0' must move at least one step.");
    expect(() => branches.planUpgrade([], "r:x3")).toThrow(
      "Target 'r:x3' is a range; ranges are only for history and offline --sql.",
    );
  });
});

describe("labels with hyphens", () => {
  const g = graph(rev("a"), rev("b", ["a"], { labels: ["feature-1"] }), rev("c", ["b"]));
  it("reads a bare label before any relative step", () => {
    expect(g.resolve("feature-1", [])).toEqual(["b"]);
    expect(g.resolve("feature-1@head", [])).toEqual(["c"]);
    expect(g.resolve("feature-1@-1", ["c"])).toEqual(["b"]);
    expect(g.resolve("c-1", [])).toEqual(["b"]);
  });
});

describe("relative targets", () => {
  it("walks up from base with +N", () => {
    expect(branches.resolve("+1", [])).toEqual(["r"]);
    expect(branches.resolve("+2", [])).toEqual(["p"]);
    expect(() => branches.resolve("+3", [])).toThrow(
      "Relative target '+3' is an ambiguous walk: 'p' is a branch point ('x1', 'y1').",
    );
    expect(() => roots.resolve("+1", [])).toThrow(/ambiguous walk: there are several roots \('a1', 'b1'\)/);
  });

  it("walks up from the current row, and refuses to walk past a head", () => {
    expect(branches.resolve("+1", ["x2"])).toEqual(["x3"]);
    expect(branches.resolve("current+1", ["x2"])).toEqual(["x3"]);
    expect(() => branches.resolve("+2", ["x2"])).toThrow(/'\+2' walks too far: 'x3' is a head/);
    expect(() => graph().resolve("+1", [])).toThrow(/walks too far: there are no revisions/);
  });

  it("refuses a relative step from several current heads", () => {
    const error = errorOf(() => branches.resolve("-1", ["x3", "y2"]));
    expect(error.message).toBe("Relative target '-1' is ambiguous: there are several current heads ('x3', 'y2').");
    expect(error.hint).toMatch(/label@-N/);
    expect(() => branches.resolve("+1", ["x2", "y1"])).toThrow(/several current heads/);
  });

  it("walks down with -N, to base and no further", () => {
    expect(branches.resolve("-1", ["x3"])).toEqual(["x2"]);
    expect(branches.resolve("-5", ["x3"])).toEqual([]);
    expect(() => branches.resolve("-6", ["x3"])).toThrow("Relative target '-6' walks too far: it steps below base.");
    expect(() => branches.resolve("-1", [])).toThrow("Relative target '-1' cannot step down: no revision is applied.");
  });

  it("walks from base, head and heads", () => {
    expect(diamond.resolve("base+1", [])).toEqual(["a"]);
    expect(graph(rev("a"), rev("b", ["a"]), rev("c", ["b"])).resolve("head-2", [])).toEqual(["a"]);
    expect(() => diamond.resolve("head-1", [])).toThrow(/ambiguous walk: 'm' is a merge/);
    expect(() => diamond.resolve("head+1", [])).toThrow(/walks too far: 'm' is a head/);
    expect(() => diamond.resolve("base-1", [])).toThrow(/walks too far: it steps below base/);
    expect(() => branches.resolve("heads-1", [])).toThrow(MultipleHeadsError);
  });

  it("refuses to walk down through a merge", () => {
    expect(() => diamond.resolve("-1", ["m"])).toThrow(/ambiguous walk: 'm' is a merge of 'b', 'c'/);
  });

  it("walks from a named revision with rev+N and rev-N", () => {
    expect(branches.resolve("x3-2", [])).toEqual(["x1"]);
    expect(branches.resolve("r+1", [])).toEqual(["p"]);
    expect(branches.resolve("feat+1", [])).toEqual(["x3"]);
    expect(() => branches.resolve("p+1", [])).toThrow(/ambiguous walk: 'p' is a branch point/);
    expect(() => branches.resolve("x1+5", [])).toThrow(/walks too far: 'x3' is a head, 3 step\(s\) short/);
    expect(prefixes.resolve("3f2+2", [])).toEqual(["a1b2c3d4e5f6"]);
  });

  it("walks within a branch with label@+N and label@-N", () => {
    expect(branches.resolve("feat@+1", ["x1", "y2"])).toEqual(["x2"]);
    expect(branches.resolve("feat@+1", ["y2"])).toEqual(["x1"]);
    expect(branches.resolve("feat@-1", ["x2", "y2"])).toEqual(["x1"]);
    expect(roots.resolve("A@+2", ["b2"])).toEqual(["a2"]);
    expect(() => branches.resolve("feat@-1", ["y2"])).toThrow(
      "Relative target 'feat@-1' has no current revision on branch 'feat' to step down from.",
    );
    expect(() => branches.resolve("feat@+3", ["x2"])).toThrow(/walks too far/);
  });

  it("walks down from a branch head with label@head-N", () => {
    expect(branches.resolve("feat@head-2", [])).toEqual(["x1"]);
    expect(branches.resolve("fix@head-1", [])).toEqual(["y1"]);
    // Stepping out of the branch lands below it.
    expect(branches.resolve("feat@head-3", [])).toEqual(["p"]);
  });
});

describe("direction of relative targets", () => {
  function plan(g: RevisionGraph, dir: "up" | "down", rows: string[], target: string): string[] {
    return order(dir === "up" ? g.planUpgrade(rows, target) : g.planDowngrade(rows, target));
  }

  it("refuses upgrade -1 and downgrade +1", () => {
    expect(() => branches.planUpgrade(["x2"], "-1")).toThrow("Upgrade target '-1' steps down; use downgrade for that.");
    expect(() => branches.planUpgrade(["x2", "y2"], "feat@-1")).toThrow(/steps down/);
    expect(() => branches.planDowngrade(["x2"], "+1")).toThrow("Downgrade target '+1' steps up; use upgrade for that.");
  });

  it("runs relative plans", () => {
    expect(plan(branches, "up", [], "+2")).toEqual(["r", "p"]);
    expect(plan(branches, "up", ["x1", "y2"], "feat@+2")).toEqual(["x2", "x3"]);
    expect(plan(branches, "down", ["x3"], "-2")).toEqual(["x3", "x2"]);
    expect(plan(branches, "down", ["x3", "y2"], "feat@-2")).toEqual(["x3", "x2"]);
    expect(plan(branches, "down", ["x3", "y2"], "feat@head-3")).toEqual(["x3", "x2", "x1"]);
    expect(plan(branches, "down", ["x3"], "-5")).toEqual(["x3", "x2", "x1", "p", "r"]);
  });
});
