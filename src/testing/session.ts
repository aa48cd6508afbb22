/** Opens a project and a scratch database for one check, and always drops the database afterwards. */
import { loadProject, type Project, type Revisions } from "../api/project.js";
import type { KitOptions } from "./options.js";
import { openScratch } from "./scratch.js";
import { ScratchRunner } from "./scratch-runner.js";

export async function loadKitProject(options: KitOptions): Promise<{ project: Project; revisions: Revisions }> {
  const project = await loadProject(options);
  return { project, revisions: await project.revisions() };
}

export async function withScratch<T>(options: KitOptions, fn: (runner: ScratchRunner) => Promise<T>): Promise<T> {
  const { project, revisions } = await loadKitProject(options);
  const scratch = await openScratch(project, options.scratch);
  try {
    return await fn(new ScratchRunner(project, revisions, scratch));
  } finally {
    await scratch.drop();
  }
}

/** Milliseconds since `start`, rounded. */
export function since(start: number): number {
  return Math.round(performance.now() - start);
}
