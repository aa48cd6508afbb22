/** init, revision and merge from the API: where files go, and what their headers say. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRevision, heads, init, merge, UsageError } from "../../src/index.js";
import { tempDir } from "../helpers/databases.js";

describe("project files", () => {
  let dir: { path: string; remove(): void };
  beforeAll(() => {
    dir = tempDir("stratum-api-files-");
  });
  afterAll(() => dir.remove());

  it("init writes into the folder it is given and refuses to overwrite", async () => {
    const result = await init({ cwd: dir.path, directory: "app" });
    expect(result.directory).toBe(join(dir.path, "app"));
    const written = result.files.map((file) => file.slice(result.directory.length + 1));
    expect(written).toEqual(expect.arrayContaining(["migrations/script.sql.tmpl", "migrations/script.ts.tmpl", "stratum.config.ts"]));
    for (const file of result.files) expect(existsSync(file)).toBe(true);
    await expect(init({ cwd: dir.path, directory: "app" })).rejects.toThrow(/already exists/);
  });

  it("writes new revisions into the chosen versions folder, chaining parents", async () => {
    const app = join(dir.path, "app");
    mkdirSync(join(app, "more"));
    const config = join(app, "stratum.config.ts");
    writeFileSync(config, readFileSync(config, "utf8").replace('versionPaths: ["migrations"]', 'versionPaths: ["migrations", "more"]'));

    const first = await createRevision({ cwd: app, message: "first", revId: "f00000000001" });
    expect(first.path).toBe(join(app, "migrations", "f00000000001_first.ts"));
    expect(first.parents).toEqual([]);
    const second = await createRevision({ cwd: app, message: "second", revId: "f00000000002", versionPath: "more", format: "sql" });
    expect(second.path).toBe(join(app, "more", "f00000000002_second.sql"));
    expect(second.parents).toEqual(["f00000000001"]);
    expect(readFileSync(second.path, "utf8")).toContain('-- stratum:revision id=f00000000002 parents=f00000000001 message="second"');

    const root = await createRevision({ cwd: app, message: "other root", revId: "f00000000003", head: "base", branchLabels: ["other"] });
    expect(root.parents).toEqual([]);
    await expect(createRevision({ cwd: app, message: "ambiguous" })).rejects.toThrow(/head/);
    await createRevision({ cwd: app, message: "third", revId: "f00000000004", head: "f00000000002" });

    const joined = await merge({ cwd: app, revisions: ["heads"], message: "join", revId: "f00000000005" });
    expect(joined.parents).toEqual(["f00000000003", "f00000000004"]);
    expect((await heads({ cwd: app })).heads.map((h) => h.id)).toEqual(["f00000000005"]);
    expect(existsSync(joined.path)).toBe(true);

    const dependent = await createRevision({ cwd: app, message: "needs other", revId: "f00000000006", dependsOn: ["other"] });
    expect(dependent.parents).toEqual(["f00000000005"]);
    expect(readFileSync(dependent.path, "utf8")).toMatch(/dependsOn: \["other"\]/);
  });

  it("refuses a merge of a revision with its own ancestor", async () => {
    const app = join(dir.path, "app");
    await expect(merge({ cwd: app, revisions: ["f00000000001", "f00000000002"], message: "x" })).rejects.toThrow(/already an ancestor/);
    await expect(merge({ cwd: app, revisions: ["f00000000001", "f00000000002"], message: "x" })).rejects.toBeInstanceOf(UsageError);
  });
});
