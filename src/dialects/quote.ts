/**
 * Quoting of identifiers and literals, shared by the dialects: they differ only in the
 * identifier quote character, whether a backslash escapes inside string literals, and how
 * booleans are spelled.
 */
import type { TableRef } from "../ops/types.js";

export interface QuotingRules {
  /** The character that wraps an identifier; doubled when it appears inside one. */
  identQuote: '"' | "`";
  /** MySQL reads a backslash in a string literal as an escape, so it must be doubled. */
  escapeBackslash: boolean;
  /** How TRUE and FALSE are written as literals. */
  booleans: readonly [string, string];
}

export interface Quoting {
  quoteIdent(name: string): string;
  /** Identifiers quoted and joined by commas, as in a column list. */
  quoteList(names: readonly string[]): string;
  /** A table reference as SQL, schema-qualified when it names a schema. */
  qualify(table: TableRef): string;
  /** A JavaScript value as an SQL literal: dates as ISO text, objects as JSON text. */
  quoteLiteral(value: unknown): string;
}

export function makeQuoting(rules: QuotingRules): Quoting {
  const { identQuote, escapeBackslash, booleans } = rules;
  const quoteIdent = (name: string): string => identQuote + name.replaceAll(identQuote, identQuote + identQuote) + identQuote;
  const quoteList = (names: readonly string[]): string => names.map(quoteIdent).join(", ");
  const quoteString = (text: string): string => {
    const escaped = escapeBackslash ? text.replaceAll("\\", "\\\\") : text;
    return "'" + escaped.replaceAll("'", "''") + "'";
  };
  const qualify = (table: TableRef): string => {
    if (typeof table === "string") return quoteIdent(table);
    return table.schema ? `${quoteIdent(table.schema)}.${quoteIdent(table.name)}` : quoteIdent(table.name);
  };
  const quoteLiteral = (value: unknown): string => {
    if (value === null || value === undefined) return "NULL";
    if (typeof value === "number" || typeof value === "bigint") return String(value);
    if (typeof value === "boolean") return value ? booleans[0] : booleans[1];
    if (value instanceof Date) return quoteString(value.toISOString());
    if (typeof value === "object") return quoteString(JSON.stringify(value));
    return quoteString(String(value));
  };
  return { quoteIdent, quoteList, qualify, quoteLiteral };
}
