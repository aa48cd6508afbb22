import type { Database } from "../drivers/types.js";
import type { Dialect } from "../dialects/types.js";
import { DatabaseError } from "../errors.js";
import type { VersionChange } from "../graph/types.js";
import type { BoundStatement } from "./batch.js";
import type { StateTables } from "./types.js";

export function versionTableRef(dialect: Dialect, tables: StateTables): string {
  return dialect.state.tableRef(tables, tables.version);
}

export function historyTableRef(dialect: Dialect, tables: StateTables): string {
  return dialect.state.tableRef(tables, tables.history);
}

async function exists(db: Database, dialect: Dialect, tables: StateTables, table: string): Promise<boolean> {
  const check = dialect.state.tableExists(tables, table);
  return (await db.main.query(check.sql, check.params)).rows.length > 0;
}

/**
 * Creates the version and history tables if they are missing (and the schema holding them).
 * It looks first: CREATE ... IF NOT EXISTS still needs the CREATE privilege, which a deploy
 * user of an already set-up database may not have.
 */
export async function ensureStateTables(db: Database, dialect: Dialect, tables: StateTables): Promise<void> {
  const statements: string[] = [];
  if (!(await exists(db, dialect, tables, tables.version))) statements.push(...dialect.state.createVersionTable(tables));
  if (!(await exists(db, dialect, tables, tables.history))) statements.push(...dialect.state.createHistoryTable(tables));
  for (const sql of new Set(statements)) await db.main.query(sql);
}

/** The current heads, sorted; [] when the version table does not exist. Never creates it. */
export async function readVersionHeads(db: Database, dialect: Dialect, tables: StateTables): Promise<string[]> {
  if (!(await exists(db, dialect, tables, tables.version))) return [];
  const heads = await db.main.query<{ version_num: string }>(`SELECT version_num FROM ${versionTableRef(dialect, tables)}`);
  return heads.rows.map((r) => String(r.version_num)).sort();
}

/** A version-table statement and whether it must touch exactly one row. */
export interface VersionStatement extends BoundStatement {
  expectOne: boolean;
  change: VersionChange;
}

export function versionChangeStatements(dialect: Dialect, tables: StateTables, changes: readonly VersionChange[]): VersionStatement[] {
  const table = versionTableRef(dialect, tables);
  const p = dialect.state.param;
  return changes.map((change) => {
    switch (change.kind) {
      case "insert":
        return { sql: `INSERT INTO ${table} (version_num) VALUES (${p(1)})`, params: [change.id], expectOne: false, change };
      case "delete":
        return { sql: `DELETE FROM ${table} WHERE version_num = ${p(1)}`, params: [change.id], expectOne: true, change };
      case "update":
        return { sql: `UPDATE ${table} SET version_num = ${p(1)} WHERE version_num = ${p(2)}`, params: [change.to, change.from], expectOne: true, change };
    }
  });
}

/** Fails loudly when an UPDATE or DELETE of the version table did not touch exactly one row. */
export function checkVersionRowCount(statement: VersionStatement, rowCount: number, tables: StateTables): void {
  if (!statement.expectOne || rowCount === 1) return;
  throw versionMismatch(statement.change, rowCount, tables);
}

/** Marks the error of a version-table change the server checked (see StateSql.failUnlessOneRow). */
const GUARD_LABEL = "stratum: version rows changed:";
/** The label, the statement's index and the row count, as the guard's error message holds them. */
const GUARD_FAILURE = /stratum: version rows changed:(\d+) (\d+)/;

/**
 * The version-table changes as statements the server checks itself, or undefined when the
 * dialect cannot: then the client checks the row counts.
 */
export function guardedVersionChangeStatements(dialect: Dialect, tables: StateTables, changes: readonly VersionChange[]): VersionStatement[] | undefined {
  const guard = dialect.state.failUnlessOneRow;
  if (!guard) return undefined;
  return versionChangeStatements(dialect, tables, changes).map((statement, index) =>
    statement.expectOne ? { ...statement, sql: guard(statement.sql, `${GUARD_LABEL}${index}`) } : statement,
  );
}

/**
 * The mismatch error when `error` is a guarded statement's failure; undefined for any other
 * error. The message names the statement and the row count, after the label.
 */
export function guardFailure(error: unknown, statements: readonly VersionStatement[], tables: StateTables): DatabaseError | undefined {
  const message = error instanceof Error ? error.message : "";
  const match = GUARD_FAILURE.exec(message);
  const statement = match ? statements[Number(match[1])] : undefined;
  return match && statement ? versionMismatch(statement.change, Number(match[2]), tables) : undefined;
}

function versionMismatch(change: VersionChange, rowCount: number, tables: StateTables): DatabaseError {
  const expected = change.kind === "update" ? change.from : change.kind === "delete" ? change.id : "";
  return new DatabaseError(
    `The version table ${tables.version} was expected to hold one row "${expected}" for this step, but ${rowCount} rows matched; ` +
      "another process changed it, or it was edited by hand.",
    { code: "VERSION_MISMATCH", hint: "Run `stratum current` to see what the database holds, then `stratum stamp` to correct it." },
  );
}
