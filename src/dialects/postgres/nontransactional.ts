/**
 * Which PostgreSQL statements cannot run inside a transaction block, recognised from SQL text
 * without the full parser (rendering is synchronous; the splitter uses the real parser's AST).
 *
 * The lexer below knows just enough of PostgreSQL's lexical rules (quotes, dollar quotes,
 * comments, parameters) that words inside strings and function bodies are never mistaken
 * for keywords.
 */
import type { RenderedStatement } from "../types.js";

export type TokenKind = "word" | "string" | "quotedIdent" | "param" | "semicolon" | "other";

export interface Token {
  kind: TokenKind;
  /** Word tokens are upper-cased; everything else is the source text. */
  text: string;
  start: number;
  end: number;
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
const DOLLAR_TAG = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/;

/** Splits SQL text into tokens, skipping whitespace and comments. Unterminated quotes run to the end. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    const next = text[i + 1];
    if (/\s/.test(c)) {
      i++;
    } else if (c === "-" && next === "-") {
      const eol = text.indexOf("\n", i);
      i = eol === -1 ? n : eol + 1;
    } else if (c === "/" && next === "*") {
      i = skipBlockComment(text, i);
    } else if (c === "'" || ((c === "E" || c === "e") && next === "'")) {
      const start = i;
      i = skipQuoted(text, c === "'" ? i : i + 1, "'", c !== "'");
      tokens.push({ kind: "string", text: text.slice(start, i), start, end: i });
    } else if (c === '"') {
      const start = i;
      i = skipQuoted(text, i, '"', false);
      tokens.push({ kind: "quotedIdent", text: text.slice(start, i), start, end: i });
    } else if (c === "$" && next !== undefined && /[0-9]/.test(next)) {
      const start = i;
      i++;
      while (i < n && /[0-9]/.test(text[i]!)) i++;
      tokens.push({ kind: "param", text: text.slice(start, i), start, end: i });
    } else if (c === "$" && DOLLAR_TAG.test(text.slice(i, i + 64))) {
      const tag = DOLLAR_TAG.exec(text.slice(i, i + 64))![0];
      const close = text.indexOf(tag, i + tag.length);
      const start = i;
      i = close === -1 ? n : close + tag.length;
      tokens.push({ kind: "string", text: text.slice(start, i), start, end: i });
    } else if (WORD_START.test(c)) {
      const start = i;
      while (i < n && WORD_PART.test(text[i]!)) i++;
      tokens.push({ kind: "word", text: text.slice(start, i).toUpperCase(), start, end: i });
    } else {
      tokens.push({ kind: c === ";" ? "semicolon" : "other", text: c, start: i, end: i + 1 });
      i++;
    }
  }
  return tokens;
}

function skipBlockComment(text: string, from: number): number {
  // Block comments nest in PostgreSQL.
  let depth = 0;
  let i = from;
  while (i < text.length) {
    if (text.startsWith("/*", i)) {
      depth++;
      i += 2;
    } else if (text.startsWith("*/", i)) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return i;
}

function skipQuoted(text: string, openAt: number, quote: string, backslashEscapes: boolean): number {
  let i = openAt + 1;
  while (i < text.length) {
    const c = text[i];
    if (backslashEscapes && c === "\\") i += 2;
    else if (c === quote && text[i + 1] === quote) i += 2;
    else if (c === quote) return i + 1;
    else i++;
  }
  return i;
}

/** The tokens of each top-level statement (split at semicolons outside quotes and bodies). */
function statementsOf(tokens: Token[]): Token[][] {
  const statements: Token[][] = [];
  let current: Token[] = [];
  for (const token of tokens) {
    if (token.kind === "semicolon") {
      if (current.length > 0) statements.push(current);
      current = [];
    } else current.push(token);
  }
  if (current.length > 0) statements.push(current);
  return statements;
}

function wordsOf(statement: Token[]): string[] {
  return statement.map((t) => (t.kind === "word" ? t.text : t.text.toUpperCase()));
}

/** True when one statement (as tokens) must run outside a transaction block. */
function statementIsNonTransactional(statement: Token[]): boolean {
  const w = wordsOf(statement);
  const [first, second, third] = w;
  if (first === "VACUUM") return true;
  if ((first === "CREATE" || first === "DROP") && second === "DATABASE") return true;
  if (first === "CREATE") {
    const afterUnique = second === "UNIQUE" ? 2 : 1;
    return w[afterUnique] === "INDEX" && w[afterUnique + 1] === "CONCURRENTLY";
  }
  if (first === "DROP" && second === "INDEX") return third === "CONCURRENTLY";
  if (first === "REINDEX") return w.slice(0, 6).includes("CONCURRENTLY");
  return false;
}

/**
 * True when the text holds a statement that cannot run in a transaction block:
 * CREATE/DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY, VACUUM, CREATE/DROP DATABASE.
 */
export function isNonTransactionalSql(text: string): boolean {
  // Most statements name none of these words; only those that do are worth tokenizing.
  if (!MAYBE_NON_TRANSACTIONAL.test(text)) return false;
  return statementsOf(tokenize(text)).some(statementIsNonTransactional);
}

const MAYBE_NON_TRANSACTIONAL = /VACUUM|DATABASE|CONCURRENTLY/i;

/** `ALTER TYPE name ADD VALUE [IF NOT EXISTS] 'value' ...`: the value added, else undefined. */
export function addedEnumValue(text: string): string | undefined {
  if (!/VALUE/i.test(text)) return undefined;
  const statements = statementsOf(tokenize(text));
  if (statements.length !== 1) return undefined;
  const tokens = statements[0]!;
  if (tokens[0]?.text !== "ALTER" || tokens[1]?.text !== "TYPE") return undefined;
  const add = tokens.findIndex((t, i) => t.kind === "word" && t.text === "ADD" && tokens[i + 1]?.text === "VALUE");
  if (add === -1) return undefined;
  const literal = tokens.slice(add + 2).find((t) => t.kind === "string");
  return literal ? unquoteStringLiteral(literal.text) : undefined;
}

function unquoteStringLiteral(literal: string): string | undefined {
  if (!literal.startsWith("'")) return undefined;
  return literal.slice(1, -1).replaceAll("''", "'");
}

/** True when the statement mentions `value` as a string literal (how an enum value is used). */
export function usesStringLiteral(text: string, value: string): boolean {
  return tokenize(text).some((t) => t.kind === "string" && unquoteStringLiteral(t.text) === value);
}

/**
 * PostgreSQL 12+ runs `ALTER TYPE ... ADD VALUE` inside a transaction, but the new value cannot be
 * used until that transaction commits. This marks each ADD VALUE statement non-transactional when a
 * later statement of the same sequence uses the value (as a literal or a bound parameter), so that
 * it is committed first.
 *
 * Call it on all the statements of one revision (or of one transaction) before running them.
 * Returns a new array; the input is not modified.
 */
export function markEnumValueUse<S extends RenderedStatement>(statements: readonly S[]): S[] {
  return statements.map((statement, index) => {
    if (!statement.transactional) return statement;
    const value = addedEnumValue(statement.sql);
    if (value === undefined) return statement;
    const usedLater = statements
      .slice(index + 1)
      .some((later) => usesStringLiteral(later.sql, value) || (later.params ?? []).includes(value));
    return usedLater ? { ...statement, transactional: false } : statement;
  });
}
