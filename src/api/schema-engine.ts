/**
 * The schema layer as the schema commands use it: diff, the operations that build a model from
 * nothing, turning a declaration into a model, and revision code from operations.
 */
import type { DialectName } from "../drivers/types.js";
import { InputError } from "../errors.js";
import { renderImports, renderOperations } from "../schema/codegen.js";
import { diffSchemas, type DiffOptions, type DiffResult } from "../schema/diff.js";
import { isSchemaDefinition } from "../schema/dsl.js";
import type { SchemaModel } from "../schema/model.js";
import { planRevision, type RevisionPlan } from "../schema/plan.js";
import type { RevisionBody } from "../scripts/write.js";

export { createSchemaOps } from "../schema/codegen.js";

export function diffModels(from: SchemaModel, to: SchemaModel, options: DiffOptions = {}): DiffResult {
  return diffSchemas(from, to, options);
}

export function planChanges(from: SchemaModel, to: SchemaModel, options: DiffOptions = {}): RevisionPlan {
  return planRevision(from, to, options);
}

function isSchemaModel(value: unknown): value is SchemaModel {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Partial<SchemaModel>;
  return typeof v.dialect === "string" && Array.isArray(v.tables) && Array.isArray(v.enums) && Array.isArray(v.views);
}

/**
 * A declared schema module's export: `defineSchema(...)`, or a ready SchemaModel. `defaultSchema`
 * is where bare names live (the database name on MySQL).
 */
export function modelFromDeclaration(declaration: unknown, dialect: DialectName, file: string, defaultSchema?: string): SchemaModel {
  let model: unknown = declaration;
  if (isSchemaDefinition(declaration)) {
    try {
      model = declaration.toModel(dialect, defaultSchema === undefined ? {} : { defaultSchema });
    } catch (error) {
      if (error instanceof InputError) throw new InputError(error.message, { file });
      throw error;
    }
  }
  if (!isSchemaModel(model)) {
    throw new InputError("the declared schema module's default export is not a schema (use defineSchema(...)).", { file });
  }
  if (model.dialect !== dialect) {
    throw new InputError(`the declared schema is for ${model.dialect} but the database is ${dialect}.`, { file });
  }
  return model;
}

/** Revision code for the upgrade and downgrade operations, through the `op` facade's methods. */
export function revisionBody(plan: Pick<RevisionPlan, "upgradeOps" | "downgradeOps" | "manual" | "downgradeManual">): RevisionBody {
  return {
    upgrade: renderOperations(plan.upgradeOps, { manual: plan.manual }),
    downgrade: renderOperations(plan.downgradeOps, { manual: plan.downgradeManual }),
    imports: renderImports(plan.upgradeOps, plan.downgradeOps),
  };
}
