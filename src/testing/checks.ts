/** The whole-history checks: one head, base to head, head back to base, and the declared schema. */
import { SchemaDifferences } from "../api/schema.js";
import { findDeclaredSource, loadDeclaredSchema, type ShadowKind } from "../api/schema-declared.js";
import { diffModels } from "../api/schema-engine.js";
import { describeOperation } from "../api/schema-describe.js";
import { ownTables } from "../api/schema-target.js";
import { CheckFailed } from "../errors.js";
import { emptySchema } from "../schema/model.js";
import type { KitOptions, KitStep } from "./options.js";
import { schemaDifferences } from "./leftovers.js";
import type { ScratchRunner } from "./scratch-runner.js";
import { loadKitProject, since, withScratch } from "./session.js";

/** The single head; CheckFailed naming every head when the history has branched, or none. */
export async function singleHead(options: KitOptions = {}): Promise<string> {
  const { revisions } = await loadKitProject(options);
  const heads = revisions.graph.heads();
  if (heads.length === 1) return heads[0]!;
  if (heads.length === 0) throw new CheckFailed("The versions folder has no revisions, so there is no head.");
  throw new CheckFailed(`The revision graph has ${heads.length} heads: ${heads.join(", ")}.`, {
    hint: "Join them with `stratum merge heads -m MESSAGE`.",
  });
}

export interface UpgradeReport {
  /** Version rows at the end. */
  heads: string[];
  steps: KitStep[];
}

/** Applies every revision to an empty scratch database. */
export async function upgradeBaseToHead(options: KitOptions = {}): Promise<UpgradeReport> {
  return withScratch(options, async (runner) => {
    const steps = await walk(runner, "upgradeBaseToHead", "up", options);
    return { heads: await runner.heads(), steps };
  });
}

/** Applies every revision, reverts them all, and fails when anything but Stratum's own tables is left. */
export async function downgradeLeavesNoTrace(options: KitOptions = {}): Promise<UpgradeReport> {
  return withScratch(options, async (runner) => {
    const steps = await walk(runner, "downgradeLeavesNoTrace", "up", options);
    steps.push(...(await walk(runner, "downgradeLeavesNoTrace", "down", options)));
    const heads = await runner.heads();
    const leftovers = schemaDifferences(emptySchema(runner.scratch.dialect.name), await runner.introspect());
    if (heads.length > 0) leftovers.push(`version table still at ${heads.join(", ")}`);
    if (leftovers.length > 0) {
      throw new CheckFailed(`Downgrading from head to base left things behind:\n${leftovers.map((line) => `  ${line}`).join("\n")}`, {
        hint: "Make each downgrade undo everything its upgrade does; `stratum test --stairway` names the revision.",
      });
    }
    return { heads, steps };
  });
}

export interface ModelMatchOptions extends KitOptions {
  /** The declared schema (SQL globs or a DSL module); default: the config's `declaredSchema`, or schema/*.sql. */
  schema?: string | string[];
  shadow?: ShadowKind;
}

/**
 * Upgrades a scratch database to head and compares it with the declared schema, as `check`
 * does; throws SchemaDifferences listing every difference.
 */
export async function modelMatchesDatabase(options: ModelMatchOptions = {}): Promise<{ source: string }> {
  return withScratch(options, async (runner) => {
    await walk(runner, "modelMatchesDatabase", "up", options);
    const { project, scratch } = runner;
    const source = findDeclaredSource(project, options.schema);
    const live = await runner.introspect();
    const declared = await loadDeclaredSchema(project, scratch.dialect.name, source, ownTables(project), { db: scratch.db, url: scratch.url }, options.shadow ?? "auto");
    const diff = diffModels(live, declared, { allowDrop: true });
    const name = source.kind === "dsl" ? source.path : source.globs.join(", ");
    if (diff.operations.length > 0 || diff.manual.length > 0) {
      throw new SchemaDifferences(
        `The schema the revisions produce differs from the declared schema (${name}):`,
        diff.operations,
        diff.operations.flatMap((op) => describeOperation(op).split("\n")),
        diff.manual,
        "Run `stratum revision --autogenerate -m MESSAGE` against a database at head to write the missing revision.",
      );
    }
    return { source: name };
  });
}

/** Upgrades to every head, or reverts to base, one step at a time so that each step is reported. */
async function walk(runner: ScratchRunner, check: string, direction: "up" | "down", options: KitOptions): Promise<KitStep[]> {
  const { graph } = runner.revisions;
  const current = await runner.heads();
  const plan = direction === "up" ? graph.planUpgrade(current, "heads") : graph.planDowngrade(current, "base");
  const steps: KitStep[] = [];
  for (const [index, step] of plan.steps.entries()) {
    const message = runner.message(step.revision);
    const base = {
      check,
      action: direction === "up" ? "upgrade" : "downgrade",
      revision: step.revision,
      ...(message ? { message } : {}),
      index,
      total: plan.steps.length,
    } as const;
    const t = performance.now();
    try {
      await runner.run([step]);
    } catch (error) {
      options.onStep?.({ ...base, ok: false, durationMs: since(t), detail: error instanceof Error ? error.message : String(error) });
      throw error;
    }
    const done: KitStep = { ...base, ok: true, durationMs: since(t) };
    steps.push(done);
    options.onStep?.(done);
  }
  return steps;
}
