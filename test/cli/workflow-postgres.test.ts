/**
 * The whole CLI in-process on the real PostgreSQL (a database of its own): init, revision,
 * upgrade, current, history, downgrade, stamp, branches and merges, log, verify and repair,
 * --json shapes and --sql.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresDatabase, type ScratchDatabase, tempDir } from "../helpers/databases.js";
import { expectOneLineError, expectUpgradeOfBoth, json, stratum, writeTwoRevisions } from "./run.js";

interface RevisionJson {
  id: string;
  parents: string[];
  message: string;
  isHead: boolean;
  isCurrent?: boolean;
  branchLabels: string[];
}

describe("CLI workflow on PostgreSQL", () => {
  let dir: { path: string; remove(): void };
  let scratch: ScratchDatabase;
  const run = (...args: string[]) => stratum(dir.path, ...args);
  const fileOf = (id: string) => join(dir.path, "migrations", readdirSync(join(dir.path, "migrations")).find((f) => f.startsWith(id))!);

  beforeAll(async () => {
    dir = tempDir("stratum-cli-pg-");
    scratch = await createPostgresDatabase("stratum_cli_workflow");
  });
  afterAll(async () => {
    dir.remove();
    await scratch.drop();
  });

  it("init writes a config, a versions folder and templates", async () => {
    const result = await run("init");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("stratum.config.ts");
    expect(readdirSync(join(dir.path, "migrations")).sort()).toEqual(["script.sql.tmpl", "script.ts.tmpl"]);
    const config = join(dir.path, "stratum.config.ts");
    writeFileSync(config, readFileSync(config, "utf8").replace(/url: .*\n/, `url: ${JSON.stringify(scratch.url)},\n`));
    const again = await run("init");
    expect(again.code).toBe(2);
    expect(expectOneLineError(again)).toContain("already exists");
  });

  it("revision writes TypeScript and SQL revisions on top of the head", async () => {
    await writeTwoRevisions(dir.path);
  });

  it("upgrade head applies both, printing Alembic-style lines", async () => {
    await expectUpgradeOfBoth(dir.path);
    const again = await run("upgrade", "head");
    expect(again.stdout).toContain("Nothing to do");
  });

  it("current, status and history describe the database", async () => {
    const current = await run("current");
    expect(current.stdout.trim()).toBe("bbbbbbbbbbb2 (head) (current)");
    const currentJson = json<{ heads: string[]; atHead: boolean; pending: string[]; revisions: RevisionJson[] }>(await run("--json", "current"));
    expect(currentJson).toMatchObject({ heads: ["bbbbbbbbbbb2"], atHead: true, pending: [] });
    expect(currentJson.revisions[0]).toMatchObject({ id: "bbbbbbbbbbb2", message: "add email", isHead: true });

    const status = await run("status");
    expect(status.code).toBe(0);
    expect(status.stdout).toContain("Up to date at bbbbbbbbbbb2");

    const history = await run("history", "-i");
    expect(history.stdout.trim().split("\n")).toEqual([
      "aaaaaaaaaaa1 -> bbbbbbbbbbb2 (head) (current), add email",
      "<base> -> aaaaaaaaaaa1, create users",
    ]);
    const ranged = json<{ revisions: RevisionJson[] }>(await run("--json", "history", "-r", "base:aaaa"));
    expect(ranged.revisions.map((r) => r.id)).toEqual(["aaaaaaaaaaa1"]);
  });

  it("downgrade -1 reverts one step; status then exits 1 with the pending list", async () => {
    const refused = await run("downgrade", "-1");
    expect(refused.code).toBe(2);
    expect(expectOneLineError(refused)).toContain("drops column users.email");
    expect(refused.stderr).toContain("--yes");
    expect(json<{ heads: string[] }>(await run("--json", "current")).heads).toEqual(["bbbbbbbbbbb2"]);
    const down = await run("--yes", "downgrade", "-1");
    expect(down.code).toBe(0);
    expect(down.stdout).toContain("Running downgrade bbbbbbbbbbb2 -> aaaaaaaaaaa1, add email");
    const status = await run("status");
    expect(status.code).toBe(1);
    expect(status.stdout).toContain("bbbbbbbbbbb2  add email");
    const statusJson = json<{ upToDate: boolean; pending: { id: string }[]; current: string[] }>(await run("--json", "status"));
    expect(statusJson).toMatchObject({ upToDate: false, current: ["aaaaaaaaaaa1"], pending: [{ id: "bbbbbbbbbbb2" }] });
    const check = await run("current", "--check-heads");
    expect(check.code).toBe(1);
  });

  it("stamp writes the version table without running revisions", async () => {
    const stamped = json<{ kind: string; headsBefore: string[]; headsAfter: string[] }>(await run("--json", "stamp", "head"));
    expect(stamped).toMatchObject({ kind: "stamp", headsBefore: ["aaaaaaaaaaa1"], headsAfter: ["bbbbbbbbbbb2"] });
    // The email column was never added: downgrading now fails on DROP INDEX, and leaves the table as it was.
    const failed = await run("downgrade", "-1", "--yes");
    expect(failed.code).toBe(3);
    expect(expectOneLineError(failed)).toContain("bbbbbbbbbbb2");
    expect(json<{ heads: string[] }>(await run("--json", "current")).heads).toEqual(["bbbbbbbbbbb2"]);
    // Put it right: stamp back (emptying the table first) and upgrade for real.
    const purged = json<{ headsAfter: string[] }>(await run("--json", "--yes", "stamp", "--purge", "aaaaaaaaaaa1"));
    expect(purged.headsAfter).toEqual(["aaaaaaaaaaa1"]);
    expect((await run("upgrade", "head")).code).toBe(0);
  });

  it("log shows every step, including the failure", async () => {
    const log = json<{ entries: { revision: string; direction: string; success: boolean; error: string | null }[] }>(await run("--json", "log"));
    const summary = log.entries.map((e) => `${e.direction}:${e.revision}:${e.success}`);
    expect(summary).toContain("up:aaaaaaaaaaa1:true");
    expect(summary).toContain("stamp:bbbbbbbbbbb2:true");
    expect(summary).toContain("down:bbbbbbbbbbb2:false");
    expect(log.entries.find((e) => !e.success)?.error).toBeTruthy();
  });

  it("branches, heads, merge and show work from the headers", async () => {
    const branch = await run("revision", "-m", "audit", "--head", "aaaa", "--rev-id", "ccccccccccc3", "--branch-label", "audit");
    expect(branch.code).toBe(2);
    expect(expectOneLineError(branch)).toContain("--splice");
    expect((await run("revision", "-m", "audit", "--head", "aaaa", "--splice", "--rev-id", "ccccccccccc3", "--branch-label", "audit")).code).toBe(0);

    const heads = json<{ heads: RevisionJson[] }>(await run("--json", "heads"));
    expect(heads.heads.map((h) => h.id).sort()).toEqual(["bbbbbbbbbbb2", "ccccccccccc3"]);
    const multiple = await run("upgrade", "head");
    expect(multiple.code).toBe(2);
    expect(expectOneLineError(multiple)).toMatch(/head/);

    const branches = await run("branches");
    expect(branches.stdout).toContain("aaaaaaaaaaa1 (branchpoint)");
    expect(branches.stdout).toContain("-> ccccccccccc3 (head), audit");

    const merged = json<{ id: string; parents: string[] }>(await run("--json", "merge", "heads", "-m", "join", "--rev-id", "ddddddddddd4"));
    expect(merged).toMatchObject({ id: "ddddddddddd4", parents: ["bbbbbbbbbbb2", "ccccccccccc3"] });
    const show = await run("show", "dddd");
    expect(show.stdout).toContain("Rev: ddddddddddd4 (head) (mergepoint)");
    expect(show.stdout).toContain("Merges: bbbbbbbbbbb2, ccccccccccc3");
    expect((await run("show", "audit")).stdout).toContain("Branch names: audit");
    expect((await run("show", "current")).stdout).toContain("Rev: bbbbbbbbbbb2");

    const up = await run("upgrade", "head");
    expect(up.code).toBe(0);
    expect(up.stdout).toContain("Running upgrade aaaaaaaaaaa1 -> ccccccccccc3, audit");
    expect(json<{ heads: string[] }>(await run("--json", "current")).heads).toEqual(["ddddddddddd4"]);
  });

  it("verify finds an edited applied file; upgrade refuses until repair accepts it", async () => {
    expect((await run("verify")).code).toBe(0);
    const file = fileOf("aaaaaaaaaaa1");
    writeFileSync(file, `${readFileSync(file, "utf8")}\n// edited after it ran\n`);
    const verify = await run("--json", "verify");
    expect(verify.code).toBe(1);
    expect(json<{ problems: { kind: string; revision: string }[] }>(verify).problems).toEqual([
      expect.objectContaining({ kind: "changed", revision: "aaaaaaaaaaa1" }),
    ]);
    expect((await run("revision", "-m", "more", "--rev-id", "eeeeeeeeeee5")).code).toBe(0);
    const refused = await run("upgrade", "head");
    expect(refused.code).toBe(2);
    expect(expectOneLineError(refused)).toContain("aaaaaaaaaaa1");
    expect(refused.stderr).toContain("stratum repair aaaaaaaaaaa1");

    const repaired = await run("repair", "aaaa");
    expect(repaired.stdout).toContain("Repaired aaaaaaaaaaa1: accept-checksum.");
    expect((await run("verify")).code).toBe(0);
    expect((await run("upgrade", "head")).code).toBe(0);
  });

  it("--sql prints a script without connecting", async () => {
    const script = await run("--url", "postgres://nobody:pw@127.0.0.1:1/none", "upgrade", "--sql", "aaaaaaaaaaa1:bbbbbbbbbbb2");
    expect(script.code).toBe(0);
    expect(script.stdout).toContain("-- Running upgrade aaaaaaaaaaa1 -> bbbbbbbbbbb2");
    expect(script.stdout).toContain("ALTER TABLE users ADD COLUMN email text;");
    expect(script.stdout).not.toContain("CREATE TABLE users");
    const fromBase = await run("--url", "postgres://nobody:pw@127.0.0.1:1/none", "upgrade", "--sql", "aaaaaaaaaaa1");
    expect(fromBase.stdout).toContain("stratum_version");
    expect(fromBase.stdout).toContain("CREATE TABLE users");
    const down = await run("--url", "postgres://nobody:pw@127.0.0.1:1/none", "downgrade", "--sql", "bbbbbbbbbbb2:base");
    expect(down.stdout).toContain("DROP TABLE users");
  });

  it("two runners racing for the lock apply each revision exactly once", async () => {
    for (const [i, id] of ["fffffffff001", "fffffffff002", "fffffffff003"].entries()) {
      expect((await run("revision", "-m", `race ${i}`, "--rev-id", id)).code).toBe(0);
      const file = fileOf(id);
      writeFileSync(file, readFileSync(file, "utf8").replace('// await op.execute("...");', `await op.execute("CREATE TABLE race_${i} (id int); SELECT pg_sleep(0.2)");`).replace('// await op.execute("...");', `await op.execute("DROP TABLE race_${i}");`));
    }
    const [a, b] = await Promise.all([run("upgrade", "head"), run("upgrade", "head")]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const log = json<{ entries: { revision: string; direction: string; success: boolean }[] }>(await run("--json", "log"));
    for (const id of ["fffffffff001", "fffffffff002", "fffffffff003"]) {
      expect(log.entries.filter((e) => e.revision === id && e.direction === "up" && e.success)).toHaveLength(1);
    }
    // One of them did the work; the other found nothing to do.
    expect([a.stdout, b.stdout].filter((out) => out.includes("Running upgrade")).length).toBe(1);
  });

  it("a failing revision leaves the database as it was and records the failure", async () => {
    expect((await run("revision", "-m", "broken", "--rev-id", "fffffffff0ff")).code).toBe(0);
    const file = fileOf("fffffffff0ff");
    writeFileSync(file, readFileSync(file, "utf8").replace('// await op.execute("...");', 'await op.execute("CREATE TABLE half_done (id int)"); await op.execute("SELECT no_such_function()");'));
    const before = json<{ heads: string[] }>(await run("--json", "current")).heads;
    const failed = await run("upgrade", "head");
    expect(failed.code).toBe(3);
    const line = expectOneLineError(failed);
    expect(line).toContain("fffffffff0ff");
    expect(line).toContain("no_such_function");
    expect(json<{ heads: string[] }>(await run("--json", "current")).heads).toEqual(before);
    const pgClient = new pg.Client({ connectionString: scratch.url });
    await pgClient.connect();
    try {
      const { rows } = await pgClient.query("SELECT to_regclass('half_done') AS t");
      expect(rows[0].t).toBeNull();
    } finally {
      await pgClient.end();
    }
    const log = json<{ entries: { revision: string; success: boolean; error: string | null }[] }>(await run("--json", "log", "-n", "1"));
    expect(log.entries).toEqual([expect.objectContaining({ revision: "fffffffff0ff", success: false })]);
    // Take it out again so the rest of the suite has a clean graph.
    const { rmSync } = await import("node:fs");
    rmSync(file);
  });

  it("downgrade base reverts everything", async () => {
    const result = await run("--yes", "downgrade", "base");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Running downgrade aaaaaaaaaaa1 -> <base>, create users");
    expect(result.stdout).toContain("Running downgrade fffffffff003 -> fffffffff002, race 2");
    expect(json<{ heads: string[] }>(await run("--json", "current")).heads).toEqual([]);
  });
});
