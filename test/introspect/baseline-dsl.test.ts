import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseline, check, drift, SchemaDifferences } from "../../src/api/schema.js";
import { current } from "../../src/api/current.js";
import { InputError, UsageError } from "../../src/errors.js";
import { createPostgresDatabase, type ScratchDatabase } from "../helpers/databases.js";
import { SEEDS_DIR, createProject, revisionFiles, type TestProject } from "./project.js";
import { runSql } from "./connections.js";

const DSL_FIXTURE = fileURLToPath(new URL("./fixtures/dsl/corrdata.ts.txt", import.meta.url));

function seed(name: string): string {
  return readFileSync(join(SEEDS_DIR, name), "utf8");
}

describe("baseline of an existing PostgreSQL database", () => {
  let database: ScratchDatabase;
  let project: TestProject;
  beforeAll(async () => {
    database = await createPostgresDatabase();
    project = createProject(database.url);
    for (const file of ["01_forecastin.sql", "02_corrdata.sql", "03_mnfst.sql", "04_agi_tracker.sql"]) await runSql(database.url, seed(file));
  });
  afterAll(async () => {
    await database?.drop();
    project?.remove();
  });

  it("writes a first revision that recreates the schema, and stamps the database at it", async () => {
    const result = await baseline({ cwd: project.dir, stamp: true, message: "baseline current schema" });
    expect(result.stamped).toBe(true);
    expect(revisionFiles(project)).toHaveLength(1);
    const source = readFileSync(result.path, "utf8");
    expect(source).toMatch(/message: "baseline current schema"/);
    expect(source).toMatch(/await op\.createTable\(\s+"entities"/);
    expect(source).toMatch(/await op\.dropTable\(\s*"entities"/);
    expect((await current({ cwd: project.dir })).heads).toEqual([result.id]);
  });

  it("replays the baseline on a scratch database with no drift: the revision recreates the schema exactly", async () => {
    await expect(drift({ cwd: project.dir })).resolves.toEqual({ clean: true, heads: [expect.any(String)] });
  });

  it("matches the same schema declared as SQL files", async () => {
    await expect(check({ cwd: project.dir })).resolves.toMatchObject({ clean: true });
    await expect(check({ cwd: project.dir, shadow: "pglite", includeName: (type) => type !== "view" })).resolves.toMatchObject({ clean: true });
  });

  it("refuses a second baseline", async () => {
    await expect(baseline({ cwd: project.dir })).rejects.toThrow(UsageError);
    await expect(baseline({ cwd: project.dir })).rejects.toThrow(/already has 1 revision/);
  });
});

describe("a schema declared in the DSL against the database its SQL creates", () => {
  let database: ScratchDatabase;
  let project: TestProject;
  beforeAll(async () => {
    database = await createPostgresDatabase();
    project = createProject(database.url, false);
    copyFileSync(DSL_FIXTURE, join(project.dir, "schema.ts"));
    await runSql(database.url, seed("02_corrdata.sql") + seed("04_agi_tracker.sql"));
  });
  afterAll(async () => {
    await database?.drop();
    project?.remove();
  });

  it("finds no difference", async () => {
    await expect(check({ cwd: project.dir, schema: "schema.ts" })).resolves.toMatchObject({ clean: true, source: "schema.ts" });
  });

  it("reports a difference as operations and readable lines", async () => {
    await runSql(database.url, "ALTER TABLE assets DROP COLUMN installed_on; DROP INDEX events_metadata_idx");
    const error = await check({ cwd: project.dir, schema: "schema.ts" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaDifferences);
    expect((error as SchemaDifferences).lines).toEqual(["+ column assets.installed_on date", "+ index events_metadata_idx on events"]);
    expect((error as SchemaDifferences).operations.map((o) => o.kind)).toEqual(["addColumn", "createIndex"]);
    expect((error as SchemaDifferences).message).toMatch(/differs from the declared schema \(schema\.ts\)/);
  });

  it("names the module when it does not export a schema", async () => {
    writeFileSync(join(project.dir, "broken.ts"), "export const nothing = 1;\n");
    await expect(check({ cwd: project.dir, schema: "broken.ts" })).rejects.toThrow(InputError);
    await expect(check({ cwd: project.dir, schema: "broken.ts" })).rejects.toThrow(/broken\.ts: .*no default export/);
  });

  it("names the file and line of an SQL schema file that fails", async () => {
    writeFileSync(join(project.dir, "bad.sql"), "CREATE TABLE ok (id int);\n\nCREATE TABLE broken (\n  id int,\n  x nosuchtype\n);\n");
    await expect(check({ cwd: project.dir, schema: "bad.sql" })).rejects.toThrow(/bad\.sql:5: the schema file failed: type "nosuchtype" does not exist/);
  });

  it("says when no declared schema can be found", async () => {
    await expect(check({ cwd: project.dir })).rejects.toThrow(/no declared schema/i);
    await expect(check({ cwd: project.dir, schema: "nothing/*.sql" })).rejects.toThrow(/No SQL schema files match "nothing\/\*\.sql"/);
  });
});
