/** Runs the rules over SQL text or over operations built with the real `op` facade. */
import type { DialectName } from "../../src/drivers/types.js";
import { checkStatements, SchemaMemory } from "../../src/lint/check.js";
import { operationStatements, sqlSectionStatements } from "../../src/lint/record.js";
import { CallLocator } from "../../src/lint/source-lines.js";
import type { Volatility } from "../../src/lint/volatility.js";
import { RecordingExecutor } from "../../src/ops/executor.js";
import { Op } from "../../src/ops/op.js";

export interface RunOptions {
  transactional?: boolean;
  direction?: "upgrade" | "downgrade";
  dialect?: DialectName;
  memory?: SchemaMemory;
  volatility?: ReadonlyMap<string, Volatility>;
}

const noComments = { disabled: new Map(), revisionDisabled: new Set<string>() };

function context(options: RunOptions) {
  return {
    dialect: options.dialect ?? "postgresql",
    direction: options.direction ?? "upgrade",
    transactional: options.transactional ?? true,
    memory: options.memory ?? new SchemaMemory(),
    ...(options.volatility ? { volatility: options.volatility } : {}),
  } as const;
}

export async function sqlFindings(sql: string, options: RunOptions = {}) {
  const transactional = options.transactional ?? true;
  const statements = await sqlSectionStatements({ text: sql, line: 1 }, options.dialect ?? "postgresql", !transactional, noComments);
  return checkStatements(statements, context(options));
}

/** The rule ids that fire on the SQL, in order. */
export async function sqlRules(sql: string, options: RunOptions = {}): Promise<string[]> {
  return (await sqlFindings(sql, options)).map((f) => f.rule);
}

export async function opRules(build: (op: Op) => Promise<void>, options: RunOptions = {}): Promise<string[]> {
  const dialect = options.dialect ?? "postgresql";
  const recorder = new RecordingExecutor(dialect);
  await build(new Op(recorder));
  const transactional = options.transactional ?? true;
  const statements = await operationStatements(recorder.operations, dialect, new CallLocator("", { start: 0, end: 0 }, 1), !transactional, noComments);
  return checkStatements(statements, context(options)).map((f) => f.rule);
}
