/**
 * `op.batch(table, ...)` on SQLite: the ALTERs SQLite lacks are done by rebuilding the table.
 *
 * For each run of table changes: read the table from sqlite_master, build the new CREATE TABLE,
 * create `_stratum_tmp_<table>`, copy the rows, drop the old table, rename the new one into
 * place, and recreate its indexes and triggers. Renames and raw statements in the batch run as
 * they are, between rebuilds. Everything happens inside a savepoint, so it joins the step's
 * transaction when there is one and is undone as a whole when any part fails.
 *
 * Foreign keys. Dropping a table that other tables reference while `PRAGMA foreign_keys` is ON
 * deletes its rows first, firing ON DELETE actions in those tables, and `foreign_keys` cannot be
 * switched off inside a transaction. So when the connection is in autocommit mode, foreign keys
 * are switched off for the rebuild and restored afterwards; inside a transaction with foreign
 * keys ON, rebuilding a referenced table is refused with a clear error instead of losing rows.
 * `PRAGMA legacy_alter_table=ON` is set while the new table is renamed into place, so that the
 * rename neither rewrites other tables' REFERENCES nor fails on views that mention the table.
 * When the rebuild is done, `PRAGMA foreign_key_check` runs on the table and on the tables that
 * reference it, and any row it reports fails the batch.
 */
import type { Connection } from "../../drivers/types.js";
import { DatabaseError, StratumError } from "../../errors.js";
import type { BatchOp, Operation } from "../../ops/types.js";
import { tableName } from "../../ops/table-ref.js";
import { planRebuild, REBUILD_KINDS, type StoredObject } from "./batch-plan.js";
import { quoteIdent } from "./quote.js";
import { render } from "./render.js";
import { parseCreateTable, renderTableDefinition } from "./table-definition.js";

const SAVEPOINT = "stratum_batch";

type Step = { kind: "rebuild"; ops: Operation[] } | { kind: "statement"; op: Operation };

/** Runs a batch on a live SQLite connection. */
export async function runSqliteBatch(connection: Connection, op: BatchOp): Promise<void> {
  const table = tableName(op.table);
  if (!Array.isArray(op.ops)) throw new StratumError(`op.batch on "${table}" needs a list of operations`);
  await readTable(connection, table); // fails clearly before anything changes when the table is missing
  const steps = planSteps(table, op.ops);
  if (steps.length === 0) return;

  const restoreForeignKeys = await switchOffForeignKeys(connection, table);
  try {
    await connection.query(`SAVEPOINT ${SAVEPOINT}`);
    try {
      for (const step of steps) {
        if (step.kind === "rebuild") await rebuild(connection, table, step.ops);
        else for (const statement of render(step.op, { offline: false })) await connection.query(statement.sql, statement.params);
      }
      await checkForeignKeys(connection, table);
      await connection.query(`RELEASE ${SAVEPOINT}`);
    } catch (error) {
      await connection.query(`ROLLBACK TO ${SAVEPOINT}`);
      await connection.query(`RELEASE ${SAVEPOINT}`);
      throw error;
    }
  } finally {
    if (restoreForeignKeys) await connection.query("PRAGMA foreign_keys = ON");
  }
}

/** Splits a batch into table rebuilds and the statements between them (renames, raw SQL, inserts). */
export function planSteps(table: string, ops: Operation[]): Step[] {
  const steps: Step[] = [];
  const addRebuild = (op: Operation) => {
    const last = steps[steps.length - 1];
    if (last?.kind === "rebuild") last.ops.push(op);
    else steps.push({ kind: "rebuild", ops: [op] });
  };
  for (const op of ops) {
    if (op.kind === "alterColumn" && op.newName !== undefined) {
      const { newName, ...rest } = op;
      const changes = Object.keys(rest).filter((k) => !["kind", "table", "column", "previous", "comment", "algorithm", "lock"].includes(k));
      if (changes.length > 0) addRebuild(rest);
      // SQLite renames a column natively, fixing its indexes, triggers and views as it goes.
      steps.push({ kind: "statement", op: { kind: "alterColumn", table, column: op.column, newName } });
    } else if (REBUILD_KINDS.has(op.kind)) addRebuild({ ...op, table } as Operation);
    else if (op.kind === "execute" || op.kind === "bulkInsert") steps.push({ kind: "statement", op });
    else throw new StratumError(`op.batch on "${table}" cannot run ${op.kind}`);
  }
  return steps;
}

interface LiveTable {
  name: string;
  sql: string;
  indexes: StoredObject[];
  triggers: StoredObject[];
}

async function readTable(connection: Connection, table: string): Promise<LiveTable> {
  const { rows } = await connection.query<{ type: string; name: string; sql: string | null }>(
    "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = ? COLLATE NOCASE ORDER BY rowid",
    [table],
  );
  const tableRow = rows.find((r) => r.type === "table");
  if (!tableRow?.sql) throw new StratumError(`op.batch: table "${table}" does not exist`);
  const stored = (type: string) =>
    rows.filter((r) => r.type === type && r.sql !== null).map((r) => ({ name: r.name, sql: r.sql as string }));
  return { name: tableRow.name, sql: tableRow.sql, indexes: stored("index"), triggers: stored("trigger") };
}

async function rebuild(connection: Connection, table: string, ops: Operation[]): Promise<void> {
  const live = await readTable(connection, table);
  const plan = planRebuild(live.name, parseCreateTable(live.sql, live.name), live.indexes, ops);
  const temporary = `_stratum_tmp_${live.name}`;
  const columns = plan.copy.map((c) => quoteIdent(c.column)).join(", ");
  const legacy = await connection.query<{ legacy_alter_table: number }>("PRAGMA legacy_alter_table");
  await connection.query(renderTableDefinition(temporary, plan.definition));
  if (plan.copy.length > 0) {
    await connection.query(
      `INSERT INTO ${quoteIdent(temporary)} (${columns}) SELECT ${plan.copy.map((c) => c.from).join(", ")} FROM ${quoteIdent(live.name)}`,
    );
  }
  await connection.query(`DROP TABLE ${quoteIdent(live.name)}`);
  await connection.query("PRAGMA legacy_alter_table = ON");
  try {
    await connection.query(`ALTER TABLE ${quoteIdent(temporary)} RENAME TO ${quoteIdent(live.name)}`);
  } finally {
    if (!legacy.rows[0]?.legacy_alter_table) await connection.query("PRAGMA legacy_alter_table = OFF");
  }
  for (const index of plan.indexes) await recreate(connection, live.name, "index", index);
  for (const trigger of live.triggers) await recreate(connection, live.name, "trigger", trigger);
}

async function recreate(connection: Connection, table: string, what: string, object: StoredObject): Promise<void> {
  try {
    await connection.query(object.sql);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new StratumError(`op.batch on "${table}" cannot recreate ${what} "${object.name}" on the new table: ${reason}`, {
      hint: `drop or change the ${what} in the same batch`,
      cause: error,
    });
  }
}

/** Tables whose foreign keys point at `table` (itself included). */
async function referencingTables(connection: Connection, table: string): Promise<string[]> {
  const { rows } = await connection.query<{ name: string }>(
    `SELECT DISTINCT m.name AS name FROM sqlite_master AS m, pragma_foreign_key_list(m.name) AS f
     WHERE m.type = 'table' AND f."table" = ? COLLATE NOCASE`,
    [table],
  );
  return rows.map((r) => r.name);
}

/** Returns true when it switched foreign keys off and they must be switched on again. */
async function switchOffForeignKeys(connection: Connection, table: string): Promise<boolean> {
  const enabled = async () => Number((await connection.query<{ foreign_keys: number }>("PRAGMA foreign_keys")).rows[0]?.foreign_keys ?? 0) === 1;
  if (!(await enabled())) return false;
  await connection.query("PRAGMA foreign_keys = OFF");
  if (!(await enabled())) return true;
  // Still on: the connection is inside a transaction, where the pragma is a no-op.
  const referencing = await referencingTables(connection, table);
  if (referencing.length > 0) {
    throw new StratumError(
      `op.batch cannot rebuild "${table}" inside a transaction while PRAGMA foreign_keys is ON: dropping it would fire the foreign keys of ${referencing.map((t) => `"${t}"`).join(", ")}`,
      { hint: "run SQLite migrations with foreign keys off (the default); they are checked after each rebuild" },
    );
  }
  return false;
}

async function checkForeignKeys(connection: Connection, table: string): Promise<void> {
  const tables = new Set([table, ...(await referencingTables(connection, table))]);
  for (const name of tables) {
    const { rows } = await connection.query<{ table: string; rowid: number | null; parent: string }>(
      `PRAGMA foreign_key_check(${quoteIdent(name)})`,
    );
    const first = rows[0];
    if (first) {
      throw new DatabaseError(
        `op.batch on "${table}" broke ${rows.length} foreign key reference(s): row ${first.rowid ?? "?"} of "${first.table}" has no match in "${first.parent}"`,
      );
    }
  }
}
