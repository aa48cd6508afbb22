/**
 * Bound values for mysql2, and their literal form for offline scripts.
 */
import { StratumError } from "../../errors.js";
import { segment } from "./lexer.js";
import { quoteLiteral } from "./quote.js";

function isPlainData(value: unknown): boolean {
  return typeof value === "object" && value !== null && !(value instanceof Date) && !Buffer.isBuffer(value) && !(value instanceof Uint8Array);
}

/** mysql2 expands arrays into lists and objects into `key = value` pairs; a JSON value must stay one value. */
export function toMysqlParam(value: unknown): unknown {
  if (value === undefined) return null;
  return isPlainData(value) ? JSON.stringify(value) : value;
}

/** A DATETIME literal in UTC, which both MySQL and MariaDB accept (no "T", no "Z"). */
function datetime(value: Date): string {
  return value.toISOString().replace("T", " ").replace("Z", "");
}

export function mysqlLiteral(value: unknown): string {
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return `X'${Buffer.from(value).toString("hex")}'`;
  if (value instanceof Date) return quoteLiteral(datetime(value));
  return quoteLiteral(toMysqlParam(value));
}

/** Replaces `?` placeholders outside quotes and comments with literals, for offline scripts. */
export function inlineParams(sqlText: string, params: readonly unknown[]): string {
  let out = "";
  let used = 0;
  for (const part of segment(sqlText)) {
    const text = sqlText.slice(part.start, part.end);
    if (part.type !== "code") {
      out += text;
      continue;
    }
    out += text.replace(/\?/g, () => {
      if (used >= params.length) {
        throw new StratumError(`placeholder ${used + 1} has no value: ${params.length} parameter(s) given for: ${sqlText}`);
      }
      return mysqlLiteral(params[used++]);
    });
  }
  if (used < params.length) {
    throw new StratumError(`${params.length} parameter(s) given but the statement has ${used} placeholder(s): ${sqlText}`);
  }
  return out;
}
