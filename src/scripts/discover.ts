/** Finds the revision files in the versions folders. */
import { readdir } from "node:fs/promises";
import { join, sep } from "node:path";
import { InputError } from "../errors.js";

const REVISION_EXTENSIONS = [".ts", ".mts", ".js", ".mjs", ".sql"];

/**
 * Whether a file name is a revision: a known extension, and not a declaration file, a dotfile
 * or a helper module (names starting with `_`, such as `_shared.ts` or `__init__.ts`).
 */
export function isRevisionFileName(name: string): boolean {
  if (name.startsWith(".") || name.startsWith("_")) return false;
  if (/\.d\.m?ts$/.test(name)) return false;
  return REVISION_EXTENSIONS.some((ext) => name.endsWith(ext) && name.length > ext.length);
}

/**
 * The revision files of every versions folder, as absolute-or-given paths sorted by path.
 * Only the top level of each folder is read. A folder that does not exist is an InputError.
 */
export async function discoverRevisionFiles(versionPaths: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const dir of versionPaths) {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT") throw new InputError(`versions folder ${dir} does not exist`, undefined, { hint: "run `stratum init` or set versionPaths in stratum.config.ts" });
      if (code === "ENOTDIR") throw new InputError(`versions folder ${dir} is not a folder`);
      throw new InputError(`cannot read versions folder ${dir}: ${(error as Error).message}`);
    }
    // One join for the folder, then concatenation: path.join per file shows up at 10,000 files.
    const prefix = join(dir, sep);
    for (const entry of entries) {
      if ((entry.isFile() || entry.isSymbolicLink()) && isRevisionFileName(entry.name)) found.push(prefix + entry.name);
    }
  }
  return found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
