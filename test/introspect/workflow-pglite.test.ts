import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SchemaDifferences, autogenerate, check, drift } from "../../src/api/schema.js";
import { preparePGliteDataDir } from "../../src/api/schema-scratch.js";
import { upgrade } from "../../src/api/upgrade.js";
import { openDatabase } from "../../src/drivers/index.js";
import { tempDir } from "../helpers/databases.js";
import { createProject, type TestProject } from "./project.js";

/** The zero-setup path: the target is an embedded PGlite, and so is the shadow for SQL files. */
describe("schema workflow on a PGlite target", () => {
  const dir = tempDir("stratum-pglite-");
  const url = `pglite:${dir.path}/db`;
  let project: TestProject;
  beforeAll(async () => {
    await preparePGliteDataDir(`${dir.path}/db`);
    project = createProject(url);
  });
  afterAll(() => {
    project?.remove();
    dir.remove();
  });

  it("autogenerates the seeds' schema from empty, applies it, and check is clean", async () => {
    const result = await autogenerate({ cwd: project.dir, message: "initial schema" });
    expect(result.written).toBe(true);
    const source = readFileSync(result.path!, "utf8");
    expect(source).toMatch(/await op\.createExtension\("ltree"/);
    expect(result.operations.filter((o) => o.kind === "createTable").length).toBe(7);
    await upgrade({ cwd: project.dir, target: "heads" });
    await expect(check({ cwd: project.dir })).resolves.toMatchObject({ clean: true });
  });

  it("finds no drift, then reports a column added by hand", async () => {
    await expect(drift({ cwd: project.dir })).resolves.toMatchObject({ clean: true });
    const db = await openDatabase({ url });
    await db.main.query("ALTER TABLE events ADD COLUMN hotfix integer");
    await db.close();
    const error = await drift({ cwd: project.dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaDifferences);
    expect((error as SchemaDifferences).lines).toEqual(["+ column events.hotfix integer"]);
  });
});
