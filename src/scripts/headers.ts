/** Reads revision headers from file text, without executing anything. */
import { InputError } from "../errors.js";
import { readTextFile } from "../read-text.js";
import type { RevisionHeader } from "../graph/types.js";
import { discoverRevisionFiles } from "./discover.js";
import { displayPath } from "./display-path.js";
import { HeaderIndex } from "./header-index.js";
import { readModuleHeader } from "./module-header.js";
import { readSqlHeader } from "./sql-revision.js";

/** The header of one revision file; the form (SQL or module) follows from the extension. */
export function readHeader(path: string, text: string): RevisionHeader {
  const shown = displayPath(path);
  return path.endsWith(".sql") ? readSqlHeader(shown, text) : readModuleHeader(shown, text);
}

/**
 * The texts the last header pass read, by path. A run plans from the headers and then loads the
 * revisions it runs; handing each text over once spares reading every file a second time (two
 * opens per revision were a tenth of `upgrade --sql`). Taken once: a later read of the same path
 * goes to the disk, and the next header pass replaces them all.
 */
let headerPassTexts = new Map<string, string>();

/**
 * Reads a revision file as UTF-8 text; an unreadable file is an InputError naming it. Right
 * after a header pass, the text that pass read, so that a revision runs as it was planned.
 */
export function readRevisionText(path: string): string {
  const read = headerPassTexts.get(path);
  if (read !== undefined) {
    headerPassTexts.delete(path);
    return read;
  }
  return readFromDisk(path);
}

function readFromDisk(path: string): string {
  try {
    return readTextFile(path);
  } catch (error) {
    throw new InputError(`cannot read revision file: ${(error as Error).message}`, { file: displayPath(path) });
  }
}

export interface RevisionHeaders {
  headers: RevisionHeader[];
  /** Revision id → the file that declares it. */
  files: Map<string, string>;
}

/**
 * The headers of every revision in the versions folders. The same id in two files is an
 * InputError naming both. Files are read synchronously: for thousands of small files that is
 * several times faster than queuing them on the thread pool.
 */
export async function readHeaders(versionPaths: string[]): Promise<RevisionHeaders> {
  const paths = await discoverRevisionFiles(versionPaths);
  const headers: RevisionHeader[] = [];
  const files = new Map<string, string>();
  const texts = new Map<string, string>();
  headerPassTexts = texts;
  const index = HeaderIndex.open(versionPaths);
  for (const path of paths) {
    const header = index.header(path, displayPath(path), () => {
      const text = readFromDisk(path);
      texts.set(path, text);
      return readHeader(path, text);
    });
    const previous = files.get(header.id);
    if (previous !== undefined) {
      throw new InputError(`revision id ${header.id} is also declared in ${displayPath(previous)}`, { file: header.path ?? path, line: header.line });
    }
    files.set(header.id, path);
    headers.push(header);
  }
  index.save();
  return { headers, files };
}
