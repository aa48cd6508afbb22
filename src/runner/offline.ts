import { InputError, StratumError, UsageError } from "../errors.js";
import type { Step } from "../graph/types.js";
import { Op } from "../ops/op.js";
import { inlineParams } from "./batch.js";
import { findRevision, loadDefinition, migrationFunction } from "./definitions.js";
import { historyInsert } from "./history.js";
import { OfflineExecutor } from "./offline-executor.js";
import { versionChangeStatements } from "./state-tables.js";
import type { LoadedRevision, OfflineOptions } from "./types.js";

/** Names the revision that could not be rendered; errors that already name a file pass through. */
function offlineError(error: unknown, step: Step): StratumError {
  if (error instanceof InputError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  const hint = error instanceof StratumError ? error.hint : undefined;
  return new UsageError(`Revision ${step.revision} (${step.direction === "up" ? "upgrade" : "downgrade"}) cannot be rendered for --sql: ${reason}`, {
    ...(hint === undefined ? {} : { hint }),
    cause: error,
  });
}

function terminated(sql: string): string {
  const text = sql.trim();
  return text.endsWith(";") ? text : `${text};`;
}

/** Alembic's "-- Running upgrade A -> B" line; "<base>" where there is no parent. */
function runningComment(step: Step, revision: LoadedRevision): string {
  const parents = revision.header.parents.length > 0 ? revision.header.parents.join(", ") : "<base>";
  return step.direction === "up" ? `-- Running upgrade ${parents} -> ${step.revision}` : `-- Running downgrade ${step.revision} -> ${parents}`;
}

/**
 * The SQL a run would send, as a script for `--sql`: revisions run against an executor that
 * writes text. BEGIN/COMMIT go around each revision (or around everything in single mode)
 * where DDL is transactional; statements that cannot run in a transaction sit between them.
 */
export async function renderOfflineScript(options: OfflineOptions): Promise<string> {
  const { dialect, tables } = options;
  const transactional = dialect.capabilities.transactionalDdl;
  const single = transactional && options.transactionMode === "single";
  const out: string[] = [];
  if (options.includeStateTables) {
    for (const sql of new Set([...dialect.state.createVersionTable(tables), ...dialect.state.createHistoryTable(tables)])) out.push(terminated(sql));
    out.push("");
  }
  if (single) out.push("BEGIN;", "");
  for (const step of options.steps) {
    const revision = findRevision(options.revisions, step.revision);
    const definition = await loadDefinition(revision, dialect);
    const executor = new OfflineExecutor(dialect, definition.transactional === false, tables.schema);
    try {
      await migrationFunction(definition, revision, step.direction)(new Op(executor), {
        revision: step.revision,
        dialect: dialect.name,
        args: options.args,
        offline: true,
      });
    } catch (error) {
      throw offlineError(error, step);
    }
    out.push(runningComment(step, revision));
    let open = single;
    const begin = () => {
      if (!open && transactional) out.push("BEGIN;");
      open = transactional;
    };
    for (const statement of executor.statements) {
      if (statement.outside && transactional) {
        if (single)
          throw new UsageError(`Revision ${step.revision} has a statement that cannot run inside a transaction, so it cannot be part of a single-transaction script.`);
        if (open) out.push("COMMIT;");
        open = false;
        out.push(terminated(statement.sql));
        continue;
      }
      begin();
      out.push(terminated(statement.sql));
    }
    begin();
    for (const statement of versionChangeStatements(dialect, tables, step.versionChanges)) out.push(terminated(inlineParams(dialect, statement)));
    const history = historyInsert(dialect, tables, {
      revision: step.revision, direction: step.direction, checksum: revision.checksum, startedAt: new Date(), durationMs: null,
      success: true, error: null, statementsTotal: executor.statements.length, statementsDone: executor.statements.length,
      versionChanges: step.versionChanges, note: "offline script", toolVersion: options.toolVersion ?? "offline",
    });
    out.push(terminated(inlineParams(dialect, history)));
    if (open && !single) out.push("COMMIT;");
    out.push("");
  }
  if (single) out.push("COMMIT;", "");
  return out.join("\n");
}
