/**
 * Lint as a gate: `upgrade` lints what it is about to apply, `revision` lints what it wrote.
 * The config's `lint.onUpgrade` / `lint.onRevision` decide whether findings block or only warn.
 */
import type { LintGate } from "../config/types.js";
import type { DialectName } from "../drivers/types.js";
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
  // The linter and its rules load only when a gate has something to lint: an up-to-date
  // `upgrade` and every `--sql` script do without them.
  const { lintFailure, lintRevisions } = await import("../lint/index.js");
  const summary = await lintRevisions({
    revisions,
    dialect,
    rules: project.config.lint.rules,
    ...(project.config.configFile === undefined ? {} : { configFile: project.config.configFile }),
    // Only what is about to run matters here; `stratum lint` reports the downgrades too.
    downgrades: false,
  });
  const findings = summary.findings.filter((finding) => finding.direction === "upgrade");
  if (findings.length === 0) return;
  const errors = findings.filter((finding) => finding.severity === "error").length;
  if (gate === "error") {
    const failure = lintFailure({ ...summary, findings, errors, warnings: findings.length - errors });
    if (failure) throw failure;
  }
  const rules = [...new Set(findings.map((finding) => `${finding.rule} in ${finding.revision}`))];
  const shown = rules.length > 3 ? `${rules.slice(0, 3).join(", ")} and ${rules.length - 3} more` : rules.join(", ");
  options.onEvent?.({
    type: "warning",
    message: `lint found ${errors} error(s) and ${findings.length - errors} warning(s): ${shown}; \`stratum lint ${[...new Set(findings.map((finding) => finding.revision))].join(" ")}\` shows why and the safe alternative`,
  });
}
