/**
 * Renders operations as SQLite statements. SQLite's ALTER TABLE can only add, drop and rename
 * columns and rename tables; every other table change goes through `op.batch(...)`, which
 * rebuilds the table (see batch.ts). Anything SQLite cannot do is a StratumError, never bad SQL.
 */
import { StratumError } from "../../errors.js";
import type { ColumnSpec, CreateIndexOp, CreateTableOp, IndexKey, Operation, TableRef } from "../../ops/types.js";
import type { RenderContext, RenderedStatement } from "../types.js";
import {
  checkConstraint,
  columnDefinition,
  foreignKeyConstraint,
  primaryKeyConstraint,
  uniqueConstraint,
} from "./ddl.js";
import { inlineParams, sqliteLiteral, toSqliteParam } from "./params.js";
import { tableName } from "../../ops/table-ref.js";
import { renderBulkInsert, renderExecute, statement, type ValueBinding } from "../common-render.js";
import { qualify, quoteIdent, quoteList } from "./quote.js";

const binding: ValueBinding = {
  qualify,
  quoteList,
  literal: sqliteLiteral,
  toParam: toSqliteParam,
  inlineParams,
  // Well under SQLite's limit on bound variables in one statement.
  maxPlaceholders: 32_000,
};

function outsideBatch(what: string): StratumError {
  return new StratumError(`SQLite cannot ${what} outside op.batch(...)`, {
    hint: "wrap the change in op.batch(table, (batch) => ...), which rebuilds the table",
  });
}

function noSchemas(): StratumError {
  return new StratumError("SQLite has no schemas");
}

export function render(op: Operation, context: RenderContext): RenderedStatement[] {
  switch (op.kind) {
    case "createTable":
      return [statement(renderCreateTable(op))];
    case "dropTable":
      if (op.cascade) throw new StratumError(`SQLite has no DROP TABLE ... CASCADE ("${tableName(op.table)}")`);
      return [statement(`DROP TABLE ${op.ifExists ? "IF EXISTS " : ""}${qualify(op.table)}`)];
    case "renameTable":
      return [statement(`ALTER TABLE ${qualify(op.table)} RENAME TO ${quoteIdent(op.newName)}`)];
    case "setTableComment":
      throw new StratumError(`SQLite has no table comments ("${tableName(op.table)}")`);
    case "setComment":
      throw new StratumError("SQLite has no comments");
    case "addColumn":
      return [statement(renderAddColumn(op.table, op.column, op.ifNotExists))];
    case "dropColumn":
      if (op.ifExists) throw new StratumError(`SQLite has no DROP COLUMN IF EXISTS ("${op.column}")`);
      if (op.cascade) throw new StratumError(`SQLite has no DROP COLUMN ... CASCADE ("${op.column}")`);
      return [statement(`ALTER TABLE ${qualify(op.table)} DROP COLUMN ${quoteIdent(op.column)}`)];
    case "alterColumn":
      return renderAlterColumn(op);
    case "createIndex":
      return [statement(renderCreateIndex(op))];
    case "dropIndex":
      if (op.concurrently) throw new StratumError(`SQLite has no DROP INDEX CONCURRENTLY ("${op.name}")`);
      return [statement(`DROP INDEX ${op.ifExists ? "IF EXISTS " : ""}${op.schema ? `${quoteIdent(op.schema)}.` : ""}${quoteIdent(op.name)}`)];
    case "createPrimaryKey":
      throw outsideBatch("add a PRIMARY KEY");
    case "createUniqueConstraint":
      throw outsideBatch("add a UNIQUE constraint");
    case "createForeignKey":
      throw outsideBatch("add a FOREIGN KEY");
    case "createCheckConstraint":
      throw outsideBatch("add a CHECK constraint");
    case "dropConstraint":
      throw outsideBatch("DROP CONSTRAINT");
    case "createExcludeConstraint":
      throw new StratumError("SQLite has no exclusion constraints");
    case "validateConstraint":
      throw new StratumError("SQLite has no VALIDATE CONSTRAINT: its constraints are always valid");
    case "createSchema":
    case "dropSchema":
      throw noSchemas();
    case "createExtension":
    case "dropExtension":
      throw new StratumError("SQLite has no extensions to create or drop");
    case "createEnum":
    case "dropEnum":
    case "addEnumValue":
    case "renameEnumValue":
      throw new StratumError("SQLite has no enum types: use a CHECK (column IN (...)) constraint");
    case "createSequence":
    case "dropSequence":
      throw new StratumError("SQLite has no sequences: use an INTEGER PRIMARY KEY");
    case "createView":
      if (op.materialized) throw new StratumError(`SQLite has no materialized views ("${op.name}")`);
      if (op.orReplace) throw new StratumError(`SQLite has no CREATE OR REPLACE VIEW ("${op.name}"): drop the view first`);
      if (op.schema) throw noSchemas();
      return [statement(`CREATE VIEW ${quoteIdent(op.name)} AS ${op.definition}`)];
    case "dropView":
      if (op.materialized) throw new StratumError(`SQLite has no materialized views ("${op.name}")`);
      if (op.cascade) throw new StratumError(`SQLite has no DROP VIEW ... CASCADE ("${op.name}")`);
      if (op.schema) throw noSchemas();
      return [statement(`DROP VIEW ${op.ifExists ? "IF EXISTS " : ""}${quoteIdent(op.name)}`)];
    case "refreshMaterializedView":
      throw new StratumError(`SQLite has no materialized views ("${op.name}")`);
    case "execute":
      return [renderExecute(op.sql, op.params, op.nonTransactional === true, context, binding)];
    case "bulkInsert":
      return renderBulkInsert(op, context, binding);
    case "batch":
      throw new StratumError(
        context.offline
          ? `op.batch needs a connection to read the table; offline --sql cannot render it ("${tableName(op.table)}")`
          : `op.batch on "${tableName(op.table)}" runs through runSqliteBatch(connection, op), not render()`,
      );
    case "autocommit":
      return op.ops.flatMap((inner) => render(inner, context)).map((s) => ({ ...s, transactional: false }));
  }
}

export function renderCreateTable(op: CreateTableOp, name = qualify(op.table)): string {
  if (!Array.isArray(op.columns) || op.columns.length === 0) {
    throw new StratumError(`table "${tableName(op.table)}" needs at least one column`);
  }
  const items = op.columns.map(columnDefinition);
  if (op.primaryKey) items.push(primaryKeyConstraint(op.primaryKey.name, op.primaryKey.columns));
  for (const unique of op.uniques ?? []) items.push(uniqueConstraint(unique));
  for (const check of op.checks ?? []) items.push(checkConstraint(check));
  for (const fk of op.foreignKeys ?? []) items.push(foreignKeyConstraint(fk));
  // SQLite stores no comments: `comment` is accepted so one schema can serve every dialect.
  return `CREATE TABLE ${op.ifNotExists ? "IF NOT EXISTS " : ""}${name} (\n  ${items.join(",\n  ")}\n)`;
}

function renderAddColumn(table: TableRef, column: ColumnSpec, ifNotExists?: boolean): string {
  if (ifNotExists) throw new StratumError(`SQLite has no ADD COLUMN IF NOT EXISTS ("${column.name}")`);
  if (column.primaryKey) throw outsideBatch(`add a PRIMARY KEY column ("${column.name}")`);
  if (column.unique) throw outsideBatch(`add a UNIQUE column ("${column.name}")`);
  if (column.generated !== undefined) throw outsideBatch(`add a STORED generated column ("${column.name}")`);
  return `ALTER TABLE ${qualify(table)} ADD COLUMN ${columnDefinition(column)}`;
}

function renderAlterColumn(op: Extract<Operation, { kind: "alterColumn" }>): RenderedStatement[] {
  const unsupported: [boolean, string][] = [
    [op.type !== undefined, "ALTER COLUMN TYPE"],
    [op.nullable !== undefined, "change a column's nullability"],
    [op.default !== undefined, "change a column's default"],
    [op.collation !== undefined, "change a column's collation"],
    [op.generated !== undefined, "change a generated column"],
    [op.identity !== undefined, "change identity columns"],
  ];
  const first = unsupported.find(([present]) => present);
  if (first) throw outsideBatch(`${first[1]} ("${op.column}")`);
  if (op.comment !== undefined && op.newName === undefined) throw new StratumError(`SQLite has no column comments ("${op.column}")`);
  if (op.newName === undefined) throw new StratumError(`alterColumn on "${op.column}" changes nothing`);
  return [statement(`ALTER TABLE ${qualify(op.table)} RENAME COLUMN ${quoteIdent(op.column)} TO ${quoteIdent(op.newName)}`)];
}

function renderIndexKey(key: IndexKey, index: string): string {
  if (typeof key === "string") return quoteIdent(key);
  if (key.opclass) throw new StratumError(`SQLite has no operator classes (index "${index}")`);
  if (key.nulls) throw new StratumError(`SQLite indexes have no NULLS FIRST/LAST (index "${index}")`);
  let text: string;
  if (key.column !== undefined) text = quoteIdent(key.column);
  else if (key.expression !== undefined) text = `(${key.expression})`;
  else throw new StratumError(`index "${index}" has a key with neither a column nor an expression`);
  if (key.collation) text += ` COLLATE ${quoteIdent(key.collation)}`;
  if (key.order) text += ` ${key.order}`;
  return text;
}

export function renderCreateIndex(op: CreateIndexOp): string {
  if (op.concurrently) throw new StratumError(`SQLite has no CREATE INDEX CONCURRENTLY ("${op.name}")`);
  if (op.method && op.method !== "btree") throw new StratumError(`SQLite has only b-tree indexes, not ${op.method} ("${op.name}")`);
  if (op.include?.length) throw new StratumError(`SQLite has no INCLUDE columns on indexes ("${op.name}")`);
  if (op.nullsNotDistinct) throw new StratumError(`SQLite has no NULLS NOT DISTINCT ("${op.name}")`);
  if (!Array.isArray(op.keys) || op.keys.length === 0) throw new StratumError(`index "${op.name}" needs at least one key`);
  const schema = typeof op.table === "object" && op.table.schema ? `${quoteIdent(op.table.schema)}.` : "";
  let sql = `CREATE ${op.unique ? "UNIQUE " : ""}INDEX ${op.ifNotExists ? "IF NOT EXISTS " : ""}${schema}${quoteIdent(op.name)}`;
  sql += ` ON ${quoteIdent(tableName(op.table))} (${op.keys.map((k) => renderIndexKey(k, op.name)).join(", ")})`;
  if (op.where) sql += ` WHERE ${op.where}`;
  return sql;
}

