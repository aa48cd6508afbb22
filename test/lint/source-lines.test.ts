import { describe, expect, it } from "vitest";
import { CallLocator, disabledByLine, functionRegions } from "../../src/lint/source-lines.js";
import type { Operation } from "../../src/ops/types.js";

describe("disable comments", () => {
  it("apply to the next line that holds code, in SQL and TypeScript, and a bare comment disables every rule", () => {
    const text = [
      "-- stratum-disable-next-line drop-table, truncate-cascade",
      "",
      "-- a note",
      "DROP TABLE t;",
      "SELECT 1;",
      "    // stratum-disable-next-line",
      "    await op.dropTable('x');",
    ].join("\n");
    const map = disabledByLine(text);
    expect([...map.entries()].map(([line, rules]) => [line, [...rules]])).toEqual([
      [4, ["drop-table", "truncate-cascade"]],
      [7, ["all"]],
    ]);
  });
});

describe("op call lines", () => {
  const source = `export default revision({
  id: "x",
  async upgrade(op) {
    // await op.createTable("t", []);
    await op.createTable("t", []);
    for (const name of ["a", "b"]) {
      await op.createIndex(name, "t", ["c"]);
    }
    await op.autocommit(async (inner) => {
      await inner.createIndex("d", "t", ["c"], { concurrently: true });
    });
  },
  async downgrade(op) {
    await op.dropTable("t");
  },
});`;
  const index = (name: string): Operation => ({ kind: "createIndex", name, table: "t", keys: ["c"] });

  it("match recorded operations to their calls in order, loops falling back to the same call", () => {
    const regions = functionRegions(source);
    const up = new CallLocator(source, regions.upgrade, 1);
    expect(up.lineFor({ kind: "createTable", table: "t", columns: [] })).toBe(5);
    expect(up.lineFor(index("a"))).toBe(7);
    expect(up.lineFor(index("b"))).toBe(7);
    expect(up.lineFor(index("d"))).toBe(10);
    const down = new CallLocator(source, regions.downgrade, 1);
    expect(down.lineFor({ kind: "dropTable", table: "t" })).toBe(14);
    // Nothing matches: the header line.
    expect(down.lineFor({ kind: "dropSchema", name: "s" })).toBe(1);
  });
});
