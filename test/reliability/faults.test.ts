/**
 * A 30-revision upgrade killed with SIGKILL at a random moment, many times: after each kill the
 * version table and the schema agree exactly, and a rerun reaches head. On MariaDB, where DDL
 * commits statement by statement, the half-applied revision is reported and blocks every run
 * until `repair`. STRATUM_RELIABILITY_KILLS raises the count.
 */
import mysql from "mysql2/promise";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { current, repair, upgrade, verify } from "../../src/api/index.js";
import { createMysqlDatabase, createPostgresDatabase, waitForQuiet, type ScratchDatabase } from "../helpers/databases.js";
import { testProject, tsRevision, type TestProject } from "../safety/project.js";
import { assertBuilt, countFromEnv, startCli } from "./helpers.js";

const KILLS = countFromEnv("STRATUM_RELIABILITY_KILLS", 50);
const REVISIONS = 30;
const id = (i: number) => `f${String(i).padStart(11, "0")}`;
const random = (n: number) => Math.floor(Math.random() * n);

/** What the schema says: how many revisions' tables exist, each complete (table, index, column). */
async function appliedBySchema(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ relname: string; indexes: number; columns: number }>(`
    SELECT c.relname,
           (SELECT count(*)::int FROM pg_index i WHERE i.indrelid = c.oid AND NOT i.indisprimary) AS indexes,
           (SELECT count(*)::int FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname LIKE 't%'`);
  const names = rows.map((row) => row.relname).sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
  expect(names).toEqual(Array.from({ length: names.length }, (_, i) => `t${i + 1}`));
  for (const row of rows) expect(row, `${row.relname} is half-built`).toMatchObject({ indexes: 1, columns: 2 });
  return names.length;
}

describe(`SIGKILL during a ${REVISIONS}-revision upgrade on PostgreSQL, ${KILLS} times`, () => {
  let project: TestProject;
  let scratch: ScratchDatabase;

  beforeAll(async () => {
    assertBuilt();
    scratch = await createPostgresDatabase("stratum_faults");
    project = testProject(scratch.url, { lint: { onUpgrade: "off" } });
    for (let i = 1; i <= REVISIONS; i++) {
      project.write(
        `${id(i)}_r${i}.ts`,
        tsRevision(id(i), i === 1 ? undefined : id(i - 1), `    await op.execute("CREATE TABLE t${i} (id int PRIMARY KEY)");
    await op.execute("CREATE INDEX t${i}_idx ON t${i} (id)");
    await op.execute("INSERT INTO t${i} SELECT generate_series(1, 2000)");
    await op.execute("ALTER TABLE t${i} ADD COLUMN c text");`),
      );
    }
  });
  afterAll(async () => {
    project?.remove();
    await scratch?.drop();
  });

  it("leaves the recorded revision and the schema in agreement after every kill, and a rerun reaches head", { timeout: 600_000 }, async () => {
    const client = new pg.Client({ connectionString: scratch.url });
    await client.connect();
    const killedAt: number[] = [];
    try {
      for (let kill = 1; kill <= KILLS; kill++) {
        await client.query("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        const after = 1 + random(REVISIONS);
        const extraMs = random(8);
        let killing = false;
        const { done } = startCli(project.path, ["upgrade", "head"], (stdout, child) => {
          if (killing || (stdout.match(/Running upgrade/g) ?? []).length < after) return;
          killing = true;
          setTimeout(() => child.kill("SIGKILL"), extraMs);
        });
        const result = await done;
        expect(result.signal === "SIGKILL" || result.code === 0, result.stderr).toBe(true);
        await waitForQuiet((sql) => client.query(sql));

        const recorded = (await current({ cwd: project.path })).heads;
        const bySchema = await appliedBySchema(client);
        killedAt.push(bySchema);
        expect(recorded, `kill ${kill}`).toEqual(bySchema === 0 ? [] : [id(bySchema)]);

        await upgrade({ cwd: project.path, target: "head" });
        expect(await appliedBySchema(client)).toBe(REVISIONS);
        expect((await client.query("SELECT version_num FROM stratum_version")).rows).toEqual([{ version_num: id(REVISIONS) }]);
      }
    } finally {
      await client.end();
    }
    // The kills must land all along the run, not only before it starts or after it ends.
    const distinct = new Set(killedAt.filter((n) => n > 0 && n < REVISIONS));
    expect(distinct.size).toBeGreaterThanOrEqual(Math.min(5, Math.floor(KILLS / 4)));
    console.log(`faults: ${KILLS} kills; revisions applied when killed: ${[...killedAt].sort((a, b) => a - b).join(" ")}`);
  });
});

describe("SIGKILL halfway through a revision on MariaDB", () => {
  let project: TestProject;
  let scratch: ScratchDatabase;

  beforeAll(async () => {
    assertBuilt();
    scratch = await createMysqlDatabase("stratum_faults");
    project = testProject(scratch.url, { lint: { onUpgrade: "off" } });
    project.write("m00000000001_one.ts", tsRevision("m00000000001", undefined, `    await op.execute("CREATE TABLE one (id int PRIMARY KEY)");`));
    project.write(
      "m00000000002_two.ts",
      tsRevision("m00000000002", "m00000000001", `    await op.execute("CREATE TABLE two_a (id int PRIMARY KEY)");
    await op.execute("DO SLEEP(1)");
    await op.execute("CREATE TABLE two_b (id int PRIMARY KEY)");`),
    );
  });
  afterAll(async () => {
    project?.remove();
    await scratch?.drop();
  });

  it("reports the partially applied revision and blocks runs until repair", async () => {
    let killing = false;
    const { done } = startCli(project.path, ["upgrade", "head"], (stdout, child) => {
      if (killing || !stdout.includes("-> m00000000002")) return;
      killing = true;
      setTimeout(() => child.kill("SIGKILL"), 400);
    });
    expect((await done).signal).toBe("SIGKILL");
    const conn = await mysql.createConnection(scratch.url);
    try {
      const tables = async () => ((await conn.query("SHOW TABLES"))[0] as Array<Record<string, string>>).map((row) => Object.values(row)[0]).filter((t) => !t!.startsWith("stratum_")).sort();
      expect(await tables()).toEqual(["one", "two_a"]);

      const report = await verify({ cwd: project.path });
      const partial = report.problems.find((problem) => problem.revision === "m00000000002");
      expect(partial?.message).toMatch(/failed after statement 1 of 3/);

      const blocked = await upgrade({ cwd: project.path, target: "head" }).catch((error: unknown) => error);
      expect((blocked as Error).message).toMatch(/Cannot run: revision m00000000002 \(upgrade\) failed after statement 1 of 3/);
      expect(await tables()).toEqual(["one", "two_a"]);

      // The operator finishes the revision by hand, then records it.
      await conn.query("CREATE TABLE two_b (id int PRIMARY KEY)");
      await repair({ cwd: project.path, revision: "m00000000002", action: "mark-applied" });
      expect((await current({ cwd: project.path })).heads).toEqual(["m00000000002"]);
      expect((await verify({ cwd: project.path })).problems).toEqual([]);
      const again = await upgrade({ cwd: project.path, target: "head" });
      expect(again.mode === "online" && again.steps).toEqual([]);
    } finally {
      await conn.end();
    }
  });
});
