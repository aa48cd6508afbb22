import { describe, expect, it } from "vitest";
import { buildPicture, layoutGraph, renderDot, renderMermaid, renderText } from "../../src/render/graph/index.js";
import { diamond, diamondText, rev } from "./fixtures.js";

describe("building the picture", () => {
  it("marks current, applied and pending from the version rows", () => {
    const picture = buildPicture({ headers: diamond, current: ["c3"] });
    const status = Object.fromEntries(picture.nodes.map((n) => [n.id, n.status]));
    expect(status).toEqual({ a1: "applied", b2: "applied", c3: "current", d4: "pending", e5: "pending", f6: "pending", g7: "pending", h8: "pending" });
    expect(picture.heads).toEqual(["g7", "h8"]);
    expect(picture.errors).toEqual([]);
    expect(buildPicture({ headers: diamond, current: null }).nodes.every((n) => n.status === "unknown")).toBe(true);
  });

  it("draws a missing parent as a placeholder and lists the error", () => {
    const picture = buildPicture({ headers: [rev("a1"), rev("b2", ["zz9"])], current: null });
    expect(picture.errors).toEqual(["Revision b2 names parent 'zz9', which is not a known revision."]);
    expect(picture.nodes.find((n) => n.id === "zz9")).toMatchObject({ status: "missing" });
  });
});

describe("layout", () => {
  it("puts each revision above its parents and gives each branch its own lane", () => {
    const layout = layoutGraph(buildPicture({ headers: diamond, current: null }));
    const at = (id: string) => [layout.byId.get(id)!.layer, layout.byId.get(id)!.lane];
    expect(at("a1")).toEqual([0, 0]);
    expect(at("b2")).toEqual([1, 0]);
    expect(at("c3")).toEqual([2, 0]);
    expect(at("d4")).toEqual([2, 1]);
    expect(at("e5")).toEqual([3, 0]);
    expect(at("g7")).toEqual([5, 0]);
    expect(at("h8")).toEqual([5, 1]);
    expect(layout.lanes).toBe(2);
    expect(layout.cyclic).toEqual([]);
  });

  it("places a dependency below its dependent and keeps a long chain in one lane", () => {
    const headers = [rev("a1"), rev("b2", ["a1"]), rev("c3", ["b2"]), rev("x1", [], { dependsOn: ["c3"] })];
    const layout = layoutGraph(buildPicture({ headers, current: null }));
    expect(layout.byId.get("x1")!.layer).toBe(3);
    expect(layout.edges).toContainEqual({ from: "c3", to: "x1", kind: "dependency" });
    expect(new Set(["a1", "b2", "c3"].map((id) => layout.byId.get(id)!.lane))).toEqual(new Set([0]));
  });

  it("still places revisions on a cycle, after the rest", () => {
    const headers = [rev("a1"), rev("b2", ["a1", "c3"]), rev("c3", ["b2"])];
    const layout = layoutGraph(buildPicture({ headers, current: null }));
    expect(layout.cyclic).toEqual(["b2", "c3"]);
    expect(layout.placed.map((p) => p.node.id).sort()).toEqual(["a1", "b2", "c3"]);
    expect(layout.byId.get("b2")!.layer).toBeGreaterThan(0);
  });
});

describe("renderers", () => {
  const picture = buildPicture({ headers: diamond, current: ["c3"] });

  it("text shows lanes, labels, merges, heads and current", () => {
    const lines = renderText(picture).split("\n");
    expect(lines.slice(0, 8)).toEqual(diamondText);
    expect(lines).toContain("Heads: g7, h8");
    expect(lines).toContain("Current: c3");
    const unread = renderText(buildPicture({ headers: diamond, current: null, currentError: "the database is down" }));
    expect(unread).toContain("Current: could not read current revision (the database is down)");
  });

  it("text draws a line through the layers an edge skips", () => {
    const text = renderText(buildPicture({ headers: [rev("a1"), rev("b2", ["a1"]), rev("c3", ["b2"]), rev("x9", ["a1"])], current: null }));
    expect(text.split("\n").slice(0, 4)).toEqual(["o    c3  (head) rev c3", "o    b2  rev b2", "  o  x9  (head) rev x9", "o    a1  (branchpoint) rev a1"]);
    // x5 branches off a1 and merges back at m6: its line runs beside c3 and d4.
    const merged = renderText(buildPicture({ headers: [rev("a1"), rev("b2", ["a1"]), rev("c3", ["b2"]), rev("d4", ["c3"]), rev("x5", ["a1"]), rev("m6", ["d4", "x5"])], current: null }));
    expect(merged.split("\n").slice(0, 6)).toEqual([
      "o    m6  (head) (merges d4, x5) rev m6",
      "o |  d4  rev d4",
      "o |  c3  rev c3",
      "o    b2  rev b2",
      "  o  x5  rev x5",
      "o    a1  (branchpoint) rev a1",
    ]);
  });

  it("mermaid and dot name every revision and edge, with status", () => {
    const mermaid = renderMermaid(picture);
    expect(mermaid.startsWith("flowchart BT\n")).toBe(true);
    expect(mermaid).toContain('r3["d4 (feature)<br/>rev d4"]:::pending');
    expect(mermaid).toContain('r2["c3<br/>rev c3"]:::current');
    expect(mermaid).toContain("r2 --> r4");
    expect(mermaid).toContain("r3 --> r4");
    const dot = renderDot(picture);
    expect(dot).toContain('"c3" [label="c3\\nrev c3\\n[current]", fillcolor="#2e7d32", fontcolor="white"];');
    expect(dot).toContain('"d4" -> "e5";');
    expect(renderDot(buildPicture({ headers: [rev("a1", [], { message: 'say "hi"\nnow' })], current: null }))).toContain('label="a1 (head)\\nsay \\"hi\\"\\nnow\\n[unknown]"');
  });
});
