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

/** The revision(s) a target names, in full. Reads headers only. */
export async function show(options: ShowOptions): Promise<ShowResult> {
  const { graph, info } = await (await loadProject(options)).revisions();
  const ids = graph.resolve(options.revision, []);
  return { revisions: ids.map((id) => info.get(id)!) };
}
