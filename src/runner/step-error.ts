import { DatabaseError, InputError, StratumError } from "../errors.js";
import type { Step } from "../graph/types.js";
import { oneLine } from "./statement-session.js";
import type { LoadedRevision } from "./types.js";

export function verb(step: Step): string {
  return step.direction === "up" ? "upgrade" : "downgrade";
}

/**
 * The error a failed step reports: one sentence naming the revision, the statement and the
 * database's own message. Errors that are already the user's to fix (bad input) pass through.
 */
export function stepError(
  error: unknown,
  step: Step,
  revision: LoadedRevision | undefined,
  statement: { index: number | undefined; sql: string | undefined },
  retries: number,
): StratumError {
  const label = `Revision ${step.revision} (${verb(step)})`;
  if (error instanceof DatabaseError) {
    const retried = retries > 0 ? ` after ${retries} ${retries === 1 ? "retry" : "retries"}` : "";
    const where = statement.sql === undefined ? "" : `; statement ${statement.index}: ${oneLine(statement.sql)}`;
    const message = error.code === "VERSION_MISMATCH" ? error.message : error.message.replace(/\.$/, "");
    return new DatabaseError(`${label} failed${retried}: ${message}${where}`, {
      ...(error.code === undefined ? {} : { code: error.code }),
      ...(error.hint === undefined ? {} : { hint: error.hint }),
      cause: error,
    });
  }
  if (error instanceof StratumError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new InputError(`${label.toLowerCase()} failed: ${reason}`, revision ? { file: revision.path } : undefined, { cause: error });
}
