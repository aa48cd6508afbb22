import type { RevisionInfo } from "./describe.js";
import type { CommonOptions } from "./options.js";
import { loadProject } from "./project.js";

export interface HeadsOptions extends CommonOptions {
  /** Leave out revisions that are heads only because nothing builds on them but a depends_on. */
  resolveDependencies?: boolean;
}

export interface HeadsResult {
  heads: RevisionInfo[];
}

/** The heads of the revision graph, read from the files' headers only. */
export async function heads(options: HeadsOptions = {}): Promise<HeadsResult> {
  const { graph, info } = await (await loadProject(options)).revisions();
  const ids = options.resolveDependencies ? graph.heads() : graph.effectiveHeads();
  return { heads: ids.map((id) => info.get(id)!).filter(Boolean) };
}
