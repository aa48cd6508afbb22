import { describe, expect, it } from "vitest";
import { GraphError } from "../../src/errors.js";
import { RevisionGraph, invalidIdReason, invalidLabelReason } from "../../src/graph/index.js";
import { branchingGraph, graph, graphErrorOf, rev } from "./fixtures.js";

function buildError(...headers: ReturnType<typeof rev>[]): GraphError {
  return graphErrorOf(() => RevisionGraph.build(headers));
}

describe("RevisionGraph.build validation", () => {
  it("rejects a duplicate id, naming both files", () => {
    const error = buildError(rev("a", [], { path: "v/1_a.ts" }), rev("a", [], { path: "v/2_a.ts" }));
    expect(error.message).toBe("Revision id 'a' is declared twice (in v/1_a.ts and v/2_a.ts).");
    expect(error.exitCode).toBe(2);
  });

  it("rejects a missing parent", () => {
    expect(buildError(rev("a"), rev("b", ["zz"])).message).toBe(
      "Revision 'b' (versions/b.ts) names parent 'zz', which is not a known revision.",
    );
  });

  it("rejects a parent listed twice", () => {
    expect(buildError(rev("a"), rev("b", ["a", "a"])).message).toMatch(/lists parent 'a' twice/);
  });

  it("rejects a missing or ambiguous dependency", () => {
    expect(buildError(rev("a"), rev("b", ["a"], { deps: ["nope"] })).message).toBe(
      "Revision 'b' (versions/b.ts) depends on 'nope', which is not a known revision or label.",
    );
    expect(buildError(rev("a1"), rev("a2"), rev("b", [], { deps: ["a"] })).message).toMatch(
      /depends on 'a', which matches several revisions: 'a1', 'a2'/,
    );
  });

  it("rejects a cycle through parents, naming every revision in it", () => {
    const error = buildError(rev("r"), rev("a", ["c"]), rev("b", ["a"]), rev("c", ["b"]));
    expect(error.message).toMatch(/form a cycle/);
    for (const id of ["a", "b", "c"]) expect(error.message).toContain(`'${id}' (versions/${id}.ts)`);
    expect(error.message).not.toContain("'r'");
  });

  it("rejects a revision that is its own parent", () => {
    expect(buildError(rev("a", ["a"])).message).toMatch(/'a' \(versions\/a.ts\) -> 'a' form a cycle/);
  });

  it("rejects a cycle through depends_on", () => {
    const error = buildError(rev("a", [], { deps: ["b"] }), rev("b", ["a"]));
    expect(error.message).toMatch(/form a cycle/);
  });

  it("rejects a cycle through a label named in depends_on", () => {
    const error = buildError(rev("a", [], { labels: ["lib"], deps: ["tip"] }), rev("tip", ["a"]));
    expect(error.message).toMatch(/form a cycle/);
    expect(buildError(rev("a", [], { deps: ["a"] })).message).toMatch(/'a' \(versions\/a.ts\) -> 'a' form a cycle/);
  });

  it("rejects labels reused, or equal to an id", () => {
    expect(buildError(rev("a", [], { labels: ["x"] }), rev("b", [], { labels: ["x"] })).message).toBe(
      "Branch label 'x' is declared by both 'a' (versions/a.ts) and 'b' (versions/b.ts).",
    );
    expect(buildError(rev("a"), rev("b", [], { labels: ["a"] })).message).toMatch(/Branch label 'a' on revision 'b'.*is also a revision id/);
    expect(buildError(rev("a", [], { labels: ["x@y"] })).message).toMatch(/Branch label 'x@y'.*not valid: it contains '@'/);
    expect(buildError(rev("a", [], { labels: ["head"] })).message).toMatch(/reserved target name/);
  });

  it.each([
    ["", "it is empty"],
    ["a:b", "contains ':'"],
    ["my label", "whitespace"],
    ["current", "reserved"],
  ])("rejects the label %j", (label, reason) => {
    const error = buildError(rev("a", [], { labels: [label] }));
    expect(error.message).toContain(`Branch label '${label}' on revision 'a' (versions/a.ts) is not valid`);
    expect(error.message).toContain(reason);
    expect(invalidLabelReason(label)).toContain(reason);
  });

  it("accepts hyphens in labels, and one label declared twice by the same revision", () => {
    expect(invalidLabelReason("feature-x")).toBeUndefined();
    expect(graph(rev("a", [], { labels: ["x", "x"] })).labelsOf("a")).toEqual(["x"]);
  });

  it.each([
    ["a@b", "contains '@'"],
    ["a-b", "contains '-'"],
    ["a+b", "contains '+'"],
    ["a:b", "contains ':'"],
    ["", "it is empty"],
    ["a b", "whitespace"],
    ["heads", "reserved"],
  ])("rejects the id %j", (id, reason) => {
    const error = buildError(rev(id));
    expect(error.message).toContain(reason);
    expect(invalidIdReason(id)).toContain(reason);
  });
});

describe("RevisionGraph.build structure", () => {
  it("orders parents and dependencies first, breaking ties by path then id", () => {
    const g = graph(
      rev("c", ["a"], { path: "v/03.ts" }),
      rev("b", ["a"], { path: "v/02.ts" }),
      rev("a", [], { path: "v/09.ts", deps: ["z"] }),
      rev("z", [], { path: "v/99.ts" }),
      rev("y", [], { path: "v/01.ts" }),
    );
    expect(g.revisions.map((r) => r.id)).toEqual(["y", "z", "a", "b", "c"]);
    const noPaths = graph(rev("b", [], { path: "" }), rev("a", [], { path: "" }));
    expect(noPaths.revisions.map((r) => r.id)).toEqual(["a", "b"]);
  });

  it("answers heads, bases, branch points and merge points on a diamond", () => {
    const g = graph(rev("a"), rev("b", ["a"]), rev("c", ["a"]), rev("m", ["b", "c"]), rev("d", ["m"]));
    expect(g.heads()).toEqual(["d"]);
    expect(g.effectiveHeads()).toEqual(["d"]);
    expect(g.bases()).toEqual(["a"]);
    expect(g.branchPoints()).toEqual(["a"]);
    expect(g.mergePoints()).toEqual(["m"]);
    expect(g.has("m")).toBe(true);
    expect(g.has("zz")).toBe(false);
    expect(g.get("m").parents).toEqual(["b", "c"]);
    expect(() => g.get("zz")).toThrow(GraphError);
  });

  it("counts a revision that is only depended on as an effective head, not a head", () => {
    const g = graph(rev("lib"), rev("app"), rev("app2", ["app"], { deps: ["lib"] }));
    expect(g.heads()).toEqual(["app2"]);
    expect(g.effectiveHeads()).toEqual(["app2", "lib"]);
    expect(g.bases()).toEqual(["app", "lib"]);
  });

  it("drops a dependency that is already an ancestor", () => {
    const g = graph(rev("a"), rev("b", ["a"]), rev("c", ["b"], { deps: ["a", "b"] }), rev("x"), rev("d", ["c"], { deps: ["x", "x"] }));
    expect(g.get("c").dependsOn).toEqual([]);
    expect(g.get("d").dependsOn).toEqual(["x"]);
    // A dependency below another dependency is redundant too.
    const h = graph(rev("s1"), rev("s2", ["s1"]), rev("m", [], { deps: ["s1", "s2"] }));
    expect(h.get("m").dependsOn).toEqual(["s2"]);
  });

  it("resolves dependencies named by label or unique prefix", () => {
    const g = graph(rev("abc123", [], { labels: ["lib"] }), rev("ffe456"), rev("m1", ["ffe456"], { deps: ["lib"] }), rev("m2", ["m1"], { deps: ["ff"] }));
    expect(g.get("m1").dependsOn).toEqual(["abc123"]);
    expect(g.get("m2").dependsOn).toEqual([]);
  });

  it("computes label coverage: declarer, descendants, and ancestors back to a branch point", () => {
    const g = branchingGraph();
    expect(g.labelsOf("x3")).toEqual(["feat"]);
    expect(g.labelsOf("x2")).toEqual(["feat"]);
    expect(g.labelsOf("x1")).toEqual(["feat"]);
    expect(g.labelsOf("p")).toEqual([]);
    expect(g.labelsOf("r")).toEqual([]);
    expect(g.labelsOf("y1")).toEqual(["fix"]);
    // Without a branch point, a label reaches down to the root.
    const chain = graph(rev("a"), rev("b", ["a"]), rev("c", ["b"], { labels: ["L"] }), rev("d", ["c"]));
    expect(chain.revisions.map((r) => chain.labelsOf(r.id))).toEqual([["L"], ["L"], ["L"], ["L"]]);
    // A merge carries the labels of both branches.
    const merged = graph(rev("a", [], { labels: ["A"] }), rev("b", [], { labels: ["B"] }), rev("m", ["a", "b"]));
    expect(merged.labelsOf("m")).toEqual(["A", "B"]);
    expect(() => merged.labelsOf("nope")).toThrow(/'nope' is not in the versions folder/);
  });

  it("returns ancestors and descendants including the given revisions, across dependencies", () => {
    const g = graph(rev("s1"), rev("s2", ["s1"]), rev("m1"), rev("m2", ["m1"], { deps: ["s1"] }), rev("m3", ["m2"]));
    expect([...g.ancestors(["m2"])].sort()).toEqual(["m1", "m2", "s1"]);
    expect([...g.descendants(["s1"])].sort()).toEqual(["m2", "m3", "s1", "s2"]);
    expect(() => g.ancestors(["nope"])).toThrow("Revision 'nope' is not in the versions folder.");
  });
});
