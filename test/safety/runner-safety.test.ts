/**
 * The runner's safety features end to end through the CLI on the real PostgreSQL, with a
 * password in the URL: timeouts on every step, lock-timeout retries, checksums with verify,
 * --allow-changed and repair, confirmation of destructive steps, the backup hook, --dry-run,
 * and no password anywhere in output, errors or history rows.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import mysql from "mysql2/promise";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMysqlDatabase, createPostgresDatabase, type ScratchDatabase } from "../helpers/databases.js";
import { expectOneLineError, stratum } from "../cli/run.js";
import { testProject, tsRevision, type TestProject } from "./project.js";

const PASSWORD = "s3cretPW_x9";
const withPassword = (url: string) => url.replace("postgres://postgres@", `postgres://postgres:${PASSWORD}@`);

const R1 = tsRevision("a00000000001", undefined, `    await op.execute("CREATE TABLE items (id int PRIMARY KEY, note text)");
    await op.execute("CREATE TABLE seen (lock_timeout text, statement_timeout text)");
    await op.execute("INSERT INTO seen SELECT current_setting('lock_timeout'), current_setting('statement_timeout')");`, `    await op.execute("DROP TABLE seen");
    await op.execute("DROP TABLE items");`);
const R2 = tsRevision(
  "a00000000002",
  "a00000000001",
  `    await op.execute("INSERT INTO seen SELECT current_setting('lock_timeout'), current_setting('statement_timeout')");
    await op.execute("INSERT INTO items VALUES (1, $1)", [context.args.note ?? "none"]);`,
  `    await op.execute("DELETE FROM items WHERE id = 1");`,
  "\n  lockTimeoutMs: 500,",
).replace("async upgrade(op)", "async upgrade(op, context)");
const R3 = tsRevision("a00000000003", "a00000000002", `    await op.createTable("extra", [{ name: "id", type: "int", primaryKey: true }]);`, `    await op.dropTable("extra");`);
const R4 = tsRevision("a00000000004", "a00000000003", `    await op.execute("CREATE TABLE four (id int)");`, `    await op.execute("DROP TABLE four");`);
const R5 = tsRevision("a00000000005", "a00000000004", `    await op.execute("ALTER TABLE items ADD COLUMN c int");`, `    await op.execute("ALTER TABLE items DROP COLUMN c");`, "\n  lockTimeoutMs: 100,");

function config(url: string, backup: string): Record<string, unknown> {
  return { url, statementTimeoutMs: 60_000, lockRetries: 2, hooks: { backup }, lint: { onUpgrade: "off" } };
}

describe("runner safety on PostgreSQL", () => {
  let scratch: ScratchDatabase;
  let url: string;
  let project: TestProject;
  let client: pg.Client;
  const outputs: string[] = [];
  const run = async (...args: string[]) => {
    const result = await stratum(project.path, ...args);
    outputs.push(result.stdout, result.stderr);
    return result;
  };
  const versions = async () => (await client.query("SELECT version_num FROM stratum_version ORDER BY 1")).rows.map((r) => r.version_num);
  const tableExists = async (name: string) => (await client.query("SELECT to_regclass($1) AS t", [name])).rows[0].t !== null;
  const writeConfig = (backup: string) =>
    writeFileSync(join(project.path, "stratum.config.ts"), `export default ${JSON.stringify({ ...config(url, backup), versionPaths: ["versions"] })};\n`);

  beforeAll(async () => {
    scratch = await createPostgresDatabase("stratum_safety");
    url = withPassword(scratch.url);
    project = testProject(url);
    writeConfig("echo {url} > backup-{timestamp}.txt");
    for (const [file, text] of [["a00000000001_items.ts", R1], ["a00000000002_note.ts", R2], ["a00000000003_extra.ts", R3]] as const) project.write(file, text);
    client = new pg.Client({ connectionString: scratch.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    project?.remove();
    await scratch?.drop();
  });

  it("sets lock_timeout (2 s default, per revision override) and statement_timeout on every step; -x values are data", async () => {
    const injection = "'); DROP TABLE items; --";
    const result = await run("-x", `note=${injection}`, "upgrade", "head");
    expect(result.code, result.stderr).toBe(0);
    const seen = await client.query("SELECT lock_timeout, statement_timeout FROM seen");
    expect(seen.rows).toEqual([
      { lock_timeout: "2s", statement_timeout: "1min" },
      { lock_timeout: "500ms", statement_timeout: "1min" },
    ]);
    expect((await client.query("SELECT note FROM items WHERE id = 1")).rows[0].note).toBe(injection);
  });

  it("runs the backup hook before the run with the full URL, and never prints it", async () => {
    const backups = readdirSync(project.path).filter((f) => f.startsWith("backup-"));
    expect(backups).toHaveLength(1);
    expect(readFileSync(join(project.path, backups[0]!), "utf8").trim()).toBe(url);
  });

  it("asks before a downgrade that drops a table: refused off a terminal without --yes", async () => {
    const refused = await run("downgrade", "-1");
    expect(refused.code).toBe(2);
    expect(expectOneLineError(refused)).toContain("drops table extra");
    expect(await tableExists("extra")).toBe(true);
    expect(await versions()).toEqual(["a00000000003"]);
    const confirmed = await run("--yes", "downgrade", "-1");
    expect(confirmed.code, confirmed.stderr).toBe(0);
    expect(await tableExists("extra")).toBe(false);
    const purge = await run("stamp", "--purge", "a00000000001");
    expect(purge.code).toBe(2);
    expect(await versions()).toEqual(["a00000000002"]);
    expect((await run("upgrade", "head")).code).toBe(0);
  });

  it("reports edited and missing applied revisions; upgrade refuses until --allow-changed or repair", async () => {
    const file = join(project.path, "versions", "a00000000001_items.ts");
    writeFileSync(file, R1.replace('"CREATE TABLE items', '"CREATE TABLE  items'));
    const verify = await run("verify");
    expect(verify.code).toBe(1);
    expect(verify.stdout).toMatch(/changed: a00000000001/);
    project.write("a00000000004_four.ts", R4);
    const refused = await run("upgrade", "head");
    expect(refused.code).toBe(2);
    expect(expectOneLineError(refused)).toMatch(/a00000000001 changed since it was applied/);
    expect(await tableExists("four")).toBe(false);
    const allowed = await run("--allow-changed", "upgrade", "head");
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(await versions()).toEqual(["a00000000004"]);
    expect((await run("repair", "a00000000001")).code).toBe(0);
    expect((await run("verify")).code).toBe(0);
    // An applied head whose file is gone.
    rmSync(join(project.path, "versions", "a00000000004_four.ts"));
    const missing = await run("verify");
    expect(missing.code).not.toBe(0);
    expect(missing.stdout + missing.stderr).toContain("a00000000004");
    project.write("a00000000004_four.ts", R4);
    expect((await run("verify")).code).toBe(0);
  });

  it("retries a step that hits the lock timeout, saying so each time, then fails cleanly", async () => {
    project.write("a00000000005_column.ts", R5);
    const holder = new pg.Client({ connectionString: scratch.url });
    await holder.connect();
    try {
      await holder.query("BEGIN");
      await holder.query("SELECT * FROM items");
      const failed = await run("upgrade", "head");
      expect(failed.code).toBe(3);
      const warnings = failed.stderr.split("\n").filter((line) => line.startsWith("warning: "));
      expect(warnings).toHaveLength(2);
      expect(warnings[0]).toMatch(/a00000000005 timed out waiting for a lock .*retry 1 in 250 ms/);
      expect(warnings[1]).toMatch(/retry 2 in 500 ms/);
      expect(expectOneLineError(failed)).toMatch(/a00000000005.*failed after 2 retries/);
      expect(await versions()).toEqual(["a00000000004"]);
    } finally {
      await holder.end();
    }
    const rerun = await run("upgrade", "head");
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(await versions()).toEqual(["a00000000005"]);
  });

  it("aborts the run when the backup hook fails", async () => {
    writeConfig("echo {url} >&2; exit 7");
    project.write("a00000000006_six.ts", tsRevision("a00000000006", "a00000000005", `    await op.execute("CREATE TABLE six (id int)");`));
    const failed = await run("upgrade", "head");
    expect(failed.code).not.toBe(0);
    expect(expectOneLineError(failed)).toMatch(/backup hook failed with exit code 7; nothing was run/);
    expect(await tableExists("six")).toBe(false);
    expect(await versions()).toEqual(["a00000000005"]);
    writeConfig("true");
  });

  it("keeps the password out of output, --json, errors and history rows", async () => {
    outputs.push(...Object.values(await run("--json", "history")).map(String));
    outputs.push(...Object.values(await run("--json", "current")).map(String));
    outputs.push(...Object.values(await run("--json", "log")).map(String));
    const down = await stratum(project.path, "--url", `postgres://postgres:${PASSWORD}@127.0.0.1:1/nowhere`, "current");
    expect(down.code).toBe(3);
    outputs.push(down.stdout, down.stderr);
    const badStatement = tsRevision("a00000000006", "a00000000005", `    await op.execute("SELECT * FROM no_such_table");`);
    project.write("a00000000006_six.ts", badStatement);
    const failed = await run("upgrade", "head");
    expect(failed.code).toBe(3);
    expect(failed.stderr).toContain("no_such_table");
    for (const text of outputs) expect(text).not.toContain(PASSWORD);
    const rows = await client.query("SELECT row_to_json(h)::text AS row FROM stratum_history h");
    expect(rows.rows.length).toBeGreaterThan(5);
    for (const row of rows.rows) expect(row.row).not.toContain(PASSWORD);
  });
});

describe("--dry-run on PostgreSQL", () => {
  let scratch: ScratchDatabase;
  let project: TestProject;

  beforeAll(async () => {
    scratch = await createPostgresDatabase("stratum_dry_run");
    project = testProject(scratch.url, { lint: { onUpgrade: "off" } });
    project.write("a00000000001_items.ts", tsRevision("a00000000001", undefined, `    await op.execute("CREATE TABLE items (id int PRIMARY KEY)");
    await op.execute("SELECT pg_sleep(1.5)");`));
  });
  afterAll(async () => {
    project?.remove();
    await scratch?.drop();
  });

  it("takes the lock, shows the plan and the SQL, and commits nothing", async () => {
    const dry = await stratum(project.path, "--dry-run", "upgrade", "head");
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain("Running upgrade <base> -> a00000000001");
    expect(dry.stdout).toContain("Dry run: 1 step(s) planned, nothing committed.");
    expect(dry.stdout).toContain("CREATE TABLE items (id int PRIMARY KEY)");
    const client = new pg.Client({ connectionString: scratch.url });
    await client.connect();
    try {
      const tables = await client.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
      expect(tables.rows.filter((r) => !String(r.table_name).startsWith("stratum_"))).toEqual([]);
      const versionTable = await client.query("SELECT to_regclass('stratum_version') AS t");
      if (versionTable.rows[0].t !== null) expect((await client.query("SELECT * FROM stratum_version")).rows).toEqual([]);
      // While a real run holds the migration lock, a dry run waits for it like any run.
      const real = stratum(project.path, "upgrade", "head");
      for (let i = 0; i < 200; i++) {
        const sleeping = await client.query("SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid() AND query LIKE '%pg_sleep(1.5)%'");
        if (sleeping.rows.length > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const t0 = performance.now();
      const waited = await stratum(project.path, "--dry-run", "upgrade", "head");
      // It waited for the real run's lock, then planned from what that run committed.
      expect(performance.now() - t0).toBeGreaterThan(500);
      expect(waited.code, waited.stderr).toBe(0);
      expect(waited.stdout).toContain("Dry run: 0 step(s) planned");
      expect((await real).code).toBe(0);
    } finally {
      await client.end();
    }
  });
});

describe("timeouts on MariaDB", () => {
  it("sets lock_wait_timeout for every step (2 s by default, the revision's own when it has one)", async () => {
    const scratch = await createMysqlDatabase("stratum_safety");
    const project = testProject(scratch.url, { lint: { onUpgrade: "off" } });
    try {
      project.write("a00000000001_one.ts", tsRevision("a00000000001", undefined, `    await op.execute("CREATE TABLE seen AS SELECT @@SESSION.lock_wait_timeout AS v");`));
      project.write("a00000000002_two.ts", tsRevision("a00000000002", "a00000000001", `    await op.execute("INSERT INTO seen SELECT @@SESSION.lock_wait_timeout");`, "", "\n  lockTimeoutMs: 5000,"));
      const result = await stratum(project.path, "upgrade", "head");
      expect(result.code, result.stderr).toBe(0);
      const conn = await mysql.createConnection(scratch.url);
      try {
        const [rows] = await conn.query("SELECT v FROM seen");
        expect((rows as Array<{ v: number }>).map((row) => Number(row.v))).toEqual([2, 5]);
      } finally {
        await conn.end();
      }
    } finally {
      project.remove();
      await scratch.drop();
    }
  });

  it("stops a statement at the revision's statement timeout, and the next step runs without it", async () => {
    const scratch = await createMysqlDatabase("stratum_safety");
    const project = testProject(scratch.url, { lint: { onUpgrade: "off" } });
    try {
      project.write("a00000000001_one.ts", tsRevision("a00000000001", undefined, `    await op.execute("CREATE TABLE seen (v DECIMAL(12, 6))");`));
      project.write(
        "a00000000002_slow.ts",
        tsRevision("a00000000002", "a00000000001", `    await op.execute("INSERT INTO seen SELECT @@SESSION.max_statement_time");
    await op.execute("SELECT SLEEP(3)");`, "", "\n  statementTimeoutMs: 300,"),
      );
      const failed = await stratum(project.path, "upgrade", "head");
      expect(failed.code).toBe(3);
      expect(failed.stderr).toMatch(/a00000000002.*max_statement_time exceeded/s);

      // With the slow statement gone, the step runs; the one after it has no limit of its own.
      project.write("a00000000002_slow.ts", tsRevision("a00000000002", "a00000000001", `    await op.execute("INSERT INTO seen SELECT @@SESSION.max_statement_time");`, "", "\n  statementTimeoutMs: 300,"));
      project.write("a00000000003_three.ts", tsRevision("a00000000003", "a00000000002", `    await op.execute("INSERT INTO seen SELECT @@SESSION.max_statement_time");`));
      const repaired = await stratum(project.path, "repair", "a00000000002", "--rollback-record");
      expect(repaired.code, repaired.stderr).toBe(0);
      const result = await stratum(project.path, "upgrade", "head");
      expect(result.code, result.stderr).toBe(0);
      const conn = await mysql.createConnection(scratch.url);
      try {
        const [rows] = await conn.query("SELECT v FROM seen");
        // The failed attempt's row stayed (each statement commits on MariaDB), then the two runs.
        expect((rows as Array<{ v: string }>).map((row) => Number(row.v))).toEqual([0.3, 0.3, 0]);
      } finally {
        await conn.end();
      }
    } finally {
      project.remove();
      await scratch.drop();
    }
  });
});
