/**
 * How tables are named across dialects: the default schema a bare name lives in, the key two
 * models are matched on, and the TableRef an operation carries.
 */
import type { TableRef } from "../ops/types.js";
import type { DialectName } from "./normalize.js";

/** The schema a bare table name lives in; MySQL's is the connected database, unknown here. */
export function defaultSchema(dialect: DialectName): string | undefined {
  if (dialect === "postgresql") return "public";
  if (dialect === "sqlite") return "main";
  return undefined;
}

/** MySQL models carry the database name as schema; tables are matched on their bare name there. */
export function objectKey(dialect: DialectName, schema: string | undefined, name: string): string {
  if (dialect === "mysql") return name;
  return `${schema ?? defaultSchema(dialect)}.${name}`;
}

/** A table reference for an operation: bare when in the default schema. */
export function tableRef(dialect: DialectName, schema: string | undefined, name: string): TableRef {
  if (dialect === "mysql" || schema === undefined || schema === defaultSchema(dialect)) return name;
  return { schema, name };
}

/** A schema-qualified name for operations that take `name` and `schema` separately. */
export function schemaField(dialect: DialectName, schema: string | undefined): string | undefined {
  if (dialect === "mysql" || schema === undefined || schema === defaultSchema(dialect)) return undefined;
  return schema;
}

export function resolveRef(dialect: DialectName, ref: TableRef): { schema: string | undefined; name: string } {
  if (typeof ref === "string") {
    const dot = dialect === "mysql" ? -1 : ref.indexOf(".");
    if (dot > 0) return { schema: ref.slice(0, dot), name: ref.slice(dot + 1) };
    return { schema: defaultSchema(dialect), name: ref };
  }
  return { schema: ref.schema ?? defaultSchema(dialect), name: ref.name };
}

export function refKey(dialect: DialectName, ref: TableRef): string {
  const { schema, name } = resolveRef(dialect, ref);
  return objectKey(dialect, schema, name);
}

/** Human-readable name for messages: "app.users" or "users". */
export function displayName(dialect: DialectName, schema: string | undefined, name: string): string {
  if (dialect === "mysql" || schema === undefined || schema === defaultSchema(dialect)) return name;
  return `${schema}.${name}`;
}
