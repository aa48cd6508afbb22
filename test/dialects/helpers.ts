/** Checks the dialect tests share: running what a renderer produces, its refusals, and split speed. */
import { expect } from "vitest";
import type { RenderContext, RenderedStatement, SplitStatement } from "../../src/dialects/types.js";
import type { Connection } from "../../src/drivers/types.js";
import { StratumError } from "../../src/errors.js";
import type { Operation } from "../../src/ops/types.js";

type Render = (op: Operation, context: RenderContext) => RenderedStatement[];

/** Renders `op` for online use and runs each statement on the connection, in order. */
export async function applyRendered(render: Render, connection: Connection, op: Operation): Promise<void> {
  for (const statement of render(op, { offline: false })) await connection.query(statement.sql, statement.params);
}

/** Expects rendering `op` to be refused with a StratumError saying exactly `message`. */
export function expectRefusal(render: Render, op: Operation, message: string): void {
  let error: unknown;
  try {
    render(op, { offline: false });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(StratumError);
  expect((error as Error).message).toBe(message);
}

/** 50,000 one-line statements split in well under five seconds, each with its right line number. */
export async function expectLinearSplit(split: (text: string) => Promise<SplitStatement[]>): Promise<void> {
  const text = "INSERT INTO t VALUES (1, 'a;b'); -- note\n".repeat(50_000);
  const started = performance.now();
  const statements = await split(text);
  expect(statements).toHaveLength(50_000);
  expect(statements[49_999]!.line).toBe(50_000);
  expect(performance.now() - started).toBeLessThan(5_000);
}
