import type { Connection, QueryResult, Row } from "../drivers/types.js";
import type { Dialect, RenderedStatement, Timeouts } from "../dialects/types.js";
import { UsageError } from "../errors.js";
import { inlineParams, runBatch, safeToInline, type BoundStatement } from "./batch.js";
import type { StepLink } from "./step-link.js";

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
  /** The step's place in a run whose steps overlap on the wire (per-step shape, pipelined connection). */
  link?: StepLink;
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
  /**
   * Statements held back to travel in one round trip with the next flush (per-step shape, on
   * drivers that batch): a revision of plain statements costs two round trips in all.
   */
  private pending: string[] = [];
  /** The held-back statements of a batch that failed, for finding which one it was. */
  private failedBatch: { statements: string[]; firstIndex: number } | undefined;
  /**
   * The unanswered batch of the step before that this step's closing batch went out behind;
   * if that batch failed, so did this one, without running.
   */
  followed: Promise<unknown> | undefined;
  private readonly gated: Connection;

  constructor(private readonly options: StatementSessionOptions) {
    this.inTransaction = options.shape === "outer";
    this.gated = options.link ? options.link.gate(options.connection) : options.connection;
  }

  /** What opens the step's transaction. */
  private opening(): string[] {
    const { dialect, timeouts, link } = this.options;
    return ["BEGIN", ...(link?.guard === undefined ? [] : [link.guard]), ...dialect.timeoutStatements(timeouts, "transaction")];
  }

  private get canDefer(): boolean {
    return this.options.shape === "per-step" && this.connection.batch !== undefined;
  }

  /**
   * Sends the held-back statements (opening the transaction first if needed), followed by
   * `tail`; returns the results of `tail`.
   */
  private async flush(tail: readonly string[] = [], closing = false): Promise<QueryResult[]> {
    if (this.pending.length === 0 && tail.length === 0) return [];
    const link = this.options.link;
    const followed = closing ? link?.mayFollow() : undefined;
    const connection = followed ? this.options.connection : this.connection;
    const head = this.inTransaction ? [] : this.opening();
    const statements = this.pending;
    this.pending = [];
    this.inTransaction = true;
    try {
      const text = [...head, ...statements, ...tail];
      const answer = closing && link ? connection.batch!(text, (message) => link.notice(message)) : connection.batch!(text);
      if (closing) {
        this.followed = followed;
        link?.sent(answer);
      }
      const results = await answer;
      return results.slice(results.length - tail.length);
    } catch (error) {
      if (statements.length > 0) this.failedBatch = { statements, firstIndex: this.done - statements.length };
      throw error;
    }
  }

  /**
   * Sends the step's closing statements (version table, history row) inside its transaction,
   * in the same round trip as any held-back statements where possible.
   */
  async finish(statements: readonly BoundStatement[]): Promise<QueryResult[]> {
    if (this.canDefer && statements.every((s) => safeToInline(s.params))) {
      return this.flush(statements.map((s) => inlineParams(this.options.dialect, s)));
    }
    if (this.canDefer) await this.flush();
    await this.ensureTransaction();
    return runBatch(this.connection, this.options.dialect, statements);
  }

  /**
   * Sends the closing statements and the COMMIT in one round trip with any held-back statements,
   * for closing statements that fail on the server when something is wrong (nothing is left for
   * the client to check before committing). Returns the closing statements' results, or
   * undefined without sending anything when this session cannot (then `finish` and `commit`).
   */
  async finishAndCommit(statements: readonly BoundStatement[]): Promise<QueryResult[] | undefined> {
    if (!this.canDefer || !statements.every((s) => safeToInline(s.params))) return undefined;
    const results = await this.flush([...statements.map((s) => inlineParams(this.options.dialect, s)), "COMMIT"], true);
    this.inTransaction = false;
    this.committed = this.done;
    return results.slice(0, statements.length);
  }

  /**
   * Which statement failed, and its own error. When the failure came from a batch, its
   * statements are replayed one by one in a transaction that is rolled back, to find it;
   * if none fails on its own, the failure was in Stratum's own statements.
   */
  async attributeFailure(error: unknown): Promise<{ error: unknown; index: number | undefined; sql: string | undefined }> {
    const batch = this.failedBatch;
    this.failedBatch = undefined;
    if (!batch) return { error, index: this.done + 1, sql: this.current };
    const { dialect, timeouts } = this.options;
    let found: { error: unknown; index: number; sql: string } | undefined;
    try {
      await runBatch(this.connection, dialect, ["BEGIN", ...dialect.timeoutStatements(timeouts, "transaction")]);
      for (const [i, sql] of batch.statements.entries()) {
        try {
          await this.connection.query(sql);
        } catch (own) {
          found = { error: own, index: batch.firstIndex + i + 1, sql };
          break;
        }
      }
    } catch {
      // The replay is only for the message; the original error stands.
    } finally {
      await this.connection.query("ROLLBACK").catch(() => {});
    }
    return found ?? { error, index: undefined, sql: undefined };
  }

  get connection(): Connection {
    return this.gated;
  }

  async ensureTransaction(): Promise<void> {
    if (this.inTransaction || this.options.shape === "autocommit") return;
    await runBatch(this.connection, this.options.dialect, this.opening());
    this.inTransaction = true;
  }

  async commit(): Promise<void> {
    if (this.canDefer) await this.flush();
    if (!this.inTransaction || this.options.shape !== "per-step") return;
    await this.connection.query("COMMIT");
    this.inTransaction = false;
    this.committed = this.done;
  }

  /**
   * Ends the step's transaction before the step is over, so that what follows runs in short
   * transactions of its own (`op.backfill`). A dry run keeps everything in its one transaction.
   */
  async commitEarly(): Promise<void> {
    const { shape, dryRun, revision } = this.options;
    if (shape === "autocommit" || (shape === "outer" && dryRun)) return;
    if (shape === "outer") {
      throw new UsageError(`Revision ${revision} commits its work in batches (op.backfill), so it cannot run in a single transaction.`, {
        hint: "Run it without --single-transaction.",
      });
    }
    if (!this.inTransaction) return;
    // After a failed statement PostgreSQL answers COMMIT with a rollback: the transaction ends either way.
    await this.connection.query("COMMIT");
    this.inTransaction = false;
    this.committed = this.done;
  }

  async rollback(): Promise<void> {
    this.pending = [];
    if (!this.inTransaction || this.options.shape !== "per-step") return;
    this.inTransaction = false;
    await this.connection.query("ROLLBACK").catch(() => {});
  }

  async query<R extends Row>(sql: string, params?: readonly unknown[]): Promise<R[]> {
    if (this.canDefer) await this.flush();
    await this.ensureTransaction();
    this.current = sql;
    return (await this.connection.query<R>(sql, params)).rows;
  }

  /**
   * Runs work that talks to the connection itself inside the step's transaction: SQLite's table
   * rebuild (a statement of the step), or a check (`counts` false).
   */
  async direct(work: (connection: Connection) => Promise<void>, counts = true): Promise<void> {
    if (this.canDefer) await this.flush();
    await this.ensureTransaction();
    if (counts) this.current = "op.batch";
    await work(this.connection);
    if (!counts) return;
    this.done++;
    if (this.options.shape === "autocommit") this.committed = this.done;
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
      if (this.canDefer && !statement.params?.length) {
        this.pending.push(statement.sql);
        this.done++;
        return;
      }
      if (this.canDefer) await this.flush();
      await this.ensureTransaction();
      await this.connection.query(statement.sql, statement.params);
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
