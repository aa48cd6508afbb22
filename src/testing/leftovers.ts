import { describeOperation } from "../api/schema-describe.js";
import { diffSchemas } from "../schema/diff.js";
import type { SchemaModel } from "../schema/model.js";

/**
 * What `actual` has that `expected` lacks, or changed: one line per difference, such as
 * `+ table widgets (id, name)`. Empty when the two schemas are the same.
 */
export function schemaDifferences(expected: SchemaModel, actual: SchemaModel): string[] {
  const diff = diffSchemas(expected, actual, { allowDrop: true });
  return [...diff.operations.flatMap((op) => describeOperation(op).split("\n")), ...diff.manual];
}
