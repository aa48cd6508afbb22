/**
 * SQLite DDL fragments shared by the renderer and the table rebuild: column definitions,
 * defaults, foreign key clauses and table constraints.
 */
import { StratumError } from "../../errors.js";
import {
  isSqlExpression,
  type CheckSpec,
  type ColumnSpec,
  type DefaultValue,
  type ForeignKeySpec,
  type ReferentialAction,
  type TableRef,
  type UniqueSpec,
} from "../../ops/types.js";
import { expressionText } from "../common-render.js";
import { qualify, quoteIdent, quoteList, quoteLiteral } from "./quote.js";

/** Keyword-like defaults SQLite accepts without parentheses. */
const BARE_DEFAULTS = /^(CURRENT_TIMESTAMP|CURRENT_DATE|CURRENT_TIME|NULL|TRUE|FALSE|-?\d+(\.\d+)?)$/i;

export function renderDefault(value: DefaultValue): string {
  if (isSqlExpression(value)) {
    const text = value.text.trim();
    // SQLite needs an expression default in parentheses; constants may stand alone.
    return BARE_DEFAULTS.test(text) || (text.startsWith("(") && text.endsWith(")")) ? text : `(${text})`;
  }
  return quoteLiteral(value);
}

export function referencesClause(
  refTable: TableRef,
  refColumns: string[],
  options: { onDelete?: ReferentialAction; onUpdate?: ReferentialAction; deferrable?: boolean; initiallyDeferred?: boolean },
): string {
  let clause = `REFERENCES ${qualify(refTable)} (${quoteList(refColumns)})`;
  if (options.onDelete) clause += ` ON DELETE ${options.onDelete}`;
  if (options.onUpdate) clause += ` ON UPDATE ${options.onUpdate}`;
  if (options.deferrable) clause += options.initiallyDeferred ? " DEFERRABLE INITIALLY DEFERRED" : " DEFERRABLE INITIALLY IMMEDIATE";
  return clause;
}

/** "users.id" or { table, column } as a REFERENCES clause. */
function inlineReference(references: NonNullable<ColumnSpec["references"]>, column: string): string {
  if (typeof references === "string") {
    const dot = references.lastIndexOf(".");
    if (dot <= 0 || dot === references.length - 1) {
      throw new StratumError(`column "${column}": references "${references}" must be written "table.column"`);
    }
    return referencesClause(references.slice(0, dot), [references.slice(dot + 1)], {});
  }
  return referencesClause(references.table, [references.column], references);
}

export function columnDefinition(column: ColumnSpec): string {
  if (typeof column.type !== "string" || column.type.trim() === "") {
    throw new StratumError(`column "${column.name}" needs a type, as a string such as "integer"`);
  }
  if (column.identity) {
    throw new StratumError(`SQLite has no identity columns ("${column.name}"): use autoIncrement on an integer primary key`);
  }
  const parts = [quoteIdent(column.name), column.type];
  if (column.primaryKey) parts.push(column.autoIncrement ? "PRIMARY KEY AUTOINCREMENT" : "PRIMARY KEY");
  else if (column.autoIncrement) {
    throw new StratumError(`SQLite allows AUTOINCREMENT only on an integer primary key ("${column.name}")`);
  }
  if (column.nullable === false) parts.push("NOT NULL");
  if (column.unique) parts.push("UNIQUE");
  if (column.default !== undefined) parts.push(`DEFAULT ${renderDefault(column.default)}`);
  if (column.collation) parts.push(`COLLATE ${quoteIdent(column.collation)}`);
  if (column.generated !== undefined) parts.push(`GENERATED ALWAYS AS (${expressionText(column.generated)}) STORED`);
  if (column.references) parts.push(inlineReference(column.references, column.name));
  return parts.join(" ");
}

function constraintName(name: string | undefined): string {
  return name ? `CONSTRAINT ${quoteIdent(name)} ` : "";
}

export function primaryKeyConstraint(name: string | undefined, columns: string[]): string {
  return `${constraintName(name)}PRIMARY KEY (${quoteList(columns)})`;
}

export function uniqueConstraint(unique: UniqueSpec): string {
  if (unique.usingIndex) throw new StratumError(`SQLite cannot build a unique constraint from an existing index ("${unique.usingIndex}")`);
  if (unique.nullsNotDistinct) throw new StratumError("SQLite has no UNIQUE NULLS NOT DISTINCT");
  return `${constraintName(unique.name)}UNIQUE (${quoteList(unique.columns)})`;
}

export function checkConstraint(check: CheckSpec): string {
  if (check.notValid) throw new StratumError(`SQLite cannot create a CHECK constraint NOT VALID${check.name ? ` ("${check.name}")` : ""}`);
  return `${constraintName(check.name)}CHECK (${check.expression})`;
}

export function foreignKeyConstraint(fk: ForeignKeySpec): string {
  if (fk.notValid) throw new StratumError(`SQLite cannot create a FOREIGN KEY NOT VALID${fk.name ? ` ("${fk.name}")` : ""}`);
  return `${constraintName(fk.name)}FOREIGN KEY (${quoteList(fk.columns)}) ${referencesClause(fk.refTable, fk.refColumns, fk)}`;
}
