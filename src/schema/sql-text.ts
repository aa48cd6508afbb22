/**
 * Scanning SQL text without parsing it: quoted literals and identifiers, balanced parentheses,
 * spacing and letter case outside quotes.
 */

/** Removes parentheses that wrap the whole expression: `((x))` → `x`. */
export function stripOuterParens(text: string): string {
  let result = text.trim();
  while (result.startsWith("(") && result.endsWith(")") && closingParenOf(result, 0) === result.length - 1) {
    result = result.slice(1, -1).trim();
  }
  return result;
}

/** Index of the parenthesis closing the one at `open`, skipping string literals and quoted names. */
export function closingParenOf(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'" || ch === '"') {
      i = endOfQuoted(text, i);
      continue;
    }
    if (ch === "(") depth++;
    else if (ch === ")") {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** Index of the closing quote of the literal or identifier that starts at `start`. */
export function endOfQuoted(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === quote) {
      if (text[i + 1] === quote) {
        i++;
        continue;
      }
      return i;
    }
  }
  return text.length - 1;
}

/**
 * Rebuilds `text` with every character outside quotes replaced by what `outside` returns for it
 * (given the text rebuilt so far); sections opened by one of the `quotes` characters are kept
 * exactly, since literals and quoted identifiers mean what they spell.
 */
export function mapOutsideQuotes(text: string, quotes: string, outside: (ch: string, rebuilt: string) => string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quotes.includes(ch)) {
      const end = endOfQuoted(text, i);
      out += text.slice(i, end + 1);
      i = end;
      continue;
    }
    out += outside(ch, out);
  }
  return out;
}

const isSpace = (ch: string): boolean => /\s/.test(ch);

/** Runs of whitespace outside quotes become one space. */
export function collapseWhitespace(text: string): string {
  return mapOutsideQuotes(text, `'"`, (ch, rebuilt) => (!isSpace(ch) ? ch : rebuilt.endsWith(" ") ? "" : " ")).trim();
}

/** Lower case outside quoted literals and identifiers. */
export function lowerOutsideQuotes(text: string): string {
  return mapOutsideQuotes(text, `'"`, (ch) => ch.toLowerCase());
}

/** Whitespace outside string literals removed: `10, 2` → `10,2`, while `'on hold'` keeps its space. */
export function withoutSpacesOutsideLiterals(text: string): string {
  return mapOutsideQuotes(text, "'", (ch) => (isSpace(ch) ? "" : ch));
}
