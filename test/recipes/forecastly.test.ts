/** docs/recipes/forecastly.md, run as written on a PostgreSQL database of its own. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresDatabase, type ScratchDatabase } from "../helpers/databases.js";
import { copyExample, readRecipe, resultOf, runRecipe } from "./recipe.js";

describe("recipe: Forecastly's daily loop", () => {
  let db: ScratchDatabase;
  let project: { path: string; remove(): void };

  beforeAll(async () => {
    db = await createPostgresDatabase("stratum_recipe_forecastly");
    project = copyExample("forecastly");
  });
  afterAll(async () => {
    project?.remove();
    await db?.drop();
  });

  it("runs every command of the page with the exit codes and output it shows", async () => {
    const results = await runRecipe(readRecipe("forecastly"), project.path, { ...process.env, DATABASE_URL: db.url });

    const generated = join(project.path, "versions", "c41d7e2b8f03_add_user_profiles.ts");
    expect(existsSync(generated)).toBe(true);
    const source = readFileSync(generated, "utf8");
    expect(source).toContain('parents: ["7b3e5d1c9a02"]');
    expect(source).toMatch(/createTable\(\s*"user_profiles"/);
    expect(source).toMatch(/dropTable\("user_profiles"\)/);

    // The backup hook ran before each of the four runs that changed the database.
    const dumps = readdirSync(join(project.path, "backups")).filter((f) => f.endsWith(".dump"));
    expect(dumps.length).toBe(4);

    expect(resultOf(results, "stratum status").stdout).toContain("c41d7e2b8f03");
    expect(resultOf(results, "stratum lint").code).toBe(0);
  });
});
