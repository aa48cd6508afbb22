/**
 * The names a database gives constraints that were declared without one, so that a model built
 * from declarations matches the same schema read back from the catalog.
 */
import type { DialectName } from "./normalize.js";

/** PostgreSQL identifiers are cut to 63 bytes. */
const maxIdentifierLength = 63;

/**
 * PostgreSQL's rule for generated names: `table_columns_label`, shortening the longer of the two
 * parts until the whole fits.
 */
export function postgresObjectName(table: string, columns: string, label: string): string {
  const overhead = label.length + 1 + (columns ? 1 : 0);
  const available = maxIdentifierLength - overhead;
  let tableChars = table.length;
  let columnChars = columns.length;
  while (tableChars + columnChars > available) {
    if (tableChars > columnChars) tableChars--;
    else columnChars--;
  }
  const head = table.slice(0, tableChars) + (columns ? "_" + columns.slice(0, columnChars) : "");
  return `${head}_${label}`;
}

export function defaultPrimaryKeyName(dialect: DialectName, table: string): string | undefined {
  if (dialect === "postgresql") return postgresObjectName(table, "", "pkey");
  if (dialect === "mysql") return "PRIMARY";
  return undefined;
}

export function defaultUniqueName(dialect: DialectName, table: string, columns: string[]): string {
  if (dialect === "mysql") return columns[0] ?? `${table}_key`;
  return postgresObjectName(table, columns.join("_"), "key");
}

/** `ordinal` counts the table's foreign keys from 1 (MySQL numbers them). */
export function defaultForeignKeyName(dialect: DialectName, table: string, columns: string[], ordinal: number): string {
  if (dialect === "mysql") return `${table}_ibfk_${ordinal}`;
  return postgresObjectName(table, columns.join("_"), "fkey");
}

export function defaultCheckName(dialect: DialectName, table: string, columns: string[], ordinal: number): string {
  if (dialect === "mysql") return `${table}_chk_${ordinal}`;
  return postgresObjectName(table, columns.join("_"), "check");
}
