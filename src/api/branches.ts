import type { RevisionInfo } from "./describe.js";
import type { CommonOptions } from "./options.js";
import { loadProject } from "./project.js";

export interface BranchesResult {
  branchPoints: { revision: RevisionInfo; children: RevisionInfo[] }[];
}

/** Every revision with more than one child, and those children. */
export async function branches(options: CommonOptions = {}): Promise<BranchesResult> {
  const { graph, info } = await (await loadProject(options)).revisions();
  return {
    branchPoints: graph.branchPoints().map((id) => {
      const revision = info.get(id)!;
      return { revision, children: revision.children.map((child) => info.get(child)!) };
    }),
  };
}
