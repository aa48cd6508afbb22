/** The linter's vocabulary: rules, severities and findings. */

export type Severity = "error" | "warn";
export type RuleLevel = Severity | "off";

/** One problem found in one statement of one revision. */
export interface LintFinding {
  rule: string;
  severity: Severity;
  revision: string;
  /** "upgrade" or "downgrade": which function or section the statement belongs to. */
  direction: "upgrade" | "downgrade";
  file: string;
  line: number;
  /** The SQL statement, or a one-line summary of the operation. */
  statement: string;
  /** What was found. */
  message: string;
  /** Why it is dangerous: which lock it takes, whether it rewrites or destroys. */
  why: string;
  /** The safe way to do the same thing. */
  fix: string;
}

export interface LintSummary {
  findings: LintFinding[];
  /** The revisions checked, in graph order. */
  revisions: string[];
  errors: number;
  warnings: number;
}
