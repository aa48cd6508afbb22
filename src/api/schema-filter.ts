/** The schema filters a comparison uses: the caller's, else the config's `includeName` / `includeObject`. */
import { filterModel, type SchemaFilters } from "../schema/filter.js";
import type { SchemaModel } from "../schema/model.js";
import type { Project } from "./project.js";

export type { IncludeName, IncludeObject, SchemaFilters, SchemaObject, SchemaObjectType } from "../schema/filter.js";

export function projectFilters(project: Project, options: SchemaFilters): SchemaFilters {
  const includeName = options.includeName ?? project.config.includeName;
  const includeObject = options.includeObject ?? project.config.includeObject;
  return { ...(includeName ? { includeName } : {}), ...(includeObject ? { includeObject } : {}) };
}

export function filterForProject(model: SchemaModel, project: Project, options: SchemaFilters): SchemaModel {
  return filterModel(model, projectFilters(project, options));
}
