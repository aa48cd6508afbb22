/**
 * The schema layer as the schema commands use it: diff, the operations that build a model from
 * nothing, turning a declaration into a model, and revision code from operations.
 */
import type { DialectName } from "../drivers/types.js";
import { InputError } from "../errors.js";
import type { Operation } from "../ops/types.js";
import { diffSchemas, type DiffOptions, type DiffResult } from "../schema/diff.js";
import { emptySchema, type SchemaModel } from "../schema/model.js";
import { reverseOperations } from "../schema/reverse.js";
import type { RevisionBody } from "../scripts/write.js";

export function diffModels(from: SchemaModel, to: SchemaModel, options: DiffOptions = {}): DiffResult {
  return diffSchemas(from, to, options);
}

/** The operations that create `model` in an empty database, in dependency order. */
export function createSchemaOps(model: SchemaModel): Operation[] {
  return diffSchemas(emptySchema(model.dialect), model).operations;
}

function isSchemaModel(value: unknown): value is SchemaModel {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Partial<SchemaModel>;
  return typeof v.dialect === "string" && Array.isArray(v.tables) && Array.isArray(v.enums) && Array.isArray(v.views);
}

interface ModelSource {
  toModel(dialect: DialectName): SchemaModel;
}

function isModelSource(value: unknown): value is ModelSource {
  return typeof value === "object" && value !== null && typeof (value as { toModel?: unknown }).toModel === "function";
}

/** A declared schema module's export: a DSL schema (anything with `toModel(dialect)`) or a model. */
export function modelFromDeclaration(declaration: unknown, dialect: DialectName, file: string): SchemaModel {
  const model = isModelSource(declaration) ? declaration.toModel(dialect) : declaration;
  if (!isSchemaModel(model)) {
    throw new InputError("the declared schema module's default export is not a schema (use defineSchema(...)).", { file });
  }
  if (model.dialect !== dialect) {
    throw new InputError(`the declared schema is for ${model.dialect} but the database is ${dialect}.`, { file });
  }
  return model;
}

/**
 * Revision code: each operation as an `op.run(...)` call holding the operation as data, which
 * the `op` facade checks and runs like any other call. The downgrade holds the reverses in
 * reverse order; an operation with no reverse leaves a note instead of a guess.
 */
export function revisionBody(operations: readonly Operation[], dialect: DialectName): RevisionBody {
  const upgrade = operations.map(renderCall);
  const reversed = reverseOperations(operations, dialect);
  const downgrade = [
    ...reversed.irreversible.map((op) => `// Not reversible automatically: ${op.kind}${describeTarget(op)}; undo it by hand here.`),
    ...reversed.operations.map(renderCall),
  ];
  return {
    upgrade: upgrade.length ? upgrade.join("\n") : "// No changes.",
    downgrade: downgrade.length ? downgrade.join("\n") : "// No changes.",
  };
}

function renderCall(op: Operation): string {
  return `await op.run(${JSON.stringify(op, null, 2)});`;
}

function describeTarget(op: Operation): string {
  const named = op as { name?: unknown; table?: unknown };
  if (typeof named.name === "string") return ` ${named.name}`;
  if (typeof named.table === "string") return ` on ${named.table}`;
  return "";
}
