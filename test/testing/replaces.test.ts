/** The pure parts behind squash and the stairway: `replaces` in headers, the graph's stand-ins, reversed steps. */
import { describe, expect, it } from "vitest";
import { GraphError } from "../../src/errors.js";
import { RevisionGraph } from "../../src/graph/index.js";
import type { RevisionHeader } from "../../src/graph/types.js";
import { readModuleHeader } from "../../src/scripts/module-header.js";
import { reverseStep } from "../../src/testing/steps.js";
import { revisionText } from "./project.js";

const header = (id: string, parents: string[] = [], replaces?: string[]): RevisionHeader => ({
  id,
  parents,
  message: "",
  branchLabels: [],
  dependsOn: [],
  ...(replaces ? { replaces } : {}),
});

describe("replaces in revision headers", () => {
  it("is read wherever it stands in the object, and absent otherwise", () => {
    const plain = revisionText({ id: "f00000000001", up: [] });
    expect(readModuleHeader("a.ts", plain).replaces).toBeUndefined();
    const first = plain.replace("revision({", 'revision({\n  replaces: ["x1", "x2"],');
    expect(readModuleHeader("a.ts", first)).toMatchObject({ id: "f00000000001", replaces: ["x1", "x2"] });
    const last = plain.replace("dependsOn: [],", 'dependsOn: [],\n  replaces: ["x3"],');
    expect(readModuleHeader("a.ts", last).replaces).toEqual(["x3"]);
  });

  it("rejects an entry that cannot be a revision id, naming the file", () => {
    const bad = revisionText({ id: "f00000000001", up: [] }).replace("revision({", 'revision({\n  replaces: ["no good"],');
    expect(() => readModuleHeader("versions/a.ts", bad)).toThrow(/versions\/a\.ts:\d+: bad entry in replaces: .*whitespace/);
  });
});

describe("the graph after a squash", () => {
  // a <- s (replaces b, c) ; d was built on c and still names it.
  const graph = RevisionGraph.build([header("a"), header("s", ["a"], ["b", "c"]), header("d", ["c"])]);

  it("maps a version row to the revision it stands for: itself, or the squash that ended on it", () => {
    expect(graph.revisionForRow("a")).toBe("a");
    expect(graph.revisionForRow("c")).toBe("s");
    // Inside the range, or unknown: no revision accounts for the row.
    expect(graph.revisionForRow("b")).toBeUndefined();
    expect(graph.revisionForRow("zz")).toBeUndefined();
  });

  it("reads a parent naming the range's last id as the squashed revision", () => {
    expect(graph.get("d").parents).toEqual(["s"]);
    expect(graph.heads()).toEqual(["d"]);
  });

  it("plans from a version row naming the range's last id, moving that very row", () => {
    const plan = graph.planUpgrade(["c"], "head");
    expect(plan.steps.map((s) => s.revision)).toEqual(["d"]);
    expect(plan.steps[0]!.versionChanges).toEqual([{ kind: "update", from: "c", to: "d" }]);
    const down = graph.planDowngrade(["c"], "a");
    expect(down.steps.map((s) => s.revision)).toEqual(["s"]);
    expect(down.steps[0]!.versionChanges).toEqual([{ kind: "update", from: "c", to: "a" }]);
    expect(graph.planStamp(["c"], ["d"]).versionChanges).toEqual([{ kind: "update", from: "c", to: "d" }]);
  });

  it("refuses a row inside the squashed range", () => {
    expect(() => graph.planUpgrade(["b"], "head")).toThrow(GraphError);
    expect(() => graph.planUpgrade(["b"], "head")).toThrow(/'b', which was squashed into 's'/);
  });

  it("refuses two revisions that replace the same id", () => {
    expect(() => RevisionGraph.build([header("a"), header("s", ["a"], ["b"]), header("t", ["a"], ["b"])])).toThrow(/both declare that they replace 'b'/);
  });

  it("lets an existing file win over a stand-in", () => {
    const both = RevisionGraph.build([header("a"), header("b", ["a"]), header("s", ["a"], ["b"]), header("d", ["b"])]);
    expect(both.get("d").parents).toEqual(["b"]);
    expect(both.planUpgrade(["b"], "d").steps[0]!.versionChanges).toEqual([{ kind: "update", from: "b", to: "d" }]);
  });
});

describe("reverseStep", () => {
  it("undoes each version-table change in reverse order", () => {
    const step = {
      revision: "m",
      direction: "up" as const,
      headsBefore: ["x", "y"],
      headsAfter: ["m"],
      versionChanges: [
        { kind: "delete" as const, id: "y" },
        { kind: "update" as const, from: "x", to: "m" },
      ],
    };
    expect(reverseStep(step)).toEqual({
      revision: "m",
      direction: "down",
      headsBefore: ["m"],
      headsAfter: ["x", "y"],
      versionChanges: [
        { kind: "update", from: "m", to: "x" },
        { kind: "insert", id: "y" },
      ],
    });
    expect(reverseStep({ ...step, versionChanges: [{ kind: "insert", id: "m" }] }).versionChanges).toEqual([{ kind: "delete", id: "m" }]);
  });
});

describe("stratum test step lines", () => {
  it("are plain off a terminal and show n of m and elapsed time on one", async () => {
    const { stepLine } = await import("../../src/cli/commands/test.js");
    const step = { check: "stairway", action: "upgrade" as const, revision: "a1", message: "users", ok: true, durationMs: 12, index: 1, total: 4 };
    expect(stepLine(step, false)).toBe("  ok    upgrade a1 (users)  12 ms");
    const tty = stepLine(step, true, 2500);
    expect(tty).toContain("[2/4] upgrade a1 (users)");
    expect(tty).toMatch(/12 ms\s+2\.5 s$/);
    expect(stepLine({ ...step, ok: false, detail: "boom\nmore" }, false)).toBe("  FAIL  upgrade a1 (users)  12 ms\n        boom\n        more");
  });
});
