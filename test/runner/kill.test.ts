import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDialect } from "../../src/dialects/index.js";
import { openDatabase } from "../../src/drivers/index.js";
import type { Database } from "../../src/drivers/types.js";
import { findIncompleteSteps, readVersionHeads } from "../../src/runner/index.js";
import { createPostgresDatabase, waitForQuiet, type ScratchDatabase } from "../helpers/databases.js";
import { KILL_CHAIN_LENGTH } from "./kill-child.js";

const child = fileURLToPath(new URL("./kill-child.ts", import.meta.url));
const tables = { version: "stratum_version", history: "stratum_history" };
const dialect = getDialect("postgresql");

/** Starts a deployer and SIGKILLs it `afterMs` after it took the lock; resolves when it is gone. */
function runAndKill(url: string, afterMs: number | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ["--import", "jiti/register", child, url], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    proc.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    proc.stdout.on("data", (d: Buffer) => {
      if (afterMs !== undefined && d.toString().includes("started")) setTimeout(() => proc.kill("SIGKILL"), afterMs);
    });
    proc.on("exit", (code, signal) => (code === 0 || signal === "SIGKILL" ? resolve() : reject(new Error(`deployer failed: ${stderr}`))));
  });
}

async function existingTables(db: Database): Promise<number[]> {
  const { rows } = await db.main.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE tablename LIKE 'k\\_%'");
  return rows.map((r) => Number(r.name.slice(2))).sort((a, b) => a - b);
}

describe("a deployer killed at a random moment on PostgreSQL", () => {
  let scratch: ScratchDatabase;
  let db: Database;
  beforeAll(async () => {
    scratch = await createPostgresDatabase("stratum_kill");
    db = await openDatabase({ url: scratch.url });
  });
  afterAll(async () => {
    await db?.close();
    await scratch?.drop();
  });

  it("leaves the schema exactly at the recorded revision each time, and a rerun reaches head", async () => {
    for (let round = 0; round < 3; round++) {
      await runAndKill(scratch.url, Math.floor(Math.random() * 150));
      await waitForQuiet((sql) => db.main.query(sql));
      const heads = await readVersionHeads(db, dialect, tables);
      const at = heads.length === 0 ? 0 : Number(heads[0]!.slice(1));
      expect(await existingTables(db)).toEqual(Array.from({ length: at }, (_v, i) => i + 1));
      expect(await findIncompleteSteps(db, dialect, tables)).toEqual([]);
      if (at === KILL_CHAIN_LENGTH) break;
    }
    await runAndKill(scratch.url, undefined);
    expect(await readVersionHeads(db, dialect, tables)).toEqual([`r${KILL_CHAIN_LENGTH}`]);
    expect(await existingTables(db)).toHaveLength(KILL_CHAIN_LENGTH);
  });
});
