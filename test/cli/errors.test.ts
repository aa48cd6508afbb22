/**
 * Bad input through the whole CLI: each case exits 2 (usage/input) or 3 (database) with one
 * line on stderr and no stack trace, and never prints a password.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresDatabase, type ScratchDatabase, tempDir } from "../helpers/databases.js";
import { writeTree } from "../helpers/files.js";
import { expectOneLineError, json, stratum } from "./run.js";

const ROOT = `import { revision } from "stratum";
export default revision({
  id: "aaaaaaaaaaa1",
  parents: [],
  message: "root",
  async upgrade(op) { await op.execute("CREATE TABLE t1 (id int)"); },
  async downgrade(op) { await op.execute("DROP TABLE t1"); },
});
`;

describe("CLI bad input", () => {
  let dir: { path: string; remove(): void };
  let empty: { path: string; remove(): void };
  let pg: ScratchDatabase;

  beforeAll(async () => {
    dir = tempDir("stratum-cli-errors-");
    empty = tempDir("stratum-cli-empty-");
    pg = await createPostgresDatabase("stratum_cli_errors");
    mkdirSync(join(dir.path, "versions"));
    writeFileSync(join(dir.path, "versions", "aaaaaaaaaaa1_root.ts"), ROOT);
    writeFileSync(
      join(dir.path, "stratum.config.ts"),
      `import { defineConfig } from "stratum";\nexport default defineConfig({ url: ${JSON.stringify(pg.url)}, versionPaths: ["versions"], envs: { staging: { url: ${JSON.stringify(pg.url)} } } });\n`,
    );
  });

  afterAll(async () => {
    dir.remove();
    empty.remove();
    await pg.drop();
  });

  it("says where it looked when there is no config", async () => {
    const run = await stratum(empty.path, "heads");
    expect(run.code).toBe(2);
    expect(expectOneLineError(run)).toContain(`in ${empty.path}`);
    expect(run.stderr).toContain("stratum.config.ts");
  });

  it("rejects an unknown target before running anything", async () => {
    const run = await stratum(dir.path, "upgrade", "nosuch");
    expect(run.code).toBe(2);
    expect(expectOneLineError(run)).toContain("nosuch");
    const current = json<{ heads: string[] }>(await stratum(dir.path, "--json", "current"));
    expect(current.heads).toEqual([]);
  });

  it("rejects an unknown revision in show", async () => {
    const run = await stratum(dir.path, "show", "zzz");
    expect(run.code).toBe(2);
    expect(expectOneLineError(run)).toContain("zzz");
  });

  it("reports an unreachable database with exit 3 and without the password", async () => {
    const run = await stratum(dir.path, "--url", "postgres://alice:s3cret-pw@127.0.0.1:1/nowhere", "current");
    expect(run.code).toBe(3);
    expect(expectOneLineError(run)).toContain("127.0.0.1:1");
    expect(run.stderr + run.stdout).not.toContain("s3cret-pw");
  });

  it("keeps the password out of --json errors too", async () => {
    const run = await stratum(dir.path, "--json", "--url", "postgres://alice:s3cret-pw@127.0.0.1:1/nowhere", "status");
    expect(run.code).toBe(3);
    const parsed = json<{ error: { message: string; exitCode: number } }>(run);
    expect(parsed.error.exitCode).toBe(3);
    expect(run.stderr + run.stdout).not.toContain("s3cret-pw");
  });

  it("names the environments the config defines when -e names another", async () => {
    const run = await stratum(dir.path, "-e", "prod", "current");
    expect(run.code).toBe(2);
    const line = expectOneLineError(run);
    expect(line).toContain('"prod"');
    expect(line).toContain("staging");
  });

  it("rejects a URL scheme it does not know", async () => {
    const run = await stratum(dir.path, "--url", "oracle://db/x", "current");
    expect(run.code).toBe(2);
    expect(expectOneLineError(run)).toContain("oracle");
  });

  it("exits 2 on commander usage errors", async () => {
    expect((await stratum(dir.path, "bogus")).code).toBe(2);
    expect((await stratum(dir.path, "upgrade")).code).toBe(2);
    expect((await stratum(dir.path, "current", "--no-such-flag")).code).toBe(2);
    expect((await stratum(dir.path, "merge", "heads")).code).toBe(2); // -m is required
  });

  it("rejects malformed global flags", async () => {
    const x = await stratum(dir.path, "-x", "novalue", "heads");
    expect(x.code).toBe(2);
    expect(expectOneLineError(x)).toContain("key=value");
    const wait = await stratum(dir.path, "--lock-wait", "soon", "heads");
    expect(wait.code).toBe(2);
    expect(expectOneLineError(wait)).toContain("--lock-wait");
  });

  it("refuses ranges online and a downgrade script without FROM", async () => {
    const range = await stratum(dir.path, "upgrade", "base:head");
    expect(range.code).toBe(2);
    expect(expectOneLineError(range)).toContain("--sql");
    const down = await stratum(dir.path, "downgrade", "--sql", "base");
    expect(down.code).toBe(2);
    expect(expectOneLineError(down)).toContain("FROM:TO");
  });

  it("needs --yes for stamp --purge", async () => {
    const run = await stratum(dir.path, "stamp", "--purge", "head");
    expect(run.code).toBe(2);
    expect(expectOneLineError(run)).toContain("--yes");
  });

  it("rejects a bad --rev-id and a missing --version-path", async () => {
    const id = await stratum(dir.path, "revision", "-m", "x", "--rev-id", "bad-id");
    expect(id.code).toBe(2);
    expect(expectOneLineError(id)).toContain("bad-id");
    const path = await stratum(dir.path, "revision", "-m", "x", "--version-path", "elsewhere");
    expect(path.code).toBe(2);
    expect(expectOneLineError(path)).toContain("elsewhere");
  });

  it("reports a revision file that does not parse, with its file and line", async () => {
    const broken = tempDir("stratum-cli-broken-");
    try {
      writeTree(broken.path, {
        "versions/bad.sql": "-- not a header\nSELECT 1;\n",
        "stratum.config.ts": `export default { url: "pglite:memory", versionPaths: ["versions"] };\n`,
      });
      const run = await stratum(broken.path, "heads");
      expect(run.code).toBe(2);
      expect(expectOneLineError(run)).toMatch(/bad\.sql:1/);
    } finally {
      broken.remove();
    }
  });

  it("prints --version and help", async () => {
    const version = await stratum(dir.path, "--version");
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const help = await stratum(dir.path, "help", "upgrade");
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--sql");
  });
});
