/**
 * `squash` on the local PostgreSQL: a 4-revision range becomes one revision, verified on scratch
 * databases; fresh databases, databases at the range's end and databases past it all upgrade.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { current } from "../../src/api/current.js";
import { squash } from "../../src/api/squash.js";
import { upgrade } from "../../src/api/upgrade.js";
import { verify } from "../../src/api/verify.js";
import { StratumError } from "../../src/errors.js";
import { createPostgresDatabase, type ScratchDatabase } from "../helpers/databases.js";
import { kitProject, type KitProject } from "./project.js";

async function tables(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1");
    return rows.map((r) => r.name);
  } finally {
    await client.end();
  }
}

async function versionRows(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ version_num: string }>("SELECT version_num FROM stratum_version ORDER BY 1")).rows.map((r) => r.version_num);
  } finally {
    await client.end();
  }
}

function writeHistory(project: KitProject): void {
  project.revision({ id: "c00000000001", message: "users", up: ["CREATE TABLE users (id int PRIMARY KEY)"], down: ["DROP TABLE users"] });
  project.revision({ id: "c00000000002", parents: ["c00000000001"], message: "posts", up: ["CREATE TABLE posts (id int PRIMARY KEY, user_id int REFERENCES users (id))"], down: ["DROP TABLE posts"] });
  project.revision({ id: "c00000000003", parents: ["c00000000002"], message: "post title", up: ["ALTER TABLE posts ADD COLUMN title varchar(200) NOT NULL DEFAULT ''"], down: ["ALTER TABLE posts DROP COLUMN title"] });
  project.revision({ id: "c00000000004", parents: ["c00000000003"], message: "tags", up: ["CREATE TABLE tags (name text PRIMARY KEY)"], down: ["DROP TABLE tags"] });
  project.revision({ id: "c00000000005", parents: ["c00000000004"], message: "posts by user", up: ["CREATE INDEX posts_user_idx ON posts (user_id)"], down: ["DROP INDEX posts_user_idx"] });
  project.revision({ id: "c00000000006", parents: ["c00000000005"], message: "comments", up: ["CREATE TABLE comments (id int PRIMARY KEY, post_id int REFERENCES posts (id))"], down: ["DROP TABLE comments"] });
}

describe("squash", () => {
  let project: KitProject;
  const databases: ScratchDatabase[] = [];
  let atEnd: ScratchDatabase;
  let pastRange: ScratchDatabase;
  let inside: ScratchDatabase;

  beforeAll(async () => {
    project = kitProject();
    writeHistory(project);
    [atEnd, pastRange, inside] = await Promise.all([createPostgresDatabase("stratum_squash"), createPostgresDatabase("stratum_squash"), createPostgresDatabase("stratum_squash")]);
    databases.push(atEnd, pastRange, inside);
    await upgrade({ cwd: project.dir, url: atEnd.url, target: "c00000000005" });
    await upgrade({ cwd: project.dir, url: pastRange.url, target: "c00000000006" });
    await upgrade({ cwd: project.dir, url: inside.url, target: "c00000000003" });
  }, 60_000);

  afterAll(async () => {
    await Promise.all(databases.map((db) => db.drop()));
    project.remove();
  });

  it("refuses a range whose revisions do not lead from FROM to TO", async () => {
    await expect(squash({ cwd: project.dir, range: "c00000000004:c00000000002", message: "x" })).rejects.toThrow(/'c00000000004' is not below 'c00000000002'/);
    await expect(squash({ cwd: project.dir, range: "c00000000002", message: "x" })).rejects.toThrow(/needs a colon/);
    await expect(squash({ cwd: project.dir, range: "c00000000002:", message: "x" })).rejects.toThrow(/both ends of the range/);
    await expect(squash({ cwd: project.dir, range: "c00000000002:zzz", message: "x" })).rejects.toThrow(/zzz/);
    await expect(squash({ cwd: project.dir, range: "c00000000002:c00000000002", message: "x" })).rejects.toThrow(/holds one revision/);
    await expect(squash({ cwd: project.dir, range: "c00000000002:c00000000005", message: " " })).rejects.toThrow(/needs a message/);
  });

  it("replaces c2..c5 with one verified revision and archives the old files", async () => {
    const result = await squash({ cwd: project.dir, range: "c00000000002:c00000000005", message: "posts and tags", revId: "5a0000000001" });
    expect(result).toMatchObject({
      id: "5a0000000001",
      parents: ["c00000000001"],
      replaces: ["c00000000002", "c00000000003", "c00000000004", "c00000000005"],
      children: ["c00000000006"],
    });
    expect(result.operations).toBeGreaterThanOrEqual(3);
    const text = readFileSync(result.path, "utf8");
    expect(text).toContain('replaces: ["c00000000002","c00000000003","c00000000004","c00000000005"]');
    expect(text).toContain('parents: ["c00000000001"]');
    const left = readdirSync(project.versions).filter((f) => f.endsWith(".ts")).sort();
    expect(left.map((f) => f.slice(0, 12))).toEqual(["5a0000000001", "c00000000001", "c00000000006"]);
    expect(readdirSync(join(project.versions, "archive")).sort().map((f) => f.slice(0, 12))).toEqual(["c00000000002", "c00000000003", "c00000000004", "c00000000005"]);
    // No staging folder is left behind.
    expect(readdirSync(project.versions).filter((f) => f.startsWith("."))).toEqual([]);
    // The child still names the old id in its file, which therefore has the checksum databases recorded.
    expect(readFileSync(join(project.versions, left[2]!), "utf8")).toContain('parents: ["c00000000005"]');
  }, 60_000);

  it("a fresh database upgrades to head through the squashed revision", async () => {
    const fresh = await createPostgresDatabase("stratum_squash");
    databases.push(fresh);
    const result = await upgrade({ cwd: project.dir, url: fresh.url, target: "head" });
    expect(result.mode === "online" && result.steps.map((s) => s.revision)).toEqual(["c00000000001", "5a0000000001", "c00000000006"]);
    expect(await tables(fresh.url)).toEqual(["comments", "posts", "stratum_history", "stratum_version", "tags", "users"]);
    expect(await versionRows(fresh.url)).toEqual(["c00000000006"]);
  }, 60_000);

  it("a database at the range's last revision counts as at the squashed one and upgrades", async () => {
    const now = await current({ cwd: project.dir, url: atEnd.url });
    expect(now.heads).toEqual(["c00000000005"]);
    expect(now.revisions.map((r) => [r.id, r.missing ?? false])).toEqual([["5a0000000001", false]]);
    expect(now.pending).toEqual(["c00000000006"]);
    const checked = await verify({ cwd: project.dir, url: atEnd.url });
    expect(checked.problems).toEqual([]);
    const result = await upgrade({ cwd: project.dir, url: atEnd.url, target: "head" });
    expect(result.mode === "online" && result.steps.map((s) => s.revision)).toEqual(["c00000000006"]);
    expect(await versionRows(atEnd.url)).toEqual(["c00000000006"]);
    expect(await tables(atEnd.url)).toContain("comments");
  }, 60_000);

  it("a database past the range is up to date and can step back over the squashed revision", async () => {
    const result = await upgrade({ cwd: project.dir, url: pastRange.url, target: "head" });
    expect(result.mode === "online" && result.steps).toEqual([]);
    const { downgrade } = await import("../../src/api/downgrade.js");
    const down = await downgrade({ cwd: project.dir, url: pastRange.url, target: "c00000000001", yes: true });
    expect(down.mode === "online" && down.steps.map((s) => s.revision)).toEqual(["c00000000006", "5a0000000001"]);
    expect(await tables(pastRange.url)).toEqual(["stratum_history", "stratum_version", "users"]);
  }, 60_000);

  it("a database stopped inside the range gets an error naming the squash", async () => {
    const error = await upgrade({ cwd: project.dir, url: inside.url, target: "head" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StratumError);
    expect((error as Error).message).toMatch(/'c00000000003', which was squashed into '5a0000000001'/);
  });
});

describe("squash refusals", () => {
  let project: KitProject;
  beforeAll(() => {
    project = kitProject();
    project.revision({ id: "d00000000001", message: "root", up: ["CREATE TABLE a (id int)"], down: ["DROP TABLE a"] });
    project.revision({ id: "d00000000002", parents: ["d00000000001"], message: "left", up: ["CREATE TABLE b (id int)"], down: ["DROP TABLE b"] });
    project.revision({ id: "d00000000003", parents: ["d00000000001"], message: "right", up: ["CREATE TABLE c (id int)"], down: ["DROP TABLE c"] });
    project.revision({ id: "d00000000004", parents: ["d00000000002", "d00000000003"], message: "merge", up: [], down: [] });
    project.revision({ id: "d00000000005", parents: ["d00000000004"], message: "after", up: ["CREATE TABLE d (id int)"], down: ["DROP TABLE d"] });
  });
  afterAll(() => project.remove());

  it("refuses a range containing a merge, naming it", async () => {
    await expect(squash({ cwd: project.dir, range: "d00000000002:d00000000005", message: "x" })).rejects.toThrow(
      /revision d00000000004 is a merge of d00000000002, d00000000003/,
    );
  });

  it("refuses a range that changes data, naming the revision and the statement", async () => {
    project.revision({ id: "d00000000011", message: "seed root", up: ["CREATE TABLE g (id int)"], down: ["DROP TABLE g"] });
    project.revision({ id: "d00000000012", parents: ["d00000000011"], message: "seed", up: ["INSERT INTO g VALUES (1)"], down: ["DELETE FROM g"] });
    try {
      await expect(squash({ cwd: project.dir, range: "d00000000011:d00000000012", message: "x" })).rejects.toThrow(
        /a squash keeps only schema changes, and d00000000012 changes data \(INSERT INTO g VALUES \(1\)\)/,
      );
    } finally {
      const { rmSync } = await import("node:fs");
      for (const f of readdirSync(project.versions)) if (f.startsWith("d0000000001")) rmSync(join(project.versions, f));
    }
  });

  it("refuses a range containing a branch point, naming it and its children", async () => {
    project.revision({ id: "d00000000006", parents: ["d00000000005"], message: "next", up: ["CREATE TABLE e (id int)"], down: ["DROP TABLE e"] });
    project.revision({ id: "d00000000007", parents: ["d00000000005"], message: "fork", up: ["CREATE TABLE f (id int)"], down: ["DROP TABLE f"] });
    await expect(squash({ cwd: project.dir, range: "d00000000005:d00000000006", message: "x" })).rejects.toThrow(
      /revision d00000000005 is a branch point \(children d00000000006, d00000000007\)/,
    );
    // Nothing was written or moved.
    expect(existsSync(join(project.versions, "archive"))).toBe(false);
    expect(readdirSync(project.versions)).toHaveLength(7);
  });
});
