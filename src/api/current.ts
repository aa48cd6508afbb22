import { readVersionHeads } from "../runner/state-tables.js";
import type { RevisionInfo } from "./describe.js";
import type { CommonOptions } from "./options.js";
import { inOrder } from "./in-order.js";
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
  // The headers are read while the connection is made; a bad revision file is still the error
  // reported when both fail.
  const [revisions, rows] = await inOrder(project.revisions(), project.withDatabase((db, dialect) => readVersionHeads(db, dialect, project.tables)));
  const { graph, info } = revisions;
  const unknown = rows.filter((id) => graph.revisionForRow(id) === undefined);
  // What the table holds is shown even when a row names a revision whose file is gone.
  const pending = unknown.length > 0 ? [] : graph.planUpgrade(rows, "heads").steps.map((step) => step.revision);
  return {
    heads: rows,
    revisions: rows.map((id) => {
      const revision = graph.revisionForRow(id);
      return { ...((revision === undefined ? undefined : info.get(revision)) ?? missingRevision(id)), isCurrent: true };
    }),
    atHead: unknown.length === 0 && pending.length === 0,
    pending,
  };
}

function missingRevision(id: string): RevisionInfo {
  return {
    id,
    parents: [],
    children: [],
    message: "(no file in the versions folders declares this revision)",
    branchLabels: [],
    dependsOn: [],
    isHead: false,
    isEffectiveHead: false,
    isBranchPoint: false,
    isMergePoint: false,
    isRoot: false,
    missing: true,
  };
}
