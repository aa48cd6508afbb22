/**
 * The live side of a comparison: which revisions the database still lacks, and its schema as
 * introspection reads it, without Stratum's own tables and with the project's filters applied.
 */
import type { Dialect } from "../dialects/types.js";
import type { Database } from "../drivers/types.js";
import { readVersionHeads } from "../runner/state-tables.js";
import type { SchemaModel } from "../schema/model.js";
import type { Project } from "./project.js";
import { filterForProject, type SchemaFilters } from "./schema-filter.js";

export interface PendingRevisionInfo {
  id: string;
  message: string;
}

/** The revisions `upgrade heads` would apply, in order. */
export async function pendingRevisions(project: Project, db: Database, dialect: Dialect): Promise<PendingRevisionInfo[]> {
  const { graph, byId } = await project.revisions();
  const current = await readVersionHeads(db, dialect, project.tables);
  return graph.planUpgrade(current, "heads").steps.map((step) => ({
    id: step.revision,
    message: byId.get(step.revision)?.message ?? "",
  }));
}

export function describePending(pending: readonly PendingRevisionInfo[]): string {
  return pending.map((p) => (p.message ? `${p.id} (${p.message})` : p.id)).join(", ");
}

/** Stratum's own tables, which are never part of a user's schema. */
export function ownTables(project: Project): string[] {
  return [project.config.versionTable, project.config.historyTable];
}

export async function introspectTarget(
  project: Project,
  db: Database,
  dialect: Dialect,
  filters: SchemaFilters = {},
): Promise<SchemaModel> {
  const schema = project.config.schema;
  const model = await dialect.introspect(db.main, {
    ...(schema === undefined || dialect.name === "sqlite" ? {} : { schemas: [schema] }),
    exclude: ownTables(project),
  });
  return filterForProject(model, project, filters);
}
