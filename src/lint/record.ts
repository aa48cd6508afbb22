/**
 * Builds the statements the rules check from one revision: TypeScript revisions are run against
 * a RecordingExecutor; SQL revisions and op.execute text are read by the PostgreSQL parser (or,
 * on MySQL and MariaDB, by the MySQL DDL reader).
 */
import type { DialectName } from "../drivers/types.js";
import { InputError, StratumError } from "../errors.js";
import { RecordingExecutor } from "../ops/executor.js";
import { Op } from "../ops/op.js";
import type { Operation } from "../ops/types.js";
import type { MigrationFunction, RevisionDefinition } from "../scripts/revision.js";
import type { SqlSection } from "../scripts/sql-revision.js";
import type { LintStatement } from "./changes.js";
import { displayTableName as tableName } from "../ops/table-ref.js";
import { operationChanges } from "./op-changes.js";
import { CallLocator } from "./source-lines.js";
import { mysqlChanges } from "./mysql-sql.js";
import { sqlChanges, type ParsedStatement } from "./sql-changes.js";

/** Raw SQL as changes: the PostgreSQL parser, or the MySQL reader; other dialects' SQL is not read. */
async function rawSqlChanges(text: string, dialect: DialectName): Promise<ParsedStatement[]> {
  if (dialect === "postgresql") return sqlChanges(text);
  if (dialect === "mysql") return mysqlChanges(text);
  return [];
}

export interface StatementSource {
  /** Rules disabled by comments, by line. */
  disabled: ReadonlyMap<number, ReadonlySet<string>>;
  /** Rules the revision's definition disables everywhere in it. */
  revisionDisabled: ReadonlySet<string>;
}

function disabledAt(source: StatementSource, line: number): ReadonlySet<string> {
  const byComment = source.disabled.get(line);
  if (!byComment) return source.revisionDisabled;
  return new Set([...byComment, ...source.revisionDisabled]);
}

/** The statements of one section of a SQL revision, at their lines in the file. */
export async function sqlSectionStatements(section: SqlSection, dialect: DialectName, outside: boolean, source: StatementSource): Promise<LintStatement[]> {
  const padded = "\n".repeat(Math.max(0, section.line - 1)) + section.text;
  const parsed = await rawSqlChanges(padded, dialect);
  return parsed
    .filter((statement) => statement.text.length > 0)
    .map((statement) => {
      const line = statement.lineOffset + 1;
      return { changes: statement.changes, line, text: statement.text, outside, disabled: disabledAt(source, line) };
    });
}

/** Runs a TypeScript revision's upgrade or downgrade with a RecordingExecutor. */
export async function recordOperations(definition: RevisionDefinition, fn: MigrationFunction, dialect: DialectName, file: string): Promise<Operation[]> {
  const recorder = new RecordingExecutor(dialect);
  try {
    await fn(new Op(recorder), { revision: definition.id, dialect, args: {}, offline: true });
  } catch (error) {
    if (error instanceof StratumError) throw error;
    const reason = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
    throw new InputError(`revision ${definition.id} failed while its operations were recorded for lint: ${reason}`, { file }, { cause: error });
  }
  return recorder.operations;
}

/** The statements of recorded operations, with the line of each `op.` call when it can be found. */
export async function operationStatements(
  operations: readonly Operation[],
  dialect: DialectName,
  locator: CallLocator,
  outsideByDefault: boolean,
  source: StatementSource,
): Promise<LintStatement[]> {
  const statements: LintStatement[] = [];
  const visit = async (op: Operation, outside: boolean): Promise<void> => {
    if (op.kind === "autocommit") {
      for (const inner of op.ops) await visit(inner, true);
      return;
    }
    if (op.kind === "batch") {
      for (const inner of op.ops) await visit(inner, outside);
      return;
    }
    const line = locator.lineFor(op);
    if (op.kind === "execute") {
      const runsOutside = outside || op.nonTransactional === true;
      for (const parsed of await rawSqlChanges(op.sql, dialect)) {
        if (parsed.text.length === 0) continue;
        statements.push({ changes: parsed.changes, line: line + parsed.lineOffset, text: parsed.text, outside: runsOutside, disabled: disabledAt(source, line) });
      }
      return;
    }
    statements.push({ changes: await operationChanges(op), line, text: summarize(op), outside, disabled: disabledAt(source, line) });
  };
  for (const op of operations) await visit(op, outsideByDefault);
  return statements;
}

/** A one-line description of a structured operation, shown as the finding's statement. */
export function summarize(op: Operation): string {
  const target = "table" in op && op.table !== undefined ? tableName(op.table) : "name" in op ? String(op.name) : "";
  const name = "name" in op && "table" in op ? ` ${String(op.name)}` : "";
  const detail =
    op.kind === "addColumn" ? ` ${op.column.name} ${op.column.type}` : op.kind === "alterColumn" || op.kind === "dropColumn" ? ` ${op.column}` : "";
  return `op.${op.kind}(${target}${name}${detail})`;
}
