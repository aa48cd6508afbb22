import { readVersionHeads } from "../runner/state-tables.js";
import type { RevisionInfo } from "./describe.js";
import type { CommonOptions } from "./options.js";
import { loadProject } from "./project.js";

export interface ShowOptions extends CommonOptions {
  /** An id, a unique prefix, a label, `head`, `heads`, `label@head`... */
  revision: string;
}

export interface ShowResult {
  revisions: RevisionInfo[];
}

/** The revision(s) a target names, in full. Reads headers only, and the database for `current`. */
export async function show(options: ShowOptions): Promise<ShowResult> {
  const project = await loadProject(options);
  const { graph, info } = await project.revisions();
  const rows = /\bcurrent\b/.test(options.revision)
    ? await project.withDatabase((db, dialect) => readVersionHeads(db, dialect, project.tables))
    : [];
  const ids = graph.resolve(options.revision, rows);
  return { revisions: ids.map((id) => info.get(id)!) };
}
