/**
 * Translation between the schema model and operations: a model column becomes the ColumnSpec an
 * `addColumn` carries and back, a model table becomes a `createTable`, and so on. Both the diff
 * (model → operations) and the symbolic applier (operations → model) go through here, so that the
 * two directions agree.
 */
import type {
  ColumnSpec,
  CreateForeignKeyOp,
  CreateIndexOp,
  CreateTableOp,
  DefaultValue,
  ForeignKeySpec,
  IndexKey,
  TableRef,
} from "../ops/types.js";
import { isSqlExpression, sql } from "../ops/types.js";
import { emptyTable, type ColumnModel, type ForeignKeyModel, type IndexKeyModel, type IndexModel, type TableModel } from "./model.js";
import { defaultForeignKeyName, defaultPrimaryKeyName, defaultUniqueName } from "./naming.js";
import {
  type DialectName,
  isSerialType,
  normalizeDefault,
  normalizeType,
  quoteLiteral,
  serialDefault,
  serialTypeFor,
} from "./normalize.js";
import { defaultSchema, resolveRef, tableRef } from "./refs.js";

/** The default's SQL text as a model stores it (before normalization). */
export function defaultText(value: DefaultValue | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (isSqlExpression(value)) return value.text;
  if (typeof value === "string") return quoteLiteral(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  return String(value);
}

/** A model default as the friendliest DefaultValue: a plain literal where one says the same. */
export function defaultValue(text: string, type: string): DefaultValue {
  if (/^'(?:[^']|'')*'$/.test(text) && !type.startsWith("json")) return text.slice(1, -1).replaceAll("''", "'");
  if (type === "boolean" && (text === "true" || text === "false")) return text === "true";
  if (/^-?\d+(\.\d+)?$/.test(text)) {
    const number = Number(text);
    if (Number.isSafeInteger(number) || (!Number.isInteger(number) && String(number) === text)) return number;
  }
  return sql`${text}`;
}

function serialSequenceDefault(column: ColumnModel, table: { schema: string; name: string }): boolean {
  return column.default === serialDefault(table.schema, table.name, column.name);
}

/** A model column as an operation's column spec; an integer with its own sequence becomes `serial`. */
export function columnToSpec(column: ColumnModel, table: { schema: string; name: string }): ColumnSpec {
  const serial = serialSequenceDefault(column, table) ? serialTypeFor(column.type) : undefined;
  const spec: ColumnSpec = { name: column.name, type: serial ?? column.type };
  if (!column.nullable && serial === undefined && column.identity === undefined) spec.nullable = false;
  if (column.nullable && (serial !== undefined || column.identity !== undefined)) spec.nullable = true;
  if (column.default !== undefined && serial === undefined) spec.default = defaultValue(column.default, column.type);
  if (column.identity !== undefined) spec.identity = { ...column.identity };
  if (column.generated !== undefined) spec.generated = column.generated;
  if (column.collation !== undefined) spec.collation = column.collation;
  if (column.comment !== undefined) spec.comment = column.comment;
  if (column.autoIncrement) spec.autoIncrement = true;
  return spec;
}

/** A column spec as the model column the database will report once it exists. */
export function specToColumn(spec: ColumnSpec, table: { schema: string | undefined; name: string }, dialect: DialectName): ColumnModel {
  const serial = dialect === "postgresql" && isSerialType(spec.type);
  const type = normalizeType(spec.type, dialect);
  const column: ColumnModel = {
    name: spec.name,
    type,
    nullable: spec.primaryKey || serial || spec.identity !== undefined ? false : (spec.nullable ?? true),
  };
  if (serial && spec.nullable === true) column.nullable = true;
  const text = serial ? serialDefault(table.schema, table.name, spec.name) : defaultText(spec.default);
  const normalized = normalizeDefault(text, type);
  if (normalized !== undefined) column.default = normalized;
  if (spec.identity !== undefined) column.identity = { ...spec.identity };
  if (spec.generated !== undefined) column.generated = isSqlExpression(spec.generated) ? spec.generated.text : spec.generated;
  if (spec.collation !== undefined) column.collation = spec.collation;
  if (spec.comment !== undefined) column.comment = spec.comment;
  if (spec.autoIncrement) column.autoIncrement = true;
  return column;
}

const INDEX_KEY_FIELDS = ["column", "expression", "opclass", "order", "nulls", "collation"] as const;

/** An index key's fields without the undefined ones: the model and the operation spell a key alike. */
function definedKeyFields(key: IndexKeyModel): IndexKeyModel {
  return Object.fromEntries(INDEX_KEY_FIELDS.filter((field) => key[field] !== undefined).map((field) => [field, key[field]])) as IndexKeyModel;
}

export function indexKeyToOp(key: IndexKeyModel): IndexKey {
  if (key.column !== undefined && !key.opclass && !key.order && !key.nulls && !key.collation) return key.column;
  return definedKeyFields(key);
}

export function indexKeyFromOp(key: IndexKey): IndexKeyModel {
  return typeof key === "string" ? { column: key } : definedKeyFields(key);
}

export function indexToOp(index: IndexModel, table: TableRef): CreateIndexOp {
  const op: CreateIndexOp = { kind: "createIndex", name: index.name, table, keys: index.keys.map(indexKeyToOp) };
  if (index.unique) op.unique = true;
  if (index.method !== "btree") op.method = index.method;
  if (index.where !== undefined) op.where = index.where;
  if (index.include.length > 0) op.include = [...index.include];
  if (index.nullsNotDistinct) op.nullsNotDistinct = true;
  return op;
}

export function indexFromOp(op: CreateIndexOp): IndexModel {
  const index: IndexModel = {
    name: op.name,
    unique: op.unique ?? false,
    method: op.method ?? "btree",
    keys: op.keys.map(indexKeyFromOp),
    include: [...(op.include ?? [])],
  };
  if (op.where !== undefined) index.where = op.where;
  if (op.nullsNotDistinct) index.nullsNotDistinct = true;
  return index;
}

function foreignKeyFields(fk: ForeignKeyModel, dialect: DialectName): Omit<ForeignKeySpec, "name" | "columns"> {
  const spec: Omit<ForeignKeySpec, "name" | "columns"> = {
    refTable: tableRef(dialect, fk.refSchema, fk.refTable),
    refColumns: [...fk.refColumns],
  };
  if (fk.onDelete !== "NO ACTION") spec.onDelete = fk.onDelete;
  if (fk.onUpdate !== "NO ACTION") spec.onUpdate = fk.onUpdate;
  if (fk.deferrable) spec.deferrable = true;
  if (fk.initiallyDeferred) spec.initiallyDeferred = true;
  if (!fk.validated) spec.notValid = true;
  return spec;
}

export function foreignKeyToSpec(fk: ForeignKeyModel, dialect: DialectName): ForeignKeySpec {
  return { name: fk.name, columns: [...fk.columns], ...foreignKeyFields(fk, dialect) };
}

export function foreignKeyToOp(fk: ForeignKeyModel, table: TableRef, dialect: DialectName): CreateForeignKeyOp {
  return { kind: "createForeignKey", table, name: fk.name, columns: [...fk.columns], ...foreignKeyFields(fk, dialect) };
}

export function foreignKeyFromSpec(
  spec: ForeignKeySpec,
  table: { schema: string | undefined; name: string },
  ordinal: number,
  dialect: DialectName,
): ForeignKeyModel {
  const target = resolveRef(dialect, spec.refTable);
  const fk: ForeignKeyModel = {
    name: spec.name ?? defaultForeignKeyName(dialect, table.name, spec.columns, ordinal),
    columns: [...spec.columns],
    refTable: target.name,
    refColumns: [...spec.refColumns],
    onDelete: spec.onDelete ?? "NO ACTION",
    onUpdate: spec.onUpdate ?? "NO ACTION",
    deferrable: spec.deferrable ?? false,
    initiallyDeferred: spec.initiallyDeferred ?? false,
    validated: !spec.notValid,
  };
  if (target.schema !== undefined) fk.refSchema = target.schema;
  return fk;
}

/**
 * A table as one `createTable`. Foreign keys named in `deferForeignKeys` are left out (they are
 * added later, when the tables they point to exist). Indexes are separate operations.
 */
export function tableToCreateOp(table: TableModel, dialect: DialectName, deferForeignKeys: ReadonlySet<string> = new Set()): CreateTableOp {
  const ref = tableRef(dialect, table.schema, table.name);
  const op: CreateTableOp = { kind: "createTable", table: ref, columns: table.columns.map((c) => columnToSpec(c, table)) };
  const pkName = table.primaryKey?.name;
  const defaultNamed = pkName === undefined || pkName === defaultPrimaryKeyName(dialect, table.name);
  const inlineKey = table.primaryKey?.columns.length === 1 && defaultNamed ? table.primaryKey.columns[0] : undefined;
  if (inlineKey !== undefined) {
    // A one-column key reads best on its column (and SQLite's AUTOINCREMENT requires it there).
    const column = op.columns.find((c) => c.name === inlineKey)!;
    column.primaryKey = true;
    delete column.nullable;
  } else if (table.primaryKey) {
    op.primaryKey = { columns: [...table.primaryKey.columns] };
    const name = table.primaryKey.name;
    if (name !== undefined && name !== defaultPrimaryKeyName(dialect, table.name)) op.primaryKey.name = name;
  }
  const foreignKeys = table.foreignKeys.filter((fk) => !deferForeignKeys.has(fk.name)).map((fk) => foreignKeyToSpec(fk, dialect));
  if (foreignKeys.length > 0) op.foreignKeys = foreignKeys;
  if (table.checks.length > 0)
    op.checks = table.checks.map((c) => (c.validated ? { name: c.name, expression: c.expression } : { name: c.name, expression: c.expression, notValid: true }));
  if (table.uniques.length > 0)
    op.uniques = table.uniques.map((u) => (u.nullsNotDistinct ? { name: u.name, columns: [...u.columns], nullsNotDistinct: true } : { name: u.name, columns: [...u.columns] }));
  if (table.comment !== undefined) op.comment = table.comment;
  return op;
}

/** The model table a `createTable` produces (no indexes yet; inline `unique` and `references` become constraints). */
export function createOpToTable(op: CreateTableOp, dialect: DialectName): TableModel {
  const { schema, name } = resolveRef(dialect, op.table);
  const place = { schema, name };
  const table = emptyTable(
    schema ?? defaultSchema(dialect) ?? "",
    name,
    op.columns.map((c) => specToColumn(c, place, dialect)),
  );
  const inlinePrimaryKey = op.columns.filter((c) => c.primaryKey).map((c) => c.name);
  const primaryKeyColumns = op.primaryKey?.columns ?? inlinePrimaryKey;
  if (primaryKeyColumns.length > 0) {
    const pkName = op.primaryKey?.name ?? defaultPrimaryKeyName(dialect, name);
    table.primaryKey = pkName === undefined ? { columns: [...primaryKeyColumns] } : { name: pkName, columns: [...primaryKeyColumns] };
    for (const column of table.columns) if (primaryKeyColumns.includes(column.name)) column.nullable = false;
  }
  for (const column of op.columns) {
    if (column.unique) table.uniques.push({ name: defaultUniqueName(dialect, name, [column.name]), columns: [column.name] });
  }
  for (const unique of op.uniques ?? []) {
    const model = { name: unique.name ?? defaultUniqueName(dialect, name, unique.columns), columns: [...unique.columns] };
    table.uniques.push(unique.nullsNotDistinct ? { ...model, nullsNotDistinct: true } : model);
  }
  let ordinal = 0;
  for (const column of op.columns) {
    if (column.references === undefined) continue;
    const target =
      typeof column.references === "string"
        ? splitColumnReference(column.references)
        : { table: column.references.table, column: column.references.column };
    const spec: ForeignKeySpec = { columns: [column.name], refTable: target.table, refColumns: [target.column] };
    if (typeof column.references !== "string") {
      if (column.references.onDelete) spec.onDelete = column.references.onDelete;
      if (column.references.onUpdate) spec.onUpdate = column.references.onUpdate;
    }
    table.foreignKeys.push(foreignKeyFromSpec(spec, place, ++ordinal, dialect));
  }
  for (const fk of op.foreignKeys ?? []) table.foreignKeys.push(foreignKeyFromSpec(fk, place, ++ordinal, dialect));
  for (const check of op.checks ?? []) {
    table.checks.push({ name: check.name ?? `${name}_check`, expression: check.expression, validated: !check.notValid });
  }
  if (op.comment !== undefined) table.comment = op.comment;
  return table;
}

/** "users.id" → table "users", column "id"; "app.users.id" keeps the schema on the table. */
export function splitColumnReference(reference: string): { table: string; column: string } {
  const dot = reference.lastIndexOf(".");
  if (dot <= 0 || dot === reference.length - 1) return { table: reference, column: "id" };
  return { table: reference.slice(0, dot), column: reference.slice(dot + 1) };
}
