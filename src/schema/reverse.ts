/**
 * The reverse of operations the diff emits, built from the `previous` state each one carries.
 * Raw SQL and enum value additions have no reverse.
 */
import type { AlterColumnOp, ColumnSpec, Operation } from "../ops/types.js";
import { defaultPrimaryKeyName } from "./naming.js";
import { resolveRef } from "./refs.js";
import type { DialectName } from "./normalize.js";

/** The operation that undoes `op`, or undefined when there is none. */
export function reverseOperation(op: Operation, dialect: DialectName): Operation | undefined {
  switch (op.kind) {
    case "createTable":
      return { kind: "dropTable", table: op.table, previous: op };
    case "dropTable":
      return op.previous;
    case "renameTable": {
      const { schema, name } = resolveRef(dialect, op.table);
      const renamed = typeof op.table === "string" && !op.table.includes(".") ? op.newName : { schema, name: op.newName };
      return { kind: "renameTable", table: renamed, newName: name };
    }
    case "setTableComment":
      return op.previous === undefined ? undefined : { kind: "setTableComment", table: op.table, comment: op.previous, previous: op.comment };
    case "setComment":
      return op.previous === undefined ? undefined : { kind: "setComment", target: op.target, comment: op.previous, previous: op.comment };
    case "addColumn":
      return { kind: "dropColumn", table: op.table, column: op.column.name, previous: op.column };
    case "dropColumn":
      return op.previous ? { kind: "addColumn", table: op.table, column: op.previous } : undefined;
    case "alterColumn":
      return reverseAlterColumn(op);
    case "createIndex": {
      const drop: Operation = { kind: "dropIndex", name: op.name, previous: op };
      if (dialect === "mysql") drop.table = op.table;
      else if (typeof op.table !== "string" && op.table.schema !== undefined) drop.schema = op.table.schema;
      return drop;
    }
    case "dropIndex":
      return op.previous;
    case "createPrimaryKey":
      return {
        kind: "dropConstraint",
        table: op.table,
        name: op.name ?? defaultPrimaryKeyName(dialect, resolveRef(dialect, op.table).name) ?? `${resolveRef(dialect, op.table).name}_pkey`,
        type: "primaryKey",
        previous: op,
      };
    case "createUniqueConstraint":
      return { kind: "dropConstraint", table: op.table, name: op.name, type: "unique", previous: op };
    case "createForeignKey":
      return { kind: "dropConstraint", table: op.table, name: op.name, type: "foreignKey", previous: op };
    case "createCheckConstraint":
      return { kind: "dropConstraint", table: op.table, name: op.name, type: "check", previous: op };
    case "createExcludeConstraint":
      return { kind: "dropConstraint", table: op.table, name: op.name, type: "exclude", previous: op };
    case "dropConstraint":
      return op.previous;
    case "createSchema":
      return { kind: "dropSchema", name: op.name };
    case "dropSchema":
      return { kind: "createSchema", name: op.name };
    case "createExtension":
      return { kind: "dropExtension", name: op.name };
    case "dropExtension":
      return { kind: "createExtension", name: op.name, ifNotExists: true };
    case "createEnum":
      return op.schema === undefined ? { kind: "dropEnum", name: op.name, previous: op } : { kind: "dropEnum", name: op.name, schema: op.schema, previous: op };
    case "dropEnum":
      return op.previous;
    case "renameEnumValue":
      return { ...op, from: op.to, to: op.from };
    case "createSequence":
      return op.schema === undefined ? { kind: "dropSequence", name: op.name, previous: op } : { kind: "dropSequence", name: op.name, schema: op.schema, previous: op };
    case "dropSequence":
      return op.previous;
    case "createView": {
      const drop: Operation = { kind: "dropView", name: op.name, previous: op };
      if (op.schema !== undefined) drop.schema = op.schema;
      if (op.materialized) drop.materialized = true;
      return drop;
    }
    case "dropView":
      return op.previous;
    default:
      return undefined;
  }
}

function reverseAlterColumn(op: AlterColumnOp): Operation | undefined {
  const previous: Partial<ColumnSpec> = op.previous ?? {};
  const reverse: AlterColumnOp = { kind: "alterColumn", table: op.table, column: op.newName ?? op.column };
  const forward: Partial<ColumnSpec> = {};
  if (op.newName !== undefined) {
    reverse.newName = op.column;
    forward.name = op.newName;
  }
  if (op.type !== undefined) {
    if (previous.type === undefined) return undefined;
    reverse.type = previous.type;
    forward.type = op.type;
  }
  if (op.nullable !== undefined) {
    reverse.nullable = previous.nullable ?? !op.nullable;
    forward.nullable = op.nullable;
  }
  if (op.default !== undefined) {
    reverse.default = previous.default ?? null;
    if (op.default !== null) forward.default = op.default;
  }
  if (op.identity !== undefined) {
    reverse.identity = previous.identity ?? null;
    if (op.identity !== null) forward.identity = op.identity;
  }
  if (op.generated !== undefined) {
    reverse.generated = previous.generated ?? null;
    if (op.generated !== null) forward.generated = op.generated;
  }
  if (op.collation !== undefined) {
    if (previous.collation === undefined) return undefined;
    reverse.collation = previous.collation;
    forward.collation = op.collation;
  }
  if (op.comment !== undefined) reverse.comment = previous.comment ?? null;
  reverse.previous = forward;
  return reverse;
}

/** The reverses of `ops`, last first; throws nothing, but reports which ones have none. */
export function reverseOperations(ops: readonly Operation[], dialect: DialectName): { operations: Operation[]; irreversible: Operation[] } {
  const operations: Operation[] = [];
  const irreversible: Operation[] = [];
  for (const op of [...ops].reverse()) {
    const reverse = reverseOperation(op, dialect);
    if (reverse === undefined) irreversible.push(op);
    else operations.push(reverse);
  }
  return { operations, irreversible };
}
