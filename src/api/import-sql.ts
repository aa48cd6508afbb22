/**
 * `import-sql`: turns a folder of hand-run SQL scripts into a chain of SQL revisions on top of the
 * project's head, and optionally stamps a database that already has some of them.
 */
import { relative, resolve } from "node:path";
import type { DialectName } from "../drivers/types.js";
import { UsageError } from "../errors.js";
import type { StatementSplitter } from "../importer/analyze.js";
import { planImport, type PlannedImport } from "../importer/plan.js";
import { writeImportedRevisions } from "../importer/write.js";
import type { CommonOptions } from "./options.js";
import { dialectOfUrl, loadProject, type Project } from "./project.js";
import { stamp } from "./stamp.js";

export interface ImportSqlOptions extends CommonOptions {
  /** The folder of legacy `.sql` files (relative to cwd). */
  dir: string;
  /** A file naming the forward files in order, one per line. */
  orderFile?: string;
  /** One of the configured versions folders; default: the first. */
  versionPath?: string;
  /**
   * The imported revision (its id or its original file name) up to which the database already
   * has the changes: the version table is set there, without running anything.
   */
  stamp?: string;
  /** Plan and report only; write nothing. */
  dryRun?: boolean;
}

export interface ImportedRevision {
  file: string;
  rollback: string | null;
  id: string;
  parents: string[];
  message: string;
  /** Where the revision was written (null in a dry run). */
  path: string | null;
  warnings: string[];
}

export interface ImportSqlResult {
  revisions: ImportedRevision[];
  /** The version table after `stamp`, when asked. */
  stamped?: string[];
  dryRun: boolean;
}

export async function importSql(options: ImportSqlOptions): Promise<ImportSqlResult> {
  const project = await loadProject(options);
  const cwd = options.cwd ?? process.cwd();
  const dir = resolve(cwd, options.dir);
  const versionsDir = versionFolder(project, cwd, options.versionPath);
  const split = await splitterFor(project);
  const planned = await planImport({
    dir,
    shownDir: shown(cwd, dir),
    ...(split === undefined ? {} : { split }),
    ...(options.orderFile === undefined ? {} : { orderFile: resolve(cwd, options.orderFile) }),
  });
  const stampId = options.stamp === undefined ? undefined : stampTarget(planned, options.stamp);
  const revisions = await project.revisions();
  const taken = planned.find((item) => revisions.graph.has(item.id));
  if (taken) {
    throw new UsageError(`${taken.file} was already imported as revision ${taken.id} (${revisions.files.get(taken.id) ?? "in the versions folder"}).`);
  }
  const parent = chooseParent(revisions.graph.effectiveHeads());
  const chain = planned.map((item, index) => ({ item, parents: index === 0 ? (parent === undefined ? [] : [parent]) : [planned[index - 1]!.id] }));
  if (options.dryRun) {
    return { revisions: chain.map(({ item, parents }) => describe(item, parents, null)), dryRun: true };
  }
  const paths = await writeImportedRevisions(planned, {
    dir: versionsDir,
    parent,
    template: project.config.revisionTemplate.sql,
    fileTemplate: project.config.fileTemplate,
  });
  const result: ImportSqlResult = {
    revisions: chain.map(({ item, parents }, index) => describe(item, parents, paths[index] ?? null)),
    dryRun: false,
  };
  if (stampId !== undefined) {
    const stamped = await stamp({ ...options, revisions: [stampId] });
    if (stamped.mode === "online") result.stamped = stamped.headsAfter;
  }
  return result;
}

/** PostgreSQL (also the default without a URL) is read by the importer's own parser-based analysis. */
async function splitterFor(project: Project): Promise<StatementSplitter | undefined> {
  let name: DialectName;
  try {
    name = dialectOfUrl(project.url());
  } catch {
    return undefined;
  }
  if (name === "postgresql") return undefined;
  const { getDialect } = await import("../dialects/index.js");
  const dialect = getDialect(name);
  return (text, file) => dialect.splitStatements(text, file);
}

function describe(item: PlannedImport, parents: string[], path: string | null): ImportedRevision {
  return { file: item.file, rollback: item.rollback ?? null, id: item.id, parents, message: item.message, path, warnings: item.warnings };
}

/** `--stamp` names an imported revision by id, unique id prefix, or original file name (with or without `.sql`). */
function stampTarget(planned: readonly PlannedImport[], wanted: string): string {
  const byName = planned.find((item) => item.file === wanted || item.file.replace(/\.sql$/i, "") === wanted);
  if (byName) return byName.id;
  const byId = planned.filter((item) => item.id.startsWith(wanted));
  if (byId.length === 1) return byId[0]!.id;
  const choices = planned.map((item) => item.file).join(", ");
  throw new UsageError(`--stamp ${wanted} names none of the imported revisions; give an imported revision id or one of: ${choices}.`);
}

function chooseParent(heads: string[]): string | undefined {
  if (heads.length > 1) {
    throw new UsageError(`The project has ${heads.length} heads (${heads.join(", ")}); merge them first so the imported revisions have one place to go.`, {
      hint: "stratum merge heads -m \"merge before import\"",
    });
  }
  return heads[0];
}

function versionFolder(project: Project, cwd: string, wanted: string | undefined): string {
  const configured = project.config.versionPaths;
  if (wanted === undefined) {
    const first = configured[0];
    if (first === undefined) throw new UsageError("No versions folder is configured; set versionPaths in stratum.config.ts.");
    return first;
  }
  const dir = resolve(cwd, wanted);
  if (!configured.includes(dir)) throw new UsageError(`--version-path ${wanted} is not one of the configured versions folders: ${configured.join(", ")}.`);
  return dir;
}

function shown(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel === "" ? "." : rel.startsWith("..") ? path : rel;
}
