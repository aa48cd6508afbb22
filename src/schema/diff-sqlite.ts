/**
 * SQLite's ALTER TABLE only adds, drops and renames columns. Any other change to an existing
 * table is made by rebuilding it, which the `batch` operation does.
 */
import type { Operation, TableRef } from "../ops/types.js";
import type { SchemaModel } from "./model.js";
import { objectKey, refKey } from "./refs.js";

/** Changes SQLite's ALTER TABLE cannot make: they need the table rebuilt (op.batch). */
function needsRebuild(op: Operation): boolean {
  switch (op.kind) {
    case "alterColumn":
      return Object.keys(op).some((key) => !["kind", "table", "column", "newName", "previous"].includes(key));
    case "createPrimaryKey":
    case "createUniqueConstraint":
    case "createForeignKey":
    case "createCheckConstraint":
    case "dropConstraint":
    case "validateConstraint":
      return true;
    default:
      return false;
  }
}

/**
 * On SQLite, every change to a table that needs a rebuild is gathered, with the table's other
 * changes, into one `batch` operation, placed where the last of them was.
 */
export function batchSqliteRebuilds(operations: Operation[], from: SchemaModel): Operation[] {
  const existing = new Set(from.tables.map((t) => objectKey("sqlite", t.schema, t.name)));
  const keyOf = (op: Operation): string | undefined => {
    if (!("table" in op) || op.table === undefined || op.kind === "createTable" || op.kind === "dropTable" || op.kind === "renameTable") return undefined;
    const key = refKey("sqlite", op.table);
    return existing.has(key) ? key : undefined;
  };
  const rebuilt = new Set(operations.filter(needsRebuild).map(keyOf).filter((key): key is string => key !== undefined));
  if (rebuilt.size === 0) return operations;
  const lastIndex = new Map<string, number>();
  operations.forEach((op, i) => {
    const key = keyOf(op);
    if (key !== undefined && rebuilt.has(key)) lastIndex.set(key, i);
  });
  const batches = new Map<string, Operation[]>();
  const result: Operation[] = [];
  operations.forEach((op, i) => {
    const key = keyOf(op);
    if (key === undefined || !rebuilt.has(key)) {
      result.push(op);
      return;
    }
    const ops = batches.get(key) ?? [];
    ops.push(op);
    batches.set(key, ops);
    if (lastIndex.get(key) === i) result.push({ kind: "batch", table: (op as { table: TableRef }).table, ops });
  });
  return result;
}
