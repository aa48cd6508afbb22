/**
 * `graph`: a picture of the revision graph with each revision's status. A broken graph (a cycle,
 * a missing parent) is still drawn as far as it can be, with its errors listed.
 */
import { StratumError } from "../errors.js";
import { RevisionGraph } from "../graph/index.js";
import type { RevisionHeader } from "../graph/types.js";
import { buildPicture } from "../render/graph/build.js";
import { layoutGraph } from "../render/graph/layout.js";
import type { GraphPicture } from "../render/graph/model.js";
import { readVersionHeads } from "../runner/state-tables.js";
import { readHeaders } from "../scripts/headers.js";
import type { CommonOptions } from "./options.js";
import { loadProject, type Project } from "./project.js";

export interface GraphPictureOptions extends CommonOptions {
  /** Do not open the database: statuses stay unknown. */
  offline?: boolean;
}

export type { GraphPicture, PictureNode, RevisionStatus } from "../render/graph/model.js";
export { renderGraph, GRAPH_FORMATS, type GraphFormat } from "../render/graph/index.js";

export async function graphPicture(options: GraphPictureOptions = {}): Promise<GraphPicture> {
  const project = await loadProject(options);
  const { headers } = await readHeaders(project.config.versionPaths);
  let buildError: string | undefined;
  let drawn: readonly RevisionHeader[] = headers;
  try {
    // A valid graph gives dependencies resolved to ids (labels and prefixes are allowed there).
    drawn = RevisionGraph.build(headers).revisions;
  } catch (error) {
    if (!(error instanceof StratumError)) throw error;
    buildError = error.message;
  }
  const { current, currentError } = options.offline ? { current: null, currentError: "--offline was given" } : await readCurrent(project);
  const known = new Set(headers.map((h) => h.id));
  const rowErrors = (current ?? []).filter((row) => !known.has(row)).map((row) => `The version table names revision '${row}', which is not in the versions folder.`);
  const picture = buildPicture({ headers: drawn, current, ...(currentError === undefined ? {} : { currentError }) });
  const cyclic = layoutGraph(picture).cyclic;
  if (cyclic.length > 0) picture.errors.push(`Revisions ${cyclic.join(", ")} are on a cycle (or build on one): a revision cannot be its own ancestor.`);
  // The graph's own check stops at the first problem; it adds something only when drawing found nothing.
  if (buildError !== undefined && picture.errors.length === 0) picture.errors.push(buildError);
  picture.errors.push(...rowErrors);
  return picture;
}

async function readCurrent(project: Project): Promise<{ current: string[] | null; currentError?: string }> {
  try {
    return { current: await project.withDatabase((db, dialect) => readVersionHeads(db, dialect, project.tables)) };
  } catch (error) {
    if (error instanceof StratumError) return { current: null, currentError: error.message };
    throw error;
  }
}
