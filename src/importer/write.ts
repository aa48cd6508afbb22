/** Writes the planned revisions as one chain: all of them, or (after a failure) none of them. */
import { unlink } from "node:fs/promises";
import { writeRevisionFile } from "../scripts/write.js";
import type { PlannedImport } from "./plan.js";

export interface WriteImportOptions {
  dir: string;
  /** The revision the first imported one builds on; none for a new root. */
  parent: string | undefined;
  template?: string;
  fileTemplate?: string;
  now?: Date;
}

/** Returns the written paths, in the order of `planned`. */
export async function writeImportedRevisions(planned: readonly PlannedImport[], options: WriteImportOptions): Promise<string[]> {
  const written: string[] = [];
  let parent = options.parent;
  const now = options.now ?? new Date();
  try {
    for (const item of planned) {
      const path = await writeRevisionFile({
        dir: options.dir,
        id: item.id,
        parents: parent === undefined ? [] : [parent],
        message: item.message,
        kind: "sql",
        ...(options.template === undefined ? {} : { template: options.template }),
        ...(options.fileTemplate === undefined ? {} : { fileTemplate: options.fileTemplate }),
        body: { upgrade: item.upgrade, downgrade: item.downgrade },
        now,
      });
      written.push(path);
      parent = item.id;
    }
  } catch (error) {
    await Promise.all(written.map((path) => unlink(path).catch(() => undefined)));
    throw error;
  }
  return written;
}
