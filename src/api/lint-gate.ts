/**
 * Lint as a gate: `upgrade` lints what it is about to apply, `revision` lints what it wrote.
 * The config's `lint.onUpgrade` / `lint.onRevision` decide whether findings block or only warn.
 */
import type { LintGate } from "../config/types.js";
import type { DialectName } from "../drivers/types.js";
import type { LintFinding, LintSummary } from "../lint/index.js";
import type { LoadedRevision } from "../runner/types.js";
import type { CommonOptions } from "./options.js";
import type { Project } from "./project.js";

/** Called once the steps have run (or failed): reports what the gate found. */
export type LintGateReport = () => Promise<void>;

const nothingToReport: LintGateReport = async () => {};

/**
 * Lints now and reports now: the gate of `revision` over the file it just wrote, and of `upgrade`
 * in "error" mode. A finding at level error throws when the gate is "error"; a revision lint
 * cannot read throws in either mode.
 */
export async function lintGate(
  project: Project,
  gate: LintGate,
  revisions: readonly LoadedRevision[],
  dialect: DialectName,
  options: CommonOptions,
): Promise<void> {
  if (gate === "off" || revisions.length === 0) return;
  const summary = await lintUpgrades(project, revisions, dialect, false);
  if (gate === "error") {
    const { lintFailure } = await import("../lint/index.js");
    const failure = lintFailure(summary);
    if (failure) throw failure;
  }
  warn(summary, options);
}

/**
 * Starts the gate of an `upgrade` before its steps run.
 * - "error" is `lintGate`: every revision is linted first, and nothing runs when a finding is an
 *   error or a revision cannot be read.
 * - "warn" cannot stop anything, so it lints while the steps run, in the turns where the runner
 *   waits for the database, and reports its summary after them. On a fresh database that applies
 *   hundreds of revisions, that keeps lint's CPU time off the deploy's wall time. The runner
 *   still loads every revision before its first step, so a file that does not load stops the
 *   run before it starts; a revision whose operations cannot be recorded is named in the
 *   summary instead. The rule levels are checked first: a misspelt rule in the config stops.
 */
export async function startLintGate(
  project: Project,
  gate: LintGate,
  revisions: readonly LoadedRevision[],
  dialect: DialectName,
  options: CommonOptions,
): Promise<LintGateReport> {
  if (gate !== "warn" || revisions.length === 0) {
    await lintGate(project, gate, revisions, dialect, options);
    return nothingToReport;
  }
  const { ruleLevels } = await import("../lint/index.js");
  ruleLevels(project.config.lint.rules, project.config.configFile);
  // Settled here so that a failure while the steps run is never an unhandled rejection.
  const linted = lintUpgrades(project, revisions, dialect, true).then(
    (summary) => ({ summary }),
    (error: unknown) => ({ error }),
  );
  return async () => {
    const outcome = await linted;
    if ("error" in outcome) {
      const reason = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
      options.onEvent?.({ type: "warning", message: `lint could not check the revisions it was given: ${reason}; \`stratum lint\` shows the same` });
      return;
    }
    warn(outcome.summary, options);
  };
}

/** The upgrade findings of the revisions, with counts to match: only what is about to run matters here. */
async function lintUpgrades(project: Project, revisions: readonly LoadedRevision[], dialect: DialectName, yieldBetweenRevisions: boolean): Promise<LintSummary> {
  // The linter and its rules load only when a gate has something to lint: an up-to-date
  // `upgrade` and every `--sql` script do without them.
  const { lintRevisions } = await import("../lint/index.js");
  const { configFile } = project.config;
  const summary = await lintRevisions({
    revisions,
    dialect,
    rules: project.config.lint.rules,
    ...(configFile === undefined ? {} : { configFile }),
    // `stratum lint` reports the downgrades too.
    downgrades: false,
    yieldBetweenRevisions,
  });
  return upgradeFindings(summary);
}

/** The summary narrowed to the upgrade findings, with its counts to match. */
function upgradeFindings(summary: LintSummary): LintSummary {
  const findings = summary.findings.filter((finding) => finding.direction === "upgrade");
  const errors = findings.filter((finding) => finding.severity === "error").length;
  return { ...summary, findings, errors, warnings: findings.length - errors };
}

/** One line for every finding: the rules and revisions, and the command that explains them. */
function warn(summary: LintSummary, options: CommonOptions): void {
  const { findings } = summary;
  if (findings.length === 0) return;
  const rules = [...new Set(findings.map((finding: LintFinding) => `${finding.rule} in ${finding.revision}`))];
  const shown = rules.length > 3 ? `${rules.slice(0, 3).join(", ")} and ${rules.length - 3} more` : rules.join(", ");
  const revisions = [...new Set(findings.map((finding) => finding.revision))].join(" ");
  options.onEvent?.({
    type: "warning",
    message: `lint found ${summary.errors} error(s) and ${summary.warnings} warning(s): ${shown}; \`stratum lint ${revisions}\` shows why and the safe alternative`,
  });
}
