/**
 * The core CLI loop in-process on the embedded default (PGlite): init, revision, upgrade,
 * current, status, history, downgrade and stamp. The PostgreSQL suite covers the rest; each
 * command here reopens the PGlite folder, so this suite keeps to the essentials.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../helpers/databases.js";
import { expectOneLineError, expectUpgradeOfBoth, json, stratum, writeTwoRevisions } from "./run.js";

interface RevisionJson {
  id: string;
  parents: string[];
  message: string;
  isHead: boolean;
  isCurrent?: boolean;
  branchLabels: string[];
}

describe("CLI workflow on PGlite", () => {
  let dir: { path: string; remove(): void };
  const run = (...args: string[]) => stratum(dir.path, ...args);
  const fileOf = (id: string) => join(dir.path, "migrations", readdirSync(join(dir.path, "migrations")).find((f) => f.startsWith(id))!);

  // The config init writes prefers DATABASE_URL; this suite is about its PGlite default.
  const savedUrl = process.env.DATABASE_URL;
  beforeAll(() => {
    dir = tempDir("stratum-cli-pglite-");
    delete process.env.DATABASE_URL;
  });
  afterAll(() => {
    dir.remove();
    if (savedUrl !== undefined) process.env.DATABASE_URL = savedUrl;
  });

  it("init writes a config, a versions folder and templates", async () => {
    const result = await run("init");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("stratum.config.ts");
    expect(readdirSync(join(dir.path, "migrations")).sort()).toEqual(["script.sql.tmpl", "script.ts.tmpl"]);
    // init's own default database: PGlite under .stratum/ in the project folder.
    expect(readFileSync(join(dir.path, "stratum.config.ts"), "utf8")).toContain("pglite:./.stratum/db");
    const again = await run("init");
    expect(again.code).toBe(2);
    expect(expectOneLineError(again)).toContain("already exists");
  });

  it("revision writes TypeScript and SQL revisions on top of the head", async () => {
    await writeTwoRevisions(dir.path);
  });

  it("upgrade head applies both, printing Alembic-style lines", async () => {
    await expectUpgradeOfBoth(dir.path);
  });

  it("current and history describe the database", async () => {
    const current = await run("current");
    expect(current.stdout.trim()).toBe("bbbbbbbbbbb2 (head) (current)");

    const history = await run("history", "-i");
    expect(history.stdout.trim().split("\n")).toEqual([
      "aaaaaaaaaaa1 -> bbbbbbbbbbb2 (head) (current), add email",
      "<base> -> aaaaaaaaaaa1, create users",
    ]);
    const ranged = json<{ revisions: RevisionJson[] }>(await run("--json", "history", "-r", "base:aaaa"));
    expect(ranged.revisions.map((r) => r.id)).toEqual(["aaaaaaaaaaa1"]);
  });

  it("downgrade -1 reverts one step; status then exits 1 with the pending list", async () => {
    const down = await run("--yes", "downgrade", "-1");
    expect(down.code).toBe(0);
    expect(down.stdout).toContain("Running downgrade bbbbbbbbbbb2 -> aaaaaaaaaaa1, add email");
    const status = await run("--json", "status");
    expect(status.code).toBe(1);
    const statusJson = json<{ upToDate: boolean; pending: { id: string }[]; current: string[] }>(status);
    expect(statusJson).toMatchObject({ upToDate: false, current: ["aaaaaaaaaaa1"], pending: [{ id: "bbbbbbbbbbb2" }] });
  });

  it("stamp writes the version table without running revisions", async () => {
    const stamped = json<{ kind: string; headsBefore: string[]; headsAfter: string[] }>(await run("--json", "stamp", "head"));
    expect(stamped).toMatchObject({ kind: "stamp", headsBefore: ["aaaaaaaaaaa1"], headsAfter: ["bbbbbbbbbbb2"] });
    // Put it right: stamp back and upgrade for real.
    expect((await run("stamp", "aaaaaaaaaaa1")).code).toBe(0);
    expect((await run("upgrade", "head")).code).toBe(0);
  });

  it("downgrade base reverts everything", async () => {
    const result = await run("--yes", "downgrade", "base");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Running downgrade aaaaaaaaaaa1 -> <base>, create users");
    expect(existsSync(join(dir.path, ".stratum", "db"))).toBe(true);
    expect(json<{ heads: string[] }>(await run("--json", "current")).heads).toEqual([]);
  });
});
