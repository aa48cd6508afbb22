/**
 * Turns revision files into what the runner runs, only for the revisions a plan will run:
 * TypeScript/JavaScript modules are imported, SQL files are parsed and split into statements.
 */
import type { Dialect } from "../dialects/types.js";
import type { RevisionHeader } from "../graph/types.js";
import type { LoadedRevision } from "../runner/types.js";
import { InputError } from "../errors.js";
import type { Op } from "../ops/op.js";
import { checksum } from "../scripts/checksum.js";
import { displayPath } from "../scripts/display-path.js";
import { readRevisionText } from "../scripts/headers.js";
import { loadRevisionModule } from "../scripts/load-revision.js";
import { knownLoadVerdict } from "../scripts/load-verdict.js";
import type { RevisionDefinition } from "../scripts/revision.js";
import { parseSqlRevision, type SqlSection } from "../scripts/sql-revision.js";

/**
 * The runner's view of the given revisions. Nothing is imported or parsed here: `load()` runs
 * when the revision's step is about to run.
 */
export function loadRevisions(
  ids: Iterable<string>,
  headers: ReadonlyMap<string, RevisionHeader>,
  files: ReadonlyMap<string, string>,
  dialect: Dialect,
): Map<string, LoadedRevision> {
  const loaded = new Map<string, LoadedRevision>();
  for (const id of ids) {
    if (loaded.has(id)) continue;
    const path = files.get(id);
    const header = headers.get(id);
    if (path === undefined || header === undefined) throw new InputError(`revision ${id} has no file in the versions folders`);
    const text = readRevisionText(path);
    // Left without `sql` sections on purpose: this definition keeps the file's line numbers in errors.
    const kind = path.endsWith(".sql") ? "sql" : "ts";
    const sum = checksum(text);
    const load = once(() => (kind === "sql" ? sqlDefinition(path, text, dialect) : loadRevisionModule(path, { header, text, checksum: sum })));
    const revision: LoadedRevision = { header, path, kind, checksum: sum, text, load };
    if (kind === "ts") revision.loadVerdict = () => knownLoadVerdict(path, revision.checksum);
    loaded.set(id, revision);
  }
  return loaded;
}

/** An SQL revision as a definition whose upgrade and downgrade execute each statement of their section. */
export async function sqlDefinition(path: string, text: string, dialect: Dialect): Promise<RevisionDefinition> {
  const shown = displayPath(path);
  const parsed = parseSqlRevision(shown, text);
  // The up section is split now, so that a statement that does not parse fails the load. The
  // down section waits for its first run: an upgrade never pays for parsing the downgrade.
  const up = await splitSection(parsed.up, shown, dialect);
  const { down: downSection } = parsed;
  const down = downSection === undefined ? undefined : once(() => splitSection(downSection, shown, dialect));
  const { header } = parsed;
  const definition: RevisionDefinition = {
    id: header.id,
    parents: header.parents,
    message: header.message,
    branchLabels: header.branchLabels,
    dependsOn: header.dependsOn,
    transactional: parsed.transactional,
    upgrade: (op) => executeAll(op, up),
  };
  if (header.createDate !== undefined) definition.createDate = header.createDate;
  if (down !== undefined) definition.downgrade = async (op) => executeAll(op, await down());
  return definition;
}

interface SectionStatement {
  sql: string;
  nonTransactional: boolean;
}

async function splitSection(section: SqlSection, shown: string, dialect: Dialect): Promise<SectionStatement[]> {
  // Leading blank lines keep the splitter's line numbers equal to the file's.
  const statements = await dialect.splitStatements("\n".repeat(Math.max(0, section.line - 1)) + section.text, shown);
  return statements.map((statement) => ({ sql: statement.sql, nonTransactional: statement.nonTransactional }));
}

async function executeAll(op: Op, statements: readonly SectionStatement[]): Promise<void> {
  for (const statement of statements) {
    await op.run({ kind: "execute", sql: statement.sql, ...(statement.nonTransactional ? { nonTransactional: true } : {}) });
  }
}

/** Loads a revision at most once per run, however many times it is asked for (safety checks, then the run). */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => (loading ??= load());
}
