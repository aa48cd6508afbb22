/**
 * Which files of a legacy SQL folder are forward scripts and which are rollbacks, and the order
 * the forward scripts run in. Pure: it sees file names only.
 */
import { InputError } from "../errors.js";

/** `x_ROLLBACK.sql`, `x.down.sql`, `x_down.sql` undo `x.sql` (or `x.up.sql`, `x_up.sql`). */
const ROLLBACK_SUFFIX = /(?:_rollback|\.down|_down)\.sql$/i;
const FORWARD_SUFFIX = /(?:\.up|_up)?\.sql$/i;
const NUMERIC_PREFIX = /^(\d+)/;

export interface ForwardFile {
  name: string;
  /** The numeric prefix (`001_x.sql` → 1); undefined when the name has none. */
  prefix: number | undefined;
  /** The rollback file paired with it, if any. */
  rollback: string | undefined;
  /** Other forward files sharing its numeric prefix. */
  samePrefix: string[];
}

export interface OrderedFolder {
  /** Forward files in the order they are to run. */
  files: ForwardFile[];
}

function stemOf(name: string, suffix: RegExp): string {
  return name.replace(suffix, "").toLowerCase();
}

export function isRollbackName(name: string): boolean {
  return ROLLBACK_SUFFIX.test(name);
}

/**
 * Orders the `.sql` names of a folder: by numeric prefix, then by name (files without a prefix
 * last), or as the `order` list says. Throws an InputError for a rollback without a forward file
 * and for an order list that does not name each forward file exactly once.
 */
export function orderSqlFiles(folder: string, names: readonly string[], order?: OrderList): OrderedFolder {
  const sqlNames = names.filter((name) => /\.sql$/i.test(name));
  if (sqlNames.length === 0) throw new InputError("the folder holds no .sql files", { file: folder });
  const forwardNames = sqlNames.filter((name) => !isRollbackName(name));
  const byStem = new Map(forwardNames.map((name) => [stemOf(name, FORWARD_SUFFIX), name]));
  const rollbackOf = new Map<string, string>();
  for (const name of sqlNames.filter(isRollbackName).sort()) {
    const forward = byStem.get(stemOf(name, ROLLBACK_SUFFIX));
    if (forward === undefined) {
      throw new InputError(`rollback file has no forward file (expected ${name.replace(ROLLBACK_SUFFIX, ".sql")})`, { file: `${folder}/${name}` });
    }
    const earlier = rollbackOf.get(forward);
    if (earlier !== undefined) throw new InputError(`${forward} has two rollback files: ${earlier} and ${name}`, { file: folder });
    rollbackOf.set(forward, name);
  }
  if (forwardNames.length === 0) throw new InputError("the folder holds only rollback files, no forward .sql files", { file: folder });

  const ordered = order === undefined ? [...forwardNames].sort(compareNames) : applyOrderList(folder, forwardNames, order);
  const prefixOf = (name: string) => {
    const match = NUMERIC_PREFIX.exec(name);
    return match ? Number(match[1]) : undefined;
  };
  return {
    files: ordered.map((name) => {
      const prefix = prefixOf(name);
      const samePrefix = prefix === undefined ? [] : forwardNames.filter((other) => other !== name && prefixOf(other) === prefix).sort(compareNames);
      return { name, prefix, rollback: rollbackOf.get(name), samePrefix };
    }),
  };
}

/** Numeric prefix first (so `10_` follows `9_`), then the plain name, byte by byte, for a stable order. */
export function compareNames(a: string, b: string): number {
  const pa = NUMERIC_PREFIX.exec(a);
  const pb = NUMERIC_PREFIX.exec(b);
  if (pa && !pb) return -1;
  if (!pa && pb) return 1;
  if (pa && pb) {
    const diff = Number(pa[1]) - Number(pb[1]);
    if (diff !== 0) return diff;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Reads an order file's text: one file name per line; blank lines and `#` comments are skipped. */
export function parseOrderList(text: string): OrderEntry[] {
  return text
    .split(/\r\n|\r|\n/)
    .map((line, index) => ({ name: line.replace(/#.*$/, "").trim(), line: index + 1 }))
    .filter((entry) => entry.name.length > 0);
}

export interface OrderEntry {
  name: string;
  line: number;
}

export interface OrderList {
  /** The order file, for messages. */
  file: string;
  entries: OrderEntry[];
}

function applyOrderList(folder: string, forwardNames: string[], order: OrderList): string[] {
  const known = new Set(forwardNames);
  const seen = new Set<string>();
  for (const { name, line } of order.entries) {
    if (!known.has(name)) {
      const why = isRollbackName(name) ? "is a rollback file; rollbacks are paired with their forward file" : `is not a forward .sql file in ${folder}`;
      throw new InputError(`${name} ${why}`, { file: order.file, line });
    }
    if (seen.has(name)) throw new InputError(`${name} is listed twice`, { file: order.file, line });
    seen.add(name);
  }
  const missing = forwardNames.filter((name) => !seen.has(name)).sort(compareNames);
  if (missing.length > 0) throw new InputError(`the order file does not list ${missing.join(", ")}`, { file: order.file });
  return order.entries.map((entry) => entry.name);
}
