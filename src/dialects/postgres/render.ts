/**
 * Renders operations as PostgreSQL statements (also used for PGlite). Identifiers are always
 * quoted; user-written SQL fragments (types, expressions, predicates, view bodies) are kept verbatim.
 */
import { StratumError } from "../../errors.js";
import type {
  AlterColumnOp,
  BulkInsertOp,
  ColumnSpec,
  CommentTarget,
  CreateIndexOp,
  CreateSequenceOp,
  CreateTableOp,
  DefaultValue,
  ExecuteOp,
  ForeignKeySpec,
  IdentitySpec,
  IndexKey,
  Operation,
  ReferentialAction,
  TableRef,
} from "../../ops/types.js";
import { isSqlExpression } from "../../ops/types.js";
import type { RenderContext, RenderedStatement } from "../types.js";
import { isNonTransactionalSql, tokenize } from "./nontransactional.js";
import { expressionText } from "../common-render.js";
import { qualify, quoteIdent, quoteList, quoteLiteral } from "./quote.js";

export { markEnumValueUse } from "./nontransactional.js";

/** PostgreSQL accepts at most 65535 bind parameters per statement. */
const MAX_PARAMS = 65535;

export function render(op: Operation, context: RenderContext): RenderedStatement[] {
  switch (op.kind) {
    case "createTable":
      return renderCreateTable(op);
    case "dropTable":
      return [ddl(`DROP TABLE ${op.ifExists ? "IF EXISTS " : ""}${qualify(op.table)}${op.cascade ? " CASCADE" : ""}`)];
    case "renameTable":
      return [ddl(`ALTER TABLE ${qualify(op.table)} RENAME TO ${quoteIdent(op.newName)}`)];
    case "setTableComment":
      return [commentOn(`TABLE ${qualify(op.table)}`, op.comment)];
    case "addColumn":
      return [
        ddl(`ALTER TABLE ${qualify(op.table)} ADD COLUMN ${op.ifNotExists ? "IF NOT EXISTS " : ""}${columnDefinition(op.column)}`),
        ...columnComment(op.table, op.column),
      ];
    case "dropColumn":
      return [
        ddl(
          `ALTER TABLE ${qualify(op.table)} DROP COLUMN ${op.ifExists ? "IF EXISTS " : ""}${quoteIdent(op.column)}${op.cascade ? " CASCADE" : ""}`,
        ),
      ];
    case "alterColumn":
      return renderAlterColumn(op);
    case "createIndex":
      return [renderCreateIndex(op)];
    case "dropIndex": {
      const schema = op.schema ?? schemaOf(op.table);
      const name = schema ? `${quoteIdent(schema)}.${quoteIdent(op.name)}` : quoteIdent(op.name);
      const sql = `DROP INDEX ${op.concurrently ? "CONCURRENTLY " : ""}${op.ifExists ? "IF EXISTS " : ""}${name}`;
      return [{ sql, transactional: !op.concurrently }];
    }
    case "createPrimaryKey":
      return [addConstraint(op.table, op.name, `PRIMARY KEY (${quoteList(op.columns)})`)];
    case "createUniqueConstraint": {
      const body = op.usingIndex
        ? `UNIQUE USING INDEX ${quoteIdent(op.usingIndex)}`
        : `UNIQUE${op.nullsNotDistinct ? " NULLS NOT DISTINCT" : ""} (${quoteList(op.columns)})`;
      return [addConstraint(op.table, op.name, body)];
    }
    case "createForeignKey":
      return [addConstraint(op.table, op.name, foreignKeyBody(op))];
    case "createCheckConstraint":
      return [addConstraint(op.table, op.name, `CHECK (${op.expression})${op.notValid ? " NOT VALID" : ""}`)];
    case "createExcludeConstraint": {
      const elements = op.elements.map((e) => `${excludeElement(e.expression)} WITH ${e.operator}`).join(", ");
      let body = `EXCLUDE USING ${op.method ?? "gist"} (${elements})`;
      if (op.where) body += ` WHERE (${op.where})`;
      if (op.deferrable) body += " DEFERRABLE";
      return [addConstraint(op.table, op.name, body)];
    }
    case "validateConstraint":
      return [ddl(`ALTER TABLE ${qualify(op.table)} VALIDATE CONSTRAINT ${quoteIdent(op.name)}`)];
    case "dropConstraint":
      return [
        ddl(
          `ALTER TABLE ${qualify(op.table)} DROP CONSTRAINT ${op.ifExists ? "IF EXISTS " : ""}${quoteIdent(op.name)}${op.cascade ? " CASCADE" : ""}`,
        ),
      ];
    case "createSchema":
      return [ddl(`CREATE SCHEMA ${op.ifNotExists ? "IF NOT EXISTS " : ""}${quoteIdent(op.name)}`)];
    case "dropSchema":
      return [ddl(`DROP SCHEMA ${op.ifExists ? "IF EXISTS " : ""}${quoteIdent(op.name)}${op.cascade ? " CASCADE" : ""}`)];
    case "createExtension": {
      let sql = `CREATE EXTENSION ${op.ifNotExists ? "IF NOT EXISTS " : ""}${quoteIdent(op.name)}`;
      if (op.schema) sql += ` SCHEMA ${quoteIdent(op.schema)}`;
      if (op.version) sql += ` VERSION ${quoteLiteral(op.version)}`;
      return [ddl(sql)];
    }
    case "dropExtension":
      return [ddl(`DROP EXTENSION ${op.ifExists ? "IF EXISTS " : ""}${quoteIdent(op.name)}${op.cascade ? " CASCADE" : ""}`)];
    case "createEnum":
      return [ddl(`CREATE TYPE ${objectName(op)} AS ENUM (${op.values.map(quoteLiteral).join(", ")})`)];
    case "dropEnum":
      return [ddl(`DROP TYPE ${op.ifExists ? "IF EXISTS " : ""}${objectName(op)}`)];
    case "addEnumValue": {
      let sql = `ALTER TYPE ${objectName(op)} ADD VALUE ${op.ifNotExists ? "IF NOT EXISTS " : ""}${quoteLiteral(op.value)}`;
      if (op.before !== undefined) sql += ` BEFORE ${quoteLiteral(op.before)}`;
      else if (op.after !== undefined) sql += ` AFTER ${quoteLiteral(op.after)}`;
      return [ddl(sql)];
    }
    case "renameEnumValue":
      return [ddl(`ALTER TYPE ${objectName(op)} RENAME VALUE ${quoteLiteral(op.from)} TO ${quoteLiteral(op.to)}`)];
    case "createSequence":
      return [ddl(renderCreateSequence(op))];
    case "dropSequence":
      return [ddl(`DROP SEQUENCE ${op.ifExists ? "IF EXISTS " : ""}${objectName(op)}`)];
    case "createView": {
      if (op.materialized && op.orReplace)
        throw new StratumError(`createView ${op.name}: PostgreSQL has no CREATE OR REPLACE MATERIALIZED VIEW; drop and create it instead.`);
      const kind = op.materialized ? "MATERIALIZED VIEW" : "VIEW";
      let sql = `CREATE ${op.orReplace ? "OR REPLACE " : ""}${kind} ${objectName(op)} AS ${stripTrailingSemicolons(op.definition)}`;
      if (op.materialized && op.withNoData) sql += " WITH NO DATA";
      return [ddl(sql)];
    }
    case "dropView": {
      const kind = op.materialized ? "MATERIALIZED VIEW" : "VIEW";
      return [ddl(`DROP ${kind} ${op.ifExists ? "IF EXISTS " : ""}${objectName(op)}${op.cascade ? " CASCADE" : ""}`)];
    }
    case "refreshMaterializedView":
      return [ddl(`REFRESH MATERIALIZED VIEW ${op.concurrently ? "CONCURRENTLY " : ""}${objectName(op)}`)];
    case "setComment":
      return [commentOn(commentTarget(op.target), op.comment)];
    case "execute":
      return [renderExecute(op, context)];
    case "bulkInsert":
      return renderBulkInsert(op, context);
    case "batch":
      // PostgreSQL has every ALTER that batch exists for, so the block is just its operations.
      return op.ops.flatMap((inner) => render(inner, context));
    case "autocommit":
      return op.ops.flatMap((inner) => render(inner, context)).map((s) => ({ ...s, transactional: false }));
    default: {
      const unknown = op as { kind?: unknown };
      throw new StratumError(`Unknown operation kind ${JSON.stringify(unknown.kind)}.`);
    }
  }
}

function ddl(sql: string): RenderedStatement {
  return { sql, transactional: true };
}

function schemaOf(table: TableRef | undefined): string | undefined {
  return typeof table === "object" ? table.schema : undefined;
}

function objectName(op: { name: string; schema?: string }): string {
  return qualify({ name: op.name, ...(op.schema ? { schema: op.schema } : {}) });
}

function stripTrailingSemicolons(text: string): string {
  return text.trim().replace(/[\s;]+$/, "");
}

export function renderDefault(value: DefaultValue): string {
  return isSqlExpression(value) ? value.text : quoteLiteral(value);
}

function identityClause(identity: IdentitySpec): string {
  const options: string[] = [];
  if (identity.start !== undefined) options.push(`START WITH ${identity.start}`);
  if (identity.increment !== undefined) options.push(`INCREMENT BY ${identity.increment}`);
  return `GENERATED ${identity.always ? "ALWAYS" : "BY DEFAULT"} AS IDENTITY${options.length ? ` (${options.join(" ")})` : ""}`;
}

/** "users.id" → users(id); "app.users.id" → app.users(id). */
function parseReference(reference: NonNullable<ColumnSpec["references"]>): {
  table: TableRef;
  column: string;
  onDelete?: ReferentialAction;
  onUpdate?: ReferentialAction;
} {
  if (typeof reference !== "string") return reference;
  const parts = reference.split(".");
  const column = parts.pop();
  if (!column || parts.length === 0 || parts.length > 2)
    throw new StratumError(`Column reference "${reference}" must look like "table.column" or "schema.table.column".`);
  const table = parts.length === 2 ? { schema: parts[0]!, name: parts[1]! } : parts[0]!;
  return { table, column };
}

export function columnDefinition(column: ColumnSpec): string {
  const parts = [quoteIdent(column.name), column.type];
  if (column.collation) parts.push(`COLLATE ${quoteIdent(column.collation)}`);
  if (column.identity) parts.push(identityClause(column.identity));
  else if (column.autoIncrement) parts.push(identityClause({ always: false }));
  if (column.generated !== undefined) parts.push(`GENERATED ALWAYS AS (${expressionText(column.generated)}) STORED`);
  if (column.default !== undefined) parts.push(`DEFAULT ${renderDefault(column.default)}`);
  if (column.nullable === false && !column.primaryKey) parts.push("NOT NULL");
  if (column.primaryKey) parts.push("PRIMARY KEY");
  if (column.unique) parts.push("UNIQUE");
  if (column.references) {
    const ref = parseReference(column.references);
    parts.push(`REFERENCES ${qualify(ref.table)} (${quoteIdent(ref.column)})`);
    if (ref.onDelete) parts.push(`ON DELETE ${ref.onDelete}`);
    if (ref.onUpdate) parts.push(`ON UPDATE ${ref.onUpdate}`);
  }
  return parts.join(" ");
}

function columnComment(table: TableRef, column: ColumnSpec): RenderedStatement[] {
  return column.comment === undefined ? [] : [commentOn(`COLUMN ${qualify(table)}.${quoteIdent(column.name)}`, column.comment)];
}

function constraintPrefix(name: string | undefined): string {
  return name ? `CONSTRAINT ${quoteIdent(name)} ` : "";
}

function foreignKeyBody(fk: Omit<ForeignKeySpec, "name">): string {
  let body = `FOREIGN KEY (${quoteList(fk.columns)}) REFERENCES ${qualify(fk.refTable)} (${quoteList(fk.refColumns)})`;
  if (fk.onDelete) body += ` ON DELETE ${fk.onDelete}`;
  if (fk.onUpdate) body += ` ON UPDATE ${fk.onUpdate}`;
  if (fk.deferrable) body += fk.initiallyDeferred ? " DEFERRABLE INITIALLY DEFERRED" : " DEFERRABLE";
  if (fk.notValid) body += " NOT VALID";
  return body;
}

function renderCreateTable(op: CreateTableOp): RenderedStatement[] {
  const elements = op.columns.map(columnDefinition);
  if (op.primaryKey) elements.push(`${constraintPrefix(op.primaryKey.name)}PRIMARY KEY (${quoteList(op.primaryKey.columns)})`);
  for (const unique of op.uniques ?? []) {
    if (unique.usingIndex) throw new StratumError(`createTable ${qualify(op.table)}: UNIQUE USING INDEX needs an existing table; use createUniqueConstraint.`);
    elements.push(`${constraintPrefix(unique.name)}UNIQUE${unique.nullsNotDistinct ? " NULLS NOT DISTINCT" : ""} (${quoteList(unique.columns)})`);
  }
  for (const fk of op.foreignKeys ?? []) {
    if (fk.notValid) throw new StratumError(`createTable ${qualify(op.table)}: a foreign key cannot be NOT VALID in CREATE TABLE; use createForeignKey.`);
    elements.push(`${constraintPrefix(fk.name)}${foreignKeyBody(fk)}`);
  }
  for (const check of op.checks ?? []) elements.push(`${constraintPrefix(check.name)}CHECK (${check.expression})`);
  const statements = [ddl(`CREATE TABLE ${op.ifNotExists ? "IF NOT EXISTS " : ""}${qualify(op.table)} (\n  ${elements.join(",\n  ")}\n)`)];
  if (op.comment !== undefined) statements.push(commentOn(`TABLE ${qualify(op.table)}`, op.comment));
  for (const column of op.columns) statements.push(...columnComment(op.table, column));
  return statements;
}

function renderAlterColumn(op: AlterColumnOp): RenderedStatement[] {
  const column = quoteIdent(op.column);
  const actions: string[] = [];
  if (op.type !== undefined || op.collation !== undefined) {
    const type = op.type ?? op.previous?.type;
    if (type === undefined)
      throw new StratumError(`alterColumn ${qualify(op.table)}.${op.column}: changing the collation needs the column's type.`);
    let action = `ALTER COLUMN ${column} TYPE ${type}`;
    if (op.collation !== undefined) action += ` COLLATE ${quoteIdent(op.collation)}`;
    if (op.using !== undefined) action += ` USING ${op.using}`;
    actions.push(action);
  }
  if (op.default !== undefined)
    actions.push(op.default === null ? `ALTER COLUMN ${column} DROP DEFAULT` : `ALTER COLUMN ${column} SET DEFAULT ${renderDefault(op.default)}`);
  if (op.nullable !== undefined) actions.push(`ALTER COLUMN ${column} ${op.nullable ? "DROP" : "SET"} NOT NULL`);
  if (op.identity !== undefined)
    actions.push(op.identity === null ? `ALTER COLUMN ${column} DROP IDENTITY IF EXISTS` : `ALTER COLUMN ${column} ADD ${identityClause(op.identity)}`);
  if (op.generated !== undefined)
    actions.push(
      op.generated === null
        ? `ALTER COLUMN ${column} DROP EXPRESSION`
        : // SET EXPRESSION needs PostgreSQL 17 or later.
          `ALTER COLUMN ${column} SET EXPRESSION AS (${expressionText(op.generated)})`,
    );
  const statements: RenderedStatement[] = [];
  if (actions.length > 0) statements.push(ddl(`ALTER TABLE ${qualify(op.table)} ${actions.join(", ")}`));
  const finalName = op.newName ?? op.column;
  if (op.newName !== undefined && op.newName !== op.column)
    statements.push(ddl(`ALTER TABLE ${qualify(op.table)} RENAME COLUMN ${column} TO ${quoteIdent(op.newName)}`));
  if (op.comment !== undefined) statements.push(commentOn(`COLUMN ${qualify(op.table)}.${quoteIdent(finalName)}`, op.comment));
  return statements;
}

function indexKey(key: IndexKey): string {
  if (typeof key === "string") return quoteIdent(key);
  let text = key.expression !== undefined ? `(${key.expression})` : quoteIdent(key.column ?? "");
  if (key.collation) text += ` COLLATE ${quoteIdent(key.collation)}`;
  if (key.opclass) text += ` ${key.opclass}`;
  if (key.order) text += ` ${key.order}`;
  if (key.nulls) text += ` NULLS ${key.nulls}`;
  return text;
}

function renderCreateIndex(op: CreateIndexOp): RenderedStatement {
  let sql = `CREATE ${op.unique ? "UNIQUE " : ""}INDEX ${op.concurrently ? "CONCURRENTLY " : ""}${op.ifNotExists ? "IF NOT EXISTS " : ""}`;
  sql += `${quoteIdent(op.name)} ON ${qualify(op.table)}`;
  if (op.method) sql += ` USING ${op.method}`;
  sql += ` (${op.keys.map(indexKey).join(", ")})`;
  if (op.include?.length) sql += ` INCLUDE (${quoteList(op.include)})`;
  if (op.nullsNotDistinct) sql += " NULLS NOT DISTINCT";
  if (op.where) sql += ` WHERE ${op.where}`;
  return { sql, transactional: !op.concurrently };
}

function addConstraint(table: TableRef, name: string | undefined, body: string): RenderedStatement {
  return ddl(`ALTER TABLE ${qualify(table)} ADD ${constraintPrefix(name)}${body}`);
}

/** A bare column name is quoted; anything else is an expression and is parenthesised. */
function excludeElement(expression: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(expression) ? quoteIdent(expression) : `(${expression})`;
}

function renderCreateSequence(op: CreateSequenceOp): string {
  let sql = `CREATE SEQUENCE ${op.ifNotExists ? "IF NOT EXISTS " : ""}${objectName(op)}`;
  if (op.increment !== undefined) sql += ` INCREMENT BY ${op.increment}`;
  if (op.minValue !== undefined) sql += ` MINVALUE ${op.minValue}`;
  if (op.maxValue !== undefined) sql += ` MAXVALUE ${op.maxValue}`;
  if (op.start !== undefined) sql += ` START WITH ${op.start}`;
  if (op.cycle) sql += " CYCLE";
  if (op.ownedBy !== undefined) sql += ` OWNED BY ${op.ownedBy.split(".").map(quoteIdent).join(".")}`;
  return sql;
}

function commentOn(target: string, comment: string | null): RenderedStatement {
  return ddl(`COMMENT ON ${target} IS ${quoteLiteral(comment)}`);
}

function commentTarget(target: CommentTarget): string {
  switch (target.type) {
    case "table":
      return `TABLE ${qualify(target.table)}`;
    case "column":
      return `COLUMN ${qualify(target.table)}.${quoteIdent(target.column)}`;
    case "function":
      return `FUNCTION ${objectName(target)}(${target.signature})`;
    case "constraint":
    case "trigger":
    case "policy":
      return `${target.type.toUpperCase()} ${quoteIdent(target.name)} ON ${qualify(target.table)}`;
    case "schema":
    case "extension":
      return `${target.type.toUpperCase()} ${quoteIdent(target.name)}`;
    case "materializedView":
      return `MATERIALIZED VIEW ${objectName(target)}`;
    default:
      return `${target.type.toUpperCase()} ${objectName(target)}`;
  }
}

function renderExecute(op: ExecuteOp, context: RenderContext): RenderedStatement {
  const transactional = op.nonTransactional === undefined ? !isNonTransactionalSql(op.sql) : !op.nonTransactional;
  if (!op.params || op.params.length === 0) return { sql: op.sql, transactional };
  if (context.offline) return { sql: inlineParams(op.sql, op.params), transactional };
  return { sql: op.sql, params: op.params, transactional };
}

/** Offline output has no driver to bind `$n`: each placeholder becomes a quoted literal. */
export function inlineParams(sqlText: string, params: readonly unknown[]): string {
  let out = "";
  let last = 0;
  for (const token of tokenize(sqlText)) {
    if (token.kind !== "param") continue;
    const index = Number(token.text.slice(1)) - 1;
    if (index < 0 || index >= params.length)
      throw new StratumError(`The SQL uses ${token.text} but only ${params.length} parameter(s) were given: ${sqlText}`);
    out += sqlText.slice(last, token.start) + quoteLiteral(params[index]);
    last = token.end;
  }
  return out + sqlText.slice(last);
}

function renderBulkInsert(op: BulkInsertOp, context: RenderContext): RenderedStatement[] {
  const columns: string[] = [];
  for (const row of op.rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  if (op.rows.length === 0 || columns.length === 0) return [];
  const head = `INSERT INTO ${qualify(op.table)} (${quoteList(columns)}) VALUES `;
  const rowsPerStatement = Math.max(1, Math.min(1000, Math.floor(MAX_PARAMS / columns.length)));
  const statements: RenderedStatement[] = [];
  for (let from = 0; from < op.rows.length; from += rowsPerStatement) {
    const chunk = op.rows.slice(from, from + rowsPerStatement);
    const params: unknown[] = [];
    const tuples = chunk.map((row) => {
      const cells = columns.map((column) => {
        // A key a row lacks takes the column's default, as it would in a single-row INSERT.
        if (!Object.prototype.hasOwnProperty.call(row, column) || row[column] === undefined) return "DEFAULT";
        if (context.offline) return quoteLiteral(row[column]);
        params.push(row[column]);
        return `$${params.length}`;
      });
      return `(${cells.join(", ")})`;
    });
    const sql = head + tuples.join(", ");
    statements.push(context.offline ? { sql, transactional: true } : { sql, params, transactional: true });
  }
  return statements;
}
