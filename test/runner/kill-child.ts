/**
 * A deployer that gets killed: applies a chain of revisions on the URL in argv[2], printing
 * "started" once it holds the lock. Run by kill.test.ts with `node --import jiti/register`.
 */
import { openDatabase } from "../../src/drivers/index.js";
import { getDialect } from "../../src/dialects/index.js";
import { readVersionHeads, runSteps, withMigrationLock } from "../../src/runner/index.js";
import { chain, upSteps } from "./fixtures.js";

export const KILL_CHAIN_LENGTH = 30;

export function killChain() {
  return chain(
    Array.from({ length: KILL_CHAIN_LENGTH }, (_v, i) => ({
      up: [`CREATE TABLE k_${i + 1} (id integer, v text)`, "SELECT pg_sleep(0.01)", `CREATE INDEX k_${i + 1}_v ON k_${i + 1} (v)`],
    })),
  );
}

if (process.argv[2]) {
  const db = await openDatabase({ url: process.argv[2] });
  const dialect = getDialect(db.dialect);
  const tables = { version: "stratum_version", history: "stratum_history" };
  const { ids, revisions } = killChain();
  await withMigrationLock(db, dialect, tables, {}, async () => {
    process.stdout.write("started\n");
    const heads = await readVersionHeads(db, dialect, tables);
    const steps = upSteps(ids, heads[0], ids[ids.length - 1] as string);
    await runSteps({ db, dialect, tables, steps, revisions, args: {}, transactionMode: "per-revision", timeouts: {}, lockRetries: 0, toolVersion: "t" });
  });
  await db.close();
}
