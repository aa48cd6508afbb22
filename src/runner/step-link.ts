import { performance } from "node:perf_hooks";
import type { Connection, QueryResult, Row } from "../drivers/types.js";

/** The reason a step did not run: the step before it failed. Nothing of it was committed. */
export class StepNotRun extends Error {
  constructor(revision: string) {
    super(`Revision ${revision} was not run: the step before it failed.`);
    this.name = "StepNotRun";
  }
}

/**
 * A step's place in a run whose steps may overlap on the wire. The step's closing batch (its
 * statements, version row, history row and COMMIT) may be sent while the step before it still
 * waits for its answer; everything else the step sends waits until the step before is over.
 * The server takes the batches in order, and each transaction opens with a guard that fails
 * unless the step before committed, so nothing runs past a failure. A step learns only after
 * the step before is over whether its own answer counts.
 */
export class StepLink {
  /** This step's closing batch, sent and not yet answered. */
  private unanswered: Promise<unknown> | undefined;
  private release!: () => void;
  private refuse!: (error: StepNotRun) => void;
  /** Settles once the step before is over and reported: resolves if it committed, rejects with StepNotRun if not. */
  readonly released: Promise<void>;
  /** When the step before was over (performance.now()). */
  releasedAt: number | undefined;
  private wire!: () => void;
  /** Resolves once this step's closing batch is sent, or the step is over without one. */
  readonly onWire: Promise<void>;
  /** The server's notices for this step that arrived before the step was reported as started. */
  private held: string[] | undefined = [];

  constructor(
    readonly revision: string,
    /** Written by this step's closing batch. */
    readonly mark: string,
    /** Opens each of this step's transactions; undefined for the first step of a run. */
    readonly guard: string | undefined,
    private readonly before: StepLink | undefined,
    /** Passes a server notice on. */
    private readonly emit: ((message: string) => void) | undefined,
  ) {
    this.released = new Promise<void>((resolve, reject) => {
      this.release = resolve;
      this.refuse = reject;
    });
    this.released.catch(() => {});
    this.onWire = new Promise<void>((resolve) => (this.wire = resolve));
  }

  /** When this step's own time began: `t0`, or later if the step before was still running then. */
  startOfOwnTime(t0: number): number {
    return Math.max(t0, this.releasedAt ?? t0);
  }

  /** The step before is over: it committed (`ok`) or failed. */
  settleBefore(ok: boolean): void {
    this.releasedAt = performance.now();
    const held = this.held ?? [];
    this.held = undefined;
    if (!ok) {
      this.refuse(new StepNotRun(this.revision));
      return;
    }
    this.release();
    for (const message of held) this.emit?.(message);
  }

  /**
   * A notice the server raised while answering this step's closing batch, which may arrive
   * before the step before it is reported: it is held until this step is reported as started.
   */
  notice(message: string): void {
    if (this.held) this.held.push(message);
    else this.emit?.(message);
  }

  /**
   * The unanswered closing batch of the step before, which this step's closing batch may follow
   * now; undefined when it must wait for `released`.
   */
  mayFollow(): Promise<unknown> | undefined {
    return this.before?.unanswered;
  }

  /** This step's closing batch is on the wire until `answer` settles. */
  sent(answer: Promise<unknown>): void {
    this.unanswered = answer;
    const clear = () => {
      if (this.unanswered === answer) this.unanswered = undefined;
    };
    answer.then(clear, clear);
    this.wire();
  }

  /** The step is over without a closing batch in flight. */
  ended(): void {
    this.wire();
  }

  /** The connection as the step's other statements see it: each call waits until the step before is over. */
  gate(connection: Connection): Connection {
    const released = () => this.released;
    const batch = connection.batch?.bind(connection);
    return {
      async query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
        await released();
        return connection.query<R>(sql, params);
      },
      ...(batch
        ? {
            async batch(statements: readonly string[], notices?: (message: string) => void): Promise<QueryResult[]> {
              await released();
              return batch(statements, notices);
            },
          }
        : {}),
      close: () => connection.close(),
    };
  }
}
