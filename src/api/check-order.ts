/**
 * `check-order` and the `linearHistory` option: the graph must have one head, so that no merge
 * is waiting to be made. Upgrade and revision call `assertLinearHistory` when the option is set.
 */
import { CheckFailed } from "../errors.js";
import type { RevisionGraph } from "../graph/index.js";
import type { CommonOptions } from "./options.js";
import { loadProject } from "./project.js";

export interface CheckOrderResult {
  ok: boolean;
  heads: string[];
  /** The latest revision every head builds on, where the branches split (null for separate roots). */
  forkedAt: string | null;
  message?: string;
  hint?: string;
}

/** Whether the graph is linear enough to deploy: exactly one head. Never throws for a failed check. */
export function linearHistoryProblem(graph: RevisionGraph): CheckOrderResult {
  const heads = graph.heads();
  if (heads.length <= 1) return { ok: true, heads, forkedAt: null };
  const forkedAt = commonAncestor(graph, heads);
  const where = forkedAt === null ? "from separate roots" : `from ${forkedAt}`;
  return {
    ok: false,
    heads,
    forkedAt,
    message: `The revision graph has ${heads.length} heads (${heads.join(", ")}), branching ${where}; merge them before deploying.`,
    hint: `stratum merge heads -m "merge ${heads.join(" and ")}"`,
  };
}

/** Throws CheckFailed (exit 1) when the graph has more than one head. */
export function assertLinearHistory(graph: RevisionGraph): void {
  const result = linearHistoryProblem(graph);
  if (!result.ok) throw new CheckFailed(result.message!, { hint: result.hint! });
}

export async function checkOrder(options: CommonOptions = {}): Promise<CheckOrderResult> {
  const project = await loadProject(options);
  const { graph } = await project.revisions();
  return linearHistoryProblem(graph);
}

/** The newest revision below every head, in the graph's topological order. */
function commonAncestor(graph: RevisionGraph, heads: string[]): string | null {
  const below = heads.map((head) => graph.ancestors([head]));
  const shared = graph.revisions.filter((r) => below.every((set) => set.has(r.id)));
  return shared.at(-1)?.id ?? null;
}
