import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDialect } from "../../src/dialects/index.js";
import { UsageError } from "../../src/errors.js";
import { readHistoryLog, readVersionHeads, renderOfflineScript } from "../../src/runner/index.js";
import { inlineParams } from "../../src/runner/batch.js";
import { historyInsert } from "../../src/runner/history.js";
import { versionChangeStatements } from "../../src/runner/state-tables.js";
import { tempDir } from "../helpers/databases.js";
import { chain, downSteps, upSteps } from "./fixtures.js";
import { openTarget, type TestTarget } from "./targets.js";

const postgres = getDialect("postgresql");
const tables = { version: "stratum_version", history: "stratum_history" };

function sampleChain() {
  return chain([
    { up: ["CREATE TABLE items (id integer PRIMARY KEY, name text)"], down: ["DROP TABLE items"] },
    {
      up: async (op, context) => {
        await op.execute("INSERT INTO items (id, name) VALUES ($1, $2)", [1, `it's ${context.args.who ?? "nobody"}`]);
        await op.autocommit((inner) => inner.execute("CREATE INDEX CONCURRENTLY items_name ON items (name)"));
      },
      down: async (op) => {
        await op.autocommit((inner) => inner.execute("DROP INDEX CONCURRENTLY items_name"));
        await op.execute("DELETE FROM items");
      },
    },
  ]);
}

describe("offline scripts", () => {
  let target: TestTarget;
  const dir = tempDir();
  beforeAll(async () => {
    target = await openTarget("postgres");
  });
  afterAll(async () => {
    await target?.close();
    dir.remove();
  });

  function psql(script: string): void {
    const file = join(dir.path, "script.sql");
    writeFileSync(file, script);
    execFileSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", target.url, "-f", file], { stdio: "pipe" });
  }

  it("renders an upgrade from base that psql runs, with the state tables, transactions and version rows", async () => {
    const { ids, revisions } = sampleChain();
    const script = await renderOfflineScript({
      dialect: postgres, tables, steps: upSteps(ids, undefined, "r2"), revisions, args: { who: "ann" }, transactionMode: "per-revision", includeStateTables: true,
    });
    const lines = script.split("\n");
    expect(lines[0]).toMatch(/^CREATE TABLE IF NOT EXISTS "stratum_version" \(version_num varchar\(32\) NOT NULL, CONSTRAINT "stratum_version_pkc" PRIMARY KEY \(version_num\)\);$/);
    expect(script).toContain("-- Running upgrade <base> -> r1\nBEGIN;\nCREATE TABLE items (id integer PRIMARY KEY, name text);\nINSERT INTO \"stratum_version\" (version_num) VALUES ('r1');");
    expect(script).toContain("-- Running upgrade r1 -> r2\nBEGIN;\nINSERT INTO items (id, name) VALUES (1, 'it''s ann');\nCOMMIT;\nCREATE INDEX CONCURRENTLY items_name ON items (name);\nBEGIN;\nUPDATE \"stratum_version\" SET version_num = 'r2' WHERE version_num = 'r1';");
    psql(script);
    expect(await readVersionHeads(target.db, postgres, tables)).toEqual(["r2"]);
    const { rows } = await target.db.main.query("SELECT name FROM items");
    expect(rows).toEqual([{ name: "it's ann" }]);
    const history = await readHistoryLog(target.db, postgres, tables);
    expect(history.map((h) => [h.revision, h.direction, h.success, h.note])).toEqual([
      ["r1", "up", true, "offline script"],
      ["r2", "up", true, "offline script"],
    ]);

    const down = await renderOfflineScript({ dialect: postgres, tables, steps: downSteps(ids, "r2", undefined), revisions, args: {}, transactionMode: "per-revision" });
    expect(down).toContain("-- Running downgrade r2 -> r1");
    expect(down).toContain("-- Running downgrade r1 -> <base>");
    expect(down).not.toContain("CREATE TABLE IF NOT EXISTS");
    psql(down);
    expect(await readVersionHeads(target.db, postgres, tables)).toEqual([]);
  });

  it("writes the version and history rows exactly as inlineParams inlines them, in a schema and with quotes", async () => {
    const quoted = { ...tables, schema: "it's" };
    const { ids, revisions } = chain([{ up: ["SELECT 1"] }, { up: ["SELECT 2"] }, { up: ["SELECT 3"] }]);
    const steps = upSteps(ids, undefined, "r3");
    const script = await renderOfflineScript({ dialect: postgres, tables: quoted, steps, revisions, args: {}, transactionMode: "per-revision", toolVersion: "stratum 'x' $1" });
    const historyLines = script.split("\n").filter((line) => line.startsWith("INSERT INTO \"it's\".\"stratum_history\""));
    expect(historyLines).toHaveLength(3);
    steps.forEach((step, i) => {
      const startedAt = new Date(/'(\d{4}-\d\d-\d\dT[\d:.]+Z)'/.exec(historyLines[i]!)![1]!);
      const expected = historyInsert(postgres, quoted, {
        revision: step.revision, direction: "up", checksum: revisions.get(step.revision)!.checksum, startedAt, durationMs: null,
        success: true, error: null, statementsTotal: 1, statementsDone: 1, versionChanges: step.versionChanges, note: "offline script", toolVersion: "stratum 'x' $1",
      });
      expect(historyLines[i]).toBe(`${inlineParams(postgres, expected)};`);
      for (const statement of versionChangeStatements(postgres, quoted, step.versionChanges)) expect(script).toContain(`\n${inlineParams(postgres, statement)};\n`);
    });
  });

  it("wraps a single-transaction script in one BEGIN/COMMIT", async () => {
    const { ids, revisions } = chain([{ up: ["CREATE TABLE a (id integer)"] }, { up: ["CREATE TABLE b (id integer)"] }]);
    const script = await renderOfflineScript({ dialect: postgres, tables, steps: upSteps(ids, undefined, "r2"), revisions, args: {}, transactionMode: "single" });
    expect(script.match(/^BEGIN;$/gm)).toHaveLength(1);
    expect(script.match(/^COMMIT;$/gm)).toHaveLength(1);
    expect(script.trim().endsWith("COMMIT;")).toBe(true);
  });

  it("refuses a statement that cannot run in a transaction in a single-transaction script", async () => {
    const { ids, revisions } = sampleChain();
    await expect(
      renderOfflineScript({ dialect: postgres, tables, steps: upSteps(ids, undefined, "r2"), revisions, args: {}, transactionMode: "single" }),
    ).rejects.toThrow(/Revision r2 has a statement that cannot run inside a transaction/);
  });

  it("refuses a revision that reads the database with op.query", async () => {
    const { ids, revisions } = chain([{ up: async (op) => { await op.query("SELECT count(*) FROM items"); } }]);
    const error = await renderOfflineScript({ dialect: postgres, tables, steps: upSteps(ids, undefined, "r1"), revisions, args: {}, transactionMode: "per-revision" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/^Revision r1 \(upgrade\) cannot be rendered for --sql: op\.query cannot run in offline/);
  });

  it("writes no BEGIN/COMMIT for MySQL, whose DDL commits on its own", async () => {
    const { ids, revisions } = chain([{ up: ["CREATE TABLE a (id integer)"] }]);
    const script = await renderOfflineScript({ dialect: getDialect("mysql"), tables, steps: upSteps(ids, undefined, "r1"), revisions, args: {}, transactionMode: "per-revision", includeStateTables: true });
    expect(script).not.toMatch(/^BEGIN;$/m);
    expect(script).toContain("INSERT INTO `stratum_version` (version_num) VALUES ('r1');");
  });
});
