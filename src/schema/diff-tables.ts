/**
 * The changes inside one table that exists on both sides: columns, keys, constraints, indexes,
 * comment and row-level security. Foreign keys are handled by the caller, because they depend on
 * other tables.
 */
import type { AlterColumnOp, ColumnSpec, DropConstraintOp, Operation, TableRef } from "../ops/types.js";
import { sameCheck, sameDefault, sameExclude, sameExpression, sameIdentity, sameIndex, sameType, sameUnique } from "./compare.js";
import { columnToSpec, defaultValue, indexToOp } from "./convert.js";
import type { CheckModel, ColumnModel, ExcludeModel, IndexModel, TableModel, UniqueModel } from "./model.js";
import { defaultPrimaryKeyName } from "./naming.js";
import type { DialectName } from "./normalize.js";
import { tableRef } from "./refs.js";
import { setForceRowLevelSecurity, setRowLevelSecurity } from "./statements.js";

/** The operations for one table, split by when they must run relative to other tables. */
export interface TableChanges {
  /** Drops of indexes, constraints and columns. */
  drops: Operation[];
  /** Column additions and changes, new keys, constraints, indexes, comment, RLS. */
  changes: Operation[];
  /** True when the primary key or a unique constraint is dropped (foreign keys onto it must be rebuilt). */
  rebuiltKeys: string[][];
  /** Columns dropped or changed in type (views reading them must be rebuilt). */
  reshapedColumns: string[];
}

export function primaryKeyName(dialect: DialectName, table: TableModel): string {
  return table.primaryKey?.name ?? defaultPrimaryKeyName(dialect, table.name) ?? `${table.name}_pkey`;
}

export function dropPrimaryKeyOp(dialect: DialectName, table: TableModel, ref: TableRef): DropConstraintOp {
  const pk = table.primaryKey!;
  const create: Operation = { kind: "createPrimaryKey", table: ref, columns: [...pk.columns] };
  if (pk.name !== undefined && pk.name !== defaultPrimaryKeyName(dialect, table.name)) create.name = pk.name;
  return { kind: "dropConstraint", table: ref, name: primaryKeyName(dialect, table), type: "primaryKey", previous: create };
}

export function createUniqueOp(unique: UniqueModel, ref: TableRef): Operation {
  const op: Operation = { kind: "createUniqueConstraint", table: ref, name: unique.name, columns: [...unique.columns] };
  if (unique.nullsNotDistinct) op.nullsNotDistinct = true;
  return op;
}

export function createCheckOp(check: CheckModel, ref: TableRef): Operation {
  const op: Operation = { kind: "createCheckConstraint", table: ref, name: check.name, expression: check.expression };
  if (!check.validated) op.notValid = true;
  return op;
}

export function createExcludeOp(exclude: ExcludeModel, ref: TableRef): Operation {
  const op: Operation = { kind: "createExcludeConstraint", table: ref, name: exclude.name, method: exclude.method, elements: exclude.elements.map((e) => ({ ...e })) };
  if (exclude.where !== undefined) op.where = exclude.where;
  return op;
}

export function dropIndexOp(dialect: DialectName, index: IndexModel, owner: { schema: string; name: string }): Operation {
  const ref = tableRef(dialect, owner.schema, owner.name);
  const op: Operation = { kind: "dropIndex", name: index.name, previous: indexToOp(index, ref) };
  if (dialect === "mysql") op.table = ref;
  else if (typeof ref !== "string") op.schema = owner.schema;
  return op;
}

/** Pairs items by name: removed (or changed) ones to drop, added (or changed) ones to create. */
export function matchByName<T extends { name: string }>(from: T[], to: T[], same: (a: T, b: T) => boolean): { drop: T[]; create: T[] } {
  const drop: T[] = [];
  const create: T[] = [];
  for (const item of from) {
    const match = to.find((other) => other.name === item.name);
    if (!match || !same(item, match)) drop.push(item);
  }
  for (const item of to) {
    const match = from.find((other) => other.name === item.name);
    if (!match || !same(match, item)) create.push(item);
  }
  return { drop, create };
}

/** SQLite constraints (not its indexes) have no stable names: they are matched on what they cover instead. */
function matchItems<T extends { name: string }>(dialect: DialectName, from: T[], to: T[], same: (a: T, b: T) => boolean) {
  if (dialect !== "sqlite") return matchByName(from, to, same);
  return {
    drop: from.filter((item) => !to.some((other) => same(item, other))),
    create: to.filter((item) => !from.some((other) => same(other, item))),
  };
}

/**
 * `nextval('..._col_seq')`: the column's own serial sequence. A renamed table keeps its
 * sequence's old name, so the table part is not compared.
 */
function ownSequenceDefault(text: string | undefined, column: string): boolean {
  if (text === undefined) return false;
  const match = /^nextval\('((?:[^']|'')*)'(?:::regclass)?\)$/.exec(text);
  return match !== null && match[1]!.endsWith(`_${column}_seq`);
}

function alterColumnOp(dialect: DialectName, from: ColumnModel, to: ColumnModel, ref: TableRef, table: TableModel): AlterColumnOp | undefined {
  const op: AlterColumnOp = { kind: "alterColumn", table: ref, column: to.name };
  const previous: Partial<ColumnSpec> = {};
  let changed = false;
  if (!sameType(from.type, to.type, dialect)) {
    op.type = to.type;
    previous.type = from.type;
    changed = true;
  }
  if (from.nullable !== to.nullable && to.identity === undefined) {
    op.nullable = to.nullable;
    previous.nullable = from.nullable;
    changed = true;
  }
  // A type change restates the default: the old one may not cast to the new type.
  const restateDefault = op.type !== undefined && (from.default !== undefined || to.default !== undefined);
  const bothSerial = ownSequenceDefault(from.default, from.name) && ownSequenceDefault(to.default, to.name);
  if (restateDefault || (!bothSerial && !sameDefault(from.default, to.default, to.type))) {
    op.default = to.default === undefined ? null : defaultValue(to.default, to.type);
    previous.default = from.default === undefined ? null : defaultValue(from.default, from.type);
    changed = true;
  }
  if (!sameIdentity(from.identity, to.identity)) {
    op.identity = to.identity === undefined ? null : { ...to.identity };
    // Recorded even when there was none, so that the change can be reversed.
    previous.identity = from.identity === undefined ? undefined : { ...from.identity };
    changed = true;
  }
  if (!sameExpression(from.generated, to.generated)) {
    op.generated = to.generated ?? null;
    previous.generated = from.generated;
    changed = true;
  }
  if ((from.collation ?? "default") !== (to.collation ?? "default")) {
    // "default" is how PostgreSQL names the type's own collation.
    op.collation = to.collation ?? "default";
    previous.collation = from.collation ?? "default";
    // The renderer changes a collation through ALTER TYPE, and the reverse needs the type too.
    previous.type = from.type;
    changed = true;
  }
  if (!changed) return undefined;
  // A type change rewrites the column: the renderer needs the whole previous state to reverse it.
  if (op.type !== undefined) Object.assign(previous, { ...columnToSpec(from, table), ...previous });
  op.previous = previous;
  return op;
}

export function diffTable(dialect: DialectName, from: TableModel, to: TableModel): TableChanges {
  const ref = tableRef(dialect, to.schema, to.name);
  const drops: Operation[] = [];
  const changes: Operation[] = [];
  const rebuiltKeys: string[][] = [];
  const reshapedColumns: string[] = [];

  // Indexes keep their names on every dialect.
  const indexes = matchByName(from.indexes, to.indexes, sameIndex);
  for (const index of indexes.drop) drops.push(dropIndexOp(dialect, index, from));

  // A key's name alone is not worth rebuilding it (and a renamed table keeps its old key name).
  const samePrimaryKey = from.primaryKey?.columns.join(",") === to.primaryKey?.columns.join(",");
  if (from.primaryKey && !samePrimaryKey) {
    drops.push(dropPrimaryKeyOp(dialect, from, ref));
    rebuiltKeys.push(from.primaryKey.columns);
  }
  const uniques = matchItems(dialect, from.uniques, to.uniques, sameUnique);
  for (const unique of uniques.drop) {
    drops.push({ kind: "dropConstraint", table: ref, name: unique.name, type: "unique", previous: createUniqueOp(unique, ref) });
    rebuiltKeys.push(unique.columns);
  }
  const checks = matchItems(dialect, from.checks, to.checks, sameCheck);
  for (const check of checks.drop) drops.push({ kind: "dropConstraint", table: ref, name: check.name, type: "check", previous: createCheckOp(check, ref) });
  const excludes = matchItems(dialect, from.excludes, to.excludes, sameExclude);
  for (const exclude of excludes.drop) drops.push({ kind: "dropConstraint", table: ref, name: exclude.name, type: "exclude", previous: createExcludeOp(exclude, ref) });

  for (const column of from.columns) {
    if (to.columns.some((c) => c.name === column.name)) continue;
    drops.push({ kind: "dropColumn", table: ref, column: column.name, previous: columnToSpec(column, from) });
    reshapedColumns.push(column.name);
  }
  for (const column of to.columns) {
    const before = from.columns.find((c) => c.name === column.name);
    if (!before) {
      changes.push({ kind: "addColumn", table: ref, column: columnToSpec(column, to) });
      continue;
    }
    if ((before.comment ?? null) !== (column.comment ?? null)) {
      changes.push({ kind: "setComment", target: { type: "column", table: ref, column: column.name }, comment: column.comment ?? null, previous: before.comment ?? null });
    }
    const alter = alterColumnOp(dialect, before, column, ref, from);
    if (!alter) continue;
    changes.push(alter);
    if (alter.type !== undefined) reshapedColumns.push(column.name);
  }

  if (to.primaryKey && !samePrimaryKey) {
    const pk: Operation = { kind: "createPrimaryKey", table: ref, columns: [...to.primaryKey.columns] };
    if (to.primaryKey.name !== undefined && to.primaryKey.name !== defaultPrimaryKeyName(dialect, to.name)) pk.name = to.primaryKey.name;
    changes.push(pk);
  }
  for (const unique of uniques.create) changes.push(createUniqueOp(unique, ref));
  for (const check of checks.create) changes.push(createCheckOp(check, ref));
  for (const check of to.checks) {
    const before = from.checks.find((c) => c.name === check.name && sameCheck(c, check));
    if (before && !before.validated && check.validated) changes.push({ kind: "validateConstraint", table: ref, name: check.name });
  }
  for (const exclude of excludes.create) changes.push(createExcludeOp(exclude, ref));
  for (const index of indexes.create) changes.push(indexToOp(index, ref));

  if ((from.comment ?? null) !== (to.comment ?? null)) {
    changes.push({ kind: "setTableComment", table: ref, comment: to.comment ?? null, previous: from.comment ?? null });
  }
  if (from.rowLevelSecurity !== to.rowLevelSecurity) changes.push(setRowLevelSecurity(to, to.rowLevelSecurity));
  if ((from.forceRowLevelSecurity ?? false) !== (to.forceRowLevelSecurity ?? false)) changes.push(setForceRowLevelSecurity(to, to.forceRowLevelSecurity ?? false));

  return { drops, changes, rebuiltKeys, reshapedColumns };
}
