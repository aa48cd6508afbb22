/**
 * Plain SQL revisions:
 *
 *   -- stratum:revision id=ID parents=A,B message="..." labels=x depends=y date=...
 *   -- stratum:up
 *   ...statements...
 *   -- stratum:down
 *   ...statements...
 *
 * `parents=` is left out (or empty) for a root. `transactional=false` runs the statements
 * outside a transaction (needed for CREATE INDEX CONCURRENTLY).
 */
import { InputError } from "../errors.js";
import type { RevisionHeader } from "../graph/types.js";
import { buildHeader, type RawHeaderFields } from "./header-fields.js";

export const SQL_HEADER_MARKER = "-- stratum:revision";
const MARKER_PREFIX = /^--\s*stratum:([a-z-]+)(.*)$/;

/** Header key in the SQL form → field name of RevisionHeader. */
const SQL_KEYS: Record<string, { field: string; list: boolean }> = {
  id: { field: "id", list: false },
  parents: { field: "parents", list: true },
  message: { field: "message", list: false },
  labels: { field: "branchLabels", list: true },
  depends: { field: "dependsOn", list: true },
  date: { field: "createDate", list: false },
};

export interface SqlSection {
  text: string;
  /** Line of the section's first line of SQL (the line after its marker). */
  line: number;
}

export interface SqlRevision {
  header: RevisionHeader;
  up: SqlSection;
  down?: SqlSection;
  /** False when the header says `transactional=false`. */
  transactional: boolean;
}

/** Reads only the header line of a SQL revision. */
export function readSqlHeader(displayPath: string, text: string): RevisionHeader {
  // Only the first non-blank line matters: splitting the whole file would cost more than parsing it.
  const leading = LEADING_BLANK_LINES.exec(text);
  const skipped = leading ? leading[0] : "";
  const lineIndex = skipped.length === 0 ? 0 : (skipped.match(LINE_BREAK) ?? []).length;
  const start = skipped.length;
  const end = text.slice(start).search(/\r|\n/);
  const line = end === -1 ? text.slice(start) : text.slice(start, start + end);
  return parseHeaderLine(displayPath, line, lineIndex + 1).header;
}

export function parseSqlRevision(displayPath: string, text: string): SqlRevision {
  const { header, transactional, lineIndex, lines } = readHeaderLine(displayPath, text);
  const sections = new Map<string, SqlSection & { markerLine: number }>();
  let current: { name: string; start: number } | undefined;
  const close = (end: number) => {
    if (!current) return;
    sections.set(current.name, { text: lines.slice(current.start, end).join("\n"), line: current.start + 1, markerLine: current.start });
  };
  for (let i = lineIndex + 1; i < lines.length; i++) {
    const trimmed = (lines[i] as string).trim();
    const marker = MARKER_PREFIX.exec(trimmed);
    if (marker) {
      const name = marker[1] as string;
      if (name !== "up" && name !== "down") {
        throw new InputError(`unknown marker "-- stratum:${name}" (expected -- stratum:up or -- stratum:down)`, { file: displayPath, line: i + 1 });
      }
      if (sections.has(name) || current?.name === name) {
        throw new InputError(`the "-- stratum:${name}" section appears twice`, { file: displayPath, line: i + 1 });
      }
      close(i);
      current = { name, start: i + 1 };
      continue;
    }
    if (!current && trimmed.length > 0 && !trimmed.startsWith("--")) {
      throw new InputError("SQL before the \"-- stratum:up\" marker; put statements inside the up or down section", { file: displayPath, line: i + 1 });
    }
  }
  close(lines.length);
  const up = sections.get("up");
  if (!up) throw new InputError("SQL revision has no \"-- stratum:up\" section", { file: displayPath, line: lineIndex + 1 });
  const down = sections.get("down");
  const result: SqlRevision = { header, up: { text: up.text, line: up.line }, transactional };
  if (down) result.down = { text: down.text, line: down.line };
  return result;
}

const LEADING_BLANK_LINES = /^\uFEFF?(?:[ \t]*(?:\r\n|\r|\n))*/;
const LINE_BREAK = /\r\n|\r|\n/g;

function readHeaderLine(displayPath: string, text: string) {
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  let lineIndex = 0;
  while (lineIndex < lines.length && (lines[lineIndex] as string).trim() === "") lineIndex++;
  const { header, transactional } = parseHeaderLine(displayPath, lines[lineIndex] ?? "", lineIndex + 1);
  return { header, transactional, lineIndex, lines };
}

function parseHeaderLine(displayPath: string, line: string, lineNo: number) {
  const first = line.trim();
  const match = MARKER_PREFIX.exec(first);
  if (!match || match[1] !== "revision") {
    throw new InputError(`SQL revision must start with a "${SQL_HEADER_MARKER} id=..." line`, { file: displayPath, line: lineNo });
  }
  const fields: RawHeaderFields = new Map();
  let transactional = true;
  for (const [key, value] of parseKeyValues(match[2] as string, displayPath, lineNo)) {
    if (key === "transactional") {
      if (value !== "true" && value !== "false") {
        throw new InputError(`transactional must be true or false, not "${value}"`, { file: displayPath, line: lineNo });
      }
      transactional = value === "true";
      continue;
    }
    const spec = SQL_KEYS[key];
    if (!spec) {
      throw new InputError(`unknown revision header field "${key}" (known: ${[...Object.keys(SQL_KEYS), "transactional"].join(", ")})`, { file: displayPath, line: lineNo });
    }
    if (fields.has(spec.field)) throw new InputError(`revision header field "${key}" is given twice`, { file: displayPath, line: lineNo });
    const parsed = spec.list ? (value === "" ? [] : value.split(",")) : value;
    fields.set(spec.field, { value: parsed, at: lineNo });
  }
  return { header: buildHeader(displayPath, lineNo, fields, (at) => at), transactional };
}

/**
 * One `key=value` or `key="quoted value"` pair and the blanks before it. A value must end at a
 * blank or at the end of the line; a backslash in a quoted value escapes only `"` and itself.
 */
const PAIR = /[ \t]*([A-Za-z_]+)=(?:"((?:[^"\\]|\\["\\]|\\(?!["\\]))*)"|([^ \t"]*))(?=[ \t]|$)/y;
const TRAILING_BLANKS = /[ \t]*$/y;

/** Parses `key=value key="quoted value"`; quoted values take \" and \\ escapes. */
function parseKeyValues(source: string, displayPath: string, line: number): Array<[string, string]> {
  // One sticky expression reads a well-formed line; the loop below reads anything else and
  // names what is wrong with it.
  return readPairsFast(source) ?? readPairs(source, displayPath, line);
}

function readPairsFast(source: string): Array<[string, string]> | undefined {
  const pairs: Array<[string, string]> = [];
  PAIR.lastIndex = 0;
  for (;;) {
    TRAILING_BLANKS.lastIndex = PAIR.lastIndex;
    if (TRAILING_BLANKS.test(source)) return pairs;
    const match = PAIR.exec(source);
    if (!match) return undefined;
    const quoted = match[2];
    pairs.push([match[1] as string, quoted === undefined ? (match[3] as string) : quoted.replace(/\\(["\\])/g, "$1")]);
  }
}

function readPairs(source: string, displayPath: string, line: number): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  let i = 0;
  const fail = (message: string): never => {
    throw new InputError(message, { file: displayPath, line });
  };
  for (;;) {
    while (source[i] === " " || source[i] === "\t") i++;
    if (i >= source.length) return pairs;
    const keyMatch = /^([A-Za-z_]+)=/.exec(source.slice(i));
    if (!keyMatch) fail(`cannot read the revision header near "${source.slice(i, i + 20)}": expected key=value`);
    const key = (keyMatch as RegExpExecArray)[1] as string;
    i += (keyMatch as RegExpExecArray)[0].length;
    let value = "";
    if (source[i] === '"') {
      i++;
      for (;;) {
        const ch = source[i];
        if (ch === undefined) fail(`unterminated quoted value for "${key}"`);
        if (ch === '"') break;
        if (ch === "\\" && (source[i + 1] === '"' || source[i + 1] === "\\")) {
          value += source[i + 1];
          i += 2;
        } else {
          value += ch;
          i++;
        }
      }
      i++;
      if (i < source.length && source[i] !== " " && source[i] !== "\t") fail(`expected a space after the quoted value of "${key}"`);
    } else {
      while (i < source.length && source[i] !== " " && source[i] !== "\t") value += source[i++];
      if (value.includes('"')) fail(`value of "${key}" has a stray quote; quote the whole value`);
    }
    pairs.push([key, value]);
  }
}

/** Quotes a value for the SQL header when it needs it (messages always are). */
export function quoteSqlHeaderValue(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/[\r\n]+/g, " ")}"`;
}

/** The header line for a SQL revision, leaving out empty fields. */
export function formatSqlHeader(header: Omit<RevisionHeader, "path" | "line">): string {
  const parts = [`id=${header.id}`];
  if (header.parents.length > 0) parts.push(`parents=${header.parents.join(",")}`);
  parts.push(`message=${quoteSqlHeaderValue(header.message)}`);
  if (header.branchLabels.length > 0) parts.push(`labels=${header.branchLabels.join(",")}`);
  if (header.dependsOn.length > 0) parts.push(`depends=${header.dependsOn.join(",")}`);
  if (header.createDate) parts.push(`date=${header.createDate}`);
  return `${SQL_HEADER_MARKER} ${parts.join(" ")}`;
}
