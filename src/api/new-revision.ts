/** What `revision` and `merge` share: checking a new revision's id and labels, and writing its file. */
import { resolve } from "node:path";
import { UsageError } from "../errors.js";
import { invalidLabelReason } from "../graph/index.js";
import { generateRevisionId, validateRevisionId } from "../scripts/ids.js";
import { writeRevisionFile, type RevisionBody, type RevisionFileKind } from "../scripts/write.js";
import { runPostWriteHook } from "./hooks.js";
import type { Project, Revisions } from "./project.js";

export interface NewRevision {
  id: string;
  path: string;
  parents: string[];
  message: string;
  branchLabels: string[];
  dependsOn: string[];
  kind: RevisionFileKind;
}

export interface NewRevisionSpec {
  revId?: string;
  parents: string[];
  message: string;
  branchLabels: string[];
  dependsOn: string[];
  kind: RevisionFileKind;
  versionPath?: string;
  body?: RevisionBody;
}

export async function writeNewRevision(project: Project, revisions: Revisions, spec: NewRevisionSpec): Promise<NewRevision> {
  const id = spec.revId ?? generateRevisionId();
  validateRevisionId(id);
  if (revisions.graph.has(id)) throw new UsageError(`Revision id '${id}' already exists in ${revisions.files.get(id) ?? "the versions folder"}.`);
  const taken = new Set(revisions.headers.flatMap((header) => [header.id, ...header.branchLabels]));
  for (const label of spec.branchLabels) {
    const reason = invalidLabelReason(label);
    if (reason) throw new UsageError(`Branch label '${label}' cannot be used: ${reason}.`);
    if (taken.has(label)) throw new UsageError(`Branch label '${label}' is already used by another revision or label.`);
  }
  for (const dependency of spec.dependsOn) {
    // Resolving throws a GraphError naming an unknown or ambiguous revision.
    revisions.graph.resolve(dependency, []);
  }
  const dir = chooseVersionPath(project, spec.versionPath);
  const path = await writeRevisionFile({
    dir,
    id,
    parents: spec.parents,
    message: spec.message,
    branchLabels: spec.branchLabels,
    dependsOn: spec.dependsOn,
    kind: spec.kind,
    template: project.config.revisionTemplate[spec.kind],
    fileTemplate: project.config.fileTemplate,
    ...(spec.body === undefined ? {} : { body: spec.body }),
  });
  const postWrite = project.config.hooks.postWrite;
  if (postWrite) await runPostWriteHook(postWrite, path, project.config.configDir);
  return { id, path, parents: spec.parents, message: spec.message, branchLabels: spec.branchLabels, dependsOn: spec.dependsOn, kind: spec.kind };
}

/** `--version-path` must name one of the configured folders, so the new file is found again. */
function chooseVersionPath(project: Project, wanted: string | undefined): string {
  const configured = project.config.versionPaths;
  if (wanted === undefined) {
    const first = configured[0];
    if (first === undefined) throw new UsageError("No versions folder is configured; set versionPaths in stratum.config.ts.");
    return first;
  }
  const dir = resolve(project.options.cwd ?? process.cwd(), wanted);
  if (!configured.includes(dir)) {
    throw new UsageError(`--version-path ${wanted} is not one of the configured versions folders: ${configured.join(", ")}.`);
  }
  return dir;
}
