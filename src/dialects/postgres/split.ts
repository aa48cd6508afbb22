/**
 * Cuts a PostgreSQL SQL file into statements with the real PostgreSQL parser (libpg-query), so
 * that dollar-quoted function bodies, DO blocks, BEGIN ATOMIC bodies and semicolons inside
 * strings are never split. Each statement keeps the line it starts on, and whether it must run
 * outside a transaction block is read from its syntax tree.
 */
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { contentKey, readGroupedEntry, writeGroupedEntry } from "../../cache-dir.js";
import { InputError } from "../../errors.js";
import { buildStamp } from "../../package-files.js";
import type { SplitStatement } from "../types.js";

type Node = Record<string, unknown>;

interface RawStatement {
  stmt?: Node;
  stmt_location?: number;
  stmt_len?: number;
}

type ParseSync = (text: string) => unknown;

let parserLoaded: Promise<ParseSync> | undefined;

/**
 * Loads the parser's WASM module once, on the first split: importing it costs tens of
 * milliseconds, which commands that never split SQL (current, heads, history) must not pay.
 */
export function loadParser(): Promise<ParseSync> {
  parserLoaded ??= import("libpg-query").then(async (libpgQuery) => {
    await libpgQuery.loadModule();
    return libpgQuery.parseSync;
  });
  return parserLoaded;
}

/**
 * Split results are cached by the text, the parser's version and the build: a run over hundreds
 * of SQL revisions then neither parses them again nor loads the parser. Failures are not cached,
 * so a syntax error is always reported by the parser itself.
 */
export async function splitStatements(text: string, source = "<sql>"): Promise<SplitStatement[]> {
  const key = contentKey([SPLIT_FORMAT, buildStamp(), parserVersion(), text]);
  // Grouped by the file's folder: the SQL revisions of one versions folder share one pack. The
  // folder as given, after the working directory it is relative to: resolving it costs more.
  const group = `${process.cwd()}\0${dirname(source)}`;
  const cached = readGroupedEntry("split-postgres", group, key);
  if (cached !== undefined) {
    try {
      return JSON.parse(cached.toString("utf8")) as SplitStatement[];
    } catch {
      // A damaged entry: split again and rewrite it.
    }
  }
  const statements = await parseAndSplit(text, source);
  writeGroupedEntry("split-postgres", group, key, Buffer.from(JSON.stringify(statements), "utf8"));
  return statements;
}

/** Bumped when what a split statement records changes. */
const SPLIT_FORMAT = "1";

let libpgQueryVersion: string | undefined;

/** The installed libpg-query's version, for cache keys: another parser may read the same text differently. */
export function parserVersion(): string {
  libpgQueryVersion ??= (createRequire(import.meta.url)("libpg-query/package.json") as { version: string }).version;
  return libpgQueryVersion;
}

async function parseAndSplit(text: string, source: string): Promise<SplitStatement[]> {
  const parseSync = await loadParser();
  let stmts: RawStatement[];
  try {
    stmts = (parseSync(text) as { stmts?: RawStatement[] }).stmts ?? [];
  } catch (error) {
    throw parseError(error, text, source);
  }
  const bytes = Buffer.from(text, "utf8");
  const lineAt = lineCounter(bytes);
  const pieces = stmts.map((raw) => {
    const start = raw.stmt_location ?? 0;
    const end = raw.stmt_len ? start + raw.stmt_len : bytes.length;
    const startLine = lineAt(start);
    const body = trimStatement(bytes.subarray(start, end).toString("utf8"));
    return { raw, sql: body.sql, line: startLine + body.leadingLines };
  });
  const statements: SplitStatement[] = pieces.map(({ raw, sql, line }) => ({
    sql,
    line,
    nonTransactional: raw.stmt ? nodeIsNonTransactional(raw.stmt) : false,
  }));
  markEnumAdditionsUsedLater(pieces.map((p) => p.raw.stmt), statements);
  return statements;
}

/**
 * The 1-based line of a byte offset. Statements come in file order, so the count carries on from
 * the previous offset instead of rescanning the file for each statement.
 */
export function lineCounter(bytes: Buffer): (offset: number) => number {
  let position = 0;
  let line = 1;
  return (offset) => {
    if (offset < position) {
      position = 0;
      line = 1;
    }
    for (; position < offset && position < bytes.length; position++) if (bytes[position] === 0x0a) line++;
    return line;
  };
}

/**
 * Drops the comments and blank lines before a statement (the parser's location may include them)
 * and the whitespace after it, and counts the lines dropped in front.
 */
export function trimStatement(text: string): { sql: string; leadingLines: number } {
  LEADING_TRIVIA.lastIndex = 0;
  LEADING_TRIVIA.test(text);
  const start = LEADING_TRIVIA.lastIndex;
  let leadingLines = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < start; i = text.indexOf("\n", i + 1)) leadingLines++;
  return { sql: text.slice(start).replace(/[\s;]+$/, ""), leadingLines };
}

/** Whitespace, `--` comments to the end of their line and block comments (an unclosed one runs to the end). */
const LEADING_TRIVIA = /(?:\s+|--[^\n]*\n?|\/\*[\s\S]*?(?:\*\/|$))*/y;

function parseError(error: unknown, text: string, source: string): InputError {
  const details = (error as { sqlDetails?: { message?: string; cursorPosition?: number } }).sqlDetails;
  const message = details?.message ?? (error instanceof Error ? error.message : String(error));
  // The cursor position is a character offset into the text (0-based).
  const position = details?.cursorPosition;
  const line = position === undefined ? undefined : text.slice(0, Math.max(0, position)).split("\n").length;
  return new InputError(`SQL syntax error: ${message}`, { file: source, ...(line === undefined ? {} : { line }) });
}

function nodeIsNonTransactional(stmt: Node): boolean {
  const [type, body] = Object.entries(stmt)[0] ?? [];
  const node = (body ?? {}) as Node;
  switch (type) {
    case "IndexStmt":
      return node.concurrent === true;
    case "DropStmt":
      return node.concurrent === true;
    case "ReindexStmt":
      return hasDefElem(node.params, "concurrently");
    case "VacuumStmt":
      // VACUUM and ANALYZE share a node; only VACUUM refuses a transaction block.
      return node.is_vacuumcmd === true;
    case "CreatedbStmt":
    case "DropdbStmt":
      return true;
    default:
      return false;
  }
}

function hasDefElem(params: unknown, name: string): boolean {
  if (!Array.isArray(params)) return false;
  return params.some((p) => {
    const def = (p as { DefElem?: { defname?: string; arg?: unknown } }).DefElem;
    if (def?.defname !== name) return false;
    // `(CONCURRENTLY false)` turns it off.
    const arg = def.arg as { Boolean?: { boolval?: boolean }; String?: { sval?: string } } | undefined;
    if (arg?.Boolean) return arg.Boolean.boolval === true;
    if (arg?.String) return !["false", "off", "0"].includes(String(arg.String.sval).toLowerCase());
    return true;
  });
}

/** The value an `ALTER TYPE ... ADD VALUE` adds (not a RENAME VALUE), else undefined. */
function addedValue(stmt: Node | undefined): string | undefined {
  const alter = stmt?.AlterEnumStmt as { newVal?: string; oldVal?: string } | undefined;
  if (!alter || alter.oldVal !== undefined) return undefined;
  return alter.newVal;
}

/** True when the tree holds a string constant equal to `value` (a use of the enum value). */
function treeMentions(node: unknown, value: string): boolean {
  if (Array.isArray(node)) return node.some((child) => treeMentions(child, value));
  if (typeof node !== "object" || node === null) return false;
  const record = node as Node;
  const constant = record.A_Const as { sval?: { sval?: string } } | undefined;
  if (constant?.sval?.sval === value) return true;
  return Object.values(record).some((child) => treeMentions(child, value));
}

/**
 * ALTER TYPE ... ADD VALUE may run in a transaction (PostgreSQL 12+), but the value cannot be used
 * before that transaction commits; when a later statement uses it, the addition runs on its own.
 */
function markEnumAdditionsUsedLater(trees: (Node | undefined)[], statements: SplitStatement[]): void {
  trees.forEach((tree, index) => {
    const value = addedValue(tree);
    if (value === undefined) return;
    if (trees.slice(index + 1).some((later) => treeMentions(later, value))) statements[index]!.nonTransactional = true;
  });
}
