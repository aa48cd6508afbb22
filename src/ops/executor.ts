import type { DialectName, Row } from "../drivers/types.js";
import type { Operation } from "./types.js";

/**
 * Where the `op` facade sends operations: online (render and run), offline (render and print),
 * or recording (collect, for lint, plans and tests). The facade never knows which.
 */
export interface OperationExecutor {
  readonly dialect: DialectName;
  readonly offline: boolean;
  run(op: Operation): Promise<void>;
  /** Reads rows; an offline executor throws a clear error because nothing is connected. */
  query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /**
   * Commits the step's open transaction, so that what follows runs in short transactions of its
   * own (`op.backfill`). Optional: executors without it are sent a statement outside the transaction.
   */
  commit?(): Promise<void>;
}

/** Collects operations without running them. `query` returns no rows (or throws when `strict`). */
export class RecordingExecutor implements OperationExecutor {
  readonly offline = true;
  readonly operations: Operation[] = [];
  constructor(
    readonly dialect: DialectName,
    private readonly strict = false,
  ) {}
  async run(op: Operation): Promise<void> {
    this.operations.push(op);
  }
  async query<R extends Row = Row>(sql: string): Promise<R[]> {
    if (this.strict) throw new Error(`op.query cannot run without a database connection: ${sql}`);
    return [];
  }
}
