/**
 * Reads MySQL/MariaDB DDL for the `mysql-*` rules: ALTER TABLE clauses, CREATE/DROP INDEX and
 * drops, with their ALGORITHM= and LOCK= options. Works on the MySQL lexer's tokens (quotes and
 * comments already set apart), not on raw text; statements it does not know produce no changes.
 */
import { segment } from "../dialects/mysql/lexer.js";
import { splitMysqlStatements } from "../dialects/mysql/split.js";
import type { OnlineDdlOptions } from "../ops/types.js";
import type { Change } from "./changes.js";
import type { ParsedStatement } from "./sql-changes.js";

interface Token {
  /** Upper-cased word or punctuation; quoted identifiers and strings keep their text. */
  text: string;
  quoted: boolean;
  /** An unquoted word as written, for messages. */
  original?: string;
}

export function mysqlChanges(text: string): ParsedStatement[] {
  let statements;
  try {
    statements = splitMysqlStatements(text);
  } catch (error) {
    return [{ changes: [{ kind: "notChecked", reason: error instanceof Error ? error.message : String(error) }], lineOffset: 0, text: text.trim() }];
  }
  return statements.map((statement) => ({ changes: statementChanges(tokens(statement.sql)), lineOffset: statement.line - 1, text: statement.sql }));
}

function tokens(sql: string): Token[] {
  const result: Token[] = [];
  for (const part of segment(sql)) {
    const piece = sql.slice(part.start, part.end);
    if (part.type === "ident") result.push({ text: piece.slice(1, -1).replace(/``/g, "`"), quoted: true });
    else if (part.type === "string") result.push({ text: "'…'", quoted: true });
    else if (part.type === "code" || part.type === "executableComment") {
      for (const match of piece.matchAll(/[A-Za-z0-9_$]+|[(),=.]/g)) result.push({ text: match[0].toUpperCase(), quoted: false, original: match[0] });
    }
  }
  return result;
}

const word = (token: Token | undefined, ...words: string[]) => token !== undefined && !token.quoted && words.includes(token.text);
const nameOf = (token: Token | undefined) => (token === undefined ? "" : token.quoted ? token.text : (token.original ?? token.text));

/** A dotted name starting at `i`: its text and the index after it. */
function qualifiedName(list: Token[], i: number): { name: string; next: number } {
  let name = nameOf(list[i]);
  let next = i + 1;
  while (word(list[next], ".") && list[next + 1]) {
    name += `.${nameOf(list[next + 1])}`;
    next += 2;
  }
  return { name, next };
}

/** Splits tokens on commas outside parentheses. */
function clauses(list: Token[]): Token[][] {
  const result: Token[][] = [[]];
  let depth = 0;
  for (const token of list) {
    if (word(token, "(")) depth++;
    if (word(token, ")")) depth--;
    if (depth === 0 && word(token, ",")) result.push([]);
    else result[result.length - 1]!.push(token);
  }
  return result.filter((clause) => clause.length > 0);
}

/** ALGORITHM= and LOCK= anywhere in the statement's clauses. */
function onlineOptions(parts: Token[][]): OnlineDdlOptions {
  const options: OnlineDdlOptions = {};
  for (const clause of parts) {
    for (let i = 0; i < clause.length; i++) {
      const value = word(clause[i + 1], "=") ? clause[i + 2] : clause[i + 1];
      if (word(clause[i], "ALGORITHM") && value) options.algorithm = value.text as OnlineDdlOptions["algorithm"];
      if (word(clause[i], "LOCK") && value) options.lock = value.text as OnlineDdlOptions["lock"];
    }
  }
  return options;
}

function statementChanges(list: Token[]): Change[] {
  if (word(list[0], "ALTER") && word(list[1], "TABLE")) {
    let i = 2;
    if (word(list[i], "IGNORE")) i++;
    const { name: table, next } = qualifiedName(list, i);
    const parts = clauses(list.slice(next));
    const online = onlineOptions(parts);
    return parts.flatMap((clause) => alterClause(table, clause, online));
  }
  if (word(list[0], "CREATE")) {
    const tableAt = word(list[1], "TEMPORARY") ? 2 : 1;
    if (word(list[tableAt], "TABLE")) {
      const start = word(list[tableAt + 1], "IF") ? tableAt + 4 : tableAt + 1;
      return [{ kind: "createTable", table: qualifiedName(list, start).name, columns: [], primaryKey: [] }];
    }
    let i = 1;
    while (word(list[i], "UNIQUE", "FULLTEXT", "SPATIAL", "ONLINE", "OFFLINE")) i++;
    if (!word(list[i], "INDEX")) return [];
    const index = nameOf(list[i + 1]);
    const on = list.findIndex((t, k) => k > i && word(t, "ON"));
    if (on < 0) return [];
    return [{ kind: "createIndex", name: index, table: qualifiedName(list, on + 1).name, concurrently: false, ...onlineOptions([list]) }];
  }
  if (word(list[0], "DROP")) {
    if (word(list[1], "INDEX")) return [{ kind: "dropIndex", name: nameOf(list[2]), concurrently: false, ...onlineOptions([list]) }];
    if (word(list[1], "TABLE")) {
      const start = word(list[2], "IF") ? 4 : 2;
      return [{ kind: "dropTable", table: qualifiedName(list, start).name }];
    }
    if (word(list[1], "DATABASE", "SCHEMA")) return [{ kind: "dropDatabase", name: nameOf(list[word(list[2], "IF") ? 4 : 2]) }];
  }
  if (word(list[0], "RENAME") && word(list[1], "TABLE")) {
    const from = qualifiedName(list, 2);
    return [{ kind: "renameTable", table: from.name, newName: nameOf(list[from.next + 1]) }];
  }
  return [];
}

function alterClause(table: string, clause: Token[], online: OnlineDdlOptions): Change[] {
  const [first, second, third] = clause;
  if (word(first, "ALGORITHM", "LOCK")) return [];
  if (word(first, "MODIFY", "CHANGE")) {
    const column = nameOf(word(second, "COLUMN") ? third : second);
    return [{ kind: "alterType", table, column, type: undefined, using: false, ...online }];
  }
  if (word(first, "ADD")) {
    if (word(second, "PRIMARY")) return [{ kind: "addPrimaryKey", table, usingIndex: false }];
    if (word(second, "CONSTRAINT") && clause.some((t) => word(t, "PRIMARY"))) return [{ kind: "addPrimaryKey", table, usingIndex: false }];
    if (word(second, "INDEX", "KEY", "UNIQUE", "FULLTEXT", "SPATIAL")) {
      const named = clause.find((t, k) => k >= 2 && !word(t, "INDEX", "KEY", "("));
      return [{ kind: "createIndex", name: nameOf(named), table, concurrently: false, ...online }];
    }
    if (word(second, "CONSTRAINT", "FOREIGN", "CHECK", "PARTITION")) return [];
    const column = nameOf(word(second, "COLUMN") ? third : second);
    return [{ kind: "addColumn", table, column: { name: column, nullable: true, primaryKey: false, generated: false }, unique: false, ...online }];
  }
  if (word(first, "DROP")) {
    if (word(second, "PRIMARY")) return [{ kind: "dropPrimaryKey", table }];
    if (word(second, "INDEX", "KEY")) return [{ kind: "dropIndex", name: nameOf(third), concurrently: false, ...online }];
    if (word(second, "FOREIGN", "CONSTRAINT", "CHECK", "PARTITION")) return [];
    const column = nameOf(word(second, "COLUMN") ? third : second);
    return [{ kind: "dropColumn", table, column, ...online }];
  }
  if (word(first, "RENAME")) {
    if (word(second, "COLUMN")) return [{ kind: "renameColumn", table, column: nameOf(third), newName: nameOf(clause[4]), ...online }];
    if (word(second, "TO", "AS")) return [{ kind: "renameTable", table, newName: nameOf(third) }];
  }
  return [];
}
