/**
 * The schema commands: `check` (declared schema vs the database at head), `drift` (the database
 * vs what its revisions produce), `baseline` (a first revision from an existing database) and
 * `autogenerate` (a revision from the difference between the database and the declared schema).
 */
import { CheckFailed, UsageError } from "../errors.js";
import type { Dialect } from "../dialects/types.js";
import type { Database } from "../drivers/types.js";
import { RevisionGraph } from "../graph/index.js";
import type { Operation } from "../ops/types.js";
import { applyStamp } from "../runner/stamp.js";
import { readVersionHeads } from "../runner/state-tables.js";
import type { RenameAnswers, RenameCandidate } from "../schema/diff.js";
import { emptySchema, type SchemaModel } from "../schema/model.js";
import { writeNewRevision } from "./new-revision.js";
import type { CommonOptions } from "./options.js";
import { loadProject, type Project } from "./project.js";
import { findDeclaredSource, loadDeclaredSchema, type DeclaredSource, type ShadowKind } from "./schema-declared.js";
import { canonicalModel } from "./schema-canonical.js";
import { describeOperation } from "./schema-describe.js";
import { diffModels, planChanges, revisionBody } from "./schema-engine.js";
import { filterForProject, type SchemaFilters } from "./schema-filter.js";
import { replayedSchema } from "./schema-replay.js";
import { describePending, introspectTarget, ownTables, pendingRevisions } from "./schema-target.js";
import { afterRevisionWritten } from "./schema-write.js";
import { toolVersion } from "./tool-version.js";

export { loadSqlSchema, type LoadSqlSchemaOptions } from "./schema-sql.js";
export type { IncludeName, IncludeObject, SchemaFilters, SchemaObject, SchemaObjectType } from "./schema-filter.js";

export interface SchemaOptions extends CommonOptions, SchemaFilters {
  /** The declared schema: SQL file globs or a DSL module; default: the config's, or schema/*.sql. */
  schema?: string | string[];
  /**
   * Where SQL schema files are applied: "pglite" (embedded, no server needed), "server" (a
   * temporary database on the target's PostgreSQL server, which deparses exactly as the target
   * does), or "auto" (the default: the server for postgres:// targets, PGlite otherwise).
   */
  shadow?: ShadowKind;
}

/** Differences found by `check` or `drift`: the operations, and one readable line for each. */
export class SchemaDifferences extends CheckFailed {
  constructor(
    message: string,
    readonly operations: Operation[],
    readonly lines: string[],
    readonly manual: string[],
    hint: string,
  ) {
    super([message, ...lines.map((l) => `  ${l}`), ...manual.map((m) => `  ! ${m}`)].join("\n"), { hint });
  }
}

function differenceLines(operations: readonly Operation[]): string[] {
  return operations.flatMap((op) => describeOperation(op).split("\n"));
}

async function declaredModel(
  project: Project,
  db: Database,
  dialect: SchemaModel["dialect"],
  options: SchemaOptions,
): Promise<{ model: SchemaModel; source: DeclaredSource }> {
  const source = findDeclaredSource(project, options.schema);
  const live = { db, url: project.url() };
  const model = await loadDeclaredSchema(project, dialect, source, ownTables(project), live, options.shadow ?? "auto");
  return { model: filterForProject(model, project, options), source };
}

/**
 * A DSL declaration whose text differs from the catalog is created in a scratch database and read
 * back, so that only differences in meaning remain (SQL files were applied to one already).
 */
async function settleDifferences(
  project: Project,
  db: Database,
  dialect: Dialect,
  live: SchemaModel,
  declared: { model: SchemaModel; source: DeclaredSource },
  options: SchemaOptions,
): Promise<SchemaModel> {
  if (declared.source.kind !== "dsl") return declared.model;
  const first = diffModels(live, declared.model, { allowDrop: true });
  if (first.operations.length === 0 && first.manual.length === 0) return declared.model;
  const schemas = project.config.schema === undefined ? undefined : [project.config.schema];
  const canonical = await canonicalModel(db, project.url(), dialect, declared.model, { exclude: ownTables(project), ...(schemas ? { schemas } : {}) });
  return filterForProject(canonical, project, options);
}

function sourceName(source: DeclaredSource): string {
  return source.kind === "dsl" ? source.path : source.globs.join(", ");
}

export interface CheckResult {
  /** Always true when `check` returns; differences throw SchemaDifferences. */
  clean: true;
  source: string;
}

/**
 * Compares the declared schema with the database, which must be at head. Throws CheckFailed
 * naming the pending revisions, or SchemaDifferences listing what differs.
 */
export async function check(options: SchemaOptions = {}): Promise<CheckResult> {
  const project = await loadProject(options);
  return project.withDatabase(async (db, dialect) => {
    const pending = await pendingRevisions(project, db, dialect);
    if (pending.length > 0) {
      throw new CheckFailed(`The database is not at head: ${pending.length} revision(s) pending: ${describePending(pending)}.`, {
        hint: "Run `stratum upgrade heads` first.",
      });
    }
    const [live, declared] = await Promise.all([
      introspectTarget(project, db, dialect, options),
      declaredModel(project, db, dialect.name, options),
    ]);
    const desired = await settleDifferences(project, db, dialect, live, declared, options);
    const diff = diffModels(live, desired, { allowDrop: true });
    if (diff.operations.length > 0 || diff.manual.length > 0) {
      throw new SchemaDifferences(
        `The database differs from the declared schema (${sourceName(declared.source)}):`,
        diff.operations,
        differenceLines(diff.operations),
        diff.manual,
        "Run `stratum revision --autogenerate -m MESSAGE` to write a revision for these changes.",
      );
    }
    return { clean: true, source: sourceName(declared.source) };
  });
}

export interface DriftResult {
  clean: true;
  /** The revisions the database is at, which were replayed. */
  heads: string[];
}

/**
 * Replays the revisions the database is at on a scratch database, introspects both, and throws
 * SchemaDifferences listing every change made outside the revisions.
 */
export async function drift(options: SchemaFilters & CommonOptions = {}): Promise<DriftResult> {
  const project = await loadProject(options);
  return project.withDatabase(async (db, dialect) => {
    const heads = await readVersionHeads(db, dialect, project.tables);
    const expected = await replayedSchema(project, db, dialect, heads, options);
    const live = await introspectTarget(project, db, dialect, options);
    const diff = diffModels(expected, live, { allowDrop: true });
    if (diff.operations.length > 0 || diff.manual.length > 0) {
      const at = heads.length ? heads.join(", ") : "base";
      throw new SchemaDifferences(
        `The database has drifted from what its revisions (at ${at}) produce; changed outside the revisions:`,
        diff.operations,
        differenceLines(diff.operations),
        diff.manual,
        "Write a revision that makes these changes (or reverts them), so that every database gets the same schema.",
      );
    }
    return { clean: true, heads };
  });
}

export interface BaselineOptions extends CommonOptions, SchemaFilters {
  message?: string;
  /** Stamp the database at the new revision. */
  stamp?: boolean;
  revId?: string;
}

export interface BaselineResult {
  id: string;
  path: string;
  operations: number;
  stamped: boolean;
}

/** Writes a first revision that recreates the database's current schema, and optionally stamps it. */
export async function baseline(options: BaselineOptions = {}): Promise<BaselineResult> {
  const project = await loadProject(options);
  const revisions = await project.revisions();
  if (revisions.headers.length > 0) {
    throw new UsageError(`baseline writes the first revision, but the versions folder already has ${revisions.headers.length} revision(s).`, {
      hint: "Use `stratum revision --autogenerate` to add to an existing history.",
    });
  }
  const model = await project.withDatabase((db, dialect) => introspectTarget(project, db, dialect, options));
  // The downgrade drops everything again, in reverse dependency order.
  const plan = planChanges(emptySchema(model.dialect), model, { allowDrop: true });
  const written = await writeNewRevision(project, revisions, {
    parents: [],
    message: options.message ?? "baseline",
    branchLabels: [],
    dependsOn: [],
    kind: "ts",
    body: revisionBody(plan),
    ...(options.revId === undefined ? {} : { revId: options.revId }),
  });
  afterRevisionWritten(project, written.path);
  if (options.stamp) {
    const graph = RevisionGraph.build([{ id: written.id, parents: [], branchLabels: [], dependsOn: [], message: written.message }]);
    await project.withLock(async (db, dialect) => {
      const current = await readVersionHeads(db, dialect, project.tables);
      await applyStamp(db, dialect, project.tables, graph.planStamp(current, [written.id], { purge: true }), {
        toolVersion: toolVersion(),
        purge: true,
      });
    });
  }
  return { id: written.id, path: written.path, operations: plan.upgradeOps.length, stamped: options.stamp === true };
}

export interface AutogenerateOptions extends SchemaOptions {
  message: string;
  /** `users.fullname=full_name` (a column) or `old_table=new_table` (a table), or answers as data. */
  renames?: string[] | RenameAnswers;
  /** Accept dropping tables and columns that look renamed. */
  allowDrop?: boolean;
  /** Write a revision even when nothing changed. */
  allowEmpty?: boolean;
  /** Asked for each rename candidate (on a terminal); without it, candidates are an error. */
  ask?: (candidate: RenameCandidate) => Promise<boolean>;
  /** The revision to build on; default: the single head. */
  head?: string;
  revId?: string;
  branchLabels?: string[];
  versionPath?: string;
}

export interface AutogenerateResult {
  written: boolean;
  id?: string;
  path?: string;
  operations: Operation[];
  /** Changes the diff cannot write (an enum value removed, ...). */
  manual: string[];
  /** One sentence saying what happened. */
  summary: string;
}

/** Diffs the database (at head) against the declared schema and writes the revision that closes the gap. */
export async function autogenerate(options: AutogenerateOptions): Promise<AutogenerateResult> {
  if (!options.message?.trim()) throw new UsageError("autogenerate needs a message (-m MESSAGE).");
  const project = await loadProject(options);
  const revisions = await project.revisions();
  const parents = chooseParents(revisions.graph, options.head);
  const { live, declared } = await project.withDatabase(async (db, dialect) => {
    const pending = await pendingRevisions(project, db, dialect);
    if (pending.length > 0) {
      throw new CheckFailed(`The database is not at head, so autogenerate would repeat changes: ${describePending(pending)} pending.`, {
        hint: "Run `stratum upgrade heads` first.",
      });
    }
    const [liveModel, declaredSide] = await Promise.all([
      introspectTarget(project, db, dialect, options),
      declaredModel(project, db, dialect.name, options),
    ]);
    return { live: liveModel, declared: await settleDifferences(project, db, dialect, liveModel, declaredSide, options) };
  });

  const answers = parseRenames(options.renames, live);
  let plan = planChanges(live, declared, { renames: answers, allowDrop: options.allowDrop ?? false });
  if (plan.renameCandidates.length > 0 && options.ask) {
    for (const candidate of plan.renameCandidates) {
      if (await options.ask(candidate)) addAnswer(answers, candidate);
    }
    // What the user did not call a rename is a drop plus an add: they saw it and said so.
    plan = planChanges(live, declared, { renames: answers, allowDrop: true });
  }
  if (plan.renameCandidates.length > 0) {
    throw new UsageError(
      [
        "Some tables or columns look renamed; say which are renames before autogenerate writes anything:",
        ...plan.renameCandidates.map((c) => `  ${c.message}`),
      ].join("\n"),
      { hint: "Pass --rename table.old=new (or --rename old_table=new_table) for each rename, or --allow-drop to drop and add." },
    );
  }

  if (plan.upgradeOps.length === 0 && plan.manual.length === 0 && !options.allowEmpty) {
    return { written: false, operations: [], manual: [], summary: "No changes in schema detected; no revision written." };
  }
  const body = revisionBody(plan);
  const written = await writeNewRevision(project, revisions, {
    parents,
    message: options.message,
    branchLabels: options.branchLabels ?? [],
    dependsOn: [],
    kind: "ts",
    body,
    ...(options.revId === undefined ? {} : { revId: options.revId }),
    ...(options.versionPath === undefined ? {} : { versionPath: options.versionPath }),
  });
  afterRevisionWritten(project, written.path);
  return {
    written: true,
    id: written.id,
    path: written.path,
    operations: plan.upgradeOps,
    manual: plan.manual,
    summary: `Generated ${written.path} with ${plan.upgradeOps.length} operation(s).`,
  };
}

function chooseParents(graph: RevisionGraph, head: string | undefined): string[] {
  if (head !== undefined) return head === "base" ? [] : graph.resolve(head, []);
  const heads = graph.heads();
  if (heads.length > 1) {
    throw new UsageError(`The revision graph has ${heads.length} heads (${heads.join(", ")}); autogenerate needs one.`, {
      hint: "Merge them with `stratum merge heads`, or pass --head to choose one.",
    });
  }
  return heads;
}

/**
 * `a.b=c` renames column b of table a when a is a table of the database; otherwise (and for
 * `a=c`) it renames table a, which may be schema-qualified.
 */
export function parseRenames(renames: AutogenerateOptions["renames"], live: SchemaModel): RenameAnswers {
  const answers: RenameAnswers = { tables: {}, columns: {} };
  if (renames === undefined) return answers;
  if (!Array.isArray(renames)) {
    return { tables: { ...(renames.tables ?? {}) }, columns: { ...(renames.columns ?? {}) } };
  }
  const tableNames = new Set(live.tables.map((t) => t.name));
  for (const text of renames) {
    const match = /^\s*([^=\s]+)\s*=\s*([^=\s]+)\s*$/.exec(text);
    if (!match) throw new UsageError(`--rename ${text} is not OLD=NEW (table.old_column=new_column or old_table=new_table).`);
    const [, from, to] = match as unknown as [string, string, string];
    const dot = from.lastIndexOf(".");
    if (dot > 0 && tableNames.has(from.slice(0, dot).split(".").pop()!)) answers.columns![from] = to;
    else answers.tables![from] = to;
  }
  return answers;
}

function addAnswer(answers: RenameAnswers, candidate: RenameCandidate): void {
  if (candidate.kind === "table") answers.tables![candidate.from] = candidate.to;
  else answers.columns![`${candidate.table}.${candidate.from}`] = candidate.to;
}
