/**
 * The `includeName` / `includeObject` hooks: which objects of a schema take part in a comparison.
 * Both are applied to both sides of a comparison, so that an object left out of one side is
 * never reported as missing from the other.
 */
import type { SchemaModel } from "./model.js";

export type SchemaObjectType = "schema" | "table" | "view" | "enum" | "sequence" | "function" | "extension";

/** Decides by name alone: `type`, the object's name, and its schema where it has one. */
export type IncludeName = (type: SchemaObjectType, name: string, schema: string | undefined) => boolean;

export type SchemaObject =
  | { type: "table"; object: SchemaModel["tables"][number] }
  | { type: "view"; object: SchemaModel["views"][number] }
  | { type: "enum"; object: SchemaModel["enums"][number] }
  | { type: "sequence"; object: SchemaModel["sequences"][number] }
  | { type: "function"; object: SchemaModel["functions"][number] }
  | { type: "extension"; object: SchemaModel["extensions"][number] };

/** Decides with the whole object in hand. */
export type IncludeObject = (item: SchemaObject) => boolean;

export interface SchemaFilters {
  includeName?: IncludeName;
  includeObject?: IncludeObject;
}

export function filterModel(model: SchemaModel, filters: SchemaFilters): SchemaModel {
  const { includeName, includeObject } = filters;
  if (!includeName && !includeObject) return model;
  const byName = (type: SchemaObjectType, name: string, schema?: string) => includeName?.(type, name, schema) ?? true;
  const byObject = (item: SchemaObject) => includeObject?.(item) ?? true;
  return {
    ...model,
    schemas: model.schemas.filter((s) => byName("schema", s, undefined)),
    extensions: model.extensions.filter((e) => byName("extension", e.name, e.schema) && byObject({ type: "extension", object: e })),
    enums: model.enums.filter((e) => byName("enum", e.name, e.schema) && byObject({ type: "enum", object: e })),
    sequences: model.sequences.filter((s) => byName("sequence", s.name, s.schema) && byObject({ type: "sequence", object: s })),
    tables: model.tables.filter((t) => byName("table", t.name, t.schema) && byObject({ type: "table", object: t })),
    views: model.views.filter((v) => byName("view", v.name, v.schema) && byObject({ type: "view", object: v })),
    functions: model.functions.filter((f) => byName("function", f.name, f.schema) && byObject({ type: "function", object: f })),
  };
}
