/**
 * Bound values for better-sqlite3, and their literal form for offline scripts.
 */
import { StratumError } from "../../errors.js";
import { tokenize } from "./lexer.js";
import { quoteLiteral } from "./quote.js";

/** better-sqlite3 binds numbers, strings, bigints, buffers and null only. */
export function toSqliteParam(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return value;
  if (typeof value === "object") return JSON.stringify(value);
  return value;
}

export function sqliteLiteral(value: unknown): string {
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return `X'${Buffer.from(value).toString("hex")}'`;
  return quoteLiteral(toSqliteParam(value));
}

/** Replaces `?` and `?NNN` placeholders with literals, for offline scripts that have no driver to bind them. */
export function inlineParams(sqlText: string, params: readonly unknown[]): string {
  let out = "";
  let last = 0;
  let nextIndex = 0;
  for (const token of tokenize(sqlText)) {
    if (token.type !== "param") continue;
    let index: number;
    if (token.text === "?") index = nextIndex++;
    else if (/^\?\d+$/.test(token.text)) index = Number(token.text.slice(1)) - 1;
    else throw new StratumError(`offline SQL can inline only ? placeholders, not "${token.text}"`);
    if (index < 0 || index >= params.length) {
      throw new StratumError(`placeholder ${token.text} has no value: ${params.length} parameter(s) given for: ${sqlText}`);
    }
    out += sqlText.slice(last, token.start) + sqliteLiteral(params[index]);
    last = token.start + token.text.length;
  }
  if (nextIndex < params.length && !/\?\d/.test(sqlText)) {
    throw new StratumError(`${params.length} parameter(s) given but the statement has ${nextIndex} placeholder(s): ${sqlText}`);
  }
  return out + sqlText.slice(last);
}
