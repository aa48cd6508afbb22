/** Prints lint results for people, for programs (JSON) and for GitHub Actions annotations. */
import type { LintFinding, LintSummary } from "./types.js";

export type LintFormat = "human" | "json" | "github";

export function formatFindings(summary: LintSummary, format: LintFormat): string {
  switch (format) {
    case "json":
      return `${JSON.stringify(summary, null, 2)}\n`;
    case "github":
      return summary.findings.map(githubAnnotation).join("");
    case "human":
      return human(summary);
  }
}

function human(summary: LintSummary): string {
  const lines: string[] = [];
  for (const f of summary.findings) {
    lines.push(`${f.file}:${f.line}: ${f.severity} [${f.rule}] ${f.message} (revision ${f.revision}, ${f.direction})`);
    lines.push(`  statement: ${oneLine(f.statement)}`);
    lines.push(`  why: ${f.why}`);
    lines.push(`  fix: ${f.fix}`);
  }
  const count = summary.revisions.length;
  lines.push(
    summary.findings.length === 0
      ? `No lint findings in ${count} revision(s).`
      : `${summary.errors} error(s), ${summary.warnings} warning(s) in ${count} revision(s).`,
  );
  return `${lines.join("\n")}\n`;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 200 ? `${flat.slice(0, 197)}...` : flat;
}

/** `::error file=F,line=N,title=T::message`, escaped as the Actions runner expects. */
function githubAnnotation(f: LintFinding): string {
  const command = f.severity === "error" ? "error" : "warning";
  const properties = `file=${escapeProperty(f.file)},line=${f.line},title=${escapeProperty(`stratum lint ${f.rule}`)}`;
  const message = `${f.message}: ${oneLine(f.statement)}\nWhy: ${f.why}\nFix: ${f.fix}`;
  return `::${command} ${properties}::${escapeData(message)}\n`;
}

function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
