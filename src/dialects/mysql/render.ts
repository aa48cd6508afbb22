/**
 * Renders operations as MySQL 8 / MariaDB 10.11 statements. Anything neither server can do is a
 * StratumError at the call, never SQL that fails later. Both servers commit each DDL statement.
 */
import { StratumError } from "../../errors.js";
import type {
  AlterColumnOp,
  ColumnSpec,
  CreateIndexOp,
  CreateTableOp,
  DropConstraintOp,
  IndexKey,
  OnlineDdlOptions,
  Operation,
  TableRef,
} from "../../ops/types.js";
import type { RenderContext, RenderedStatement } from "../types.js";
import {
  checkConstraint,
  columnDefinition,
  foreignKeyConstraint,
  inlineForeignKey,
  renderDefault,
  uniqueConstraint,
} from "./ddl.js";
import { inlineParams, mysqlLiteral, toMysqlParam } from "./params.js";
import { tableName } from "../../ops/table-ref.js";
import { renderBulkInsert, renderExecute, statement, type ValueBinding } from "../common-render.js";
import { qualify, quoteIdent, quoteList } from "./quote.js";

const binding: ValueBinding = {
  qualify,
  quoteList,
  literal: mysqlLiteral,
  toParam: toMysqlParam,
  inlineParams,
  // The protocol's limit on placeholders in one prepared statement.
  maxPlaceholders: 65_000,
};

function noEnums(): StratumError {
  return new StratumError("MySQL has no enum types: use an ENUM(...) column type");
}

/** ALGORITHM= and LOCK= options: comma-separated clauses in ALTER TABLE, space-separated in CREATE/DROP INDEX. */
function onlineOptions(op: OnlineDdlOptions): string[] {
  const options: string[] = [];
  if (op.algorithm) options.push(`ALGORITHM=${op.algorithm}`);
  if (op.lock) options.push(`LOCK=${op.lock}`);
  return options;
}

function indexOptions(op: OnlineDdlOptions): string {
  return onlineOptions(op).map((o) => ` ${o}`).join("");
}

function alterTable(table: TableRef, clauses: string[], options: OnlineDdlOptions = {}): RenderedStatement {
  return statement(`ALTER TABLE ${qualify(table)} ${[...clauses, ...onlineOptions(options)].join(", ")}`);
}

export function render(op: Operation, context: RenderContext): RenderedStatement[] {
  switch (op.kind) {
    case "createTable":
      return [statement(renderCreateTable(op))];
    case "dropTable":
      if (op.cascade) throw new StratumError(`MySQL ignores CASCADE on DROP TABLE ("${tableName(op.table)}"): drop the referencing foreign keys first`);
      return [statement(`DROP TABLE ${op.ifExists ? "IF EXISTS " : ""}${qualify(op.table)}`)];
    case "renameTable": {
      const target = typeof op.table === "object" && op.table.schema ? { schema: op.table.schema, name: op.newName } : op.newName;
      return [statement(`RENAME TABLE ${qualify(op.table)} TO ${qualify(target)}`)];
    }
    case "setTableComment":
      return [alterTable(op.table, [`COMMENT = ${mysqlLiteral(op.comment ?? "")}`])];
    case "setComment":
      if (op.target.type === "table") return [alterTable(op.target.table, [`COMMENT = ${mysqlLiteral(op.comment ?? "")}`])];
      if (op.target.type === "column") {
        throw new StratumError(
          `MySQL needs the full definition of column "${op.target.column}" to change its comment: use alterColumn with comment and previous`,
        );
      }
      throw new StratumError(`MySQL has no comments on a ${op.target.type}`);
    case "addColumn":
      return [renderAddColumn(op.table, op.column, op)];
    case "dropColumn":
      if (op.cascade) throw new StratumError(`MySQL has no DROP COLUMN ... CASCADE ("${op.column}")`);
      return [alterTable(op.table, [`DROP COLUMN ${op.ifExists ? "IF EXISTS " : ""}${quoteIdent(op.column)}`], op)];
    case "alterColumn":
      return renderAlterColumn(op);
    case "createIndex":
      return [statement(renderCreateIndex(op))];
    case "dropIndex": {
      if (op.concurrently) throw new StratumError(`MySQL has no DROP INDEX CONCURRENTLY ("${op.name}"): use lock: "NONE"`);
      const table = op.table ?? (op.previous?.table as TableRef | undefined);
      if (table === undefined) throw new StratumError(`MySQL needs the table of index "${op.name}": give dropIndex a table`);
      return [statement(`DROP INDEX ${op.ifExists ? "IF EXISTS " : ""}${quoteIdent(op.name)} ON ${qualify(table)}${indexOptions(op)}`)];
    }
    case "createPrimaryKey":
      // MySQL names every primary key PRIMARY; a given name is not kept.
      return [alterTable(op.table, [`ADD PRIMARY KEY (${quoteList(op.columns)})`])];
    case "createUniqueConstraint":
      return [alterTable(op.table, [`ADD ${uniqueConstraint(op)}`])];
    case "createForeignKey":
      return [alterTable(op.table, [`ADD ${foreignKeyConstraint(op)}`])];
    case "createCheckConstraint":
      return [alterTable(op.table, [`ADD ${checkConstraint(op)}`])];
    case "dropConstraint":
      return [alterTable(op.table, [dropConstraintClause(op)])];
    case "createExcludeConstraint":
      throw new StratumError("MySQL has no exclusion constraints");
    case "validateConstraint":
      throw new StratumError("MySQL has no VALIDATE CONSTRAINT: constraints are checked when they are added");
    case "createSchema":
    case "dropSchema":
      throw new StratumError("MySQL has no schemas inside a database (CREATE SCHEMA creates a database): use a separate target");
    case "createExtension":
    case "dropExtension":
      throw new StratumError("MySQL has no extensions");
    case "createEnum":
    case "dropEnum":
    case "addEnumValue":
    case "renameEnumValue":
      throw noEnums();
    case "createSequence":
      return [statement(renderCreateSequence(op))];
    case "dropSequence":
      return [statement(`DROP SEQUENCE ${op.ifExists ? "IF EXISTS " : ""}${qualify(named(op))}`)];
    case "createView":
      if (op.materialized) throw new StratumError(`MySQL has no materialized views ("${op.name}")`);
      return [statement(`CREATE ${op.orReplace ? "OR REPLACE " : ""}VIEW ${qualify(named(op))} AS ${op.definition}`)];
    case "dropView":
      if (op.materialized) throw new StratumError(`MySQL has no materialized views ("${op.name}")`);
      if (op.cascade) throw new StratumError(`MySQL ignores CASCADE on DROP VIEW ("${op.name}")`);
      return [statement(`DROP VIEW ${op.ifExists ? "IF EXISTS " : ""}${qualify(named(op))}`)];
    case "refreshMaterializedView":
      throw new StratumError(`MySQL has no materialized views ("${op.name}")`);
    case "execute":
      return [renderExecute(op.sql, op.params, op.nonTransactional === true, context, binding)];
    case "bulkInsert":
      return renderBulkInsert(op, context, binding);
    case "batch":
      // Only SQLite needs a table rebuild; elsewhere a batch is its operations, in order.
      return op.ops.flatMap((inner) => render(BATCH_TABLE_KINDS.has(inner.kind) ? ({ ...inner, table: op.table } as Operation) : inner, context));
    case "autocommit":
      return op.ops.flatMap((inner) => render(inner, context)).map((s) => ({ ...s, transactional: false }));
  }
}

/** Operations inside a batch that act on the batch's table. */
const BATCH_TABLE_KINDS = new Set<Operation["kind"]>([
  "addColumn",
  "dropColumn",
  "alterColumn",
  "createIndex",
  "dropIndex",
  "createPrimaryKey",
  "createUniqueConstraint",
  "createForeignKey",
  "createCheckConstraint",
  "dropConstraint",
  "setTableComment",
  "bulkInsert",
]);

function named(op: { name: string; schema?: string }): TableRef {
  return op.schema ? { schema: op.schema, name: op.name } : op.name;
}

export function renderCreateTable(op: CreateTableOp): string {
  if (!Array.isArray(op.columns) || op.columns.length === 0) {
    throw new StratumError(`table "${tableName(op.table)}" needs at least one column`);
  }
  const items = op.columns.map(columnDefinition);
  if (op.primaryKey) items.push(`PRIMARY KEY (${quoteList(op.primaryKey.columns)})`);
  for (const unique of op.uniques ?? []) items.push(uniqueConstraint(unique));
  for (const check of op.checks ?? []) items.push(checkConstraint(check));
  for (const column of op.columns) {
    const fk = inlineForeignKey(column);
    if (fk) items.push(foreignKeyConstraint(fk));
  }
  for (const fk of op.foreignKeys ?? []) items.push(foreignKeyConstraint(fk));
  const comment = op.comment !== undefined ? ` COMMENT=${mysqlLiteral(op.comment)}` : "";
  return `CREATE TABLE ${op.ifNotExists ? "IF NOT EXISTS " : ""}${qualify(op.table)} (\n  ${items.join(",\n  ")}\n)${comment}`;
}

function renderAddColumn(table: TableRef, column: ColumnSpec, op: { ifNotExists?: boolean } & OnlineDdlOptions): RenderedStatement {
  const clauses = [`ADD COLUMN ${op.ifNotExists ? "IF NOT EXISTS " : ""}${columnDefinition(column)}`];
  const fk = inlineForeignKey(column);
  if (fk) clauses.push(`ADD ${foreignKeyConstraint(fk)}`);
  return alterTable(table, clauses, op);
}

/** Fields of an alterColumn that MySQL can change only by restating the whole column. */
const DEFINITION_FIELDS = ["type", "nullable", "comment", "collation", "generated"] as const;

function renderAlterColumn(op: AlterColumnOp): RenderedStatement[] {
  if (op.identity !== undefined) throw new StratumError(`MySQL has no identity columns ("${op.column}"): use autoIncrement`);
  if (op.using !== undefined) {
    throw new StratumError(`MySQL has no USING for a type change ("${op.column}"): convert the data with op.execute before or after`);
  }
  const redefines = DEFINITION_FIELDS.some((field) => op[field] !== undefined);
  if (redefines) return [alterTable(op.table, [redefineColumn(op)], op)];

  const statements: RenderedStatement[] = [];
  if (op.default !== undefined) {
    const change = op.default === null ? "DROP DEFAULT" : `SET DEFAULT ${renderDefault(op.default)}`;
    statements.push(alterTable(op.table, [`ALTER COLUMN ${quoteIdent(op.column)} ${change}`], op));
  }
  if (op.newName !== undefined) {
    statements.push(alterTable(op.table, [`RENAME COLUMN ${quoteIdent(op.column)} TO ${quoteIdent(op.newName)}`], op));
  }
  if (statements.length === 0) throw new StratumError(`alterColumn on "${op.column}" changes nothing`);
  return statements;
}

/** MODIFY (or CHANGE, when renaming) with the full new definition: the old one merged with the changes. */
function redefineColumn(op: AlterColumnOp): string {
  const previous = op.previous;
  const type = op.type ?? previous?.type;
  if (previous === undefined || type === undefined) {
    throw new StratumError(
      `MySQL needs the full definition of column "${op.column}" to change it (MODIFY COLUMN restates the column): give alterColumn a \`previous\` with its type, nullability, default and comment`,
    );
  }
  const pick = <T>(change: T | null | undefined, before: T | undefined): T | undefined =>
    change === undefined ? before : change === null ? undefined : change;
  const column: ColumnSpec = {
    name: op.newName ?? op.column,
    type,
    nullable: op.nullable ?? previous.nullable ?? true,
    // Primary key and unique are indexes of their own: restating them would add a second index.
    ...(previous.autoIncrement ? { autoIncrement: true } : {}),
  };
  const defaultValue = pick(op.default, previous.default ?? undefined);
  if (defaultValue !== undefined) column.default = defaultValue;
  const comment = pick(op.comment, previous.comment);
  if (comment !== undefined) column.comment = comment;
  const collation = op.collation ?? previous.collation;
  if (collation !== undefined) column.collation = collation;
  const generated = pick(op.generated, previous.generated);
  if (generated !== undefined) column.generated = generated;
  const definition = columnDefinition(column);
  return op.newName !== undefined ? `CHANGE COLUMN ${quoteIdent(op.column)} ${definition}` : `MODIFY COLUMN ${definition}`;
}

function renderIndexKey(key: IndexKey, index: string): string {
  if (typeof key === "string") return quoteIdent(key);
  if (key.opclass) throw new StratumError(`MySQL has no operator classes (index "${index}")`);
  if (key.nulls) throw new StratumError(`MySQL indexes have no NULLS FIRST/LAST (index "${index}")`);
  if (key.collation) throw new StratumError(`MySQL indexes take the column's collation (index "${index}")`);
  let text: string;
  if (key.column !== undefined) text = quoteIdent(key.column);
  // A functional key part (MySQL 8.0.13+) is written in its own parentheses.
  else if (key.expression !== undefined) text = `(${key.expression})`;
  else throw new StratumError(`index "${index}" has a key with neither a column nor an expression`);
  if (key.order) text += ` ${key.order}`;
  return text;
}

export function renderCreateIndex(op: CreateIndexOp): string {
  if (op.concurrently) {
    throw new StratumError(`MySQL has no CREATE INDEX CONCURRENTLY ("${op.name}"): use algorithm: "INPLACE", lock: "NONE"`);
  }
  if (op.where) throw new StratumError(`MySQL has no partial indexes ("${op.name}")`);
  if (op.include?.length) throw new StratumError(`MySQL has no INCLUDE columns on indexes ("${op.name}")`);
  if (op.nullsNotDistinct) throw new StratumError(`MySQL has no NULLS NOT DISTINCT ("${op.name}")`);
  if (op.method && op.method !== "btree" && op.method !== "hash") {
    throw new StratumError(`MySQL has no ${op.method} indexes ("${op.name}"): use btree or hash`);
  }
  if (!Array.isArray(op.keys) || op.keys.length === 0) throw new StratumError(`index "${op.name}" needs at least one key`);
  let sql = `CREATE ${op.unique ? "UNIQUE " : ""}INDEX ${op.ifNotExists ? "IF NOT EXISTS " : ""}${quoteIdent(op.name)} ON ${qualify(op.table)}`;
  sql += ` (${op.keys.map((k) => renderIndexKey(k, op.name)).join(", ")})`;
  if (op.method) sql += ` USING ${op.method.toUpperCase()}`;
  return sql + indexOptions(op);
}

function dropConstraintClause(op: DropConstraintOp): string {
  if (op.cascade) throw new StratumError(`MySQL has no DROP CONSTRAINT ... CASCADE ("${op.name}")`);
  const ifExists = op.ifExists ? "IF EXISTS " : "";
  const name = quoteIdent(op.name);
  switch (op.type) {
    case "primaryKey":
      return "DROP PRIMARY KEY";
    case "foreignKey":
      return `DROP FOREIGN KEY ${ifExists}${name}`;
    case "unique":
      return `DROP INDEX ${ifExists}${name}`;
    case "exclude":
      throw new StratumError("MySQL has no exclusion constraints");
    // A CHECK, or a constraint of unknown kind: DROP CONSTRAINT works on MySQL 8.0.19+ and MariaDB.
    case "check":
    case undefined:
      return `DROP CONSTRAINT ${ifExists}${name}`;
  }
}

function renderCreateSequence(op: Extract<Operation, { kind: "createSequence" }>): string {
  // MariaDB has sequences; MySQL 8 does not, and rejects the statement itself.
  if (op.ownedBy) throw new StratumError(`MySQL sequences cannot be OWNED BY a column ("${op.name}")`);
  let sql = `CREATE SEQUENCE ${op.ifNotExists ? "IF NOT EXISTS " : ""}${qualify(named(op))}`;
  if (op.start !== undefined) sql += ` START WITH ${op.start}`;
  if (op.increment !== undefined) sql += ` INCREMENT BY ${op.increment}`;
  if (op.minValue !== undefined) sql += ` MINVALUE ${op.minValue}`;
  if (op.maxValue !== undefined) sql += ` MAXVALUE ${op.maxValue}`;
  if (op.cycle) sql += " CYCLE";
  return sql;
}

