/**
 * Runs a chosen set of the kit's checks one after the other and collects one result per check,
 * so that one failing check does not hide the others. Problems with the project itself (no
 * config, a broken revision graph) are thrown before any check runs.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { StratumError } from "../errors.js";
import { downgradeLeavesNoTrace, modelMatchesDatabase, singleHead, upgradeBaseToHead } from "./checks.js";
import type { KitOptions, KitStep } from "./options.js";
import { loadKitProject, since } from "./session.js";
import { stairway } from "./stairway.js";

export type CheckName = "singleHead" | "upgradeBaseToHead" | "downgradeLeavesNoTrace" | "stairway" | "modelMatchesDatabase";

export interface CheckResult {
  check: CheckName;
  status: "passed" | "failed" | "skipped";
  durationMs: number;
  /** The failure's message, or why the check was skipped. */
  message?: string;
  steps: KitStep[];
}

export interface SuiteReport {
  ok: boolean;
  checks: CheckResult[];
  durationMs: number;
}

export interface SuiteOptions extends KitOptions {
  checks: CheckName[];
  /** For modelMatchesDatabase; without it (and without a configured one) that check is skipped. */
  schema?: string | string[];
  /** Called when a check starts and when it ends. */
  onCheck?: (result: CheckResult | { check: CheckName; status: "running" }) => void;
}

export async function runSuite(options: SuiteOptions): Promise<SuiteReport> {
  const started = performance.now();
  const { project } = await loadKitProject(options);
  const results: CheckResult[] = [];
  for (const check of options.checks) {
    options.onCheck?.({ check, status: "running" });
    const steps: KitStep[] = [];
    const kit: KitOptions = { ...options, onStep: (step) => (steps.push(step), options.onStep?.(step)) };
    const t = performance.now();
    let result: CheckResult;
    if (check === "modelMatchesDatabase" && !hasDeclaredSchema(project.config.declaredSchema, options.schema, project.config.configDir)) {
      result = { check, status: "skipped", durationMs: 0, message: "no declared schema (set declaredSchema in the config, or add schema/*.sql)", steps };
    } else {
      try {
        await runCheck(check, kit, options.schema);
        result = { check, status: "passed", durationMs: since(t), steps };
      } catch (error) {
        if (!(error instanceof StratumError)) throw error;
        result = { check, status: "failed", durationMs: since(t), message: error.message, steps };
      }
    }
    results.push(result);
    options.onCheck?.(result);
  }
  return { ok: results.every((r) => r.status !== "failed"), checks: results, durationMs: since(started) };
}

async function runCheck(check: CheckName, options: KitOptions, schema: string | string[] | undefined): Promise<void> {
  switch (check) {
    case "singleHead":
      await singleHead(options);
      return;
    case "upgradeBaseToHead":
      await upgradeBaseToHead(options);
      return;
    case "downgradeLeavesNoTrace":
      await downgradeLeavesNoTrace(options);
      return;
    case "stairway":
      await stairway(options);
      return;
    case "modelMatchesDatabase":
      await modelMatchesDatabase(schema === undefined ? options : { ...options, schema });
      return;
  }
}

function hasDeclaredSchema(configured: string | undefined, given: string | string[] | undefined, configDir: string): boolean {
  if (given !== undefined || configured !== undefined) return true;
  return schemaFolderHasSql(configDir);
}

function schemaFolderHasSql(configDir: string): boolean {
  const folder = join(configDir, "schema");
  return existsSync(folder) && readdirSync(folder).some((name) => name.endsWith(".sql"));
}
