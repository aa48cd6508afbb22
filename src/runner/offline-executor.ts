import type { Row } from "../drivers/types.js";
import type { Dialect } from "../dialects/types.js";
import { UsageError } from "../errors.js";
import type { OperationExecutor } from "../ops/executor.js";
import type { Operation } from "../ops/types.js";
import { inlineParams } from "./batch.js";

export interface OfflineStatement {
  sql: string;
  /** Must be written outside BEGIN/COMMIT. */
  outside: boolean;
}

/** Renders a revision's operations to SQL text for `--sql`; nothing is connected. */
export class OfflineExecutor implements OperationExecutor {
  readonly offline = true;
  readonly statements: OfflineStatement[] = [];

  constructor(
    private readonly dialect_: Dialect,
    private readonly allOutside: boolean,
    private readonly schema: string | undefined,
  ) {}

  get dialect() {
    return this.dialect_.name;
  }

  async run(op: Operation): Promise<void> {
    if (op.kind === "autocommit") {
      for (const inner of op.ops) this.add(inner, true);
      return;
    }
    this.add(op, false);
  }

  private add(op: Operation, outside: boolean): void {
    const context = this.schema === undefined ? { offline: true } : { offline: true, schema: this.schema };
    for (const statement of this.dialect_.render(op, context)) {
      this.statements.push({ sql: inlineParams(this.dialect_, statement), outside: outside || this.allOutside || !statement.transactional });
    }
  }

  async query<R extends Row = Row>(sql: string): Promise<R[]> {
    throw new UsageError(`op.query cannot run in offline --sql mode, where nothing is connected: ${sql.replace(/\s+/g, " ").trim().slice(0, 120)}`);
  }
}
