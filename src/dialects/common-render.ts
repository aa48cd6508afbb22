/**
 * Rendering the dialects share. MySQL and SQLite both bind `?` placeholders, so their raw SQL and
 * bulk inserts come out the same but for how each driver binds a value and how many at once.
 */
import { StratumError } from "../errors.js";
import type { BulkInsertOp, SqlExpression, TableRef } from "../ops/types.js";
import { isSqlExpression } from "../ops/types.js";
import { tableName } from "../ops/table-ref.js";
import type { RenderContext, RenderedStatement } from "./types.js";

/** What a dialect lends the shared renderers: how it names tables and binds or writes values. */
export interface ValueBinding {
  qualify(table: TableRef): string;
  quoteList(names: string[]): string;
  /** A value as a literal, for offline scripts. */
  literal(value: unknown): string;
  /** A value as the driver binds it. */
  toParam(value: unknown): unknown;
  /** The statement with its placeholders replaced by literals, for offline scripts. */
  inlineParams(sqlText: string, params: readonly unknown[]): string;
  /** The most placeholders one statement may carry. */
  maxPlaceholders: number;
}

const ROWS_PER_INSERT = 500;

export function statement(sql: string): RenderedStatement {
  return { sql, transactional: true };
}

/** The SQL text of an expression, whether given as an sql-tagged expression or as a plain string. */
export function expressionText(value: SqlExpression | string): string {
  return isSqlExpression(value) ? value.text : value;
}

/** Raw SQL: its parameters bound online, or inlined as literals offline. */
export function renderExecute(
  sqlText: string,
  params: unknown[] | undefined,
  nonTransactional: boolean,
  context: RenderContext,
  binding: ValueBinding,
): RenderedStatement {
  const transactional = !nonTransactional;
  if (!params || params.length === 0) return { sql: sqlText, transactional };
  if (context.offline) return { sql: binding.inlineParams(sqlText, params), transactional };
  return { sql: sqlText, params: params.map((value) => binding.toParam(value)), transactional };
}

export function renderBulkInsert(op: BulkInsertOp, context: RenderContext, binding: ValueBinding): RenderedStatement[] {
  if (!Array.isArray(op.rows)) throw new StratumError(`bulkInsert into "${tableName(op.table)}" needs an array of rows`);
  const statements: RenderedStatement[] = [];
  // Consecutive rows with the same keys share one INSERT; a key left out takes the column default.
  let group: Record<string, unknown>[] = [];
  let groupKeys = "";
  const flush = () => {
    if (group.length === 0) return;
    const columns = Object.keys(group[0]!);
    const perInsert = Math.max(1, Math.min(ROWS_PER_INSERT, Math.floor(binding.maxPlaceholders / columns.length)));
    for (let i = 0; i < group.length; i += perInsert) statements.push(renderInsert(op, columns, group.slice(i, i + perInsert), context, binding));
    group = [];
  };
  op.rows.forEach((row, index) => {
    if (typeof row !== "object" || row === null || Array.isArray(row) || Object.keys(row).length === 0) {
      throw new StratumError(`bulkInsert into "${tableName(op.table)}": row ${index + 1} must be an object with at least one column`);
    }
    const keys = JSON.stringify(Object.keys(row));
    if (keys !== groupKeys) flush();
    groupKeys = keys;
    group.push(row);
  });
  flush();
  return statements;
}

function renderInsert(op: BulkInsertOp, columns: string[], rows: Record<string, unknown>[], context: RenderContext, binding: ValueBinding): RenderedStatement {
  const head = `INSERT INTO ${binding.qualify(op.table)} (${binding.quoteList(columns)}) VALUES `;
  if (context.offline) {
    return statement(head + rows.map((row) => `(${columns.map((c) => binding.literal(row[c])).join(", ")})`).join(",\n  "));
  }
  const tuple = `(${columns.map(() => "?").join(", ")})`;
  return {
    sql: head + rows.map(() => tuple).join(", "),
    params: rows.flatMap((row) => columns.map((c) => binding.toParam(row[c]))),
    transactional: true,
  };
}
