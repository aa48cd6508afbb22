import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GraphError } from "../../src/errors.js";
import { RevisionGraph, type Plan, type RevisionHeader } from "../../src/graph/index.js";

/** Random DAGs: each revision picks parents and dependencies among earlier ones, and a random file name. */
const dagArbitrary = fc
  .integer({ min: 1, max: 14 })
  .chain((n) =>
    fc.tuple(
      fc.constant(n),
      fc.array(
        fc.record({
          parents: fc.uniqueArray(fc.nat(), { maxLength: 3 }),
          deps: fc.uniqueArray(fc.nat(), { maxLength: 2 }),
          file: fc.string({ minLength: 1, maxLength: 3 }),
        }),
        { minLength: n, maxLength: n },
      ),
    ),
  )
  .map(([, specs]) =>
    specs.map((spec, i): RevisionHeader => {
      const earlier = (k: number): string => `r${k % i}`;
      const parents = i === 0 ? [] : [...new Set(spec.parents.map(earlier))];
      const deps = i === 0 ? [] : [...new Set(spec.deps.map(earlier))];
      return { id: `r${i}`, parents, message: "", branchLabels: [], dependsOn: deps, path: `v/${spec.file}` };
    }),
  );

/** Ancestor sets from the raw headers, computed without the graph's own code. */
function oracle(headers: RevisionHeader[]) {
  const byId = new Map(headers.map((h) => [h.id, h]));
  const strictlyBelow = new Map<string, Set<string>>();
  for (const h of headers) {
    // Headers are generated in topological order, so everything below is already known.
    const set = new Set<string>();
    for (const b of [...h.parents, ...h.dependsOn]) {
      set.add(b);
      for (const x of strictlyBelow.get(b)!) set.add(x);
    }
    strictlyBelow.set(h.id, set);
  }
  const closure = (ids: Iterable<string>): Set<string> => {
    const result = new Set<string>();
    for (const id of ids) {
      result.add(id);
      for (const x of strictlyBelow.get(id)!) result.add(x);
    }
    return result;
  };
  const maximal = (applied: Set<string>): string[] =>
    [...applied].filter((id) => ![...applied].some((other) => strictlyBelow.get(other)!.has(id))).sort();
  return { byId, strictlyBelow, closure, maximal };
}

/** Checks every step as a runner would: each change must touch exactly the rows it names. */
function checkPlan(headers: RevisionHeader[], plan: Plan, startRows: string[]): string[] {
  const { strictlyBelow, closure, maximal } = oracle(headers);
  const applied = closure(startRows);
  let rows = new Set(startRows);
  for (const step of plan.steps) {
    expect(step.headsBefore).toEqual([...rows].sort());
    const below = [...strictlyBelow.get(step.revision)!];
    if (step.direction === "up") {
      expect(applied.has(step.revision)).toBe(false);
      for (const b of below) expect(applied.has(b)).toBe(true);
      applied.add(step.revision);
    } else {
      expect(applied.has(step.revision)).toBe(true);
      for (const other of applied) expect(strictlyBelow.get(other)!.has(step.revision)).toBe(false);
      applied.delete(step.revision);
    }
    rows = new Set(rows);
    for (const change of step.versionChanges) {
      if (change.kind === "insert") {
        expect(rows.has(change.id)).toBe(false);
        rows.add(change.id);
      } else if (change.kind === "delete") {
        expect(rows.delete(change.id)).toBe(true);
      } else {
        expect(rows.delete(change.from)).toBe(true);
        expect(rows.has(change.to)).toBe(false);
        rows.add(change.to);
      }
    }
    expect([...rows].sort()).toEqual(step.headsAfter);
    expect(step.headsAfter).toEqual(maximal(applied));
  }
  expect(plan.finalHeads).toEqual([...rows].sort());
  return plan.finalHeads;
}

describe("random revision graphs", () => {
  it("gives a topological order and the expected heads", () => {
    fc.assert(
      fc.property(dagArbitrary, (headers) => {
        const g = RevisionGraph.build(headers);
        const seen = new Set<string>();
        for (const r of g.revisions) {
          for (const b of [...r.parents, ...r.dependsOn]) expect(seen.has(b)).toBe(true);
          seen.add(r.id);
        }
        expect(seen.size).toBe(headers.length);
        const { maximal } = oracle(headers);
        expect(g.heads()).toEqual(maximal(new Set(headers.map((h) => h.id))));
      }),
      { numRuns: 300 },
    );
  });

  it("keeps rows maximal through upgrades to random targets, to heads, and back to base", () => {
    fc.assert(
      fc.property(dagArbitrary, fc.array(fc.nat(), { maxLength: 4 }), fc.nat(), (headers, picks, downPick) => {
        const g = RevisionGraph.build(headers);
        let rows: string[] = [];
        for (const pick of picks) {
          const target = headers[pick % headers.length]!.id;
          const plan = g.planUpgrade(rows, target);
          rows = checkPlan(headers, plan, rows);
          expect(rows.some((row) => g.ancestors([row]).has(target))).toBe(true);
        }
        // A downgrade to a random applied revision keeps the rows maximal too.
        const applied = [...g.ancestors(rows)].sort();
        if (applied.length > 0) {
          const target = applied[downPick % applied.length]!;
          rows = checkPlan(headers, g.planDowngrade(rows, target), rows);
          expect(g.ancestors(rows).has(target)).toBe(true);
        }
        rows = checkPlan(headers, g.planUpgrade(rows, "heads"), rows);
        expect(rows).toEqual(g.heads());
        expect(g.ancestors(rows).size).toBe(headers.length);
        rows = checkPlan(headers, g.planDowngrade(rows, "base"), rows);
        expect(rows).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it("stamps to rows that never overlap", () => {
    fc.assert(
      fc.property(dagArbitrary, fc.array(fc.nat(), { maxLength: 4 }), (headers, picks) => {
        const g = RevisionGraph.build(headers);
        let rows: string[] = [];
        for (const pick of picks) {
          const target = headers[pick % headers.length]!.id;
          rows = g.planStamp(rows, [target]).headsAfter;
          expect(rows).toContain(target);
          expect(() => g.checkCurrent(rows)).not.toThrow();
        }
        expect(g.planStamp(rows, ["heads"]).headsAfter).toEqual(g.heads());
      }),
      { numRuns: 300 },
    );
  });
});

/** A target built from the grammar: optional `name@`, then a symbol or revision, then an optional step. */
function targetArbitrary(ids: string[], labels: string[]) {
  const name = fc.constantFrom(...ids, ...labels, ...ids.map((id) => id.slice(0, 2)));
  return fc
    .tuple(
      fc.option(name, { nil: undefined }),
      fc.oneof(fc.constantFrom("head", "heads", "base", "current", ""), name),
      fc.option(fc.tuple(fc.constantFrom("+", "-"), fc.integer({ min: 0, max: 4 })), { nil: undefined }),
    )
    .map(([branch, symbol, step]) => `${branch ? `${branch}@` : ""}${symbol}${step ? `${step[0]}${step[1]}` : ""}`);
}

describe("random targets", () => {
  it("either plan correctly or fail with a GraphError, never a crash", () => {
    const labelled = dagArbitrary.map((headers) =>
      headers.map((h, i) => (i % 3 === 1 ? { ...h, branchLabels: [`L${i}`] } : h)),
    );
    fc.assert(
      fc.property(
        labelled.chain((headers) =>
          fc.tuple(
            fc.constant(headers),
            fc.array(fc.nat(), { maxLength: 3 }),
            targetArbitrary(headers.map((h) => h.id), headers.flatMap((h) => h.branchLabels)),
          ),
        ),
        ([headers, picks, target]) => {
          const g = RevisionGraph.build(headers);
          let rows: string[] = [];
          for (const pick of picks) rows = g.planUpgrade(rows, headers[pick % headers.length]!.id).finalHeads;
          for (const attempt of [
            () => checkPlan(headers, g.planUpgrade(rows, target), rows),
            () => checkPlan(headers, g.planDowngrade(rows, target), rows),
            () => g.checkCurrent(g.planStamp(rows, [target]).headsAfter),
            () => g.history(`${target}:`, rows),
          ]) {
            try {
              attempt();
            } catch (error) {
              if (!(error instanceof GraphError)) throw error;
              expect(error.message).toMatch(/^[A-Z'].*\.$/);
            }
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
