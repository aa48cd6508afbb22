/**
 * A tokenizer for SQLite's SQL: enough to split files into statements, to find `?` placeholders,
 * and to take a CREATE TABLE statement apart for a table rebuild. It knows every quoting form
 * SQLite accepts ('...', "...", `...`, [...], X'...') and both comment styles.
 */
import { InputError } from "../../errors.js";

export type TokenType = "word" | "quotedIdent" | "string" | "blob" | "number" | "param" | "punct" | "space" | "comment";

export interface Token {
  type: TokenType;
  text: string;
  /** Offset of the first character in the input. */
  start: number;
  /** 1-based line of the first character. */
  line: number;
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
const DIGIT = /[0-9]/;

export function tokenize(text: string, source = "<sql>"): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;

  const push = (type: TokenType, end: number) => {
    const tokenText = text.slice(i, end);
    tokens.push({ type, text: tokenText, start: i, line });
    for (const ch of tokenText) if (ch === "\n") line++;
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
    const ch = text[i]!;
    const next = text[i + 1];
    if (/\s/.test(ch)) {
      let j = i + 1;
      while (j < text.length && /\s/.test(text[j]!)) j++;
      push("space", j);
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
    } else if (WORD_START.test(ch)) {
      let j = i + 1;
      while (j < text.length && WORD_PART.test(text[j]!)) j++;
      push("word", j);
    } else if (DIGIT.test(ch) || (ch === "." && next !== undefined && DIGIT.test(next))) {
      let j = i + 1;
      while (j < text.length && /[0-9A-Za-z_.]/.test(text[j]!)) {
        // An exponent sign belongs to the number: 1e-5.
        if ((text[j] === "e" || text[j] === "E") && (text[j + 1] === "+" || text[j + 1] === "-")) j++;
        j++;
      }
      push("number", j);
    } else if (ch === "?") {
      let j = i + 1;
      while (j < text.length && DIGIT.test(text[j]!)) j++;
      push("param", j);
    } else if ((ch === ":" || ch === "@" || ch === "$") && next !== undefined && WORD_START.test(next)) {
      let j = i + 2;
      while (j < text.length && WORD_PART.test(text[j]!)) j++;
      push("param", j);
    } else {
      const two = text.slice(i, i + 2);
      push("punct", i + (["||", "<=", ">=", "<>", "!=", "==", "<<", ">>", "->"].includes(two) ? 2 : 1));
    }
  }
  return tokens;
}

/** Tokens that carry meaning: no spaces or comments. */
export function significant(tokens: Token[]): Token[] {
  return tokens.filter((t) => t.type !== "space" && t.type !== "comment");
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
