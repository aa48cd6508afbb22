/**
 * Revision headers remembered between runs, so that `heads`, `current` and every plan stat the
 * revision files instead of reading and parsing each one. A remembered header is used only while
 * its file keeps the same size, inode, modification time and change time; the kernel sets the
 * change time on every write, rename or chmod and no tool can set it back, so an edited file is
 * always read again. As git does with its index, a file changed less than RACY_MS before the
 * index was written is not remembered: a second edit within the file system's timestamp
 * granularity could otherwise leave both times as they were.
 */
import { statSync } from "node:fs";
import { resolve } from "node:path";
import { contentKey, readCacheEntry, writeCacheEntry } from "../cache-dir.js";
import type { RevisionHeader } from "../graph/types.js";
import { buildStamp } from "../package-files.js";

const KIND = "headers";
const RACY_MS = 2000;

/** What identifies one version of a file without reading it. */
type FileStamp = [size: number, ino: number, mtimeMs: number, ctimeMs: number];

/** A header as stored: without `path`, which is shown relative to the working directory of each run. */
type StoredHeader = Omit<RevisionHeader, "path">;

interface StoredIndex {
  files: Record<string, [...FileStamp, StoredHeader]>;
}

export class HeaderIndex {
  private readonly next = new Map<string, [...FileStamp, StoredHeader]>();
  private changed = false;

  private constructor(
    private readonly key: string,
    private readonly previous: StoredIndex["files"],
  ) {}

  /** The index for one set of versions folders; empty when there is none or it cannot be read. */
  static open(versionPaths: readonly string[]): HeaderIndex {
    const key = contentKey([KIND, buildStamp(), ...versionPaths.map((path) => resolve(path))]);
    const text = readCacheEntry(KIND, key);
    let files: StoredIndex["files"] = {};
    if (text !== undefined) {
      try {
        files = (JSON.parse(text) as StoredIndex).files ?? {};
      } catch {
        // A damaged entry is rebuilt from the files.
      }
    }
    return new HeaderIndex(key, files);
  }

  /**
   * The header of `path` as remembered, if the file is unchanged since; otherwise `read` parses
   * it and the result is remembered. `shownPath` is the path the header names in messages.
   */
  header(path: string, shownPath: string, read: () => RevisionHeader): RevisionHeader {
    const stamp = fileStamp(path);
    const known = this.previous[path];
    if (stamp !== undefined && known !== undefined && sameStamp(known, stamp)) {
      this.next.set(path, known);
      return { ...known[4], path: shownPath };
    }
    const header = read();
    if (stamp !== undefined) {
      const { path: _shown, ...stored } = header;
      this.next.set(path, [...stamp, stored]);
    }
    this.changed = true;
    return header;
  }

  /**
   * Writes the index when a file was read, added or removed since the last one. Files changed
   * within RACY_MS of `now` are left out, and so are read again by the next run.
   */
  save(now = Date.now()): void {
    if (!this.changed && this.next.size === Object.keys(this.previous).length) return;
    const settled = now - RACY_MS;
    const files: StoredIndex["files"] = {};
    let remembered = 0;
    for (const [path, entry] of this.next) {
      if (entry[2] < settled && entry[3] < settled) {
        files[path] = entry;
        remembered++;
      }
    }
    // A project whose files are all brand new has nothing to remember yet, nor had it before.
    if (remembered === 0 && Object.keys(this.previous).length === 0) return;
    writeCacheEntry(KIND, this.key, JSON.stringify({ files } satisfies StoredIndex));
  }
}

function fileStamp(path: string): FileStamp | undefined {
  const stat = statSync(path, { throwIfNoEntry: false });
  return stat === undefined ? undefined : [stat.size, stat.ino, stat.mtimeMs, stat.ctimeMs];
}

function sameStamp(known: readonly [...FileStamp, StoredHeader], stamp: FileStamp): boolean {
  return known[0] === stamp[0] && known[1] === stamp[1] && known[2] === stamp[2] && known[3] === stamp[3];
}
