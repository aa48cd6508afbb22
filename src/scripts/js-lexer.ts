/**
 * Just enough of a JavaScript/TypeScript lexer to walk a revision file's source without
 * running it: skip whitespace, comments, strings, template literals and regular expressions,
 * and keep brackets balanced. Positions are character offsets into the text.
 */

export class LexError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

function isIdentStartCode(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36 || c >= 0x80;
}

function isIdentPartCode(c: number): boolean {
  return isIdentStartCode(c) || (c >= 48 && c <= 57);
}

export function isIdentStart(ch: string | undefined): boolean {
  return ch !== undefined && isIdentStartCode(ch.charCodeAt(0));
}

export function isIdentPart(ch: string | undefined): boolean {
  return ch !== undefined && isIdentPartCode(ch.charCodeAt(0));
}

// Sticky regular expressions do the per-character work: the regular expression engine is
// fast even before the JavaScript around it is optimized, which matters for a command that
// reads thousands of files once and exits.
const TRIVIA = /(?:[\s\uFEFF]+|\/\/[^\n]*|\/\*[\s\S]*?\*\/)*/y;
const IDENTIFIER = /[A-Za-z0-9_$\u0080-\uffff]*/y;

/** Returns the offset of the first character that is neither whitespace nor inside a comment. */
export function skipTrivia(text: string, pos: number): number {
  TRIVIA.lastIndex = pos;
  TRIVIA.test(text);
  const end = TRIVIA.lastIndex;
  if (text.charCodeAt(end) === 47 /* / */ && text.charCodeAt(end + 1) === 42 /* * */) throw new LexError("unterminated block comment", end);
  return end;
}

export function readIdentifier(text: string, pos: number): string {
  IDENTIFIER.lastIndex = pos;
  IDENTIFIER.test(text);
  return text.slice(pos, IDENTIFIER.lastIndex);
}

const SIMPLE_ESCAPES: Record<string, string> = {
  n: "\n",
  r: "\r",
  t: "\t",
  b: "\b",
  f: "\f",
  v: "\v",
  "0": "\0",
};

/**
 * Reads a '...' or "..." string literal starting at `pos` (the quote). Returns its value and
 * the offset just past the closing quote.
 */
export function readQuotedString(text: string, pos: number): { value: string; end: number } {
  const quote = text[pos] as string;
  // Most strings have no escapes and no line breaks: take them in one slice.
  const close = text.indexOf(quote, pos + 1);
  if (close !== -1) {
    const body = text.slice(pos + 1, close);
    if (!body.includes("\\") && !body.includes("\n") && !body.includes("\r")) return { value: body, end: close + 1 };
  }
  let value = "";
  let i = pos + 1;
  let chunkStart = i;
  for (;;) {
    if (i >= text.length) throw new LexError("unterminated string", pos);
    const ch = text[i];
    if (ch === quote) {
      value += text.slice(chunkStart, i);
      return { value, end: i + 1 };
    }
    if (ch === "\n" || ch === "\r") throw new LexError("unterminated string", pos);
    if (ch === "\\") {
      value += text.slice(chunkStart, i);
      const escaped = readEscape(text, i);
      value += escaped.value;
      i = escaped.end;
      chunkStart = i;
      continue;
    }
    i++;
  }
}

/** Reads the escape sequence at `pos` (the backslash). */
function readEscape(text: string, pos: number): { value: string; end: number } {
  const next = text[pos + 1];
  if (next === undefined) throw new LexError("unterminated string", pos);
  if (next in SIMPLE_ESCAPES) return { value: SIMPLE_ESCAPES[next] as string, end: pos + 2 };
  if (next === "\r") return { value: "", end: text[pos + 2] === "\n" ? pos + 3 : pos + 2 };
  if (next === "\n") return { value: "", end: pos + 2 };
  if (next === "x") {
    const hex = text.slice(pos + 2, pos + 4);
    if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new LexError("bad \\x escape", pos);
    return { value: String.fromCharCode(parseInt(hex, 16)), end: pos + 4 };
  }
  if (next === "u") {
    if (text[pos + 2] === "{") {
      const close = text.indexOf("}", pos + 3);
      const hex = close === -1 ? "" : text.slice(pos + 3, close);
      if (!/^[0-9a-fA-F]{1,6}$/.test(hex)) throw new LexError("bad \\u escape", pos);
      return { value: String.fromCodePoint(parseInt(hex, 16)), end: close + 1 };
    }
    const hex = text.slice(pos + 2, pos + 6);
    if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new LexError("bad \\u escape", pos);
    return { value: String.fromCharCode(parseInt(hex, 16)), end: pos + 6 };
  }
  return { value: next, end: pos + 2 };
}

/**
 * Reads a template literal with no `${...}` substitution. Returns `undefined` as the value when
 * it has one, since its value is then only known at run time.
 */
export function readPlainTemplate(text: string, pos: number): { value: string | undefined; end: number } {
  let value = "";
  let i = pos + 1;
  let chunkStart = i;
  let interpolated = false;
  for (;;) {
    if (i >= text.length) throw new LexError("unterminated template literal", pos);
    const ch = text[i];
    if (ch === "`") {
      value += text.slice(chunkStart, i);
      return { value: interpolated ? undefined : value.replace(/\r\n?/g, "\n"), end: i + 1 };
    }
    if (ch === "\\") {
      value += text.slice(chunkStart, i);
      const escaped = readEscape(text, i);
      value += escaped.value;
      i = escaped.end;
      chunkStart = i;
      continue;
    }
    if (ch === "$" && text[i + 1] === "{") {
      interpolated = true;
      i = skipBalanced(text, i + 2, "}");
      chunkStart = i;
      continue;
    }
    i++;
  }
}

/** Skips a template literal starting at `pos` (the backtick). */
function skipTemplate(text: string, pos: number): number {
  return readPlainTemplate(text, pos).end;
}

/** Keywords after which a `/` starts a regular expression rather than a division. */
const REGEX_AFTER_WORD = new Set(["return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case", "do", "else", "yield", "await"]);

/** Skips a regular expression literal starting at `pos` (the slash). */
function skipRegex(text: string, pos: number): number {
  let i = pos + 1;
  let inClass = false;
  for (;;) {
    const ch = text[i];
    if (ch === undefined || ch === "\n") throw new LexError("unterminated regular expression", pos);
    if (ch === "\\") i += 2;
    else {
      if (ch === "[") inClass = true;
      else if (ch === "]") inClass = false;
      else if (ch === "/" && !inClass) break;
      i++;
    }
  }
  i++;
  while (isIdentPart(text[i])) i++;
  return i;
}

const CLOSERS: Record<string, string> = { "(": ")", "[": "]", "{": "}" };

/** Skips source up to the `until` character at this nesting level, and returns the offset just past it. */
export function skipBalanced(text: string, pos: number, until: string): number {
  const end = scanTo(text, pos, (ch) => ch === until);
  return end + 1;
}

/** Skips one property value: stops at (does not consume) a top-level "," or "}". */
export function skipValue(text: string, pos: number): number {
  return scanTo(text, pos, (ch) => ch === "," || ch === "}");
}

function scanTo(text: string, pos: number, isStop: (ch: string) => boolean): number {
  const stack: string[] = [];
  let i = pos;
  // Whether a `/` here would start a regular expression: true after an operator or opening bracket.
  let regexAllowed = true;
  for (;;) {
    i = skipTrivia(text, i);
    const ch = text[i];
    if (ch === undefined) throw new LexError("unexpected end of file", pos);
    if (stack.length === 0 && isStop(ch)) return i;
    const literalEnd = skipLiteral(text, i, regexAllowed);
    if (literalEnd !== undefined) {
      i = literalEnd;
      regexAllowed = false;
    } else if (ch in CLOSERS) {
      stack.push(CLOSERS[ch] as string);
      i++;
      regexAllowed = true;
    } else if (ch === ")" || ch === "]" || ch === "}") {
      if (stack.pop() !== ch) throw new LexError(`unexpected "${ch}"`, i);
      i++;
      regexAllowed = ch !== ")" && ch !== "]";
    } else if (isIdentStart(ch)) {
      const word = readIdentifier(text, i);
      i += word.length;
      regexAllowed = REGEX_AFTER_WORD.has(word);
    } else if (ch >= "0" && ch <= "9") {
      while (isIdentPart(text[i]) || text[i] === ".") i++;
      regexAllowed = false;
    } else {
      i++;
      regexAllowed = true;
    }
  }
}

/** The end of a string, template or (where one may start) regular expression at `i`; undefined when none starts there. */
function skipLiteral(text: string, i: number, regexAllowed: boolean): number | undefined {
  const ch = text[i];
  if (ch === "'" || ch === '"') return readQuotedString(text, i).end;
  if (ch === "`") return skipTemplate(text, i);
  if (ch === "/" && regexAllowed) return skipRegex(text, i);
  return undefined;
}

/** 1-based line number of `offset`. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  let i = text.indexOf("\n");
  while (i !== -1 && i < offset) {
    line++;
    i = text.indexOf("\n", i + 1);
  }
  return line;
}

/**
 * Finds the first call `name({` outside comments and strings: the offsets of `name` and of
 * its `{`. A property access (`x.name({`) does not count.
 */
export function findObjectCall(text: string, name: string): { callOffset: number; braceOffset: number } | undefined {
  let i = 0;
  let regexAllowed = true;
  let previous = "";
  for (;;) {
    i = skipTrivia(text, i);
    const ch = text[i];
    if (ch === undefined) return undefined;
    const literalEnd = skipLiteral(text, i, regexAllowed);
    if (literalEnd !== undefined) {
      i = literalEnd;
      regexAllowed = false;
    } else if (isIdentStart(ch)) {
      const word = readIdentifier(text, i);
      const start = i;
      i += word.length;
      if (word === name && previous !== ".") {
        const paren = skipTrivia(text, i);
        if (text[paren] === "(") {
          const brace = skipTrivia(text, paren + 1);
          if (text[brace] === "{") return { callOffset: start, braceOffset: brace };
        }
      }
      regexAllowed = REGEX_AFTER_WORD.has(word);
      previous = word;
      continue;
    } else if (ch >= "0" && ch <= "9") {
      while (isIdentPart(text[i]) || text[i] === ".") i++;
      regexAllowed = false;
    } else {
      i++;
      regexAllowed = ch !== ")" && ch !== "]";
    }
    previous = ch;
  }
}
