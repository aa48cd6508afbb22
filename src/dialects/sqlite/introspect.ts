/**
 * SQLite introspection: sqlite_master joined with the table-valued pragmas, four queries in all
 * whatever the number of tables. SQLite does not keep constraint names for unique and foreign
 * keys, so those get PostgreSQL's default names (`<table>_<columns>_key`, `..._fkey`), which
 * keeps a model comparable with one declared for another dialect.
 */
import type { Connection, Row } from "../../drivers/types.js";
import { referentialAction } from "../introspect-common.js";
import {
  emptySchema,
  emptyTable,
  type ColumnModel,
  type IndexKeyModel,
  type IndexModel,
  type SchemaModel,
  type TableModel,
} from "../../schema/model.js";
import { defaultForeignKeyName, defaultUniqueName } from "../../schema/naming.js";
import type { IntrospectOptions } from "../types.js";
import { generatedColumns, indexParts, stripKeyOptions, tableChecks, viewQuery } from "./introspect-ddl.js";

const SCHEMA = "main";

const objectsQuery = `SELECT type, name, tbl_name AS table_name, sql FROM sqlite_master
WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND sql IS NOT NULL ORDER BY type, name`;

const columnsQuery = `SELECT m.name AS table_name, p.cid, p.name, p.type, p."notnull" AS not_null,
  p.dflt_value AS default_value, p.pk, p.hidden
FROM sqlite_master m JOIN pragma_table_xinfo(m.name) p
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
ORDER BY m.name, p.cid`;

const indexesQuery = `SELECT m.name AS table_name, il.name AS index_name, il."unique" AS is_unique, il.origin,
  ix.seqno, ix.cid, ix.name AS column_name, ix."desc" AS descending, ix.coll AS collation
FROM sqlite_master m JOIN pragma_index_list(m.name) il JOIN pragma_index_xinfo(il.name) ix
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND ix.key = 1
ORDER BY m.name, il.name, ix.seqno`;

const foreignKeysQuery = `SELECT m.name AS table_name, f.id, f.seq, f."table" AS ref_table, f."from" AS from_column,
  f."to" AS to_column, f.on_update, f.on_delete
FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
ORDER BY m.name, f.id, f.seq`;

/** How many statements `introspect` sends: fixed, whatever the size of the schema. */
export const SQLITE_INTROSPECTION_QUERIES = 4;

interface ObjectRow extends Row {
  type: "table" | "index" | "view" | "trigger";
  name: string;
  table_name: string;
  sql: string;
}
interface ColumnRow extends Row {
  table_name: string;
  cid: number;
  name: string;
  type: string;
  not_null: number;
  default_value: string | null;
  pk: number;
  hidden: number;
}
interface IndexRow extends Row {
  table_name: string;
  index_name: string;
  is_unique: number;
  origin: "c" | "u" | "pk";
  seqno: number;
  cid: number;
  column_name: string | null;
  descending: number;
  collation: string | null;
}
interface ForeignKeyRow extends Row {
  table_name: string;
  id: number;
  seq: number;
  ref_table: string;
  from_column: string;
  to_column: string | null;
  on_update: string;
  on_delete: string;
}

/** Columns stored as generated (hidden 2 = virtual, 3 = stored). */
const GENERATED_HIDDEN = new Set([2, 3]);

export async function introspect(connection: Connection, options: IntrospectOptions): Promise<SchemaModel> {
  const excluded = new Set(options.exclude);
  const objects = (await connection.query<ObjectRow>(objectsQuery)).rows.filter((o) => !excluded.has(o.table_name));
  const columns = (await connection.query<ColumnRow>(columnsQuery)).rows.filter((c) => !excluded.has(c.table_name));
  const indexRows = (await connection.query<IndexRow>(indexesQuery)).rows.filter((i) => !excluded.has(i.table_name));
  const fkRows = (await connection.query<ForeignKeyRow>(foreignKeysQuery)).rows.filter((f) => !excluded.has(f.table_name));

  const model = emptySchema("sqlite");
  const tables = new Map<string, TableModel>();
  const createSql = new Map<string, string>();
  for (const o of objects) {
    if (o.type === "table") {
      tables.set(o.name, emptyTable(SCHEMA, o.name));
      createSql.set(o.name, o.sql);
    } else if (o.type === "view") {
      model.views.push({ schema: SCHEMA, name: o.name, definition: viewQuery(o.sql), materialized: false, indexes: [] });
    } else if (o.type === "index") {
      createSql.set(`index:${o.name}`, o.sql);
    }
  }

  addColumns(tables, createSql, columns);
  addIndexes(tables, createSql, indexRows);
  addForeignKeys(tables, fkRows);
  for (const [name, table] of tables) {
    table.checks = tableChecks(createSql.get(name) ?? "").map((c, i) => ({
      name: c.name ?? `${name}_check${i === 0 ? "" : i}`,
      expression: c.expression,
      validated: true,
    }));
  }
  for (const o of objects) {
    if (o.type === "trigger") tables.get(o.table_name)?.triggers.push({ name: o.name, definition: o.sql });
  }
  model.tables = [...tables.values()].sort((a, b) => compare(a.name, b.name));
  model.views.sort((a, b) => compare(a.name, b.name));
  return model;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function addColumns(tables: Map<string, TableModel>, createSql: Map<string, string>, rows: ColumnRow[]): void {
  const pkColumns = new Map<string, { name: string; position: number }[]>();
  const generatedByTable = new Map<string, Map<string, string>>();
  for (const c of rows) {
    const table = tables.get(c.table_name);
    if (!table) continue;
    const text = createSql.get(c.table_name) ?? "";
    // A primary key column is reported as NOT NULL, as PostgreSQL and MySQL do, so models compare across dialects.
    const column: ColumnModel = { name: c.name, type: c.type.toLowerCase(), nullable: c.not_null === 0 && c.pk === 0 };
    if (c.default_value !== null) column.default = c.default_value;
    if (GENERATED_HIDDEN.has(c.hidden)) {
      let generated = generatedByTable.get(c.table_name);
      if (!generated) generatedByTable.set(c.table_name, (generated = generatedColumns(text)));
      const expression = generated.get(c.name);
      if (expression !== undefined) column.generated = expression;
      column.type = column.type.replace(/\s+generated\s+always$/, "");
    }
    if (c.pk > 0) {
      const list = pkColumns.get(c.table_name) ?? [];
      list.push({ name: c.name, position: c.pk });
      pkColumns.set(c.table_name, list);
    }
    table.columns.push(column);
  }
  for (const [tableName, list] of pkColumns) {
    const table = tables.get(tableName)!;
    table.primaryKey = { columns: list.sort((a, b) => a.position - b.position).map((p) => p.name) };
    if (list.length === 1 && /\bAUTOINCREMENT\b/i.test(createSql.get(tableName) ?? "")) {
      const column = table.columns.find((c) => c.name === list[0]!.name);
      if (column) column.autoIncrement = true;
    }
  }
}

function addIndexes(tables: Map<string, TableModel>, createSql: Map<string, string>, rows: IndexRow[]): void {
  const grouped = new Map<string, IndexRow[]>();
  for (const row of rows) {
    const list = grouped.get(row.index_name) ?? [];
    list.push(row);
    grouped.set(row.index_name, list);
  }
  for (const [name, keys] of grouped) {
    const first = keys[0]!;
    const table = tables.get(first.table_name);
    if (!table || first.origin === "pk") continue;
    if (first.origin === "u") {
      const columns = keys.map((k) => k.column_name ?? "");
      table.uniques.push({ name: defaultUniqueName("sqlite", table.name, columns), columns });
      continue;
    }
    const parts = indexParts(createSql.get(`index:${name}`) ?? "");
    const index: IndexModel = {
      name,
      unique: first.is_unique === 1,
      method: "btree",
      keys: keys.map((k) => indexKey(k, parts.keys[k.seqno])),
      include: [],
    };
    if (parts.where !== undefined) index.where = parts.where;
    table.indexes.push(index);
  }
  for (const table of tables.values()) {
    table.indexes.sort((a, b) => compare(a.name, b.name));
    table.uniques.sort((a, b) => compare(a.name, b.name));
  }
}

function indexKey(row: IndexRow, text: string | undefined): IndexKeyModel {
  const key: IndexKeyModel = {};
  // cid -2 marks an expression key; its text lives only in the CREATE INDEX statement.
  if (row.cid === -2) key.expression = stripKeyOptions(text ?? "");
  else key.column = row.column_name ?? "";
  if (row.descending === 1) key.order = "DESC";
  if (row.collation && row.collation.toUpperCase() !== "BINARY") key.collation = row.collation;
  return key;
}

function addForeignKeys(tables: Map<string, TableModel>, rows: ForeignKeyRow[]): void {
  const grouped = new Map<string, ForeignKeyRow[]>();
  for (const row of rows) {
    const groupKey = `${row.table_name}\u0000${row.id}`;
    const list = grouped.get(groupKey) ?? [];
    list.push(row);
    grouped.set(groupKey, list);
  }
  let ordinal = 0;
  for (const parts of grouped.values()) {
    ordinal++;
    const first = parts[0]!;
    const table = tables.get(first.table_name);
    if (!table) continue;
    const columns = parts.map((p) => p.from_column);
    // A reference without columns means the referenced table's primary key.
    const refColumns = parts.map((p) => p.to_column ?? "").filter((c) => c !== "");
    const target = tables.get(first.ref_table);
    table.foreignKeys.push({
      name: defaultForeignKeyName("sqlite", table.name, columns, ordinal),
      columns,
      refTable: first.ref_table,
      refColumns: refColumns.length ? refColumns : (target?.primaryKey?.columns ?? []),
      onDelete: referentialAction(first.on_delete),
      onUpdate: referentialAction(first.on_update),
      deferrable: false,
      initiallyDeferred: false,
      validated: true,
    });
  }
  for (const table of tables.values()) table.foreignKeys.sort((a, b) => compare(a.name, b.name));
}
