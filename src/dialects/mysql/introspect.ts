/**
 * MySQL and MariaDB introspection from information_schema: a fixed set of queries, each covering
 * every table of the included databases. The model's `schema` is the database name.
 */
import type { Connection, Row } from "../../drivers/types.js";
import type { IndexMethod } from "../../ops/types.js";
import { emptySchema, emptyTable, type ColumnModel, type IndexModel, type SchemaModel, type TableModel } from "../../schema/model.js";
import { UsageError } from "../../errors.js";
import { referentialAction } from "../introspect-common.js";
import type { IntrospectOptions } from "../types.js";

/**
 * How many statements `introspect` sends: fixed, whatever the size of the schema (one fewer when
 * the schemas are given, since the current database need not be looked up).
 */
export const MYSQL_INTROSPECTION_QUERIES = 9;

const inSchemas = (column: string) => `${column} IN (SELECT value FROM JSON_TABLE(?, '$[*]' COLUMNS (value VARCHAR(64) PATH '$')) AS s)`;

const tablesQuery = `SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name, TABLE_COMMENT AS table_comment,
  TABLE_COLLATION AS table_collation
FROM information_schema.TABLES WHERE TABLE_TYPE = 'BASE TABLE' AND ${inSchemas("TABLE_SCHEMA")}
ORDER BY TABLE_SCHEMA, TABLE_NAME`;

const columnsQuery = `SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name, COLUMN_NAME AS name,
  COLUMN_TYPE AS column_type, DATA_TYPE AS data_type, IS_NULLABLE AS is_nullable, COLUMN_DEFAULT AS column_default,
  EXTRA AS extra, GENERATION_EXPRESSION AS generation_expression, COLLATION_NAME AS collation_name,
  COLUMN_COMMENT AS column_comment
FROM information_schema.COLUMNS WHERE ${inSchemas("TABLE_SCHEMA")}
ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION`;

/** SELECT * because MySQL 8 has an EXPRESSION column that MariaDB lacks. */
const statisticsQuery = `SELECT * FROM information_schema.STATISTICS WHERE ${inSchemas("TABLE_SCHEMA")}
ORDER BY TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`;

const constraintsQuery = `SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name, CONSTRAINT_NAME AS name,
  CONSTRAINT_TYPE AS type
FROM information_schema.TABLE_CONSTRAINTS WHERE ${inSchemas("TABLE_SCHEMA")}`;

const foreignKeysQuery = `SELECT k.TABLE_SCHEMA AS table_schema, k.TABLE_NAME AS table_name, k.CONSTRAINT_NAME AS name,
  k.COLUMN_NAME AS column_name, k.REFERENCED_TABLE_SCHEMA AS ref_schema, k.REFERENCED_TABLE_NAME AS ref_table,
  k.REFERENCED_COLUMN_NAME AS ref_column, r.UPDATE_RULE AS update_rule, r.DELETE_RULE AS delete_rule
FROM information_schema.KEY_COLUMN_USAGE k
JOIN information_schema.REFERENTIAL_CONSTRAINTS r
  ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME
WHERE k.REFERENCED_TABLE_NAME IS NOT NULL AND ${inSchemas("k.TABLE_SCHEMA")}
ORDER BY k.TABLE_SCHEMA, k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION`;

/** Joined with TABLE_CONSTRAINTS because MySQL 8's CHECK_CONSTRAINTS has no table name. */
const checksQuery = `SELECT tc.TABLE_SCHEMA AS table_schema, tc.TABLE_NAME AS table_name, cc.CONSTRAINT_NAME AS name,
  cc.CHECK_CLAUSE AS expression
FROM information_schema.CHECK_CONSTRAINTS cc
JOIN information_schema.TABLE_CONSTRAINTS tc
  ON tc.CONSTRAINT_SCHEMA = cc.CONSTRAINT_SCHEMA AND tc.CONSTRAINT_NAME = cc.CONSTRAINT_NAME
 AND tc.CONSTRAINT_TYPE = 'CHECK'
WHERE ${inSchemas("cc.CONSTRAINT_SCHEMA")}
ORDER BY tc.TABLE_SCHEMA, tc.TABLE_NAME, cc.CONSTRAINT_NAME`;

const viewsQuery = `SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS name, VIEW_DEFINITION AS definition
FROM information_schema.VIEWS WHERE ${inSchemas("TABLE_SCHEMA")} ORDER BY TABLE_SCHEMA, TABLE_NAME`;

const triggersQuery = `SELECT EVENT_OBJECT_SCHEMA AS table_schema, EVENT_OBJECT_TABLE AS table_name, TRIGGER_NAME AS name,
  ACTION_TIMING AS timing, EVENT_MANIPULATION AS event, ACTION_STATEMENT AS statement
FROM information_schema.TRIGGERS WHERE ${inSchemas("EVENT_OBJECT_SCHEMA")}
ORDER BY EVENT_OBJECT_SCHEMA, EVENT_OBJECT_TABLE, TRIGGER_NAME`;

interface TableRow extends Row {
  table_schema: string;
  table_name: string;
  table_comment: string | null;
  table_collation: string | null;
}
interface ColumnRow extends Row {
  table_schema: string;
  table_name: string;
  name: string;
  column_type: string;
  data_type: string;
  is_nullable: string;
  column_default: string | null;
  extra: string;
  generation_expression: string | null;
  collation_name: string | null;
  column_comment: string;
}
interface StatisticsRow extends Row {
  TABLE_SCHEMA: string;
  TABLE_NAME: string;
  INDEX_NAME: string;
  NON_UNIQUE: number | string;
  COLUMN_NAME: string | null;
  COLLATION: string | null;
  SUB_PART: number | null;
  INDEX_TYPE: string;
  EXPRESSION?: string | null;
}
interface ConstraintRow extends Row {
  table_schema: string;
  table_name: string;
  name: string;
  type: string;
}
interface ForeignKeyRow extends Row {
  table_schema: string;
  table_name: string;
  name: string;
  column_name: string;
  ref_schema: string;
  ref_table: string;
  ref_column: string;
  update_rule: string;
  delete_rule: string;
}
interface CheckRow extends Row {
  table_schema: string;
  table_name: string;
  name: string;
  expression: string;
}
interface ViewRow extends Row {
  table_schema: string;
  name: string;
  definition: string;
}
interface TriggerRow extends Row {
  table_schema: string;
  table_name: string;
  name: string;
  timing: string;
  event: string;
  statement: string;
}

export async function introspect(connection: Connection, options: IntrospectOptions): Promise<SchemaModel> {
  const schemas = options.schemas?.length ? options.schemas : [await currentDatabase(connection)];
  const params = [JSON.stringify(schemas)];
  const excluded = new Set(options.exclude);
  const run = async <R extends Row & { table_name?: string; TABLE_NAME?: string }>(sql: string) =>
    (await connection.query<R>(sql, params)).rows.filter((r) => !excluded.has(r.table_name ?? r.TABLE_NAME ?? ""));

  const tableRows = await run<TableRow>(tablesQuery);
  const columns = await run<ColumnRow>(columnsQuery);
  const statistics = await run<StatisticsRow>(statisticsQuery);
  const constraints = await run<ConstraintRow>(constraintsQuery);
  const foreignKeys = await run<ForeignKeyRow>(foreignKeysQuery);
  const checks = await run<CheckRow>(checksQuery);
  const views = (await connection.query<ViewRow>(viewsQuery, params)).rows;
  const triggers = await run<TriggerRow>(triggersQuery);

  const model = emptySchema("mysql");
  const tables = new Map<string, TableModel>();
  const collations = new Map<string, string | null>();
  for (const t of tableRows) {
    const table = emptyTable(t.table_schema, t.table_name);
    if (t.table_comment) table.comment = t.table_comment;
    tables.set(key(t.table_schema, t.table_name), table);
    collations.set(key(t.table_schema, t.table_name), t.table_collation);
    model.tables.push(table);
  }
  const tableOf = (schema: string, name: string) => tables.get(key(schema, name));

  for (const c of columns) {
    tableOf(c.table_schema, c.table_name)?.columns.push(toColumn(c, collations.get(key(c.table_schema, c.table_name)) ?? null));
  }
  addForeignKeys(tableOf, foreignKeys);
  addIndexes(tableOf, statistics, constraints);
  for (const c of checks) {
    const table = tableOf(c.table_schema, c.table_name);
    if (!table) continue;
    // MariaDB's JSON is longtext plus a json_valid() check named after the column: read it back as json.
    const jsonColumn = jsonValidColumn(c, table);
    if (jsonColumn) {
      jsonColumn.type = "json";
      delete jsonColumn.collation;
      continue;
    }
    table.checks.push({ name: c.name, expression: c.expression, validated: true });
  }
  for (const t of triggers) {
    tableOf(t.table_schema, t.table_name)?.triggers.push({
      name: t.name,
      definition: `CREATE TRIGGER ${t.name} ${t.timing} ${t.event} ON ${t.table_name} FOR EACH ROW ${t.statement}`,
    });
  }
  model.views = views.map((v) => ({
    schema: v.table_schema,
    name: v.name,
    // The database name inside the text would make two copies of a schema differ.
    definition: v.definition.replaceAll(`\`${v.table_schema}\`.`, ""),
    materialized: false,
    indexes: [],
  }));
  return model;
}

async function currentDatabase(connection: Connection): Promise<string> {
  const { rows } = await connection.query<{ name: string | null }>("SELECT DATABASE() AS name");
  return rows[0]?.name ?? "";
}

function key(schema: string, name: string): string {
  return `${schema}\u0000${name}`;
}

function jsonValidColumn(check: CheckRow, table: TableModel): ColumnModel | undefined {
  const column = table.columns.find((c) => c.name === check.name);
  return column && /^json_valid\(`?[^`]+`?\)$/i.test(check.expression.trim()) ? column : undefined;
}

const INTEGER_DISPLAY_WIDTH = /^(tinyint|smallint|mediumint|int|bigint)\((\d+)\)/;

function toColumn(c: ColumnRow, tableCollation: string | null): ColumnModel {
  let type = c.column_type.toLowerCase();
  // Display widths mean nothing since MySQL 8.0.17 (which no longer prints them); tinyint(1) marks a boolean.
  if (!type.startsWith("tinyint(1)")) type = type.replace(INTEGER_DISPLAY_WIDTH, "$1");
  const column: ColumnModel = { name: c.name, type, nullable: c.is_nullable === "YES" };
  const extra = c.extra.toLowerCase();
  const generated = extra.includes("generated") && !extra.includes("default_generated");
  if (generated && c.generation_expression) column.generated = c.generation_expression;
  else {
    const value = defaultText(c);
    if (value !== undefined) column.default = value;
  }
  if (extra.includes("auto_increment")) column.autoIncrement = true;
  if (c.collation_name && tableCollation && c.collation_name !== tableCollation) column.collation = c.collation_name;
  if (c.column_comment) column.comment = c.column_comment;
  return column;
}

const NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * MariaDB prints a literal default quoted ('x') and an expression bare (current_timestamp());
 * MySQL 8 prints a literal bare and marks an expression DEFAULT_GENERATED. Both become SQL text.
 */
function defaultText(c: ColumnRow): string | undefined {
  const value = c.column_default;
  if (value === null) return undefined;
  if (value === "NULL") return c.is_nullable === "YES" ? undefined : value;
  if (c.extra.toLowerCase().includes("default_generated")) return value;
  if (value.startsWith("'") || NUMBER.test(value) || /^[a-z_]+\(.*\)$/i.test(value) || /^current_timestamp$/i.test(value)) {
    return value;
  }
  return `'${value.replaceAll("'", "''")}'`;
}

type TableLookup = (schema: string, name: string) => TableModel | undefined;

function addForeignKeys(tableOf: TableLookup, rows: ForeignKeyRow[]): void {
  for (const row of rows) {
    const table = tableOf(row.table_schema, row.table_name);
    if (!table) continue;
    let fk = table.foreignKeys.find((f) => f.name === row.name);
    if (!fk) {
      fk = {
        name: row.name,
        columns: [],
        refSchema: row.ref_schema,
        refTable: row.ref_table,
        refColumns: [],
        onDelete: referentialAction(row.delete_rule),
        onUpdate: referentialAction(row.update_rule),
        deferrable: false,
        initiallyDeferred: false,
        validated: true,
      };
      table.foreignKeys.push(fk);
    }
    fk.columns.push(row.column_name);
    fk.refColumns.push(row.ref_column);
  }
}

const METHODS: Record<string, IndexMethod> = { BTREE: "btree", HASH: "hash" };

function addIndexes(tableOf: TableLookup, rows: StatisticsRow[], constraints: ConstraintRow[]): void {
  const uniqueConstraints = new Set(
    constraints.filter((c) => c.type === "UNIQUE").map((c) => `${key(c.table_schema, c.table_name)}\u0000${c.name}`),
  );
  const grouped = new Map<string, StatisticsRow[]>();
  for (const row of rows) {
    const groupKey = `${key(row.TABLE_SCHEMA, row.TABLE_NAME)}\u0000${row.INDEX_NAME}`;
    const list = grouped.get(groupKey) ?? [];
    list.push(row);
    grouped.set(groupKey, list);
  }
  for (const [groupKey, parts] of grouped) {
    const first = parts[0]!;
    const table = tableOf(first.TABLE_SCHEMA, first.TABLE_NAME);
    if (!table) continue;
    const columns = parts.map((p) => p.COLUMN_NAME ?? "");
    if (first.INDEX_NAME === "PRIMARY") {
      table.primaryKey = { name: "PRIMARY", columns };
      continue;
    }
    if (uniqueConstraints.has(groupKey)) {
      table.uniques.push({ name: first.INDEX_NAME, columns });
      continue;
    }
    // The index InnoDB creates for a foreign key carries the constraint's name and columns.
    const fk = table.foreignKeys.find((f) => f.name === first.INDEX_NAME);
    if (fk && fk.columns.join(",") === columns.join(",")) continue;
    const method = METHODS[first.INDEX_TYPE.toUpperCase()];
    if (!method) {
      throw new UsageError(
        `Index ${first.INDEX_NAME} on ${first.TABLE_NAME} is a ${first.INDEX_TYPE} index, which Stratum cannot compare yet.`,
        { hint: "Leave the table out with the config's includeName hook." },
      );
    }
    const index: IndexModel = {
      name: first.INDEX_NAME,
      unique: Number(first.NON_UNIQUE) === 0,
      method,
      keys: parts.map((p) => {
        const k: IndexModel["keys"][number] = p.COLUMN_NAME ? { column: p.COLUMN_NAME } : { expression: p.EXPRESSION ?? "" };
        if (p.SUB_PART !== null && p.COLUMN_NAME) k.expression = `${p.COLUMN_NAME}(${p.SUB_PART})`;
        if (p.COLLATION === "D") k.order = "DESC";
        return k;
      }),
      include: [],
    };
    table.indexes.push(index);
  }
}
