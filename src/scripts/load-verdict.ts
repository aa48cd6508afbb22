/**
 * What loading a revision module proved, kept so that a later run can rely on it without loading
 * the module first. The runner loads every revision of a plan before its first step, so that a
 * file that does not load stops the run before anything is written; over hundreds of revisions
 * that costs a noticeable part of a deploy. A module whose code depends on nothing but its own text
 * and Stratum (it imports "stratum" and nothing else, and names nothing that reads the process
 * or the clock: `selfContained`) loads the same way every time, so once it has loaded, the runner
 * may load it while the step before it waits for the database.
 *
 * The verdict is named by everything the outcome depends on: the file's path and text (by its
 * checksum, which the runner has computed already), the Stratum build, and the compiler's version.
 * An edited file, another build or another compiler never meets an old verdict.
 */
import { dirname, resolve } from "node:path";
import { contentKey, readGroupedEntry, writeGroupedEntry } from "../cache-dir.js";
import { buildStamp } from "../package-files.js";
import { checksum } from "./checksum.js";
import { compilerVersion } from "./compiled-modules.js";
import type { RevisionDefinition } from "./revision.js";
import { selfContained } from "./stratum-imports.js";

/** Bumped when what a verdict means changes. */
const FORMAT = "1";
const KIND = "load-verdicts";

/** A module that loaded into a valid revision: whether that revision has a downgrade. */
export interface LoadVerdict {
  downgrade: boolean;
}

function where(path: string, textChecksum: string): { group: string; key: string } {
  const absolute = resolve(path);
  return { group: dirname(absolute), key: contentKey([FORMAT, buildStamp(), compilerVersion(), absolute, textChecksum]) };
}

function decode(bytes: Buffer | undefined): LoadVerdict | undefined {
  if (bytes === undefined) return undefined;
  // One byte: 1 with a downgrade, 0 without. Anything else is a damaged entry, so no verdict.
  if (bytes.length !== 1 || (bytes[0] !== 0 && bytes[0] !== 1)) return undefined;
  return { downgrade: bytes[0] === 1 };
}

/**
 * The verdict of an earlier load of the file at `path` whose text has this checksum, if there was
 * one. Only a self-contained module is ever given one, and the same text still is.
 */
export function knownLoadVerdict(path: string, textChecksum: string): LoadVerdict | undefined {
  const { group, key } = where(path, textChecksum);
  return decode(readGroupedEntry(KIND, group, key));
}

/** Records that the module at `path` with this text (and checksum, when known) loaded into `definition`. */
export function recordLoadVerdict(path: string, text: string, definition: RevisionDefinition, textChecksum?: string): void {
  if (!selfContained(text)) return;
  const { group, key } = where(path, textChecksum ?? checksum(text));
  const verdict = typeof definition.downgrade === "function";
  if (decode(readGroupedEntry(KIND, group, key))?.downgrade === verdict) return;
  writeGroupedEntry(KIND, group, key, Buffer.from([verdict ? 1 : 0]));
}
