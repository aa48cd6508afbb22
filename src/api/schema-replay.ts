/**
 * For `drift`: the schema the applied revisions produce, built by replaying them on a scratch
 * database of the same kind as the target and introspecting that.
 */
import type { Dialect } from "../dialects/types.js";
import { openDatabase } from "../drivers/index.js";
import type { Database } from "../drivers/types.js";
import { runSteps } from "../runner/run-steps.js";
import { readVersionHeads } from "../runner/state-tables.js";
import type { SchemaModel } from "../schema/model.js";
import type { Project } from "./project.js";
import { loadRevisions } from "./revisions.js";
import type { SchemaFilters } from "./schema-filter.js";
import { createScratchLike } from "./schema-scratch.js";
import { introspectTarget } from "./schema-target.js";
import { toolVersion } from "./tool-version.js";

export async function replayedSchema(
  project: Project,
  live: Database,
  dialect: Dialect,
  heads: readonly string[],
  filters: SchemaFilters,
): Promise<SchemaModel> {
  const scratch = await createScratchLike(live, project.url());
  try {
    const db = await openDatabase(project.config.schema === undefined ? { url: scratch.url } : { url: scratch.url, schema: project.config.schema });
    try {
      if (project.config.schema !== undefined && dialect.capabilities.schemas) {
        await db.main.query(`CREATE SCHEMA IF NOT EXISTS ${dialect.quoteIdent(project.config.schema)}`);
      }
      await upgradeTo(project, db, dialect, heads);
      return await introspectTarget(project, db, dialect, filters);
    } finally {
      await db.close();
    }
  } finally {
    await scratch.drop();
  }
}

/** Applies the revisions up to each of the target's heads, as `upgrade` would. */
async function upgradeTo(project: Project, db: Database, dialect: Dialect, heads: readonly string[]): Promise<void> {
  const { graph, byId, files } = await project.revisions();
  for (const head of heads) {
    const current = await readVersionHeads(db, dialect, project.tables);
    const plan = graph.planUpgrade(current, head);
    if (plan.steps.length === 0) continue;
    const revisions = loadRevisions(
      plan.steps.map((s) => s.revision),
      byId,
      files,
      dialect,
    );
    await runSteps({
      db,
      dialect,
      tables: project.tables,
      steps: plan.steps,
      revisions,
      args: project.args,
      transactionMode: "per-revision",
      timeouts: {},
      lockRetries: 0,
      toolVersion: toolVersion(),
    });
  }
}
