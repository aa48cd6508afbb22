/**
 * Reads the header of a TypeScript or JavaScript revision from its text, without running it:
 * the literal fields of the object passed to `revision({ ... })`.
 */
import { InputError } from "../errors.js";
import type { RevisionHeader } from "../graph/types.js";
import { findObjectCall, LexError, lineAt, readIdentifier, readPlainTemplate, readQuotedString, skipTrivia, skipValue, isIdentStart } from "./js-lexer.js";
import { buildHeader, type RawHeaderFields } from "./header-fields.js";
import { readHeaderFast } from "./module-header-fast.js";

/** Fields read from the text; every other key (upgrade, downgrade, options) is skipped. */
const STRING_FIELDS = new Set(["id", "message", "createDate"]);
const LIST_FIELDS = new Set(["parents", "branchLabels", "dependsOn", "replaces"]);
/** Every header but a squashed one has these; `replaces` is the optional extra. */
const HEADER_FIELD_COUNT = STRING_FIELDS.size + LIST_FIELDS.size - 1;

export function readModuleHeader(displayPath: string, text: string): RevisionHeader {
  // The shortcut reads a fixed set of fields, so a squashed revision's `replaces` needs the scanner.
  const fast = text.includes("replaces") ? undefined : readHeaderFast(text);
  if (fast) {
    const fields: RawHeaderFields = new Map();
    for (const [name, value] of fast.values) fields.set(name, { value, at: fast.callOffset });
    try {
      return buildHeader(displayPath, lineAt(text, fast.callOffset), fields, () => lineAt(text, fast.callOffset));
    } catch {
      // A bad value: the full scanner reports it with the line of the field itself.
    }
  }
  return scanModuleHeader(displayPath, text);
}

/** The full scanner, for any layout of the object. */
export function scanModuleHeader(displayPath: string, text: string): RevisionHeader {
  try {
    return scanHeader(displayPath, text);
  } catch (error) {
    if (error instanceof LexError) {
      throw new InputError(`cannot read the revision header: ${error.message}`, { file: displayPath, line: lineAt(text, error.offset) });
    }
    throw error;
  }
}

function scanHeader(displayPath: string, text: string): RevisionHeader {
  const call = findObjectCall(text, "revision");
  if (!call) {
    throw new InputError("revision file has no `export default revision({ ... })` to read its header from", { file: displayPath, line: 1 });
  }
  const fields: RawHeaderFields = new Map();
  const fieldCount = HEADER_FIELD_COUNT + (text.includes("replaces") ? 1 : 0);
  const fail = (message: string, offset: number): never => {
    throw new InputError(message, { file: displayPath, line: lineAt(text, offset) });
  };

  let pos = call.braceOffset + 1;
  for (;;) {
    pos = skipTrivia(text, pos);
    const ch = text[pos];
    if (ch === undefined) fail("revision({ ... }) is not closed", call.braceOffset);
    if (ch === "}") break;
    if (ch === ",") {
      pos++;
      continue;
    }
    const keyOffset = pos;
    const key = readKey(text, pos);
    if (key === undefined) {
      // A spread, a computed key or something else that cannot name a header field.
      pos = skipValue(text, pos);
      continue;
    }
    pos = skipTrivia(text, key.end);
    const isHeaderField = STRING_FIELDS.has(key.name) || LIST_FIELDS.has(key.name);
    const next = text[pos];
    if (next === ":" && isHeaderField) {
      if (fields.has(key.name)) fail(`revision header field "${key.name}" is given twice`, keyOffset);
      const value = readLiteral(text, skipTrivia(text, pos + 1), key.name, fail);
      fields.set(key.name, { value: value.value, at: keyOffset });
      pos = skipTypeAssertion(text, skipTrivia(text, value.end));
      if (text[pos] !== "," && text[pos] !== "}") {
        fail(`revision header field "${key.name}" must be a plain literal so it can be read without running the file`, keyOffset);
      }
      // Templates put the header first: once every field is read, the function bodies after
      // them need not be scanned (loading the module checks the rest).
      if (fields.size === fieldCount) break;
    } else if ((next === "," || next === "}") && isHeaderField) {
      fail(`revision header field "${key.name}" must be written as a literal (\`${key.name}: ...\`), not a shorthand property`, keyOffset);
    } else {
      pos = skipValue(text, pos);
    }
  }
  return buildHeader(displayPath, lineAt(text, call.callOffset), fields, (at) => lineAt(text, at));
}

function readKey(text: string, pos: number): { name: string; end: number } | undefined {
  const ch = text[pos];
  if (ch === "'" || ch === '"') {
    const s = readQuotedString(text, pos);
    return { name: s.value, end: s.end };
  }
  if (isIdentStart(ch)) {
    const name = readIdentifier(text, pos);
    return { name, end: pos + name.length };
  }
  return undefined;
}

/** Accepts `as const` after a literal, which TypeScript users sometimes write. */
function skipTypeAssertion(text: string, pos: number): number {
  if (text.startsWith("as", pos) && !isIdentStart(text[pos + 2])) {
    const after = skipTrivia(text, pos + 2);
    if (text.startsWith("const", after) && !isIdentStart(text[after + 5])) return skipTrivia(text, after + 5);
  }
  return pos;
}

type Fail = (message: string, offset: number) => never;

function readLiteral(text: string, pos: number, field: string, fail: Fail): { value: string | string[]; end: number } {
  if (LIST_FIELDS.has(field)) {
    if (text[pos] !== "[") fail(`revision header field "${field}" must be an array of string literals`, pos);
    const items: string[] = [];
    let i = pos + 1;
    for (;;) {
      i = skipTrivia(text, i);
      if (text[i] === "]") return { value: items, end: i + 1 };
      const item = readStringLiteral(text, i);
      if (item === undefined) fail(`revision header field "${field}" must be an array of string literals`, i);
      else {
        items.push(item.value);
        i = skipTrivia(text, item.end);
      }
      if (text[i] === ",") i++;
      else if (text[i] !== "]") fail(`revision header field "${field}" must be an array of string literals`, i);
    }
  }
  const s = readStringLiteral(text, pos);
  if (s === undefined) fail(`revision header field "${field}" must be a string literal`, pos);
  return s as { value: string; end: number };
}

function readStringLiteral(text: string, pos: number): { value: string; end: number } | undefined {
  const ch = text[pos];
  if (ch === "'" || ch === '"') return readQuotedString(text, pos);
  if (ch === "`") {
    const t = readPlainTemplate(text, pos);
    return t.value === undefined ? undefined : { value: t.value, end: t.end };
  }
  return undefined;
}
