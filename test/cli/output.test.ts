/** How the CLI prints: progress on a terminal only, -q, --json anywhere on the line, -x as data. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDialect } from "../../src/dialects/index.js";
import { lockKey } from "../../src/runner/lock.js";
import { createPostgresDatabase, type ScratchDatabase, tempDir } from "../helpers/databases.js";
import { json, stratum, stratumOnTTY } from "./run.js";

const NOTES = `import { revision } from "stratum";
export default revision({
  id: "c00000000001",
  parents: [],
  message: "notes",
  async upgrade(op, context) {
    await op.execute("CREATE TABLE notes (body text)");
    await op.execute("INSERT INTO notes VALUES ($1)", [context.args.note ?? "none"]);
  },
  async downgrade(op) { await op.execute("DROP TABLE notes"); },
});
`;

describe("CLI output", () => {
  let dir: { path: string; remove(): void };
  let scratch: ScratchDatabase;

  beforeAll(async () => {
    dir = tempDir("stratum-cli-output-");
    scratch = await createPostgresDatabase("stratum_cli_output");
    mkdirSync(join(dir.path, "versions"));
    writeFileSync(join(dir.path, "versions", "c00000000001_notes.ts"), NOTES);
    writeFileSync(join(dir.path, "stratum.config.ts"), `export default { url: ${JSON.stringify(scratch.url)}, versionPaths: ["versions"] };\n`);
  });
  afterAll(async () => {
    dir.remove();
    await scratch.drop();
  });

  it("shows n of m and timings on a terminal, and hands -x values to revisions as data", async () => {
    const note = "it's; DROP TABLE notes; --";
    const run = await stratumOnTTY(dir.path, "-x", `note=${note}`, "upgrade", "head");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\[1\/1\] Running upgrade <base> -> c00000000001, notes\n {2}done in \d+ ms\n/);
    const client = new pg.Client({ connectionString: scratch.url });
    await client.connect();
    try {
      expect((await client.query("SELECT body FROM notes")).rows).toEqual([{ body: note }]);
    } finally {
      await client.end();
    }
  });

  it("prints nothing but errors with -q", async () => {
    const quiet = await stratum(dir.path, "-q", "--yes", "downgrade", "base");
    expect(quiet).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  it("accepts --json after the command and prints only JSON", async () => {
    const run = await stratum(dir.path, "upgrade", "head", "--json");
    expect(run.code).toBe(0);
    expect(json(run)).toMatchObject({ mode: "online", kind: "upgrade", headsAfter: ["c00000000001"] });
    const offline = json<{ mode: string; sql: string }>(await stratum(dir.path, "--json", "downgrade", "--sql", "head:base"));
    expect(offline.mode).toBe("offline");
    expect(offline.sql).toContain("DROP TABLE notes");
  });

  it("waits for the lock no longer than --lock-wait, naming who holds it", async () => {
    // Another deployer holds the migration lock, taken exactly as a runner takes it.
    const holder = new pg.Client({ connectionString: scratch.url });
    await holder.connect();
    const session = {
      query: async (text: string, params?: readonly unknown[]) => {
        const result = await holder.query(text, params as unknown[]);
        return { rows: result.rows, rowCount: result.rowCount ?? 0 };
      },
      close: () => holder.end(),
    };
    const key = { key: lockKey({ version: "stratum_version", history: "stratum_history" }) };
    await getDialect("postgresql").lock.acquire(session, key);
    try {
      const start = Date.now();
      const run = await stratum(dir.path, "--lock-wait", "1", "--yes", "downgrade", "base");
      expect(run.code, run.stderr).toBe(3);
      expect(run.stderr).toMatch(/migration lock/);
      expect(run.stderr).toContain(`pid ${(holder as unknown as { processID: number }).processID}`);
      // Bounded by --lock-wait, not by the holder (generous for a loaded machine).
      expect(Date.now() - start).toBeLessThan(30_000);
      expect(json<{ heads: string[] }>(await stratum(dir.path, "--json", "current")).heads).toEqual(["c00000000001"]);
    } finally {
      await holder.end();
    }
  });
});
