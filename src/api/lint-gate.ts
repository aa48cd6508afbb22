/**
 * Lint as a gate: `upgrade` lints what it is about to apply, `revision` lints what it wrote.
 * The config's `lint.onUpgrade` / `lint.onRevision` decide whether findings block or only warn.
 */
import type { LintGate } from "../config/types.js";
import type { DialectName } from "../drivers/types.js";
import { lintFailure, lintRevisions } from "../lint/index.js";
import type { LoadedRevision } from "../runner/types.js";
import type { CommonOptions } from "./options.js";
import type { Project } from "./project.js";

export async function lintGate(
  project: Project,
  gate: LintGate,
  revisions: readonly LoadedRevision[],
  dialect: DialectName,
  options: CommonOptions,
): Promise<void> {
  if (gate === "off" || revisions.length === 0) return;
  const summary = await lintRevisions({
    revisions,
    dialect,
    rules: project.config.lint.rules,
    ...(project.config.configFile === undefined ? {} : { configFile: project.config.configFile }),
  });
  if (summary.findings.length === 0) return;
  if (gate === "error") {
    const failure = lintFailure(summary);
    if (failure) throw failure;
  }
  const rules = [...new Set(summary.findings.map((finding) => `${finding.rule} in ${finding.revision}`))];
  const shown = rules.length > 3 ? `${rules.slice(0, 3).join(", ")} and ${rules.length - 3} more` : rules.join(", ");
  options.onEvent?.({
    type: "warning",
    message: `lint found ${summary.errors} error(s) and ${summary.warnings} warning(s): ${shown}; \`stratum lint ${[...new Set(summary.findings.map((finding) => finding.revision))].join(" ")}\` shows why and the safe alternative`,
  });
}
