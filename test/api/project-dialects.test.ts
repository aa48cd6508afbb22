import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadProject } from "../../src/api/project.js";
import { UsageError } from "../../src/errors.js";
import { createMysqlDatabase, createPostgresDatabase, type ScratchDatabase, sqliteUrl, tempDir } from "../helpers/databases.js";

describe("the project's dialect", () => {
  const dir = tempDir("stratum-project-dialects-");
  let postgres: ScratchDatabase;
  let mysql: ScratchDatabase;
  beforeAll(async () => {
    [postgres, mysql] = await Promise.all([createPostgresDatabase("stratum_project_dialects"), createMysqlDatabase("stratum_project_dialects")]);
  });
  afterAll(async () => {
    await Promise.all([postgres?.drop(), mysql?.drop()]);
    dir.remove();
  });

  it("is known from the URL without connecting", async () => {
    const cases: Array<[string, string]> = [
      ["postgres://nobody@127.0.0.1:1/none", "postgresql"],
      ["pglite:memory", "postgresql"],
      [sqliteUrl(dir.path), "sqlite"],
      ["mysql://nobody@127.0.0.1:1/none", "mysql"],
      ["mariadb://nobody@127.0.0.1:1/none", "mysql"],
    ];
    for (const [url, name] of cases) {
      const project = await loadProject({ cwd: dir.path, url });
      expect((await project.dialect()).name).toBe(name);
    }
  });

  it("refuses a URL scheme no dialect handles", async () => {
    const project = await loadProject({ cwd: dir.path, url: "oracle://x@y/z" });
    await expect(project.dialect()).rejects.toBeInstanceOf(UsageError);
  });

  it("matches the database each server URL opens, and can query it", async () => {
    for (const url of [postgres.url, mysql.url, sqliteUrl(dir.path)]) {
      const project = await loadProject({ cwd: dir.path, url });
      const seen = await project.withDatabase(async (db, dialect) => {
        const result = await db.main.query("SELECT 1 AS one");
        return { driver: db.dialect, dialect: dialect.name, one: Number(result.rows[0]?.["one"]) };
      });
      expect(seen.dialect).toBe(seen.driver);
      expect(seen.one).toBe(1);
    }
  });
});
