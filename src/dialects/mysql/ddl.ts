/**
 * MySQL/MariaDB DDL fragments: column definitions, defaults and table constraints.
 */
import { StratumError } from "../../errors.js";
import {
  isSqlExpression,
  type CheckSpec,
  type ColumnSpec,
  type DefaultValue,
  type ForeignKeySpec,
  type UniqueSpec,
} from "../../ops/types.js";
import { mysqlLiteral } from "./params.js";
import { expressionText } from "../common-render.js";
import { qualify, quoteIdent, quoteList } from "./quote.js";

/** Defaults both servers take without parentheses. */
const BARE_DEFAULTS = /^(CURRENT_TIMESTAMP|NOW|LOCALTIME|LOCALTIMESTAMP)(\(\d*\))?$|^(NULL|TRUE|FALSE|-?\d+(\.\d+)?)$/i;

export function renderDefault(value: DefaultValue): string {
  if (isSqlExpression(value)) {
    const text = value.text.trim();
    // Expression defaults must be parenthesised on MySQL 8; MariaDB accepts that form too.
    return BARE_DEFAULTS.test(text) || (text.startsWith("(") && text.endsWith(")")) || /^'.*'$/s.test(text) ? text : `(${text})`;
  }
  return mysqlLiteral(value);
}

export function columnDefinition(column: Omit<ColumnSpec, "references">): string {
  if (typeof column.type !== "string" || column.type.trim() === "") {
    throw new StratumError(`column "${column.name}" needs a type, as a string such as "int"`);
  }
  if (column.identity) throw new StratumError(`MySQL has no identity columns ("${column.name}"): use autoIncrement`);
  const parts = [quoteIdent(column.name), column.type];
  if (column.collation) parts.push(`COLLATE ${quoteIdent(column.collation)}`);
  if (column.generated !== undefined) parts.push(`GENERATED ALWAYS AS (${expressionText(column.generated)}) STORED`);
  if (column.nullable === false) parts.push("NOT NULL");
  else if (column.generated === undefined) parts.push("NULL");
  if (column.default !== undefined) parts.push(`DEFAULT ${renderDefault(column.default)}`);
  if (column.autoIncrement) parts.push("AUTO_INCREMENT");
  if (column.unique) parts.push("UNIQUE");
  if (column.primaryKey) parts.push("PRIMARY KEY");
  if (column.comment !== undefined) parts.push(`COMMENT ${mysqlLiteral(column.comment)}`);
  return parts.join(" ");
}

/**
 * A column's inline REFERENCES as a table-level FOREIGN KEY: MySQL parses an inline
 * REFERENCES clause and then ignores it.
 */
export function inlineForeignKey(column: ColumnSpec): ForeignKeySpec | undefined {
  const references = column.references;
  if (references === undefined) return undefined;
  if (typeof references === "string") {
    const dot = references.lastIndexOf(".");
    if (dot <= 0 || dot === references.length - 1) {
      throw new StratumError(`column "${column.name}": references "${references}" must be written "table.column"`);
    }
    return { columns: [column.name], refTable: references.slice(0, dot), refColumns: [references.slice(dot + 1)] };
  }
  return {
    columns: [column.name],
    refTable: references.table,
    refColumns: [references.column],
    ...(references.onDelete ? { onDelete: references.onDelete } : {}),
    ...(references.onUpdate ? { onUpdate: references.onUpdate } : {}),
  };
}

function constraintName(name: string | undefined): string {
  return name ? `CONSTRAINT ${quoteIdent(name)} ` : "";
}

export function uniqueConstraint(unique: UniqueSpec): string {
  if (unique.usingIndex) throw new StratumError(`MySQL cannot build a unique constraint from an existing index ("${unique.usingIndex}")`);
  if (unique.nullsNotDistinct) throw new StratumError("MySQL has no UNIQUE NULLS NOT DISTINCT");
  return `${constraintName(unique.name)}UNIQUE (${quoteList(unique.columns)})`;
}

export function checkConstraint(check: CheckSpec): string {
  if (check.notValid) {
    throw new StratumError(`MySQL and MariaDB cannot create a CHECK constraint NOT VALID${check.name ? ` ("${check.name}")` : ""}`);
  }
  return `${constraintName(check.name)}CHECK (${check.expression})`;
}

export function foreignKeyConstraint(fk: ForeignKeySpec): string {
  const label = fk.name ? ` ("${fk.name}")` : "";
  if (fk.notValid) throw new StratumError(`MySQL and MariaDB cannot create a FOREIGN KEY NOT VALID${label}`);
  if (fk.deferrable || fk.initiallyDeferred) throw new StratumError(`MySQL has no deferrable constraints${label}`);
  let text = `${constraintName(fk.name)}FOREIGN KEY (${quoteList(fk.columns)}) REFERENCES ${qualify(fk.refTable)} (${quoteList(fk.refColumns)})`;
  if (fk.onDelete) text += ` ON DELETE ${fk.onDelete}`;
  if (fk.onUpdate) text += ` ON UPDATE ${fk.onUpdate}`;
  return text;
}
