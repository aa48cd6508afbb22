/**
 * `squash FROM:TO`: replaces a straight line of revisions with one revision that produces the
 * same schema. The range is applied on a scratch database and the schemas before and after it
 * are diffed into operations; the new revision is then applied (and reverted) on a second scratch
 * database, and only when both give the same schemas are the old files moved away.
 *
 * The new revision declares the ids it replaces. A database whose version row is the range's last
 * id counts as being at the new revision, and revisions built on that id keep naming it: their
 * files, and the checksums databases recorded for them, stay as they were.
 */
import { mkdir, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { CheckFailed, UsageError } from "../errors.js";
import { RevisionGraph } from "../graph/index.js";
import type { RevisionHeader } from "../graph/types.js";
import type { SchemaModel } from "../schema/model.js";
import { generateRevisionId, validateRevisionId } from "../scripts/ids.js";
import { schemaDifferences } from "../testing/leftovers.js";
import type { ScratchMode } from "../testing/options.js";
import { openScratch } from "../testing/scratch.js";
import { ScratchRunner } from "../testing/scratch-runner.js";
import type { CommonOptions } from "./options.js";
import { loadProject, type Project, type Revisions } from "./project.js";
import { planChanges, revisionBody } from "./schema-engine.js";
import { afterRevisionWritten } from "./schema-write.js";
import { dataChanges } from "./squash-data.js";
import { stageSquashedFile } from "./squash-file.js";
import { linearRange } from "./squash-range.js";

export interface SquashOptions extends CommonOptions {
  /** `FROM:TO`: the first and last revision to fold together (ids, prefixes or labels). */
  range: string;
  message: string;
  revId?: string;
  /** Where the scratch databases live (see the testing kit); default "auto". */
  scratch?: ScratchMode;
  /** What becomes of the replaced files: moved into `archive/` in their folder (default), or deleted. */
  oldFiles?: "archive" | "delete";
  /** Squash although revisions in the range change data, which the squashed revision will not do. */
  allowDataChanges?: boolean;
}

export interface SquashResult {
  id: string;
  path: string;
  parents: string[];
  replaces: string[];
  /** Revisions built on the range, which now stand on the new revision. */
  children: string[];
  operations: number;
  /** Where the replaced files went (empty when deleted). */
  archived: string[];
}

export async function squash(options: SquashOptions): Promise<SquashResult> {
  if (!options.message?.trim()) throw new UsageError("squash needs a message (-m MESSAGE).");
  const project = await loadProject(options);
  const revisions = await project.revisions();
  const range = linearRange(revisions.graph, options.range);
  const replaces = range.revisions.map((header) => header.id);
  const last = replaces[replaces.length - 1]!;
  const id = options.revId ?? generateRevisionId();
  validateRevisionId(id);
  if (revisions.graph.has(id)) throw new UsageError(`Revision id '${id}' already exists in ${revisions.files.get(id) ?? "the versions folder"}.`);

  const { before, after } = await onScratch(project, revisions, options.scratch, async (runner) => {
    if (!options.allowDataChanges) await refuseDataChanges(replaces, revisions, runner, options.range);
    await upgradeToParents(runner, range.parents);
    const start = await runner.introspect();
    await runner.upgrade(last);
    return { before: start, after: await runner.introspect() };
  });
  const plan = planChanges(before, after, { allowDrop: true });
  const manual = [...plan.manual, ...plan.downgradeManual];
  if (manual.length > 0) {
    throw new UsageError(`Cannot squash ${options.range}: some of its changes cannot be written as operations: ${manual.join("; ")}.`);
  }
  if (plan.upgradeOps.length === 0) {
    throw new UsageError(`Cannot squash ${options.range}: together its revisions change nothing in the schema, so a squash would drop whatever else they do.`);
  }

  const versionsDir = dirname(revisions.files.get(replaces[0]!)!);
  const staged = await stageSquashedFile(project, {
    versionsDir,
    id,
    parents: range.parents,
    message: options.message,
    branchLabels: range.revisions.flatMap((header) => header.branchLabels),
    replaces,
    body: revisionBody(plan),
  });
  try {
    await verify(project, revisions, staged.header, staged.path, range.parents, before, after, options);
  } catch (error) {
    await staged.discard();
    throw error;
  }
  const path = await staged.publish();
  const archived = await removeReplaced(replaces.map((replaced) => revisions.files.get(replaced)!), options.oldFiles ?? "archive");
  afterRevisionWritten(project, path);
  return { id, path, parents: range.parents, replaces, children: range.children, operations: plan.upgradeOps.length, archived };
}

/** Applies the new revision alone on a fresh database, then reverts it, comparing both schemas. */
async function verify(
  project: Project,
  revisions: Revisions,
  header: RevisionHeader,
  path: string,
  parents: string[],
  before: SchemaModel,
  after: SchemaModel,
  options: SquashOptions,
): Promise<void> {
  const below = [...revisions.graph.ancestors(parents)].map((ancestor) => revisions.byId.get(ancestor)!);
  const headers = [...below, { ...header, path }];
  const graph = RevisionGraph.build(headers);
  const files = new Map([...below.map((h) => [h.id, revisions.files.get(h.id)!] as const), [header.id, path] as const]);
  const alone: Revisions = { graph, headers: [...graph.revisions], byId: new Map(graph.revisions.map((h) => [h.id, h])), files, info: new Map() };
  await onScratch(project, alone, options.scratch, async (runner) => {
    await runner.upgrade(header.id);
    const up = schemaDifferences(after, await runner.introspect());
    if (up.length > 0) throw new CheckFailed(`The squashed revision does not produce the same schema as ${options.range}; nothing was changed. Differences:\n${indent(up)}`);
    await runner.downgrade(parents[0] ?? "base");
    const down = schemaDifferences(before, await runner.introspect());
    if (down.length > 0) throw new CheckFailed(`The squashed revision's downgrade does not restore the schema from before ${options.range}; nothing was changed. Differences:\n${indent(down)}`);
  });
}

async function onScratch<T>(project: Project, revisions: Revisions, mode: ScratchMode | undefined, fn: (runner: ScratchRunner) => Promise<T>): Promise<T> {
  const scratch = await openScratch(project, mode);
  try {
    return await fn(new ScratchRunner(project, revisions, scratch));
  } finally {
    await scratch.drop();
  }
}

async function refuseDataChanges(ids: string[], revisions: Revisions, runner: ScratchRunner, range: string): Promise<void> {
  const found = await dataChanges(ids, revisions, runner.scratch.dialect);
  if (found.length === 0) return;
  throw new UsageError(`Cannot squash ${range}: a squash keeps only schema changes, and ${found.join("; ")}.`, {
    hint: "Leave those revisions out of the range, or pass --allow-data-changes and copy their statements into the new revision.",
  });
}

async function upgradeToParents(runner: ScratchRunner, parents: string[]): Promise<void> {
  for (const parent of parents) await runner.upgrade(parent);
}

/** Moves each file into `archive/` beside it, where revisions are not looked for, or deletes it. */
async function removeReplaced(paths: string[], mode: "archive" | "delete"): Promise<string[]> {
  const moved: string[] = [];
  for (const path of paths) {
    if (mode === "delete") {
      await rm(path);
      continue;
    }
    const folder = join(dirname(path), "archive");
    await mkdir(folder, { recursive: true });
    const target = join(folder, basename(path));
    await rename(path, target);
    moved.push(target);
  }
  return moved;
}

function indent(lines: string[]): string {
  return lines.map((line) => `  ${line}`).join("\n");
}
