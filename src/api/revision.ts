import { getDialect } from "../dialects/index.js";
import { UsageError } from "../errors.js";
import type { RevisionHeader } from "../graph/types.js";
import { assertLinearHistory } from "./check-order.js";
import { lintGate } from "./lint-gate.js";
import type { RevisionBody, RevisionFileKind } from "../scripts/write.js";
import { type NewRevision, writeNewRevision } from "./new-revision.js";
import type { CommonOptions } from "./options.js";
import { dialectOfUrl, loadProject, type Project } from "./project.js";
import { loadRevisions } from "./revisions.js";

export interface CreateRevisionOptions extends CommonOptions {
  message: string;
  /** Use this id instead of a random one. */
  revId?: string;
  /** The revision to build on: default `head`; `base` starts a new root. */
  head?: string;
  /** Allow `head` to name a revision that is not a head, starting a branch. */
  splice?: boolean;
  branchLabels?: string[];
  dependsOn?: string[];
  /** One of the configured versions folders; default: the first. */
  versionPath?: string;
  /** `ts` (default) or `sql`. */
  format?: RevisionFileKind;
  /** Code for the upgrade and downgrade (autogenerate fills this in). */
  body?: RevisionBody;
}

export type CreateRevisionResult = NewRevision;

/** Writes a new revision file on top of `head` (or the given head) and returns where it went. */
export async function createRevision(options: CreateRevisionOptions): Promise<CreateRevisionResult> {
  const project = await loadProject(options);
  const revisions = await project.revisions();
  if (project.config.linearHistory) assertLinearHistory(revisions.graph);
  const parents = chooseParents(revisions.graph, revisions.headers.length, options);
  const written = await writeNewRevision(project, revisions, {
    parents,
    message: options.message,
    branchLabels: options.branchLabels ?? [],
    dependsOn: options.dependsOn ?? [],
    kind: options.format ?? "ts",
    ...(options.revId === undefined ? {} : { revId: options.revId }),
    ...(options.versionPath === undefined ? {} : { versionPath: options.versionPath }),
    ...(options.body === undefined ? {} : { body: options.body }),
  });
  await lintNewRevision(project, written, options);
  return written;
}

/** Lints the file just written, so unsafe operations are flagged while they are cheap to change. */
async function lintNewRevision(project: Project, written: CreateRevisionResult, options: CommonOptions): Promise<void> {
  if (project.config.lint.onRevision === "off") return;
  const dialect = project.config.url === undefined ? "postgresql" : dialectOfUrl(project.url());
  const header: RevisionHeader = {
    id: written.id,
    parents: written.parents,
    message: written.message,
    branchLabels: written.branchLabels,
    dependsOn: written.dependsOn,
    path: written.path,
  };
  const loaded = loadRevisions([written.id], new Map([[written.id, header]]), new Map([[written.id, written.path]]), getDialect(dialect));
  await lintGate(project, project.config.lint.onRevision, [...loaded.values()], dialect, options);
}

function chooseParents(
  graph: { resolve(target: string, current: string[]): string[]; effectiveHeads(): string[] },
  count: number,
  options: CreateRevisionOptions,
): string[] {
  const head = options.head ?? "head";
  if (head === "base" || (count === 0 && head === "head")) return [];
  const parents = graph.resolve(head, []);
  if (!options.splice) {
    const heads = new Set(graph.effectiveHeads());
    const notHead = parents.find((id) => !heads.has(id));
    if (notHead !== undefined) {
      throw new UsageError(`Revision '${notHead}' is not a head; pass --splice to start a branch from it.`);
    }
  }
  return parents;
}
