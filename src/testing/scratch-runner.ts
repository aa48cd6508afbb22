/** Runs revisions on a scratch database the way `upgrade` and `downgrade` would, without a lock or hooks. */
import type { Project, Revisions } from "../api/project.js";
import { loadRevisions } from "../api/revisions.js";
import { introspectTarget } from "../api/schema-target.js";
import { toolVersion } from "../api/tool-version.js";
import type { Step } from "../graph/types.js";
import { runSteps } from "../runner/run-steps.js";
import { readVersionHeads } from "../runner/state-tables.js";
import type { SchemaModel } from "../schema/model.js";
import type { ScratchDatabase } from "./scratch.js";

export class ScratchRunner {
  constructor(
    readonly project: Project,
    readonly revisions: Revisions,
    readonly scratch: ScratchDatabase,
  ) {}

  heads(): Promise<string[]> {
    return readVersionHeads(this.scratch.db, this.scratch.dialect, this.project.tables);
  }

  async upgrade(target: string): Promise<Step[]> {
    const plan = this.revisions.graph.planUpgrade(await this.heads(), target);
    await this.run(plan.steps);
    return plan.steps;
  }

  async downgrade(target: string): Promise<Step[]> {
    const plan = this.revisions.graph.planDowngrade(await this.heads(), target);
    await this.run(plan.steps);
    return plan.steps;
  }

  async run(steps: Step[]): Promise<void> {
    if (steps.length === 0) return;
    const { db, dialect } = this.scratch;
    const { byId, files } = this.revisions;
    await runSteps({
      db,
      dialect,
      tables: this.project.tables,
      steps,
      revisions: loadRevisions(new Set(steps.map((step) => step.revision)), byId, files, dialect),
      args: this.project.args,
      transactionMode: "per-revision",
      timeouts: {},
      lockRetries: 0,
      toolVersion: toolVersion(),
    });
  }

  /** The schema as introspection sees it, without Stratum's own tables. */
  introspect(): Promise<SchemaModel> {
    return introspectTarget(this.project, this.scratch.db, this.scratch.dialect);
  }

  message(id: string): string {
    return this.revisions.byId.get(id)?.message ?? "";
  }
}
