import type { Row } from "../drivers/types.js";
import type { Dialect } from "../dialects/types.js";
import type { OperationExecutor } from "../ops/executor.js";
import type { Operation } from "../ops/types.js";
import type { StatementSession } from "./statement-session.js";

/**
 * Runs a revision's operations on the live database: renders each for the dialect and sends
 * it through the step's statement session, which owns the transaction.
 */
export class OnlineExecutor implements OperationExecutor {
  readonly offline = false;

  constructor(
    private readonly dialect_: Dialect,
    private readonly session: StatementSession,
    /** The revision runs every statement outside a transaction (`transactional: false`). */
    private readonly allOutside: boolean,
    private readonly schema: string | undefined,
    /** Statements the dialect marked to run outside the transaction after seeing the whole revision. */
    private readonly outside: ReadonlySet<string> = new Set(),
  ) {}

  get dialect() {
    return this.dialect_.name;
  }

  async run(op: Operation): Promise<void> {
    if (op.kind === "autocommit") {
      for (const inner of op.ops) await this.send(inner, true);
      return;
    }
    const runBatch = this.dialect_.runBatch;
    if (op.kind === "batch" && runBatch) {
      // The rebuild reads the live table, so it cannot be rendered ahead of time.
      await this.session.direct((connection) => runBatch(connection, op));
      return;
    }
    await this.send(op, false);
  }

  private async send(op: Operation, outside: boolean): Promise<void> {
    const context = this.schema === undefined ? { offline: false } : { offline: false, schema: this.schema };
    for (const statement of this.dialect_.render(op, context)) {
      await this.session.send(statement, outside || this.allOutside || !statement.transactional || this.outside.has(statement.sql));
    }
  }

  async query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<R[]> {
    return this.session.query<R>(sql, params);
  }

  async commit(): Promise<void> {
    await this.session.commitEarly();
  }
}
