/**
 * Reads a legacy SQL file with the real PostgreSQL parser: every statement must parse (an
 * InputError names file:line otherwise), and statements that fail when run a second time, or that
 * would end the runner's transaction, are reported as warnings.
 */

type Node = Record<string, unknown>;

export interface StatementWarning {
  line: number;
  message: string;
}

export interface AnalyzedSql {
  statements: number;
  warnings: StatementWarning[];
  /** Lines of BEGIN/COMMIT/ROLLBACK statements: each revision already runs in its own transaction. */
  transactionControl: Array<{ line: number; sql: string }>;
}

/** Splits a file into statements with their lines; throws an InputError naming file:line when it cannot. */
export type StatementSplitter = (text: string, file: string) => Promise<Array<{ sql: string; line: number }>>;

const TRANSACTION_CONTROL = /^(begin|commit|rollback|end|start\s+transaction)\b/i;

/**
 * For databases other than PostgreSQL there is no parse tree here: the dialect's splitter checks
 * the file, and only transaction control is recognised (by its leading keyword).
 */
export async function analyzeWithSplitter(text: string, file: string, split: StatementSplitter): Promise<AnalyzedSql> {
  const statements = await split(text, file);
  const transactionControl = statements.filter((s) => TRANSACTION_CONTROL.test(s.sql.trim())).map((s) => ({ line: s.line, sql: s.sql.trim() }));
  return { statements: statements.length, warnings: [], transactionControl };
}

export async function analyzeSql(text: string, file: string): Promise<AnalyzedSql> {
  // The parser is a WASM module: loaded when a file is read, not when the API is imported.
  const { loadParser, splitStatements } = await import("../dialects/postgres/split.js");
  const { parse } = await import("libpg-query");
  const statements = await splitStatements(text, file);
  await loadParser();
  const warnings: StatementWarning[] = [];
  const transactionControl: AnalyzedSql["transactionControl"] = [];
  for (const statement of statements) {
    const tree = ((await parse(statement.sql)) as { stmts?: Array<{ stmt?: Node }> }).stmts?.[0]?.stmt;
    if (!tree) continue;
    const [type, body] = Object.entries(tree)[0] as [string, Node];
    if (type === "TransactionStmt") {
      transactionControl.push({ line: statement.line, sql: statement.sql });
      continue;
    }
    const problem = notIdempotent(type, body);
    if (problem) warnings.push({ line: statement.line, message: problem });
  }
  return { statements: statements.length, warnings, transactionControl };
}

/** Why running the statement twice would fail, or undefined when it would not. */
export function notIdempotent(type: string, node: Node): string | undefined {
  const name = (relation: unknown) => (relation as { relname?: string } | undefined)?.relname ?? "?";
  switch (type) {
    case "CreateStmt":
      return node.if_not_exists ? undefined : `CREATE TABLE ${name(node.relation)} without IF NOT EXISTS`;
    case "IndexStmt":
      return node.if_not_exists ? undefined : `CREATE INDEX ${String(node.idxname ?? "")} without IF NOT EXISTS`.replace("  ", " ");
    case "CreateExtensionStmt":
      return node.if_not_exists ? undefined : `CREATE EXTENSION ${String(node.extname)} without IF NOT EXISTS`;
    case "CreateSchemaStmt":
      return node.if_not_exists ? undefined : `CREATE SCHEMA ${String(node.schemaname)} without IF NOT EXISTS`;
    case "CreateSeqStmt":
      return node.if_not_exists ? undefined : `CREATE SEQUENCE ${name(node.sequence)} without IF NOT EXISTS`;
    case "CreateTableAsStmt": {
      const into = (node.into as { rel?: unknown } | undefined)?.rel;
      const kind = node.objtype === "OBJECT_MATVIEW" ? "CREATE MATERIALIZED VIEW" : "CREATE TABLE AS";
      return node.if_not_exists ? undefined : `${kind} ${name(into)} without IF NOT EXISTS`;
    }
    case "ViewStmt":
      return node.replace ? undefined : `CREATE VIEW ${name(node.view)} without OR REPLACE`;
    case "CreateFunctionStmt":
      return node.replace ? undefined : `CREATE FUNCTION without OR REPLACE`;
    case "CreateTrigStmt":
      return node.replace ? undefined : `CREATE TRIGGER ${String(node.trigname)} without OR REPLACE`;
    case "CreateEnumStmt":
      return "CREATE TYPE ... AS ENUM fails when the type exists";
    case "DropStmt":
      return node.missing_ok ? undefined : "DROP without IF EXISTS";
    case "AlterTableStmt":
      return alterTableProblem(node, name(node.relation));
    default:
      return undefined;
  }
}

function alterTableProblem(node: Node, table: string): string | undefined {
  const commands = Array.isArray(node.cmds) ? (node.cmds as Array<{ AlterTableCmd?: Node }>) : [];
  for (const command of commands) {
    const cmd = command.AlterTableCmd;
    if (!cmd) continue;
    if (cmd.subtype === "AT_AddColumn" && !cmd.missing_ok) return `ALTER TABLE ${table} ADD COLUMN without IF NOT EXISTS`;
    if (cmd.subtype === "AT_DropColumn" && !cmd.missing_ok) return `ALTER TABLE ${table} DROP COLUMN without IF EXISTS`;
    if (cmd.subtype === "AT_AddConstraint") return `ALTER TABLE ${table} ADD CONSTRAINT fails when the constraint exists`;
  }
  return undefined;
}
