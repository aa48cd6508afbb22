import type { Database } from "../drivers/types.js";
import type { Dialect } from "../dialects/types.js";
import type { StampPlan } from "../graph/types.js";
import { historyInsert } from "./history.js";
import { checkVersionRowCount, ensureStateTables, versionChangeStatements, versionTableRef } from "./state-tables.js";
import type { StateTables } from "./types.js";

/**
 * Writes the version rows of a stamp without running any revision, with a history row per
 * resulting head ("base" when none). `purge` empties the version table first, whatever it held.
 */
export async function applyStamp(
  db: Database,
  dialect: Dialect,
  tables: StateTables,
  plan: StampPlan,
  info: { toolVersion: string; purge?: boolean },
): Promise<void> {
  await ensureStateTables(db, dialect, tables);
  const changes = info.purge ? plan.headsAfter.map((id) => ({ kind: "insert" as const, id })) : plan.versionChanges;
  const startedAt = new Date();
  await db.main.query("BEGIN");
  try {
    if (info.purge) await db.main.query(`DELETE FROM ${versionTableRef(dialect, tables)}`);
    for (const statement of versionChangeStatements(dialect, tables, changes)) {
      checkVersionRowCount(statement, (await db.main.query(statement.sql, statement.params)).rowCount, tables);
    }
    const heads = plan.headsAfter.length > 0 ? plan.headsAfter : ["base"];
    for (const [i, head] of heads.entries()) {
      const insert = historyInsert(dialect, tables, {
        revision: head, direction: "stamp", checksum: null, startedAt, durationMs: 0, success: true, error: null,
        statementsTotal: null, statementsDone: null, versionChanges: i === 0 ? changes : [],
        note: info.purge ? "stamp --purge" : null, toolVersion: info.toolVersion,
      });
      await db.main.query(insert.sql, insert.params);
    }
    await db.main.query("COMMIT");
  } catch (error) {
    await db.main.query("ROLLBACK").catch(() => {});
    throw error;
  }
}
