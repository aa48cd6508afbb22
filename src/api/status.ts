import { readVersionHeads } from "../runner/state-tables.js";
import type { CommonOptions } from "./options.js";
import { loadProject } from "./project.js";

export interface PendingRevision {
  id: string;
  message: string;
  path?: string;
}

export interface StatusResult {
  /** The version table's rows. */
  current: string[];
  /** The graph's heads. */
  heads: string[];
  /** What `upgrade heads` would apply, in order. */
  pending: PendingRevision[];
  upToDate: boolean;
}

/** The revisions not yet applied: a pre-deploy check (the CLI exits 1 when any are pending). */
export async function status(options: CommonOptions = {}): Promise<StatusResult> {
  const project = await loadProject(options);
  const { graph, byId } = await project.revisions();
  const rows = await project.withDatabase((db, dialect) => readVersionHeads(db, dialect, project.tables));
  const pending = graph.planUpgrade(rows, "heads").steps.map((step) => {
    const header = byId.get(step.revision)!;
    return header.path === undefined ? { id: header.id, message: header.message } : { id: header.id, message: header.message, path: header.path };
  });
  return { current: rows, heads: graph.heads(), pending, upToDate: pending.length === 0 };
}
