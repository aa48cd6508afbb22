/**
 * `lint`: checks revisions against the safety rules. Which revisions: the ones named, all of
 * them, the ones the database has not applied yet (`pending`), or by default the graph's heads.
 */
import { getDialect } from "../dialects/index.js";
import type { Database, DialectName } from "../drivers/types.js";
import { UsageError } from "../errors.js";
import { formatFindings, fromProvolatile, lintRevisions, type LintFormat, type LintSummary, type Volatility } from "../lint/index.js";
import { readVersionHeads } from "../runner/state-tables.js";
import type { CommonOptions } from "./options.js";
import { dialectOfUrl, loadProject, type Project } from "./project.js";
import { loadRevisions } from "./revisions.js";

export interface LintOptions extends CommonOptions {
  /** Revision ids, prefixes, labels or `heads`; default: the heads. */
  revisions?: string[];
  all?: boolean;
  /** The revisions the database has not applied yet (connects to read the version table). */
  pending?: boolean;
  /** How `output` is written; default human. */
  format?: LintFormat;
}

export interface LintResult extends LintSummary {
  /** The findings printed in the requested format. */
  output: string;
}

export async function lint(options: LintOptions = {}): Promise<LintResult> {
  const chosen = [options.all === true, options.pending === true, (options.revisions?.length ?? 0) > 0].filter(Boolean).length;
  if (chosen > 1) throw new UsageError("Give revisions, --all or --pending, not several of them.");
  const project = await loadProject(options);
  const revisions = await project.revisions();
  const dialect = projectDialect(project);
  let wanted: Set<string>;
  let volatility: ReadonlyMap<string, Volatility> | undefined;
  if (options.all) wanted = new Set(revisions.headers.map((h) => h.id));
  else if (options.pending) {
    const found = await project.withDatabase(async (db, dbDialect) => {
      const rows = await readVersionHeads(db, dbDialect, project.tables);
      const pending = revisions.graph.planUpgrade(rows, "heads").steps.map((step) => step.revision);
      return { pending, volatility: db.dialect === "postgresql" ? await functionVolatility(db) : undefined };
    });
    wanted = new Set(found.pending);
    volatility = found.volatility;
  } else {
    const targets = options.revisions?.length ? options.revisions : ["heads"];
    wanted = new Set(targets.flatMap((target) => revisions.graph.resolve(target, [])));
  }
  const ordered = revisions.headers.filter((h) => wanted.has(h.id)).map((h) => h.id);
  const loaded = loadRevisions(ordered, revisions.byId, revisions.files, getDialect(dialect));
  const summary = await lintRevisions({
    revisions: ordered.map((id) => loaded.get(id)!),
    dialect,
    rules: project.config.lint.rules,
    ...(project.config.configFile === undefined ? {} : { configFile: project.config.configFile }),
    ...(volatility === undefined ? {} : { volatility }),
  });
  return { ...summary, output: formatFindings(summary, options.format ?? "human") };
}

/** The dialect the configured URL names; PostgreSQL when none is configured (lint needs no database). */
function projectDialect(project: Project): DialectName {
  return project.config.url === undefined ? "postgresql" : dialectOfUrl(project.url());
}

/**
 * pg_proc's volatility for every function, under its bare and its schema-qualified name; an
 * overloaded name takes its most volatile form.
 */
async function functionVolatility(db: Database): Promise<Map<string, Volatility>> {
  const { rows } = await db.main.query<{ proname: string; nspname: string; provolatile: string }>(
    "SELECT p.proname, n.nspname, p.provolatile FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace",
  );
  const rank = { immutable: 0, stable: 1, volatile: 2, unknown: 3 } as const;
  const result = new Map<string, Volatility>();
  const keep = (name: string, volatility: Volatility) => {
    const known = result.get(name);
    if (known === undefined || rank[volatility] > rank[known]) result.set(name, volatility);
  };
  for (const row of rows) {
    const volatility = fromProvolatile(row.provolatile);
    keep(row.proname, volatility);
    keep(`${row.nspname}.${row.proname}`, volatility);
  }
  return result;
}
