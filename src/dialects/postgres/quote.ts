import type { TableRef } from "../../ops/types.js";

export function quoteIdent(name: string): string {
  return '"' + name.replaceAll('"', '""') + '"';
}

export function qualify(table: TableRef): string {
  if (typeof table === "string") return quoteIdent(table);
  return table.schema ? `${quoteIdent(table.schema)}.${quoteIdent(table.name)}` : quoteIdent(table.name);
}

export function quoteLiteral(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (value instanceof Date) return quoteLiteral(value.toISOString());
  if (typeof value === "object") return quoteLiteral(JSON.stringify(value));
  return "'" + String(value).replaceAll("'", "''") + "'";
}
