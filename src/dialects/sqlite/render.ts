import type { Operation } from "../../ops/types.js";
import type { RenderContext, RenderedStatement } from "../types.js";

export function render(op: Operation, _context: RenderContext): RenderedStatement[] {
  if (op.kind === "execute") return [{ sql: op.sql, ...(op.params ? { params: op.params } : {}), transactional: !op.nonTransactional }];
  throw new Error(`${op.kind} is not implemented yet`);
}
