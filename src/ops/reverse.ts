/**
 * The reverse of each operation, where one exists: what autogenerate writes into `downgrade`,
 * what the schema diff is checked against, and what a recorded upgrade can be undone with. An
 * operation that destroys information (a drop without `previous`, raw SQL, inserted rows, an
 * added enum value) has no reverse.
 *
 * The dialect, when known, settles what a bare reference cannot: whether `"app.users"` names a
 * table in schema `app`, and what the database called a primary key declared without a name.
 */
import { StratumError } from "../errors.js";
import type { SchemaModel } from "../schema/model.js";
import { defaultPrimaryKeyName } from "../schema/naming.js";
import { resolveRef } from "../schema/refs.js";
import { tableName, tableSchema } from "./table-ref.js";
import type { AlterColumnOp, ColumnSpec, ConstraintType, Operation, TableRef } from "./types.js";

type DialectName = SchemaModel["dialect"];

/** Operations whose reverse is simply doing nothing: they change no structure. */
const NOTHING_TO_UNDO = new Set<Operation["kind"]>(["validateConstraint", "refreshMaterializedView"]);

/** The table reference with its name replaced (schema kept). */
function renamed(table: TableRef, name: string): TableRef {
  return typeof table === "string" ? name : { ...table, name };
}

/** The renamed table's reference and its old name; a dotted name is schema-qualified where the dialect says so. */
function renameTarget(table: TableRef, newName: string, dialect: DialectName | undefined): { table: TableRef; oldName: string } {
  if (typeof table === "string" && dialect !== undefined) {
    const { schema, name } = resolveRef(dialect, table);
    if (name !== table) return { table: { schema, name: newName }, oldName: name };
  }
  return { table: renamed(table, newName), oldName: tableName(table) };
}

/** The name the database gives a primary key declared without one (PostgreSQL's TABLE_pkey unless told otherwise). */
function primaryKeyName(table: TableRef, dialect: DialectName | undefined): string {
  const name = dialect === undefined ? tableName(table) : resolveRef(dialect, table).name;
  return defaultPrimaryKeyName(dialect ?? "postgresql", name) ?? `${name}_pkey`;
}

function dropConstraint(table: TableRef, name: string, type: ConstraintType, previous: Operation): Operation {
  return { kind: "dropConstraint", table, name, type, previous };
}

/**
 * The operation that undoes `op`, or undefined when none exists. Operations that change no
 * structure (validateConstraint, refreshMaterializedView) also return undefined; `reverseAll`
 * skips those rather than failing.
 */
export function reverseOperation(op: Operation, dialect?: DialectName): Operation | undefined {
  switch (op.kind) {
    case "createTable":
      return { kind: "dropTable", table: op.table, previous: op };
    case "dropTable":
      return op.previous;
    case "renameTable": {
      const { table, oldName } = renameTarget(op.table, op.newName, dialect);
      return { kind: "renameTable", table, newName: oldName };
    }
    case "setTableComment":
      return op.previous === undefined ? undefined : { kind: "setTableComment", table: op.table, comment: op.previous, previous: op.comment };
    case "addColumn":
      return { kind: "dropColumn", table: op.table, column: op.column.name, previous: op.column };
    case "dropColumn":
      return op.previous ? { kind: "addColumn", table: op.table, column: op.previous } : undefined;
    case "alterColumn":
      return reverseAlterColumn(op);
    case "createIndex": {
      const schema = tableSchema(op.table);
      return {
        kind: "dropIndex",
        name: op.name,
        table: op.table,
        ...(schema ? { schema } : {}),
        ...(op.concurrently ? { concurrently: true } : {}),
        previous: op,
      };
    }
    case "dropIndex":
      return op.previous;
    case "createPrimaryKey":
      return dropConstraint(op.table, op.name ?? primaryKeyName(op.table, dialect), "primaryKey", op);
    case "createUniqueConstraint":
      return dropConstraint(op.table, op.name, "unique", op);
    case "createForeignKey":
      return dropConstraint(op.table, op.name, "foreignKey", op);
    case "createCheckConstraint":
      return dropConstraint(op.table, op.name, "check", op);
    case "createExcludeConstraint":
      return dropConstraint(op.table, op.name, "exclude", op);
    case "dropConstraint":
      return op.previous;
    case "createSchema":
      return { kind: "dropSchema", name: op.name };
    case "dropSchema":
      return op.previous;
    case "createExtension":
      return { kind: "dropExtension", name: op.name };
    case "dropExtension":
      return op.previous;
    case "createEnum":
      return { kind: "dropEnum", name: op.name, ...(op.schema ? { schema: op.schema } : {}), previous: op };
    case "dropEnum":
      return op.previous;
    case "renameEnumValue":
      return { ...op, from: op.to, to: op.from };
    case "createSequence":
      return { kind: "dropSequence", name: op.name, ...(op.schema ? { schema: op.schema } : {}), previous: op };
    case "dropSequence":
      return op.previous;
    case "createView":
      // OR REPLACE may have replaced an earlier definition, which dropping would lose.
      if (op.orReplace) return undefined;
      return {
        kind: "dropView",
        name: op.name,
        ...(op.schema ? { schema: op.schema } : {}),
        ...(op.materialized ? { materialized: true } : {}),
        previous: op,
      };
    case "dropView":
      return op.previous;
    case "setComment":
      return op.previous === undefined ? undefined : { kind: "setComment", target: op.target, comment: op.previous, previous: op.comment };
    case "batch": {
      const { reversed, irreversible } = tryReverseAll(op.ops, dialect);
      return irreversible.length > 0 ? undefined : { kind: "batch", table: op.table, ops: reversed };
    }
    case "autocommit": {
      const { reversed, irreversible } = tryReverseAll(op.ops, dialect);
      return irreversible.length > 0 ? undefined : { kind: "autocommit", ops: reversed };
    }
    case "addEnumValue":
    case "validateConstraint":
    case "refreshMaterializedView":
    case "execute":
    case "bulkInsert":
      return undefined;
  }
}

function has<K extends keyof ColumnSpec>(previous: Partial<ColumnSpec>, key: K): boolean {
  return Object.prototype.hasOwnProperty.call(previous, key);
}

/**
 * An ALTER COLUMN is reversible when `previous` records every field it changes. A field recorded
 * as undefined in `previous` means "there was none" (no default, no comment, no identity).
 */
function reverseAlterColumn(op: AlterColumnOp): AlterColumnOp | undefined {
  const previous = op.previous;
  if (!previous) return undefined;
  // A column that stopped being generated cannot become generated again.
  if (op.generated === null) return undefined;
  const reverse: AlterColumnOp = { kind: "alterColumn", table: op.table, column: op.newName ?? op.column };
  if (op.newName !== undefined) reverse.newName = op.column;
  // PostgreSQL changes a collation through ALTER TYPE, so the type is needed either way.
  if (op.type !== undefined || op.collation !== undefined) {
    if (previous.type === undefined) return undefined;
    if (op.type !== undefined) reverse.type = previous.type;
    if (op.collation !== undefined) {
      if (previous.collation === undefined) return undefined;
      reverse.collation = previous.collation;
    }
  }
  if (op.nullable !== undefined) {
    if (!has(previous, "nullable")) return undefined;
    reverse.nullable = previous.nullable ?? true;
  }
  if (op.default !== undefined) {
    if (!has(previous, "default")) return undefined;
    reverse.default = previous.default ?? null;
  }
  if (op.comment !== undefined) {
    if (!has(previous, "comment")) return undefined;
    reverse.comment = previous.comment ?? null;
  }
  if (op.identity !== undefined) {
    if (!has(previous, "identity")) return undefined;
    reverse.identity = previous.identity ?? null;
  }
  if (op.generated !== undefined) {
    if (!has(previous, "generated")) return undefined;
    reverse.generated = previous.generated ?? null;
  }
  const current: Partial<ColumnSpec> = {};
  if (op.type !== undefined || op.collation !== undefined) current.type = op.type ?? previous.type;
  if (op.collation !== undefined) current.collation = op.collation;
  if (op.nullable !== undefined) current.nullable = op.nullable;
  if (op.default !== undefined) current.default = op.default ?? undefined;
  if (op.comment !== undefined) current.comment = op.comment ?? undefined;
  if (op.identity !== undefined) current.identity = op.identity ?? undefined;
  if (op.generated !== undefined) current.generated = op.generated;
  reverse.previous = current;
  return reverse;
}

/** Raised by `reverseAll` when an operation cannot be undone. */
export class IrreversibleOperationError extends StratumError {
  constructor(readonly operation: Operation) {
    super(`The ${operation.kind} operation${describeTarget(operation)} cannot be reversed automatically; write its downgrade by hand.`);
  }
}

function describeTarget(op: Operation): string {
  if ("name" in op && typeof op.name === "string") return ` on ${op.name}`;
  if ("table" in op && op.table !== undefined) return ` on ${tableName(op.table)}`;
  return "";
}

/** Reverses a list: each operation's reverse, last first. Those with no reverse are returned apart. */
export function tryReverseAll(ops: readonly Operation[], dialect?: DialectName): { reversed: Operation[]; irreversible: Operation[] } {
  const reversed: Operation[] = [];
  const irreversible: Operation[] = [];
  for (const op of [...ops].reverse()) {
    if (NOTHING_TO_UNDO.has(op.kind)) continue;
    const reverse = reverseOperation(op, dialect);
    if (reverse === undefined) irreversible.push(op);
    else reversed.push(reverse);
  }
  return { reversed, irreversible };
}

/** Reverses a list (last first); throws IrreversibleOperationError on the first that cannot be undone. */
export function reverseAll(ops: readonly Operation[], dialect?: DialectName): Operation[] {
  const { reversed, irreversible } = tryReverseAll(ops, dialect);
  if (irreversible.length > 0) throw new IrreversibleOperationError(irreversible[0]!);
  return reversed;
}
