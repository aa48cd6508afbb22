/**
 * Splits an SQLite script into statements. Semicolons inside quotes, comments and
 * CREATE TRIGGER ... BEGIN ... END bodies do not end a statement.
 */
import type { SplitStatement } from "../types.js";
import { isWord, significant, tokenize, type Token } from "./lexer.js";

/** Statements SQLite refuses inside a transaction, or ignores there. */
const OUTSIDE_TRANSACTION = /^\s*(VACUUM|ATTACH|DETACH|PRAGMA\s+(?:\w+\.)?(foreign_keys|journal_mode)\b)/i;

export async function splitStatements(text: string, source = "<sql>"): Promise<SplitStatement[]> {
  return splitSqliteStatements(text, source);
}

export function splitSqliteStatements(text: string, source = "<sql>"): SplitStatement[] {
  const tokens = tokenize(text, source);
  const statements: SplitStatement[] = [];
  let current: Token[] = [];
  const state = { trigger: false, blockDepth: 0, meaningful: 0, startsWithCreate: false };

  const flush = () => {
    const meaningful = significant(current);
    if (meaningful.length > 0) {
      const first = meaningful[0]!;
      const last = meaningful[meaningful.length - 1]!;
      const sql = text.slice(first.start, last.start + last.text.length);
      statements.push({ sql, line: first.line, nonTransactional: OUTSIDE_TRANSACTION.test(sql) });
    }
    current = [];
    Object.assign(state, { trigger: false, blockDepth: 0, meaningful: 0, startsWithCreate: false });
  };

  for (const token of tokens) {
    if (token.type === "punct" && token.text === ";" && state.blockDepth === 0) {
      flush();
      continue;
    }
    current.push(token);
    if (token.type === "comment") continue;
    state.meaningful++;
    if (state.meaningful === 1) state.startsWithCreate = isWord(token, "CREATE");
    // CREATE [TEMP] TRIGGER
    if (state.meaningful <= 3 && state.startsWithCreate && isWord(token, "TRIGGER")) state.trigger = true;
    if (!state.trigger) continue;
    // Inside a trigger body, CASE ... END nests like BEGIN ... END.
    if (isWord(token, "BEGIN", "CASE")) state.blockDepth++;
    else if (isWord(token, "END") && state.blockDepth > 0) state.blockDepth--;
  }
  flush();
  return statements;
}
