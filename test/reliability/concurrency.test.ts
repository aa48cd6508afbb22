/**
 * Eight processes run `stratum upgrade head` on the same database at once, over and over:
 * the migration lock lets one of them apply each revision exactly once, and every process
 * ends without an error at head. STRATUM_RELIABILITY_CONCURRENCY_RUNS raises the count.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresDatabase, type ScratchDatabase } from "../helpers/databases.js";
import { testProject, tsRevision, type TestProject } from "../safety/project.js";
import { assertBuilt, countFromEnv, runCliProcess } from "./helpers.js";

const RUNS = countFromEnv("STRATUM_RELIABILITY_CONCURRENCY_RUNS", 20);
const PROCESSES = countFromEnv("STRATUM_RELIABILITY_PROCESSES", 8);
const REVISIONS = 10;
const id = (i: number) => `c${String(i).padStart(11, "0")}`;

describe(`${PROCESSES} processes upgrading at once, ${RUNS} times`, () => {
  let project: TestProject;
  let scratch: ScratchDatabase;

  beforeAll(async () => {
    assertBuilt();
    scratch = await createPostgresDatabase("stratum_concurrency");
    project = testProject(scratch.url, { lint: { onUpgrade: "off" } });
    for (let i = 1; i <= REVISIONS; i++) {
      const create = i === 1 ? `    await op.execute("CREATE TABLE applied (revision text NOT NULL)");\n` : "";
      project.write(
        `${id(i)}_r${i}.ts`,
        tsRevision(id(i), i === 1 ? undefined : id(i - 1), `${create}    await op.execute("CREATE TABLE t${i} (id int PRIMARY KEY)");
    await op.execute("INSERT INTO applied VALUES ('${id(i)}')");`),
      );
    }
  });
  afterAll(async () => {
    project?.remove();
    await scratch?.drop();
  });

  it("applies every revision exactly once; no process fails; all end at head", { timeout: 600_000 }, async () => {
    const client = new pg.Client({ connectionString: scratch.url });
    await client.connect();
    try {
      for (let run = 1; run <= RUNS; run++) {
        await client.query("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        const results = await Promise.all(Array.from({ length: PROCESSES }, () => runCliProcess(project.path, "upgrade", "head")));
        for (const result of results) {
          expect(result.code, `run ${run}: ${result.stderr}`).toBe(0);
          expect(result.stderr).not.toMatch(/error/i);
        }
        const applied = await client.query("SELECT revision, count(*)::int AS n FROM applied GROUP BY revision ORDER BY revision");
        expect(applied.rows).toEqual(Array.from({ length: REVISIONS }, (_, i) => ({ revision: id(i + 1), n: 1 })));
        const history = await client.query("SELECT revision, count(*)::int AS n FROM stratum_history WHERE direction = 'up' GROUP BY revision");
        expect(history.rows.every((row) => row.n === 1), `run ${run}: a revision has two history rows`).toBe(true);
        expect(history.rows).toHaveLength(REVISIONS);
        expect((await client.query("SELECT version_num FROM stratum_version")).rows).toEqual([{ version_num: id(REVISIONS) }]);
        // Every process ended at head: the ones that waited for the lock found nothing to do.
        const didWork = results.filter((result) => result.stdout.includes("Running upgrade")).length;
        expect(didWork).toBeGreaterThanOrEqual(1);
        expect(results.filter((result) => result.stdout.includes("Nothing to do") || result.stdout.includes(`Now at ${id(REVISIONS)}`))).toHaveLength(PROCESSES);
      }
      expect((await runCliProcess(project.path, "current")).stdout).toContain(id(REVISIONS));
    } finally {
      await client.end();
    }
  });
});
