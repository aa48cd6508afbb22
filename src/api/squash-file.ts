/**
 * The squashed revision's file: written from the project's template into a hidden folder beside
 * the versions (so no command sees it before it is verified), then moved into place.
 */
import { mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { InputError } from "../errors.js";
import type { RevisionHeader } from "../graph/types.js";
import { displayPath } from "../scripts/display-path.js";
import { readHeader } from "../scripts/headers.js";
import { writeRevisionFile, type RevisionBody } from "../scripts/write.js";
import type { Project } from "./project.js";

export interface SquashedFileSpec {
  versionsDir: string;
  id: string;
  parents: string[];
  message: string;
  branchLabels: string[];
  replaces: string[];
  body: RevisionBody;
}

export interface StagedFile {
  /** Where the file is while it is checked. */
  path: string;
  header: RevisionHeader;
  /** Moves it into the versions folder; returns its final path. */
  publish(): Promise<string>;
  discard(): Promise<void>;
}

export async function stageSquashedFile(project: Project, spec: SquashedFileSpec): Promise<StagedFile> {
  // A dot folder inside the versions folder: never read as revisions, and on the same disk for the rename.
  const staging = await mkdtemp(join(spec.versionsDir, ".squash-"));
  try {
    const path = await writeRevisionFile({
      dir: staging,
      id: spec.id,
      parents: spec.parents,
      message: spec.message,
      branchLabels: spec.branchLabels,
      dependsOn: [],
      kind: "ts",
      template: project.config.revisionTemplate.ts,
      fileTemplate: project.config.fileTemplate,
      body: spec.body,
    });
    const text = await readFile(path, "utf8");
    await writeFile(path, withReplaces(text, spec.replaces, path));
    const header = readHeader(path, await readFile(path, "utf8"));
    if (header.replaces?.join(",") !== spec.replaces.join(",")) {
      throw new InputError("the revision template does not leave room for the `replaces` field after `revision({`", { file: displayPath(path) });
    }
    return {
      path,
      header,
      async publish() {
        const final = join(spec.versionsDir, basename(path));
        await rename(path, final);
        await rm(staging, { recursive: true, force: true });
        return final;
      },
      discard: () => rm(staging, { recursive: true, force: true }),
    };
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

/** `replaces` goes first inside `revision({`, where any template puts the header object. */
function withReplaces(text: string, replaces: string[], path: string): string {
  const call = /\brevision\s*\(\s*\{/.exec(text);
  if (!call) throw new InputError("the written revision has no `revision({ ... })` call", { file: displayPath(path) });
  const at = call.index + call[0].length;
  return `${text.slice(0, at)}\n  replaces: ${JSON.stringify(replaces)},${text.slice(at)}`;
}
