import { UsageError } from "../errors.js";
import { inlineParams } from "../runner/batch.js";
import { applyStamp } from "../runner/stamp.js";
import { readVersionHeads, versionChangeStatements, versionTableRef } from "../runner/state-tables.js";
import { loadProject, type Project } from "./project.js";
import { offlineStart, type RunOptions, type RunResult, splitRange } from "./run.js";
import { toolVersion } from "./tool-version.js";

export interface StampOptions extends RunOptions {
  /** Targets to record (`head`, `heads`, `base`, ids, labels); with `sql`, the first may be `FROM:TO`. */
  revisions: string[];
  /** Empty the version table first, whatever it holds. Needs `yes`. */
  purge?: boolean;
}

/** Writes the version table without running any revision. */
export async function stamp(options: StampOptions): Promise<RunResult> {
  if (options.revisions.length === 0) throw new UsageError("stamp needs at least one revision (or base).");
  const project = await loadProject(options);
  if (options.sql) return renderStamp(project, options);
  if (options.purge && !options.yes && !options.dryRun && !(await options.confirm?.("Empty the version table before stamping?"))) {
    throw new UsageError("stamp --purge empties the version table first; confirm with --yes.");
  }
  const revisions = await project.revisions();
  return project.withLock(async (db, dialect) => {
    const rows = await readVersionHeads(db, dialect, project.tables);
    const plan = revisions.graph.planStamp(rows, options.revisions, { purge: options.purge === true });
    if (!options.dryRun) await applyStamp(db, dialect, project.tables, plan, { toolVersion: toolVersion(), purge: options.purge === true });
    return {
      mode: "online",
      kind: "stamp",
      headsBefore: rows,
      headsAfter: options.dryRun ? rows : plan.headsAfter,
      steps: [],
      dryRun: options.dryRun === true,
    };
  });
}

async function renderStamp(project: Project, options: StampOptions): Promise<RunResult> {
  const revisions = await project.revisions();
  const dialect = await project.dialect();
  const [first, ...rest] = options.revisions;
  const { from, to } = splitRange(first ?? "");
  const start = offlineStart(revisions, from);
  const plan = revisions.graph.planStamp(start, [to, ...rest], { purge: options.purge === true });
  const lines: string[] = [];
  if (start.length === 0) {
    for (const sql of new Set([...dialect.state.createVersionTable(project.tables), ...dialect.state.createHistoryTable(project.tables)])) {
      lines.push(terminate(sql));
    }
    lines.push("");
  }
  const transactional = dialect.capabilities.transactionalDdl;
  if (transactional) lines.push("BEGIN;");
  lines.push(`-- Stamping ${plan.headsBefore.join(", ") || "<base>"} -> ${plan.headsAfter.join(", ") || "<base>"}`);
  if (options.purge) lines.push(`DELETE FROM ${versionTableRef(dialect, project.tables)};`);
  for (const statement of versionChangeStatements(dialect, project.tables, plan.versionChanges)) lines.push(terminate(inlineParams(dialect, statement)));
  if (transactional) lines.push("COMMIT;");
  return { mode: "offline", kind: "stamp", sql: `${lines.join("\n")}\n` };
}

function terminate(sql: string): string {
  const text = sql.trim();
  return text.endsWith(";") ? text : `${text};`;
}
