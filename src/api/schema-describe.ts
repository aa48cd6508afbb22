/** One readable line per operation, for `check` and `drift` output: "+ table users", "~ column users.email: type ...". */
import type { Operation, TableRef } from "../ops/types.js";

function table(ref: TableRef): string {
  return typeof ref === "string" ? ref : ref.schema ? `${ref.schema}.${ref.name}` : ref.name;
}

function qualified(name: string, schema?: string): string {
  return schema ? `${schema}.${name}` : name;
}

function shown(value: unknown): string {
  if (value === null) return "none";
  if (typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "sql") return (value as { text: string }).text;
  return typeof value === "string" ? value : JSON.stringify(value);
}

export function describeOperation(op: Operation): string {
  switch (op.kind) {
    case "createTable":
      return `+ table ${table(op.table)} (${op.columns.map((c) => c.name).join(", ")})`;
    case "dropTable":
      return `- table ${table(op.table)}`;
    case "renameTable":
      return `~ table ${table(op.table)} renamed to ${op.newName}`;
    case "setTableComment":
      return `~ table ${table(op.table)}: comment ${shown(op.comment)}`;
    case "addColumn":
      return `+ column ${table(op.table)}.${op.column.name} ${op.column.type}${op.column.nullable === false ? " NOT NULL" : ""}`;
    case "dropColumn":
      return `- column ${table(op.table)}.${op.column}`;
    case "alterColumn": {
      const changes: string[] = [];
      const previous = op.previous ?? {};
      const change = (label: string, from: unknown, to: unknown) =>
        changes.push(from === undefined ? `${label} ${shown(to)}` : `${label} ${shown(from)} -> ${shown(to)}`);
      if (op.newName !== undefined) changes.push(`renamed to ${op.newName}`);
      if (op.type !== undefined) change("type", previous.type, op.type);
      if (op.nullable !== undefined) changes.push(op.nullable ? "nullable" : "NOT NULL");
      if (op.default !== undefined) change("default", previous.default, op.default);
      if (op.identity !== undefined) change("identity", previous.identity, op.identity);
      if (op.generated !== undefined) change("generated", previous.generated, op.generated);
      if (op.collation !== undefined) change("collation", previous.collation, op.collation);
      if (op.comment !== undefined) change("comment", previous.comment, op.comment);
      return `~ column ${table(op.table)}.${op.column}: ${changes.join(", ")}`;
    }
    case "createIndex":
      return `+ index ${op.name} on ${table(op.table)}`;
    case "dropIndex":
      return `- index ${qualified(op.name, op.schema)}`;
    case "createPrimaryKey":
      return `+ primary key on ${table(op.table)} (${op.columns.join(", ")})`;
    case "createUniqueConstraint":
      return `+ unique ${op.name} on ${table(op.table)} (${op.columns.join(", ")})`;
    case "createForeignKey":
      return `+ foreign key ${op.name} on ${table(op.table)} (${op.columns.join(", ")}) -> ${table(op.refTable)}`;
    case "createCheckConstraint":
      return `+ check ${op.name} on ${table(op.table)}: ${op.expression}`;
    case "createExcludeConstraint":
      return `+ exclusion constraint ${op.name} on ${table(op.table)}`;
    case "validateConstraint":
      return `~ constraint ${op.name} on ${table(op.table)} validated`;
    case "dropConstraint":
      return `- ${op.type ?? "constraint"} ${op.name} on ${table(op.table)}`;
    case "createSchema":
      return `+ schema ${op.name}`;
    case "dropSchema":
      return `- schema ${op.name}`;
    case "createExtension":
      return `+ extension ${op.name}`;
    case "dropExtension":
      return `- extension ${op.name}`;
    case "createEnum":
      return `+ enum ${qualified(op.name, op.schema)} (${op.values.join(", ")})`;
    case "dropEnum":
      return `- enum ${qualified(op.name, op.schema)}`;
    case "addEnumValue":
      return `+ enum value ${qualified(op.name, op.schema)}.${op.value}`;
    case "renameEnumValue":
      return `~ enum value ${qualified(op.name, op.schema)}.${op.from} renamed to ${op.to}`;
    case "createSequence":
      return `+ sequence ${qualified(op.name, op.schema)}`;
    case "dropSequence":
      return `- sequence ${qualified(op.name, op.schema)}`;
    case "createView":
      return `${op.orReplace ? "~" : "+"} ${op.materialized ? "materialized view" : "view"} ${qualified(op.name, op.schema)}`;
    case "dropView":
      return `- ${op.materialized ? "materialized view" : "view"} ${qualified(op.name, op.schema)}`;
    case "refreshMaterializedView":
      return `~ refresh materialized view ${qualified(op.name, op.schema)}`;
    case "setComment":
      return `~ comment on ${op.target.type} ${"name" in op.target ? op.target.name : table(op.target.table)}: ${shown(op.comment)}`;
    case "execute":
      return `~ ${firstLine(op.sql)}`;
    case "bulkInsert":
      return `+ ${op.rows.length} rows into ${table(op.table)}`;
    case "batch":
    case "autocommit":
      return op.ops.map(describeOperation).join("\n");
  }
}

function firstLine(sql: string): string {
  const line = sql.trim().split("\n")[0] ?? "";
  return line.length > 100 ? `${line.slice(0, 97)}...` : line;
}
