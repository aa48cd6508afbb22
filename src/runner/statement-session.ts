import type { Connection, Row } from "../drivers/types.js";
import type { Dialect, RenderedStatement, Timeouts } from "../dialects/types.js";
import { UsageError } from "../errors.js";
import { runBatch } from "./batch.js";

/** How a step's statements meet transactions. */
export type TransactionShape =
  /** BEGIN/COMMIT around the step, committed by the step (PostgreSQL, SQLite, per revision). */
  | "per-step"
  /** Inside a transaction the caller opened and will end (single transaction, dry run). */
  | "outer"
  /** No transaction: each DDL statement commits on its own (MySQL, MariaDB). */
  | "autocommit";

export interface StatementSessionOptions {
  connection: Connection;
  dialect: Dialect;
  timeouts: Timeouts;
  shape: TransactionShape;
  /** Dry run: statements that cannot run in a transaction are reported, not run. */
  dryRun: boolean;
  revision: string;
  notice(message: string): void;
  /** Called after each statement that is committed for good (autocommit shape). */
  onCommittedStatement?(done: number): Promise<void>;
}

/**
 * Sends one step's statements and keeps track of the transaction around them: opened lazily,
 * committed before a statement that cannot run inside one, and how many statements are
 * committed for good (what a failure leaves behind).
 */
export class StatementSession {
  inTransaction: boolean;
  /** Statements sent and succeeded. */
  done = 0;
  /** Of those, how many are committed and survive a rollback. */
  committed = 0;
  /** The statement being sent, for error messages. */
  current: string | undefined;

  constructor(private readonly options: StatementSessionOptions) {
    this.inTransaction = options.shape === "outer";
  }

  get connection(): Connection {
    return this.options.connection;
  }

  async ensureTransaction(): Promise<void> {
    if (this.inTransaction || this.options.shape === "autocommit") return;
    const { dialect, timeouts } = this.options;
    await runBatch(this.connection, dialect, ["BEGIN", ...dialect.timeoutStatements(timeouts, "transaction")]);
    this.inTransaction = true;
  }

  async commit(): Promise<void> {
    if (!this.inTransaction || this.options.shape !== "per-step") return;
    await this.connection.query("COMMIT");
    this.inTransaction = false;
    this.committed = this.done;
  }

  async rollback(): Promise<void> {
    if (!this.inTransaction || this.options.shape !== "per-step") return;
    this.inTransaction = false;
    await this.connection.query("ROLLBACK").catch(() => {});
  }

  async query<R extends Row>(sql: string, params?: readonly unknown[]): Promise<R[]> {
    await this.ensureTransaction();
    this.current = sql;
    return (await this.connection.query<R>(sql, params)).rows;
  }

  /** Sends one statement; `outside` runs it outside any transaction. */
  async send(statement: RenderedStatement, outside: boolean): Promise<void> {
    this.current = statement.sql;
    const { shape } = this.options;
    if (shape === "autocommit") {
      await this.connection.query(statement.sql, statement.params);
      this.done++;
      this.committed = this.done;
      await this.options.onCommittedStatement?.(this.done);
      return;
    }
    if (!outside) {
      if (!this.inTransaction && this.connection.batch && !statement.params?.length) {
        // BEGIN and the timeouts travel with the step's first statement: one round trip fewer.
        const { dialect, timeouts } = this.options;
        this.inTransaction = true;
        await this.connection.batch(["BEGIN", ...dialect.timeoutStatements(timeouts, "transaction"), statement.sql]);
      } else {
        await this.ensureTransaction();
        await this.connection.query(statement.sql, statement.params);
      }
      this.done++;
      return;
    }
    if (this.options.dryRun) {
      this.options.notice(`Dry run: not running a statement that cannot run inside a transaction: ${oneLine(statement.sql)}`);
      return;
    }
    if (shape === "outer")
      throw new UsageError(
        `Revision ${this.options.revision} has a statement that cannot run inside a transaction (${oneLine(statement.sql)}), so it cannot run in a single transaction.`,
        { hint: "Run it without --single-transaction." },
      );
    await this.commit();
    await this.runOutside(statement);
    this.done++;
    this.committed = this.done;
  }

  private async runOutside(statement: RenderedStatement): Promise<void> {
    const { dialect, timeouts } = this.options;
    const set = dialect.timeoutStatements(timeouts, "session");
    if (set.length > 0) await runBatch(this.connection, dialect, set);
    try {
      await this.connection.query(statement.sql, statement.params);
    } catch (error) {
      const cleaned = await dialect.state.cleanupAfterFailure?.(this.connection, statement.sql).catch(() => undefined);
      if (cleaned) this.options.notice(cleaned);
      throw error;
    } finally {
      // Later transactions set their own timeouts; the session must not keep these.
      const reset = dialect.timeoutStatements(
        { ...(timeouts.lockTimeoutMs === undefined ? {} : { lockTimeoutMs: 0 }), ...(timeouts.statementTimeoutMs === undefined ? {} : { statementTimeoutMs: 0 }) },
        "session",
      );
      if (reset.length > 0) await runBatch(this.connection, dialect, reset).catch(() => {});
    }
  }
}

/** A statement on one line and bounded, for messages. */
export function oneLine(sql: string, max = 200): string {
  const flat = sql.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
