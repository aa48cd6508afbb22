import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { upgrade } from "../../src/api/upgrade.js";
import { SchemaDifferences, autogenerate, check, drift } from "../../src/api/schema.js";
import { createRevision } from "../../src/api/revision.js";
import { openDatabase } from "../../src/drivers/index.js";
import { CheckFailed, UsageError } from "../../src/errors.js";
import { createPostgresDatabase, type ScratchDatabase } from "../helpers/databases.js";
import { createProject, revisionFiles, type TestProject } from "./project.js";

interface Target {
  name: string;
  create(): Promise<{ url: string; drop(): Promise<void> }>;
}

const targets: Target[] = [
  {
    name: "PostgreSQL",
    async create(): Promise<ScratchDatabase> {
      return createPostgresDatabase();
    },
  },
];

async function sql(url: string, text: string): Promise<void> {
  const db = await openDatabase({ url });
  try {
    await db.main.query(text);
  } finally {
    await db.close();
  }
}

describe.each(targets)("schema workflow on $name", (target) => {
  let database: { url: string; drop(): Promise<void> };
  let project: TestProject;
  beforeAll(async () => {
    database = await target.create();
    project = createProject(database.url);
  });
  afterAll(async () => {
    await database?.drop();
    project?.remove();
  });

  it("autogenerates the seeds' schema from an empty database, applies it, and check is clean", async () => {
    const result = await autogenerate({ cwd: project.dir, message: "initial schema" });
    expect(result.written).toBe(true);
    expect(revisionFiles(project)).toHaveLength(1);
    const source = readFileSync(result.path!, "utf8");
    expect(source).toMatch(/await op\.createExtension\("ltree"/);
    expect(source).toMatch(/await op\.createTable\(/);
    expect(result.operations.map((o) => o.kind)).toContain("createView");
    await upgrade({ cwd: project.dir, target: "heads" });
    await expect(check({ cwd: project.dir })).resolves.toMatchObject({ clean: true });
  });

  it("writes nothing when nothing changed, unless asked to", async () => {
    const result = await autogenerate({ cwd: project.dir, message: "nothing" });
    expect(result).toMatchObject({ written: false, operations: [] });
    expect(result.summary).toMatch(/No changes/);
    expect(revisionFiles(project)).toHaveLength(1);

    // With --allow-empty the revision is written, and the config's post-write hook sees it.
    const configFile = join(project.dir, "stratum.hooked.config.mjs");
    const original = readFileSync(join(project.dir, "stratum.config.mjs"), "utf8");
    writeFileSync(configFile, original.replace("versionPaths:", 'hooks: { postWrite: "cp {file} {file}.hooked" }, versionPaths:'));
    const empty = await autogenerate({ cwd: project.dir, configFile, message: "empty on purpose", allowEmpty: true });
    expect(empty.written).toBe(true);
    expect(readFileSync(`${empty.path!}.hooked`, "utf8")).toBe(readFileSync(empty.path!, "utf8"));
    rmSync(`${empty.path!}.hooked`);
    expect(revisionFiles(project)).toHaveLength(2);
    await upgrade({ cwd: project.dir, target: "heads" });
  });

  it("stops on a likely rename, and writes a rename when --rename answers it", async () => {
    const file = join(project.schemaDir, "02_corrdata.sql");
    writeFileSync(file, readFileSync(file, "utf8").replace("coating_type varchar(50)", "coating varchar(50)"));

    await expect(check({ cwd: project.dir })).rejects.toThrow(SchemaDifferences);
    const refused = autogenerate({ cwd: project.dir, message: "rename coating" });
    await expect(refused).rejects.toThrow(UsageError);
    await expect(refused).rejects.toThrow(/coating_type[\s\S]*--rename/);
    expect(revisionFiles(project)).toHaveLength(2);

    // On a terminal the question is asked; answering no leaves a drop plus an add.
    const asked: string[] = [];
    const declined = await autogenerate({
      cwd: project.dir,
      message: "declined",
      ask: async (candidate) => (asked.push(`${candidate.table}.${candidate.from}->${candidate.to}`), false),
    });
    expect(asked).toEqual(["assets.coating_type->coating"]);
    expect(declined.operations.map((o) => o.kind).sort()).toEqual(["addColumn", "dropColumn"]);
    rmSync(declined.path!);

    const result = await autogenerate({ cwd: project.dir, message: "rename coating", renames: ["assets.coating_type=coating"] });
    expect(result.operations).toEqual([
      expect.objectContaining({ kind: "alterColumn", table: "assets", column: "coating_type", newName: "coating" }),
    ]);
    await upgrade({ cwd: project.dir, target: "heads" });
    await expect(check({ cwd: project.dir })).resolves.toMatchObject({ clean: true });
  });

  it("fails check while revisions are pending, naming them", async () => {
    const pending = await createRevision({ cwd: project.dir, message: "later work" });
    const failure = check({ cwd: project.dir });
    await expect(failure).rejects.toThrow(CheckFailed);
    await expect(failure).rejects.toThrow(new RegExp(`not at head.*${pending.id}`));
    await upgrade({ cwd: project.dir, target: "heads" });
  });

  it("finds no drift after the revisions, then reports a manual hotfix", async () => {
    await expect(drift({ cwd: project.dir })).resolves.toMatchObject({ clean: true });
    await sql(database.url, "ALTER TABLE assets ADD COLUMN hotfix text; CREATE INDEX assets_hotfix_idx ON assets (hotfix)");
    const error = await drift({ cwd: project.dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaDifferences);
    const lines = (error as SchemaDifferences).lines;
    expect(lines).toContain("+ column assets.hotfix text");
    expect(lines).toContain("+ index assets_hotfix_idx on assets");
    expect((error as SchemaDifferences).exitCode).toBe(1);
  });
});
