import type { Row } from "../drivers/types.js";
import type { OperationExecutor } from "./executor.js";
import { RecordingExecutor } from "./executor.js";
import type { Operation } from "./types.js";

/**
 * The `op` object a revision's upgrade and downgrade receive. Each method builds one
 * operation (plain data) and hands it to the executor.
 */
export class Op {
  constructor(protected readonly executor: OperationExecutor) {}

  get dialect() {
    return this.executor.dialect;
  }

  /** Runs any operation object, as autogenerate writes them. */
  async run(operation: Operation): Promise<void> {
    await this.executor.run(operation);
  }

  /** Raw SQL; `params` are bound by the driver ($1 on PostgreSQL, ? elsewhere), never spliced. */
  async execute(sqlText: string, params?: unknown[]): Promise<void> {
    if (typeof sqlText !== "string") throw new TypeError("op.execute expects SQL text as its first argument");
    await this.executor.run(params === undefined ? { kind: "execute", sql: sqlText } : { kind: "execute", sql: sqlText, params });
  }

  /** Reads rows (online only: offline `--sql` has no database to read from). */
  async query<R extends Row = Row>(sqlText: string, params?: unknown[]): Promise<R[]> {
    return this.executor.query<R>(sqlText, params);
  }

  /** Runs the block's statements outside the step's transaction (CONCURRENTLY, ALTER TYPE ... ADD VALUE). */
  async autocommit(block: (op: Op) => Promise<void> | void): Promise<void> {
    const recorder = new RecordingExecutor(this.executor.dialect, true);
    await block(new Op(recorder));
    await this.executor.run({ kind: "autocommit", ops: recorder.operations });
  }
}
