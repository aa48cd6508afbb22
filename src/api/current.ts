import { readVersionHeads } from "../runner/state-tables.js";
import type { RevisionInfo } from "./describe.js";
import type { CommonOptions } from "./options.js";
import { loadProject } from "./project.js";

export interface CurrentResult {
  /** The version table's rows as they are, sorted. */
  heads: string[];
  revisions: RevisionInfo[];
  /** True when nothing is pending on the way to every head. */
  atHead: boolean;
  /** Ids an `upgrade heads` would apply, in order. */
  pending: string[];
}

/** What the version table holds. Never creates the table: an empty database is at base. */
export async function current(options: CommonOptions = {}): Promise<CurrentResult> {
  const project = await loadProject(options);
  const { graph, info } = await project.revisions();
  const rows = await project.withDatabase((db, dialect) => readVersionHeads(db, dialect, project.tables));
  const pending = graph.planUpgrade(rows, "heads").steps.map((step) => step.revision);
  return {
    heads: rows,
    revisions: rows.map((id) => ({ ...info.get(id)!, isCurrent: true })),
    atHead: pending.length === 0,
    pending,
  };
}
