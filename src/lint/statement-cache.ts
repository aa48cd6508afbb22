/**
 * What lint reads from a revision, kept between runs. Recording a TypeScript revision's operations
 * and reading its SQL cost far more than checking the rules over the result, and `upgrade` lints
 * every revision it applies; on a fresh database that is every revision of the project.
 *
 * Only files whose statements follow from their text alone are kept: SQL revisions, and modules
 * that are self-contained (they import nothing but "stratum" and read nothing from the process or
 * the clock). An entry is named by the file's path and checksum, the Stratum build (which holds the
 * rules, the parser and the recorder) and the dialect, so it is never stale. Rule levels, the
 * schema memory carried from revision to revision and function volatility are applied after, on
 * every run.
 */
import { dirname, resolve } from "node:path";
import { contentKey, readGroupedEntry, writeGroupedEntry } from "../cache-dir.js";
import type { DialectName } from "../drivers/types.js";
import { buildStamp } from "../package-files.js";
import type { LoadedRevision } from "../runner/types.js";
import { readRevisionText } from "../scripts/headers.js";
import { selfContained } from "../scripts/stratum-imports.js";
import type { LintStatement } from "./changes.js";

/** Bumped when the shape of an entry changes. */
const FORMAT = "1";
const KIND = "lint-revisions";

/** One direction or both of a revision, read for the rules. */
export interface RevisionStatements {
  transactional: boolean;
  upgrade: LintStatement[];
  /** The downgrade's statements, when they were read and there are some. */
  downgrade?: LintStatement[];
  /** When the downgrade was not read: whether it does anything. */
  hasDowngrade?: boolean;
  /** `missing-downgrade` is disabled for the revision (by its definition or a comment on its header). */
  missingDowngradeDisabled: boolean;
}

/** A statement as stored: its disabled rules as a list. */
type StoredStatement = Omit<LintStatement, "disabled"> & { disabled: string[] };
type StoredStatements = Omit<RevisionStatements, "upgrade" | "downgrade"> & { upgrade: StoredStatement[]; downgrade?: StoredStatement[] };

const store = (statements: LintStatement[]): StoredStatement[] => statements.map((statement) => ({ ...statement, disabled: [...statement.disabled] }));
const restore = (statements: StoredStatement[]): LintStatement[] => statements.map((statement) => ({ ...statement, disabled: new Set(statement.disabled) }));

/**
 * The revision's statements from the cache when an earlier run read the same file, else from
 * `extract`, whose result is kept when the file qualifies. A failure of `extract` is never kept.
 */
export async function readStatements(
  revision: LoadedRevision,
  dialect: DialectName,
  downgrade: boolean,
  extract: () => Promise<RevisionStatements>,
): Promise<RevisionStatements> {
  const path = resolve(revision.path);
  const key = contentKey([FORMAT, buildStamp(), dialect, downgrade ? "both" : "upgrade", path, revision.checksum]);
  // Grouped like the compiled modules: the revisions of one versions folder share a pack.
  const group = `${dirname(path)}\0${dialect}`;
  const stored = readGroupedEntry(KIND, group, key);
  if (stored !== undefined) {
    try {
      const parsed = JSON.parse(stored.toString("utf8")) as StoredStatements;
      const { upgrade, downgrade: down, ...rest } = parsed;
      return { ...rest, upgrade: restore(upgrade), ...(down === undefined ? {} : { downgrade: restore(down) }) };
    } catch {
      // A damaged entry is read again from the file, and replaced.
    }
  }
  const statements = await extract();
  // An entry is only ever written for a file that qualifies, so a read need not check again.
  if (revision.kind !== "sql" && !selfContained(revision.text ?? readRevisionText(revision.path))) return statements;
  const { upgrade, downgrade: down, ...rest } = statements;
  const entry: StoredStatements = { ...rest, upgrade: store(upgrade), ...(down === undefined ? {} : { downgrade: store(down) }) };
  writeGroupedEntry(KIND, group, key, Buffer.from(JSON.stringify(entry), "utf8"));
  return statements;
}
