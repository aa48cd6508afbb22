import { expect } from "vitest";
import { GraphError } from "../../src/errors.js";
import { RevisionGraph, type RevisionHeader } from "../../src/graph/index.js";

/** A header with only what the graph reads; `path` defaults to a file named after the id. */
export function rev(
  id: string,
  parents: string[] = [],
  extra: { labels?: string[]; deps?: string[]; path?: string } = {},
): RevisionHeader {
  return {
    id,
    parents,
    message: `revision ${id}`,
    branchLabels: extra.labels ?? [],
    dependsOn: extra.deps ?? [],
    path: extra.path ?? `versions/${id}.ts`,
  };
}

export function graph(...headers: RevisionHeader[]): RevisionGraph {
  return RevisionGraph.build(headers);
}

/**
 * Two branches off p, each with a label:
 *
 * r - p - x1 - x2[feat] - x3
 *       \ y1[fix] - y2
 */
export function branchingGraph(): RevisionGraph {
  return graph(
    rev("r"),
    rev("p", ["r"]),
    rev("x1", ["p"]),
    rev("x2", ["x1"], { labels: ["feat"] }),
    rev("x3", ["x2"]),
    rev("y1", ["p"], { labels: ["fix"] }),
    rev("y2", ["y1"]),
  );
}

/** The GraphError `fn` throws; fails the test when it throws nothing or something else. */
export function graphErrorOf(fn: () => unknown): GraphError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(GraphError);
    return error as GraphError;
  }
  throw new Error("expected a GraphError");
}

/** The ids a plan applies or reverts, in order. */
export function order(plan: { steps: { revision: string }[] }): string[] {
  return plan.steps.map((s) => s.revision);
}
