/**
 * Stratum's on-disk caches: the prepared PGlite data directory, compiled TypeScript modules,
 * split SQL, declared schema models. Everything in them can be rebuilt, so they live under the OS
 * temp folder unless STRATUM_CACHE_DIR names another place, and STRATUM_NO_CACHE=1 turns the
 * content caches off. Entries are named by a SHA-256 of everything their content depends on, so
 * an entry is never stale: a change to any input is a different name.
 */
import { hash } from "node:crypto";
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { sweepWhenDue } from "./cache-sweep.js";
import { readBytesFile, readTextFile } from "./read-text.js";

let osTemp: string | undefined;

export function cacheDir(): string {
  // tmpdir() reads three environment variables on every call; a run asks hundreds of times.
  return process.env.STRATUM_CACHE_DIR ?? join((osTemp ??= tmpdir()), "stratum-cache");
}

export function contentCacheEnabled(): boolean {
  return process.env.STRATUM_NO_CACHE !== "1";
}

/** The name of an entry whose content follows from exactly these inputs. A run names about two per revision, so the one-shot hash is used. */
export function contentKey(inputs: readonly string[]): string {
  return hash("sha256", inputs.join("\0"), "hex");
}

function entryPath(kind: string, key: string): string {
  return join(cacheDir(), kind, key.slice(0, 2), key);
}

export function readCacheEntry(kind: string, key: string): string | undefined {
  return readEntryWith(readTextFile, kind, key);
}

/** An entry's bytes, for entries that are not text (compiled code with V8's code cache). */
export function readCacheEntryBytes(kind: string, key: string): Buffer | undefined {
  return readEntryWith(readBytesFile, kind, key);
}

/** An entry read with `read`; undefined when the content caches are off or there is none. */
function readEntryWith<T>(read: (path: string) => T, kind: string, key: string): T | undefined {
  if (!contentCacheEnabled()) return undefined;
  try {
    return read(entryPath(kind, key));
  } catch {
    return undefined;
  }
}

let written = 0;

/**
 * Writes `content` under a temporary name and renames it into place, so that a concurrent reader
 * never sees half a file. False when it could not; a cache only saves time, so callers go on.
 */
export function writeAtomically(path: string, content: string | Uint8Array): boolean {
  const partial = `${path}.${process.pid}-${++written}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(partial, content);
    renameSync(partial, path);
    return true;
  } catch {
    try {
      rmSync(partial, { force: true });
    } catch {
      // Nothing was written, or the folder cannot be reached: there is nothing to clean.
    }
    return false;
  }
}

let sweepStarted = false;

export function writeCacheEntry(kind: string, key: string, content: string | Uint8Array): void {
  if (!contentCacheEnabled()) return;
  writeAtomically(entryPath(kind, key), content);
  // A run that adds entries is the one that checks, once a day, for entries left unused.
  if (!sweepStarted) {
    sweepStarted = true;
    sweepWhenDue(cacheDir());
  }
}

/** Entries of one pack by key; each content is a view into the pack's bytes. */
type EntryPack = Map<string, Buffer>;

/** Keys are SHA-256 in hex; a record is the key, the content's length (u32 LE), the content. */
const KEY_BYTES = 64;
const RECORD_HEAD = KEY_BYTES + 4;

function packPath(kindDir: string, group: string): string {
  return join(kindDir, "packs", contentKey([group]));
}

/** The pack at `path`; empty when there is none, and when it is damaged (it is then rewritten). */
function loadPack(path: string): EntryPack {
  const pack: EntryPack = new Map();
  let bytes: Buffer;
  try {
    bytes = readBytesFile(path);
  } catch {
    return pack;
  }
  for (let at = 0; at < bytes.length; ) {
    if (at + RECORD_HEAD > bytes.length) return new Map();
    const end = at + RECORD_HEAD + bytes.readUInt32LE(at + KEY_BYTES);
    if (end > bytes.length) return new Map();
    pack.set(bytes.toString("latin1", at, at + KEY_BYTES), bytes.subarray(at + RECORD_HEAD, end));
    at = end;
  }
  return pack;
}

function encodePack(pack: EntryPack): Buffer {
  const parts: Buffer[] = [];
  for (const [key, content] of pack) {
    const head = Buffer.alloc(RECORD_HEAD);
    head.write(key, 0, KEY_BYTES, "latin1");
    head.writeUInt32LE(content.length, KEY_BYTES);
    parts.push(head, content);
  }
  return Buffer.concat(parts);
}

/** Unused entries a pack may keep, beyond the size of the used ones: enough for another run's set. */
const KEEP_UNUSED_BYTES = 8 * 1024 * 1024;

/**
 * The pack to write: the entries this run used, plus the stored ones it did not use (a run of a
 * few revisions should not evict the rest) unless those outgrow the used ones by several MB,
 * as entries of edited files pile up.
 */
function mergePacks(used: EntryPack, stored: EntryPack): EntryPack {
  const merged = new Map(used);
  let usedBytes = 0;
  for (const content of used.values()) usedBytes += content.length;
  let unusedBytes = 0;
  for (const [key, content] of stored) {
    if (merged.has(key)) continue;
    unusedBytes += content.length;
    if (unusedBytes > usedBytes + KEEP_UNUSED_BYTES) return new Map(used);
    merged.set(key, content);
  }
  return merged;
}

/** Writes a pack, but never creates the kind's folder: a cache removed meanwhile stays removed. */
function writePack(path: string, pack: EntryPack): void {
  try {
    mkdirSync(dirname(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") return;
  }
  writeAtomically(path, encodePack(pack));
}

/**
 * Entries that runs read together, such as the compiled revisions of one versions folder, are
 * also kept in one file per group (a pack), so that a run over 500 revisions opens one file
 * rather than 500. Entries stay content-addressed inside the pack, so it can never answer with
 * stale content. A run that had to read or write an entry outside its group's pack writes the
 * pack again when the process exits.
 */
interface GroupState {
  /** The pack as it was on disk when the group was first used in this process. */
  stored: EntryPack;
  /** Every entry of the group this process read or wrote. */
  used: EntryPack;
  /** True once an entry was used that the stored pack did not hold. */
  changed: boolean;
}

/** By cache folder, kind and group: the pack's path is a hash, too slow to work out per entry. */
const groups = new Map<string, GroupState & { path: string }>();
let flushOnExit = false;

function groupState(kind: string, group: string): GroupState {
  const dir = cacheDir();
  const id = `${dir}\0${kind}\0${group}`;
  let state = groups.get(id);
  if (!state) {
    const path = packPath(join(dir, kind), group);
    state = { path, stored: loadPack(path), used: new Map(), changed: false };
    groups.set(id, state);
  }
  return state;
}

function noteUse(state: GroupState, key: string, content: Buffer, fromPack: boolean): void {
  state.used.set(key, content);
  if (fromPack) return;
  state.changed = true;
  if (!flushOnExit) {
    flushOnExit = true;
    process.once("exit", flushPacks);
  }
}

/** An entry of `group`, from the group's pack when it holds it, else from the entry's own file. */
export function readGroupedEntry(kind: string, group: string, key: string): Buffer | undefined {
  if (!contentCacheEnabled()) return undefined;
  const state = groupState(kind, group);
  const packed = state.stored.get(key);
  if (packed !== undefined) {
    noteUse(state, key, packed, true);
    return packed;
  }
  const content = readCacheEntryBytes(kind, key);
  if (content !== undefined) noteUse(state, key, content, false);
  return content;
}

/** Writes an entry of `group` to its own file now, and to the group's pack when the process exits. */
export function writeGroupedEntry(kind: string, group: string, key: string, content: Buffer): void {
  if (!contentCacheEnabled()) return;
  writeCacheEntry(kind, key, content);
  noteUse(groupState(kind, group), key, content, false);
}

/** Writes the pack of every group that used an entry its pack lacked. Runs when the process exits. */
export function flushPacks(): void {
  for (const state of groups.values()) {
    if (!state.changed) continue;
    state.changed = false;
    try {
      writePack(state.path, mergePacks(state.used, state.stored));
    } catch {
      // A cache only saves time: a pack that cannot be built must not fail the exit.
    }
  }
}

/** Forgets the packs read so far, so that the next use reads them again (for tests). */
export function forgetPacks(): void {
  groups.clear();
}
