/**
 * A tokenizer for SQLite's SQL: enough to split files into statements, to find `?` placeholders,
 * and to take a CREATE TABLE statement apart for a table rebuild. It knows every quoting form
 * SQLite accepts ('...', "...", `...`, [...], X'...') and both comment styles.
 */
import { InputError } from "../../errors.js";

export type TokenType = "word" | "quotedIdent" | "string" | "blob" | "number" | "param" | "punct" | "comment";

export interface Token {
  type: TokenType;
  text: string;
  /** Offset of the first character in the input. */
  start: number;
  /** 1-based line of the first character. */
  line: number;
}

function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}
function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}
function isWordStart(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code >= 128;
}
function isWordPart(code: number): boolean {
  return isWordStart(code) || isDigit(code) || code === 36;
}

const TWO_CHAR_OPERATORS = new Set(["||", "<=", ">=", "<>", "!=", "==", "<<", ">>", "->"]);

export function tokenize(text: string, source = "<sql>"): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;

  const push = (type: TokenType, end: number) => {
    tokens.push({ type, text: text.slice(i, end), start: i, line });
    for (let at = text.indexOf("\n", i); at >= 0 && at < end; at = text.indexOf("\n", at + 1)) line++;
    i = end;
  };
  /** End offset of a quoted run that closes with `close`, where a doubled `close` is an escape. */
  const quotedEnd = (from: number, close: string, what: string, doubling: boolean): number => {
    let j = from;
    for (;;) {
      const at = text.indexOf(close, j);
      if (at < 0) throw new InputError(`unterminated ${what}`, { file: source, line });
      if (doubling && text[at + 1] === close) {
        j = at + 2;
        continue;
      }
      return at + 1;
    }
  };

  while (i < text.length) {
    const code = text.charCodeAt(i);
    const ch = text[i]!;
    const next = text[i + 1];
    if (isSpace(code)) {
      // Whitespace is skipped, not kept: nothing reads it, and it is half of all tokens.
      if (code === 10) line++;
      i++;
    } else if (ch === "-" && next === "-") {
      const eol = text.indexOf("\n", i);
      push("comment", eol < 0 ? text.length : eol);
    } else if (ch === "/" && next === "*") {
      const close = text.indexOf("*/", i + 2);
      if (close < 0) throw new InputError("unterminated /* comment", { file: source, line });
      push("comment", close + 2);
    } else if (ch === "'") {
      push("string", quotedEnd(i + 1, "'", "string literal", true));
    } else if ((ch === "x" || ch === "X") && next === "'") {
      push("blob", quotedEnd(i + 2, "'", "blob literal", false));
    } else if (ch === '"') {
      push("quotedIdent", quotedEnd(i + 1, '"', "quoted identifier", true));
    } else if (ch === "`") {
      push("quotedIdent", quotedEnd(i + 1, "`", "quoted identifier", true));
    } else if (ch === "[") {
      push("quotedIdent", quotedEnd(i + 1, "]", "[bracketed] identifier", false));
    } else if (isWordStart(code)) {
      let j = i + 1;
      while (j < text.length && isWordPart(text.charCodeAt(j))) j++;
      push("word", j);
    } else if (isDigit(code) || (ch === "." && isDigit(text.charCodeAt(i + 1)))) {
      let j = i + 1;
      while (j < text.length && (isWordPart(text.charCodeAt(j)) || text[j] === ".")) {
        // An exponent sign belongs to the number: 1e-5.
        if ((text[j] === "e" || text[j] === "E") && (text[j + 1] === "+" || text[j + 1] === "-")) j++;
        j++;
      }
      push("number", j);
    } else if (ch === "?") {
      let j = i + 1;
      while (j < text.length && isDigit(text.charCodeAt(j))) j++;
      push("param", j);
    } else if ((ch === ":" || ch === "@" || ch === "$") && isWordStart(text.charCodeAt(i + 1))) {
      let j = i + 2;
      while (j < text.length && isWordPart(text.charCodeAt(j))) j++;
      push("param", j);
    } else {
      push("punct", i + (TWO_CHAR_OPERATORS.has(text.slice(i, i + 2)) ? 2 : 1));
    }
  }
  return tokens;
}

/** Tokens that carry meaning: no comments. */
export function significant(tokens: Token[]): Token[] {
  return tokens.filter((t) => t.type !== "comment");
}

export function isWord(token: Token | undefined, ...words: string[]): boolean {
  return token !== undefined && token.type === "word" && words.includes(token.text.toUpperCase());
}

/** The name an identifier token stands for, with its quotes removed. */
export function identName(token: Token): string {
  if (token.type !== "quotedIdent" && token.type !== "string") return token.text;
  const open = token.text[0]!;
  const body = token.text.slice(1, -1);
  if (open === "[") return body;
  return body.replaceAll(open + open, open);
}
