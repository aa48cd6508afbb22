/**
 * SQLite keeps some facts only in the CREATE statement it stored (check constraints, generated
 * column expressions, index key expressions, partial index predicates). These helpers read
 * them back out of that text, skipping quoted strings and identifiers.
 */

/** Index just past the parenthesis that closes the one at `open`, or -1 when unbalanced. */
export function closingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "'" || ch === '"' || ch === "`" || ch === "[") {
      i = skipQuoted(text, i);
      continue;
    }
    if (ch === "(") depth++;
    else if (ch === ")" && --depth === 0) return i + 1;
  }
  return -1;
}

function skipQuoted(text: string, start: number): number {
  const close = text[start] === "[" ? "]" : text[start]!;
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === close) {
      if (text[i + 1] === close && close !== "]") i++;
      else return i;
    }
  }
  return text.length;
}

/** Splits on commas that are not nested in parentheses or quotes. */
export function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "'" || ch === '"' || ch === "`" || ch === "[") i = skipQuoted(text, i);
    else if (ch === "(") depth++;
    else if (ch === ")") depth--;
    else if (ch === "," && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(text.slice(start).trim());
  return parts.filter((p) => p.length > 0);
}

/** The text between the first "(" at or after `from` and its closing parenthesis. */
export function parenthesized(text: string, from = 0): string | undefined {
  const open = text.indexOf("(", from);
  if (open < 0) return undefined;
  const end = closingParen(text, open);
  return end < 0 ? undefined : text.slice(open + 1, end - 1).trim();
}

export function unquoteIdent(name: string): string {
  const first = name[0];
  if (first === '"' || first === "`") return name.slice(1, -1).replaceAll(first + first, first);
  if (first === "[") return name.slice(1, -1);
  return name;
}

const IDENT = String.raw`("(?:[^"]|"")+"|\x60[^\x60]+\x60|\[[^\]]+\]|[A-Za-z_][A-Za-z0-9_$]*)`;

export interface ParsedCheck {
  name?: string;
  expression: string;
}

/** Every CHECK in a CREATE TABLE statement, with its constraint name when one was given. */
export function tableChecks(createSql: string): ParsedCheck[] {
  const body = parenthesized(createSql) ?? "";
  const checks: ParsedCheck[] = [];
  const pattern = new RegExp(String.raw`(?:\bCONSTRAINT\s+${IDENT}\s+)?\bCHECK\s*\(`, "gi");
  for (const part of splitTopLevel(body)) {
    for (const match of part.matchAll(pattern)) {
      const open = match.index + match[0].length - 1;
      const expression = part.slice(open + 1, closingParen(part, open) - 1).trim();
      checks.push(match[1] ? { name: unquoteIdent(match[1]), expression } : { expression });
    }
  }
  return checks;
}

/** Generated column expressions of a CREATE TABLE statement, by column name. */
export function generatedColumns(createSql: string): Map<string, string> {
  const body = parenthesized(createSql) ?? "";
  const found = new Map<string, string>();
  const pattern = /\b(?:GENERATED\s+ALWAYS\s+)?AS\s*\(/i;
  for (const part of splitTopLevel(body)) {
    const nameMatch = new RegExp(`^${IDENT}`).exec(part);
    const match = pattern.exec(part);
    if (!nameMatch || !match) continue;
    const open = match.index + match[0].length - 1;
    found.set(unquoteIdent(nameMatch[1]!), part.slice(open + 1, closingParen(part, open) - 1).trim());
  }
  return found;
}

/** Key texts and WHERE predicate of a CREATE INDEX statement. */
export function indexParts(createSql: string): { keys: string[]; where?: string } {
  const on = /\bON\s+/i.exec(createSql);
  const open = createSql.indexOf("(", on ? on.index : 0);
  const end = open < 0 ? -1 : closingParen(createSql, open);
  if (end < 0) return { keys: [] };
  const keys = splitTopLevel(createSql.slice(open + 1, end - 1));
  const rest = createSql.slice(end);
  const where = /^\s*WHERE\s+([\s\S]*)$/i.exec(rest);
  return where ? { keys, where: where[1]!.trim().replace(/;$/, "").trim() } : { keys };
}

/** Drops a trailing COLLATE, ASC or DESC from one index key text. */
export function stripKeyOptions(key: string): string {
  return key
    .replace(/\s+(ASC|DESC)\s*$/i, "")
    .replace(/\s+COLLATE\s+\S+\s*$/i, "")
    .trim();
}

/** The SELECT of a CREATE VIEW statement. */
export function viewQuery(createSql: string): string {
  const match = /^\s*CREATE\s+(?:TEMP(?:ORARY)?\s+)?VIEW\s+(?:IF\s+NOT\s+EXISTS\s+)?[\s\S]*?\bAS\s+/i.exec(createSql);
  const text = match ? createSql.slice(match[0].length) : createSql;
  return text.trim().replace(/;$/, "").trim();
}
