/**
 * `stratum test`: the testing kit's checks over the project's own revisions, on scratch
 * databases. Which checks run: the quick ones by default, the stairway alone with `stairway`,
 * everything with `all`.
 */
import { runSuite, type CheckName, type SuiteReport } from "../testing/suite.js";
import type { KitOptions } from "../testing/options.js";

export type { CheckName, CheckResult, SuiteReport } from "../testing/suite.js";

export interface TestOptions extends KitOptions {
  stairway?: boolean;
  all?: boolean;
  schema?: string | string[];
  onCheck?: Parameters<typeof runSuite>[0]["onCheck"];
}

export const QUICK_CHECKS: CheckName[] = ["singleHead", "upgradeBaseToHead", "downgradeLeavesNoTrace"];
export const ALL_CHECKS: CheckName[] = [...QUICK_CHECKS, "stairway", "modelMatchesDatabase"];

export function chooseChecks(options: Pick<TestOptions, "stairway" | "all">): CheckName[] {
  if (options.all) return ALL_CHECKS;
  if (options.stairway) return ["stairway"];
  return QUICK_CHECKS;
}

/** Runs the chosen checks; the report's `ok` is false when one failed (each failure carries its message). */
export function test(options: TestOptions = {}): Promise<SuiteReport> {
  const { stairway, all, ...rest } = options;
  return runSuite({ ...rest, checks: chooseChecks({ ...(stairway === undefined ? {} : { stairway }), ...(all === undefined ? {} : { all }) }) });
}
