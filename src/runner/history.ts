import type { Database, Row } from "../drivers/types.js";
import type { Dialect } from "../dialects/types.js";
import { UsageError } from "../errors.js";
import type { VersionChange } from "../graph/types.js";
import { appliedBy } from "./applied-by.js";
import type { BoundStatement } from "./batch.js";
import { checkVersionRowCount, historyTableRef, versionChangeStatements } from "./state-tables.js";
import type { HistoryDirection, HistoryFilter, HistoryRow, RepairAction, StateTables } from "./types.js";

export interface HistoryRecord {
  revision: string;
  direction: HistoryDirection;
  checksum: string | null;
  startedAt: Date;
  durationMs: number | null;
  success: boolean;
  error: string | null;
  statementsTotal: number | null;
  statementsDone: number | null;
  versionChanges: readonly VersionChange[];
  note: string | null;
  toolVersion: string;
}

const COLUMNS =
  "revision, direction, checksum, started_at, duration_ms, applied_by, tool_version, success, error, statements_total, statements_done, version_changes, note";

/** Where duration_ms is among COLUMNS (and so among an INSERT's values). */
const DURATION = COLUMNS.split(", ").indexOf("duration_ms");

/** Errors are kept whole but bounded, so one runaway message cannot bloat the table. */
const MAX_ERROR = 4000;

/**
 * The history row's INSERT. With `addServerTime`, the duration also counts the time the server
 * has spent on the message carrying the INSERT (the step's held-back statements, sent with it),
 * where the dialect can say; the client's clock stopped before that message was sent.
 */
export function historyInsert(dialect: Dialect, tables: StateTables, record: HistoryRecord, addServerTime = false): BoundStatement {
  const values = [
    record.revision,
    record.direction,
    record.checksum,
    dialect.state.timestampValue(record.startedAt),
    record.durationMs === null ? null : Math.round(record.durationMs),
    appliedBy(),
    record.toolVersion.slice(0, 64),
    record.success,
    record.error === null ? null : record.error.slice(0, MAX_ERROR),
    record.statementsTotal,
    record.statementsDone,
    record.versionChanges.length === 0 ? null : JSON.stringify(record.versionChanges),
    record.note,
  ];
  const serverTime = addServerTime && record.durationMs !== null ? dialect.state.sinceMessageReceivedMs : undefined;
  const placeholders = values
    .map((_v, i) => (i === DURATION && serverTime !== undefined ? `${dialect.state.param(i + 1)} + ${serverTime}` : dialect.state.param(i + 1)))
    .join(", ");
  return { sql: `INSERT INTO ${historyTableRef(dialect, tables)} (${COLUMNS}) VALUES (${placeholders})`, params: values };
}

/** Per-statement progress of a step on a database that commits each DDL statement. */
export function historyProgress(dialect: Dialect, tables: StateTables, id: number, done: number): BoundStatement {
  const p = dialect.state.param;
  return { sql: `UPDATE ${historyTableRef(dialect, tables)} SET statements_done = ${p(1)} WHERE id = ${p(2)}`, params: [done, id] };
}

export function historyFinish(
  dialect: Dialect,
  tables: StateTables,
  id: number,
  outcome: { success: boolean; error: string | null; durationMs: number; statementsDone: number; statementsTotal: number | null },
): BoundStatement {
  const p = dialect.state.param;
  return {
    sql:
      `UPDATE ${historyTableRef(dialect, tables)} SET success = ${p(1)}, error = ${p(2)}, duration_ms = ${p(3)}, ` +
      `statements_done = ${p(4)}, statements_total = ${p(5)} WHERE id = ${p(6)}`,
    params: [
      outcome.success,
      outcome.error === null ? null : outcome.error.slice(0, MAX_ERROR),
      Math.round(outcome.durationMs),
      outcome.statementsDone,
      outcome.statementsTotal,
      id,
    ],
  };
}

function toNumberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  const text = String(value);
  // SQLite and MySQL keep UTC wall-clock text without a zone.
  return new Date(/[zZ]|[+-]\d\d(:?\d\d)?$/.test(text) ? text : `${text.replace(" ", "T")}Z`);
}

function toHistoryRow(row: Row): HistoryRow {
  let versionChanges: VersionChange[] = [];
  if (typeof row.version_changes === "string" && row.version_changes !== "") {
    try {
      versionChanges = JSON.parse(row.version_changes) as VersionChange[];
    } catch {
      versionChanges = [];
    }
  }
  return {
    id: Number(row.id),
    revision: String(row.revision),
    direction: String(row.direction) as HistoryDirection,
    checksum: row.checksum === null || row.checksum === undefined ? null : String(row.checksum),
    startedAt: toDate(row.started_at),
    durationMs: toNumberOrNull(row.duration_ms),
    appliedBy: row.applied_by === null || row.applied_by === undefined ? null : String(row.applied_by),
    toolVersion: row.tool_version === null || row.tool_version === undefined ? null : String(row.tool_version),
    success: Boolean(Number(row.success)) || row.success === true,
    error: row.error === null || row.error === undefined ? null : String(row.error),
    statementsTotal: toNumberOrNull(row.statements_total),
    statementsDone: toNumberOrNull(row.statements_done),
    versionChanges,
    note: row.note === null || row.note === undefined ? null : String(row.note),
  };
}

/** History rows, oldest first. Returns [] when the history table does not exist yet. */
export async function readHistoryLog(db: Database, dialect: Dialect, tables: StateTables, filter: HistoryFilter = {}): Promise<HistoryRow[]> {
  const exists = dialect.state.tableExists(tables, tables.history);
  if ((await db.main.query(exists.sql, exists.params)).rows.length === 0) return [];
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.revision !== undefined) {
    params.push(filter.revision);
    where.push(`revision = ${dialect.state.param(params.length)}`);
  }
  if (filter.failedOnly) where.push("NOT success");
  const limit = filter.limit === undefined ? "" : ` LIMIT ${Math.max(0, Math.floor(filter.limit))}`;
  const { rows } = await db.main.query(
    `SELECT id, ${COLUMNS} FROM ${historyTableRef(dialect, tables)}${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY id DESC${limit}`,
    params,
  );
  return rows.map(toHistoryRow).reverse();
}

/**
 * The checksum each revision's file had when it last ran (or was accepted by `repair`), by
 * revision; a revision whose last such step was a downgrade has none. Worked out by the database,
 * so that the check every upgrade makes does not read a history that grows with each deploy.
 */
export async function readRecordedChecksums(db: Database, dialect: Dialect, tables: StateTables): Promise<Map<string, string>> {
  const exists = dialect.state.tableExists(tables, tables.history);
  if ((await db.main.query(exists.sql, exists.params)).rows.length === 0) return new Map();
  const { rows } = await db.main.query<{ revision: unknown; checksum: unknown }>(
    "SELECT revision, checksum FROM (" +
      "SELECT revision, direction, checksum, ROW_NUMBER() OVER (PARTITION BY revision ORDER BY id DESC) AS n " +
      `FROM ${historyTableRef(dialect, tables)} WHERE success AND checksum IS NOT NULL AND direction IN ('up', 'down', 'repair')` +
      ") latest WHERE n = 1 AND direction <> 'down'",
  );
  const recorded = new Map<string, string>();
  for (const row of rows) recorded.set(String(row.revision), String(row.checksum));
  return recorded;
}

/**
 * Steps that failed after committing part of their work (statements_done > 0), with no later
 * successful row for the same revision (a repair or a completed run). Until someone decides
 * what to do with each, the next run must not start. Returns [] when the table does not exist.
 */
export async function findIncompleteSteps(db: Database, dialect: Dialect, tables: StateTables): Promise<HistoryRow[]> {
  const exists = dialect.state.tableExists(tables, tables.history);
  if ((await db.main.query(exists.sql, exists.params)).rows.length === 0) return [];
  const table = historyTableRef(dialect, tables);
  const { rows } = await db.main.query(
    `SELECT h.id, ${COLUMNS.split(", ").map((c) => `h.${c}`).join(", ")} FROM ${table} h ` +
      `WHERE NOT h.success AND h.statements_done > 0 AND h.direction IN ('up', 'down') ` +
      `AND NOT EXISTS (SELECT 1 FROM ${table} l WHERE l.revision = h.revision AND l.id > h.id AND l.success) ORDER BY h.id`,
  );
  return rows.map(toHistoryRow);
}

/** One sentence per incomplete step, for the error that blocks a run. */
export function describeIncomplete(row: HistoryRow): string {
  const verb = row.direction === "up" ? "upgrade" : "downgrade";
  const total = row.statementsTotal === null ? "" : ` of ${row.statementsTotal}`;
  // No error text means the run was killed before it could record one.
  const reason = row.error ?? "the run was interrupted";
  return `revision ${row.revision} (${verb}) failed after statement ${row.statementsDone}${total}: ${reason}`;
}

/**
 * Resolves a recorded problem with a revision:
 * - mark-applied: the user finished a partial step by hand; its version-table change is applied now;
 * - rollback-record: the user undid a partial step by hand; the record is closed, the version table untouched;
 * - accept-checksum: the revision file was edited after it ran, on purpose; its new checksum is recorded.
 */
export async function repairStep(
  db: Database,
  dialect: Dialect,
  tables: StateTables,
  revision: string,
  action: RepairAction,
  options: { checksum?: string; toolVersion?: string } = {},
): Promise<void> {
  const toolVersion = options.toolVersion ?? "unknown";
  const started = new Date();
  if (action === "accept-checksum") {
    if (!options.checksum) throw new UsageError(`Accepting the checksum of revision ${revision} needs the file's current checksum.`);
    const insert = historyInsert(dialect, tables, {
      revision, direction: "repair", checksum: options.checksum, startedAt: started, durationMs: 0, success: true, error: null,
      statementsTotal: null, statementsDone: null, versionChanges: [], note: "accept-checksum", toolVersion,
    });
    await db.main.query(insert.sql, insert.params);
    return;
  }
  const incomplete = (await findIncompleteSteps(db, dialect, tables)).filter((r) => r.revision === revision);
  const row = incomplete[incomplete.length - 1];
  if (!row) throw new UsageError(`Revision ${revision} has no failed or partial step to repair.`);
  const changes = action === "mark-applied" ? row.versionChanges : [];
  await db.main.query("BEGIN");
  try {
    for (const statement of versionChangeStatements(dialect, tables, changes)) {
      const result = await db.main.query(statement.sql, statement.params);
      checkVersionRowCount(statement, result.rowCount, tables);
    }
    const insert = historyInsert(dialect, tables, {
      revision, direction: "repair", checksum: row.checksum, startedAt: started, durationMs: 0, success: true, error: null,
      statementsTotal: row.statementsTotal, statementsDone: row.statementsDone, versionChanges: changes,
      note: `${action} of the ${row.direction === "up" ? "upgrade" : "downgrade"} recorded as #${row.id}`, toolVersion,
    });
    await db.main.query(insert.sql, insert.params);
    await db.main.query("COMMIT");
  } catch (error) {
    await db.main.query("ROLLBACK").catch(() => {});
    throw error;
  }
}
