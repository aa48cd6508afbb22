/**
 * The migration linter: safety rules over the operations a revision records and over its raw
 * SQL, read by the real PostgreSQL parser. `lintRevisions` is what `stratum lint` and `upgrade`
 * call; it needs loaded revisions (api/revisions.ts builds them) in graph order.
 */
import type { LintLevel } from "../config/types.js";
import type { DialectName } from "../drivers/types.js";
import { CheckFailed, InputError } from "../errors.js";
import type { LoadedRevision } from "../runner/types.js";
import { SchemaMemory } from "./check.js";
import { lintRevision } from "./lint-revision.js";
import { RULES } from "./rules.js";
import type { LintFinding, LintSummary, RuleLevel, Severity } from "./types.js";
import type { Volatility } from "./volatility.js";

export type { LintFinding, LintSummary, RuleLevel, Severity } from "./types.js";
export { RULES, type RuleInfo } from "./rules.js";
export { formatFindings, type LintFormat } from "./format.js";
export { fromProvolatile, type Volatility } from "./volatility.js";

export interface LintRevisionsOptions {
  /** In graph order (oldest first), so that later revisions see the columns earlier ones made. */
  revisions: readonly LoadedRevision[];
  dialect: DialectName;
  /** Per-rule levels from the config's `lint.rules`. */
  rules?: Readonly<Record<string, LintLevel>>;
  /** Shown when `rules` names an unknown rule. */
  configFile?: string;
  /** Function volatility looked up in pg_proc, when a PostgreSQL connection is at hand. */
  volatility?: ReadonlyMap<string, Volatility>;
  /** False to check the upgrades only (what `upgrade` is about to run); the downgrades' SQL is then not parsed. */
  downgrades?: boolean;
  /**
   * Give the event loop a turn after each revision, so that lint running next to an upgrade
   * lets the upgrade's database replies through instead of holding the thread until it is done.
   */
  yieldBetweenRevisions?: boolean;
}

export async function lintRevisions(options: LintRevisionsOptions): Promise<LintSummary> {
  const levels = ruleLevels(options.rules ?? {}, options.configFile);
  const memory = new SchemaMemory();
  const findings: LintFinding[] = [];
  for (const revision of options.revisions) {
    const context = { dialect: options.dialect, memory, ...(options.volatility ? { volatility: options.volatility } : {}) };
    if (options.yieldBetweenRevisions) await new Promise<void>((resolve) => setImmediate(resolve));
    const result = await lintRevision(revision, context, options.downgrades !== false);
    for (const direction of ["upgrade", "downgrade"] as const) {
      for (const raw of result[direction]) {
        const level = levels.get(raw.rule) ?? "off";
        if (level === "off") continue;
        const rule = RULES.get(raw.rule)!;
        findings.push({ ...raw, severity: level, revision: revision.header.id, direction, file: result.file, why: rule.why, fix: rule.fix });
      }
    }
  }
  const errors = findings.filter((f) => f.severity === "error").length;
  return { findings, revisions: options.revisions.map((r) => r.header.id), errors, warnings: findings.length - errors };
}

/** Every rule's level: its default, overridden by the config. */
export function ruleLevels(configured: Readonly<Record<string, LintLevel>>, configFile?: string): Map<string, RuleLevel> {
  const levels = new Map<string, RuleLevel>([...RULES.values()].map((rule) => [rule.id, rule.level]));
  for (const [id, level] of Object.entries(configured)) {
    if (!RULES.has(id)) {
      throw new InputError(`lint.rules names an unknown rule "${id}" (known: ${[...RULES.keys()].join(", ")})`, configFile === undefined ? undefined : { file: configFile });
    }
    levels.set(id, level as Severity | "off");
  }
  return levels;
}

/**
 * The error `upgrade` throws when lint found errors and the project lets lint block upgrades;
 * undefined when there is nothing to block on.
 */
export function lintFailure(summary: LintSummary): CheckFailed | undefined {
  if (summary.errors === 0) return undefined;
  const first = summary.findings.find((f) => f.severity === "error")!;
  return new CheckFailed(
    `lint found ${summary.errors} error(s); the first is ${first.rule} in revision ${first.revision} (${first.file}:${first.line}): ${first.message}.`,
    { hint: "Run `stratum lint` for every finding, fix them or disable the reviewed ones with `stratum-disable-next-line RULE`." },
  );
}
