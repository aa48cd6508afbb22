/**
 * Foreign keys during a run. Rebuilding a table (op.batch) drops the old one, and with
 * foreign keys on, SQLite deletes (or cascades into) every child row first; the pragma cannot
 * change inside a transaction. So a run turns them off, checks every step with
 * `PRAGMA foreign_key_check` before it commits, and turns them back on at the end.
 */
import type { Connection } from "../../drivers/types.js";
import { DatabaseError } from "../../errors.js";

async function foreignKeysOn(connection: Connection): Promise<boolean> {
  const { rows } = await connection.query<{ foreign_keys: number }>("PRAGMA foreign_keys");
  return Number(rows[0]?.foreign_keys ?? 0) === 1;
}

/** Turns foreign keys off for the run; returns what turns them back on (a no-op if they were off). */
export async function prepareRun(connection: Connection): Promise<() => Promise<void>> {
  if (!(await foreignKeysOn(connection))) return async () => {};
  await connection.query("PRAGMA foreign_keys = OFF");
  return async () => {
    await connection.query("PRAGMA foreign_keys = ON");
  };
}

/** Fails the step when it left rows whose foreign keys point nowhere. */
export async function verifyStep(connection: Connection): Promise<void> {
  const { rows } = await connection.query<{ table: string; parent: string; rowid: number | null }>("PRAGMA foreign_key_check");
  if (rows.length === 0) return;
  const first = rows[0]!;
  throw new DatabaseError(
    `${rows.length} row(s) violate foreign keys, e.g. a row of "${first.table}"${first.rowid === null ? "" : ` (rowid ${first.rowid})`} points to a missing row of "${first.parent}"`,
    { code: "FOREIGN_KEY_CHECK" },
  );
}
