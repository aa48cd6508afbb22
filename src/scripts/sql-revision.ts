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
  const { line, lineIndex } = headerLineOf(text);
  return parseHeaderLine(displayPath, line, lineIndex + 1).header;
}

/**
 * The whole revision: header, then the up and down sections. The text is searched for marker
 * lines rather than split into lines: a run loads hundreds of these, and splitting and trimming
 * every line cost more than everything else the load does.
 */
export function parseSqlRevision(displayPath: string, text: string): SqlRevision {
  const { line, lineIndex, end } = headerLineOf(text);
  const { header, transactional } = parseHeaderLine(displayPath, line, lineIndex + 1);
  const lines = new LineCounter(text, end, lineIndex);
  const markers = markerLinesAfter(text, end);
  checkNothingBefore(text, end, markers[0]?.lineStart ?? text.length, displayPath, lines);
  const sections = new Map<string, SqlSection>();
  markers.forEach((marker, i) => {
    const markerLine = lines.lineAt(marker.lineStart);
    if (marker.name !== "up" && marker.name !== "down") {
      throw new InputError(`unknown marker "-- stratum:${marker.name}" (expected -- stratum:up or -- stratum:down)`, { file: displayPath, line: markerLine });
    }
    if (sections.has(marker.name)) {
      throw new InputError(`the "-- stratum:${marker.name}" section appears twice`, { file: displayPath, line: markerLine });
    }
    const next = markers[i + 1];
    const body = next === undefined ? text.slice(marker.bodyStart) : withoutFinalBreak(text.slice(marker.bodyStart, next.lineStart));
    sections.set(marker.name, { text: body.includes("\r") ? body.replace(/\r\n?/g, "\n") : body, line: markerLine + 1 });
  });
  const up = sections.get("up");
  if (!up) throw new InputError("SQL revision has no \"-- stratum:up\" section", { file: displayPath, line: lineIndex + 1 });
  const down = sections.get("down");
  const result: SqlRevision = { header, up, transactional };
  if (down) result.down = down;
  return result;
}

const LEADING_BLANK_LINES = /^\uFEFF?(?:[ \t]*(?:\r\n|\r|\n))*/;
const LINE_BREAK = /\r\n|\r|\n/g;

/** The first non-blank line: its text, its 0-based index and the offset where it ends. */
function headerLineOf(text: string): { line: string; lineIndex: number; end: number } {
  // Only the first non-blank line matters: splitting the whole file would cost more than parsing it.
  const leading = LEADING_BLANK_LINES.exec(text);
  const skipped = leading ? leading[0] : "";
  const lineIndex = skipped.length === 0 ? 0 : (skipped.match(LINE_BREAK) ?? []).length;
  const start = skipped.length;
  const found = text.slice(start).search(/\r|\n/);
  const end = found === -1 ? text.length : start + found;
  return { line: text.slice(start, end), lineIndex, end };
}

/** 1-based line numbers of offsets, counted forward from a known line; offsets must not decrease. */
class LineCounter {
  private readonly breaks = new RegExp(LINE_BREAK.source, "g");
  private line: number;

  constructor(
    private readonly text: string,
    private at: number,
    lineIndex: number,
  ) {
    this.line = lineIndex + 1;
  }

  lineAt(offset: number): number {
    this.breaks.lastIndex = this.at;
    for (let match = this.breaks.exec(this.text); match !== null && match.index < offset; match = this.breaks.exec(this.text)) this.line++;
    this.at = offset;
    return this.line;
  }
}

interface MarkerLine {
  name: string;
  /** Where the marker's line starts. */
  lineStart: number;
  /** Where the line after it starts (the text's end when there is none). */
  bodyStart: number;
}

/**
 * Lines that are `-- stratum:NAME...` once trimmed, after offset `from`. A line starts after
 * \r\n, \r or \n only (the `m` flag's ^ also matches after U+2028, which is not a line here).
 */
const MARKER_LINE = /^[^\S\r\n]*--[^\S\r\n]*stratum:([a-z-]+)[^\r\n]*/gm;

function markerLinesAfter(text: string, from: number): MarkerLine[] {
  const markers: MarkerLine[] = [];
  MARKER_LINE.lastIndex = from;
  for (let match = MARKER_LINE.exec(text); match !== null; match = MARKER_LINE.exec(text)) {
    const before = text[match.index - 1];
    if (match.index <= from || (before !== "\n" && before !== "\r")) continue;
    const lineEnd = match.index + match[0].length;
    const bodyStart = text.startsWith("\r\n", lineEnd) ? lineEnd + 2 : Math.min(lineEnd + 1, text.length);
    markers.push({ name: match[1] as string, lineStart: match.index, bodyStart });
  }
  return markers;
}

/** Between the header and the first marker only blank and comment lines may stand. */
function checkNothingBefore(text: string, from: number, to: number, displayPath: string, lines: LineCounter): void {
  if (text.slice(from, to).trim() === "") return;
  const line = /[^\r\n]*/g;
  for (let at = from; at < to; ) {
    line.lastIndex = at;
    const content = (line.exec(text) as RegExpExecArray)[0];
    const trimmed = content.trim();
    if (trimmed.length > 0 && !trimmed.startsWith("--")) {
      throw new InputError("SQL before the \"-- stratum:up\" marker; put statements inside the up or down section", {
        file: displayPath,
        line: lines.lineAt(at),
      });
    }
    at += content.length;
    at += text.startsWith("\r\n", at) ? 2 : 1;
  }
}

/** The section's text without the line break that ends its last line. */
function withoutFinalBreak(body: string): string {
  if (body.endsWith("\r\n")) return body.slice(0, -2);
  return body.endsWith("\n") || body.endsWith("\r") ? body.slice(0, -1) : body;
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
