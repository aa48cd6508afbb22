/** Lints one revision file: records or parses both directions, then runs the rules over each. */
import type { DialectName } from "../drivers/types.js";
import { InputError } from "../errors.js";
import type { Operation } from "../ops/types.js";
import type { LoadedRevision } from "../runner/types.js";
import { displayPath } from "../scripts/display-path.js";
import { readRevisionText } from "../scripts/headers.js";
import { parseSqlRevision } from "../scripts/sql-revision.js";
import type { LintStatement } from "./changes.js";
import { checkStatements, type RawFinding, type SchemaMemory } from "./check.js";
import { operationStatements, recordOperations, sqlSectionStatements, type StatementSource } from "./record.js";
import { RULES } from "./rules.js";
import { readStatements, type RevisionStatements } from "./statement-cache.js";
import { CallLocator, disableComments, disabledByLine, functionRegions } from "./source-lines.js";
import type { Volatility } from "./volatility.js";

export interface RevisionFindings {
  upgrade: RawFinding[];
  downgrade: RawFinding[];
  file: string;
}

export interface RevisionLintContext {
  dialect: DialectName;
  memory: SchemaMemory;
  volatility?: ReadonlyMap<string, Volatility>;
}

/**
 * With `downgrade` false only the upgrade is checked: the downgrade is looked at just enough to
 * know whether there is one (for missing-downgrade), without parsing its SQL.
 */
export async function lintRevision(revision: LoadedRevision, context: RevisionLintContext, downgrade = true): Promise<RevisionFindings> {
  const file = displayPath(revision.path);
  const read = await readStatements(revision, context.dialect, downgrade, () => extractStatements(revision, context.dialect, downgrade, file));
  const { upgrade, transactional } = read;
  const headerLine = revision.header.line ?? 1;
  const shared = { dialect: context.dialect, transactional, memory: context.memory, ...(context.volatility ? { volatility: context.volatility } : {}) };
  const upFindings = checkStatements(upgrade, { ...shared, direction: "upgrade" });
  const downFindings = read.downgrade === undefined ? [] : checkStatements(read.downgrade, { ...shared, direction: "downgrade" });
  const noDowngrade = read.hasDowngrade === undefined ? read.downgrade === undefined || read.downgrade.length === 0 : !read.hasDowngrade;
  if (noDowngrade && upgrade.length > 0 && !read.missingDowngradeDisabled) {
    upFindings.push({ rule: "missing-downgrade", line: headerLine, statement: `revision ${revision.header.id}`, message: `revision ${revision.header.id} has no downgrade` });
  }
  return { upgrade: upFindings, downgrade: downFindings, file };
}

/** Records or parses the revision's statements, the part of linting that depends on its file alone. */
async function extractStatements(revision: LoadedRevision, dialect: DialectName, downgrade: boolean, file: string): Promise<RevisionStatements> {
  const text = revision.text ?? readRevisionText(revision.path);
  checkDisableNames(text, file);
  const headerLine = revision.header.line ?? 1;
  const disabled = disabledByLine(text);
  let revisionDisabled: ReadonlySet<string> = new Set();
  let upgrade: LintStatement[];
  let downStatements: LintStatement[] | undefined;
  /** Whether the revision has a downgrade that does something, when its statements were not built. */
  let hasDowngrade: boolean | undefined;
  let transactional: boolean;

  if (revision.kind === "sql") {
    const parsed = parseSqlRevision(file, text);
    const source: StatementSource = { disabled, revisionDisabled };
    transactional = parsed.transactional;
    upgrade = await sqlSectionStatements(parsed.up, dialect, !transactional, source);
    if (!downgrade) hasDowngrade = parsed.down !== undefined && holdsStatements(parsed.down.text);
    else if (parsed.down !== undefined) downStatements = await sqlSectionStatements(parsed.down, dialect, !transactional, source);
  } else {
    const definition = await revision.load();
    revisionDisabled = new Set(definition.lint?.disable ?? []);
    for (const rule of revisionDisabled) {
      if (!RULES.has(rule)) throw new InputError(`lint.disable names an unknown rule "${rule}"`, { file, line: headerLine });
    }
    const source: StatementSource = { disabled, revisionDisabled };
    transactional = definition.transactional !== false;
    const regions = functionRegions(text);
    const upOps = await recordOperations(definition, definition.upgrade, dialect, file);
    upgrade = await operationStatements(upOps, dialect, new CallLocator(text, regions.upgrade, headerLine), !transactional, source);
    const downOps = definition.downgrade ? await recordOperations(definition, definition.downgrade, dialect, file) : [];
    // A downgrade that records nothing undoes nothing: treated as missing.
    if (!downgrade) hasDowngrade = downOps.some(sendsStatements);
    else if (downOps.length > 0)
      downStatements = await operationStatements(downOps, dialect, new CallLocator(text, regions.downgrade, headerLine), !transactional, source);
  }
  const missingDowngradeDisabled = revisionDisabled.has("missing-downgrade") || disabled.get(headerLine)?.has("missing-downgrade") === true;
  return {
    transactional,
    upgrade,
    missingDowngradeDisabled,
    ...(downStatements === undefined ? {} : { downgrade: downStatements }),
    ...(hasDowngrade === undefined ? {} : { hasDowngrade }),
  };
}

/** An operation that sends at least one statement: not raw SQL of comments only, nor a block of such. */
function sendsStatements(op: Operation): boolean {
  if (op.kind === "autocommit" || op.kind === "batch") return op.ops.some(sendsStatements);
  return op.kind !== "execute" || holdsStatements(op.sql);
}

/** SQL text with something besides comments, blanks and semicolons: at least one statement. */
function holdsStatements(sql: string): boolean {
  return sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, "").replace(/[\s;]+/g, "") !== "";
}

/** A misspelt rule in a disable comment would silently disable nothing: refuse it instead. */
function checkDisableNames(text: string, file: string): void {
  for (const { rule, line } of disableComments(text)) {
    if (rule !== "all" && !RULES.has(rule)) throw new InputError(`stratum-disable-next-line names an unknown rule "${rule}"`, { file, line });
  }
}
