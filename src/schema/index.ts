/**
 * The schema layer: the normalized model, the DSL that declares one, the pure diff between two
 * models, and revision code generated from the diff.
 */
export * from "./model.js";
export * from "./dsl.js";
export { normalizeType, normalizeDefault, normalizeModel, expressionKey, definitionKey } from "./normalize.js";
export { diffSchemas, type DiffOptions, type DiffResult, type RenameAnswers, type RenameCandidate } from "./diff.js";
export { invertRenames } from "./renames.js";
export { applyOperations } from "./apply.js";
export { planRevision, isEmptyPlan, type RevisionPlan } from "./plan.js";
export { createSchemaOps, renderImports, renderOperations, renderRevisionSource, type RenderOptions, type RevisionSource } from "./codegen.js";
