/**
 * Takes SQLite's stored CREATE TABLE text apart into columns and constraints, keeping each
 * clause's original text, so that a table rebuild changes only what a batch asks for.
 */
import { StratumError } from "../../errors.js";
import { identName, isWord, significant, tokenize, type Token } from "./lexer.js";
import { quoteIdent } from "./quote.js";

export type ColumnClauseKind =
  | "primaryKey"
  | "notNull"
  | "null"
  | "unique"
  | "check"
  | "default"
  | "collate"
  | "references"
  | "generated";

export interface ColumnClause {
  kind: ColumnClauseKind;
  /** The CONSTRAINT name in front of the clause, if any. */
  name?: string;
  /** The clause without its CONSTRAINT name. */
  text: string;
}

export interface ColumnDefinition {
  name: string;
  type: string;
  clauses: ColumnClause[];
}

export type TableConstraintKind = "primaryKey" | "unique" | "check" | "foreignKey";

export interface TableConstraint {
  kind: TableConstraintKind;
  name?: string;
  /** Columns it names: the key columns, or every identifier in a CHECK expression (lower case). */
  columns: string[];
  text: string;
}

export interface TableDefinition {
  columns: ColumnDefinition[];
  constraints: TableConstraint[];
  /** What follows the closing parenthesis: WITHOUT ROWID, STRICT. */
  options: string;
}

const CLAUSE_START: Record<string, ColumnClauseKind> = {
  PRIMARY: "primaryKey",
  NOT: "notNull",
  NULL: "null",
  UNIQUE: "unique",
  CHECK: "check",
  DEFAULT: "default",
  COLLATE: "collate",
  REFERENCES: "references",
  GENERATED: "generated",
  AS: "generated",
};

const TABLE_CONSTRAINT_START: Record<string, TableConstraintKind> = {
  PRIMARY: "primaryKey",
  UNIQUE: "unique",
  CHECK: "check",
  FOREIGN: "foreignKey",
};

export function parseCreateTable(sql: string, table: string): TableDefinition {
  const tokens = significant(tokenize(sql, `CREATE TABLE of "${table}"`));
  const open = tokens.findIndex((t) => t.type === "punct" && t.text === "(");
  if (open < 0) throw new StratumError(`table "${table}" was created with CREATE TABLE ... AS SELECT, which op.batch cannot rebuild`);
  const items: Token[][] = [[]];
  let depth = 0;
  let close = -1;
  for (let i = open + 1; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.type === "punct" && token.text === "(") depth++;
    if (token.type === "punct" && token.text === ")") {
      if (depth === 0) {
        close = i;
        break;
      }
      depth--;
    }
    if (depth === 0 && token.type === "punct" && token.text === ",") items.push([]);
    else items[items.length - 1]!.push(token);
  }
  if (close < 0) throw new StratumError(`cannot read the definition of table "${table}": unbalanced parentheses`);
  const closeToken = tokens[close]!;
  const definition: TableDefinition = { columns: [], constraints: [], options: sql.slice(closeToken.start + 1).trim() };
  for (const item of items) {
    if (item.length === 0) continue;
    const constraintKind = tableConstraintKind(item);
    if (constraintKind) definition.constraints.push(parseTableConstraint(sql, item, constraintKind));
    else definition.columns.push(parseColumn(sql, item));
  }
  return definition;
}

function textOf(sql: string, tokens: Token[]): string {
  if (tokens.length === 0) return "";
  const last = tokens[tokens.length - 1]!;
  return sql.slice(tokens[0]!.start, last.start + last.text.length);
}

function tableConstraintKind(item: Token[]): TableConstraintKind | undefined {
  const first = item[0]!;
  if (isWord(first, "CONSTRAINT")) return TABLE_CONSTRAINT_START[(item[2]?.text ?? "").toUpperCase()] ?? "check";
  if (first.type !== "word") return undefined;
  const kind = TABLE_CONSTRAINT_START[first.text.toUpperCase()];
  // A column may be called "check" only when quoted; a bare keyword here starts a constraint,
  // except PRIMARY/UNIQUE/FOREIGN used as a column name followed by a type.
  if (kind === "primaryKey" && !isWord(item[1], "KEY")) return undefined;
  if (kind === "foreignKey" && !isWord(item[1], "KEY")) return undefined;
  if (kind === "unique" && !(item[1]?.type === "punct" && item[1].text === "(")) return undefined;
  return kind;
}

/** Names inside the first parenthesised list: the key columns of PRIMARY KEY, UNIQUE or FOREIGN KEY. */
function firstListColumns(tokens: Token[]): string[] {
  const open = tokens.findIndex((t) => t.type === "punct" && t.text === "(");
  if (open < 0) return [];
  const names: string[] = [];
  let depth = 0;
  let expectName = true;
  for (let i = open + 1; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.type === "punct" && token.text === "(") depth++;
    else if (token.type === "punct" && token.text === ")") {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && token.type === "punct" && token.text === ",") expectName = true;
    else if (depth === 0 && expectName && (token.type === "word" || token.type === "quotedIdent")) {
      names.push(identName(token).toLowerCase());
      expectName = false;
    }
  }
  return names;
}

/** Every identifier an expression mentions, lower case (keywords included: harmless for lookups). */
export function identifiersIn(tokens: Token[]): string[] {
  return tokens.filter((t) => t.type === "word" || t.type === "quotedIdent").map((t) => identName(t).toLowerCase());
}

function parseTableConstraint(sql: string, item: Token[], kind: TableConstraintKind): TableConstraint {
  let body = item;
  let name: string | undefined;
  if (isWord(item[0], "CONSTRAINT")) {
    name = identName(item[1]!);
    body = item.slice(2);
  }
  const columns = kind === "check" ? identifiersIn(body) : firstListColumns(body);
  return { kind, ...(name !== undefined ? { name } : {}), columns, text: textOf(sql, body) };
}

function parseColumn(sql: string, item: Token[]): ColumnDefinition {
  const name = identName(item[0]!);
  const clauses: ColumnClause[] = [];
  let typeTokens: Token[] = [];
  let current: { kind: ColumnClauseKind; name?: string; tokens: Token[] } | undefined;
  let pendingName: string | undefined;
  let depth = 0;
  const finish = () => {
    if (current) clauses.push({ kind: current.kind, ...(current.name !== undefined ? { name: current.name } : {}), text: textOf(sql, current.tokens) });
    current = undefined;
  };
  for (let i = 1; i < item.length; i++) {
    const token = item[i]!;
    const previous = item[i - 1];
    if (depth === 0 && isWord(token, "CONSTRAINT")) {
      finish();
      pendingName = identName(item[i + 1]!);
      i++;
      continue;
    }
    const kind = depth === 0 && token.type === "word" ? CLAUSE_START[token.text.toUpperCase()] : undefined;
    if (kind && startsClause(kind, current?.kind, previous, item[i + 1])) {
      finish();
      current = { kind, ...(pendingName !== undefined ? { name: pendingName } : {}), tokens: [token] };
      pendingName = undefined;
    } else if (current) current.tokens.push(token);
    else typeTokens.push(token);
    if (token.type === "punct" && token.text === "(") depth++;
    if (token.type === "punct" && token.text === ")") depth--;
  }
  finish();
  return { name, type: textOf(sql, typeTokens), clauses };
}

/** Whether a clause keyword really starts a new clause, rather than continuing the current one. */
function startsClause(kind: ColumnClauseKind, current: ColumnClauseKind | undefined, previous: Token | undefined, next: Token | undefined): boolean {
  if (current === "references") {
    // ON DELETE SET NULL / SET DEFAULT, NOT DEFERRABLE stay inside the REFERENCES clause.
    if (isWord(previous, "SET")) return false;
    if (kind === "notNull" && isWord(next, "DEFERRABLE")) return false;
  }
  if (kind === "null" && isWord(previous, "NOT", "DEFAULT")) return false;
  if (current === "generated" && kind === "generated") return false; // GENERATED ALWAYS AS
  return true;
}

export function renderColumn(column: ColumnDefinition): string {
  let text = quoteIdent(column.name);
  if (column.type) text += ` ${column.type}`;
  for (const clause of column.clauses) text += ` ${clause.name !== undefined ? `CONSTRAINT ${quoteIdent(clause.name)} ` : ""}${clause.text}`;
  return text;
}

export function renderTableConstraint(constraint: TableConstraint): string {
  return `${constraint.name !== undefined ? `CONSTRAINT ${quoteIdent(constraint.name)} ` : ""}${constraint.text}`;
}

export function renderTableDefinition(name: string, definition: TableDefinition): string {
  const items = [...definition.columns.map(renderColumn), ...definition.constraints.map(renderTableConstraint)];
  return `CREATE TABLE ${quoteIdent(name)} (\n  ${items.join(",\n  ")}\n)${definition.options ? ` ${definition.options}` : ""}`;
}
