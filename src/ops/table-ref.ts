/** Reading a TableRef, which is either a bare name or `{ schema?, name }`. */
import type { TableRef } from "./types.js";

/** The table's own name, without any schema. */
export function tableName(table: TableRef): string {
  return typeof table === "string" ? table : table.name;
}

/** The schema a reference names, if it names one (a bare string names none). */
export function tableSchema(table: TableRef): string | undefined {
  return typeof table === "string" ? undefined : table.schema;
}

/** The reference as people write it in messages: "app.users" or "users". */
export function displayTableName(table: TableRef): string {
  const schema = tableSchema(table);
  return schema ? `${schema}.${tableName(table)}` : tableName(table);
}
