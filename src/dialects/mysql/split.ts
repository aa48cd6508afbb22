/**
 * Splits a MySQL/MariaDB script into statements the way the `mysql` client does: on the current
 * delimiter outside quotes and comments, with `DELIMITER xx` lines changing the delimiter so that
 * procedure and trigger bodies keep their semicolons.
 */
import { InputError } from "../../errors.js";
import type { SplitStatement } from "../types.js";
import { lineLocator, segment } from "./lexer.js";

/** Sticky, so that it is tried at one offset without copying the rest of the text. */
const DELIMITER_DIRECTIVE = /[ \t]*delimiter[ \t]+(\S+)[ \t]*/iy;
const OUTSIDE_TRANSACTION = /^(CREATE|DROP)\s+(DATABASE|SCHEMA)\b/i;

export async function splitStatements(text: string, source = "<sql>"): Promise<SplitStatement[]> {
  return splitMysqlStatements(text, source);
}

export function splitMysqlStatements(text: string, source = "<sql>"): SplitStatement[] {
  const lineOf = lineLocator(text);
  const statements: SplitStatement[] = [];
  let delimiter = ";";
  /** Offset of the first meaningful character of the statement being read, or -1. */
  let start = -1;

  const flush = (end: number) => {
    if (start >= 0) {
      const sql = text.slice(start, end).trim();
      if (sql) statements.push({ sql, line: lineOf(start), nonTransactional: OUTSIDE_TRANSACTION.test(sql) });
    }
    start = -1;
  };

  for (const part of segment(text, source)) {
    if (part.type === "comment") continue;
    if (part.type !== "code") {
      if (start < 0) start = part.start;
      continue;
    }
    let i = part.start;
    while (i < part.end) {
      const atLineStart = i === 0 || text[i - 1] === "\n";
      if (atLineStart) {
        DELIMITER_DIRECTIVE.lastIndex = i;
        const directive = DELIMITER_DIRECTIVE.exec(text);
        const end = directive ? i + directive[0].length : -1;
        // The directive is the whole line (a comment may follow it).
        if (directive && end <= part.end && (end === part.end || text[end] === "\n" || text[end] === "\r")) {
          flush(i);
          delimiter = directive[1]!;
          if (delimiter.includes("\\")) {
            throw new InputError("a DELIMITER cannot contain a backslash", { file: source, line: lineOf(i) });
          }
          i += directive[0].length;
          continue;
        }
      }
      const code = text.charCodeAt(i);
      if (code === delimiter.charCodeAt(0) && text.startsWith(delimiter, i) && i + delimiter.length <= part.end) {
        flush(i);
        i += delimiter.length;
        continue;
      }
      if (start < 0 && !(code === 32 || (code >= 9 && code <= 13))) start = i;
      i++;
    }
  }
  flush(text.length);
  return statements;
}
