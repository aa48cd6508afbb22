import type { Connection, QueryResult } from "../drivers/types.js";
import type { Dialect } from "../dialects/types.js";

/** A statement with bound parameters, as the runner builds them for its own tables. */
export interface BoundStatement {
  sql: string;
  params: unknown[];
}

/**
 * Replaces `$n` / `?` placeholders with literals. Only used for Stratum's own statements, whose
 * SQL text never holds a `?` or `$` of its own, and for `--sql` output.
 */
export function inlineParams(dialect: Dialect, statement: { sql: string; params?: readonly unknown[] }): string {
  const params = statement.params ?? [];
  if (params.length === 0) return statement.sql;
  if (dialect.state.param(1) === "$1") return statement.sql.replace(/\$(\d+)/g, (_m, n: string) => dialect.quoteLiteral(params[Number(n) - 1]));
  let next = 0;
  return statement.sql.replace(/\?/g, () => dialect.quoteLiteral(params[next++]));
}

/** A backslash in a literal means different things depending on server settings; bind it instead. */
export function safeToInline(params: readonly unknown[]): boolean {
  return params.every((p) => typeof p !== "string" || !p.includes("\\"));
}

/**
 * Sends statements in one round trip where the driver allows it (inlining bound values as
 * literals), else one at a time. Returns one result per statement.
 */
export async function runBatch(connection: Connection, dialect: Dialect, statements: readonly (string | BoundStatement)[]): Promise<QueryResult[]> {
  const bound = statements.map((s) => (typeof s === "string" ? { sql: s, params: [] as unknown[] } : s));
  if (connection.batch && bound.length > 1 && bound.every((s) => safeToInline(s.params))) {
    return connection.batch(bound.map((s) => inlineParams(dialect, s)));
  }
  const results: QueryResult[] = [];
  for (const s of bound) results.push(await connection.query(s.sql, s.params));
  return results;
}
