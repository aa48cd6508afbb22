/**
 * docs/recipes/forecastin.md, run as written: each part on a "production" database built by
 * running the legacy files by hand first, as the team did.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createPostgresDatabase, type ScratchDatabase } from "../helpers/databases.js";
import { copyExample, readRecipe, REPO, resultOf, runRecipe } from "./recipe.js";

const EXAMPLE = join(REPO, "examples", "recipes", "forecastin");

/** A database that ran the files of production/applied.txt, and nothing else. */
async function productionDatabase(): Promise<ScratchDatabase> {
  const db = await createPostgresDatabase("stratum_recipe_forecastin");
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const applied = readFileSync(join(EXAMPLE, "production", "applied.txt"), "utf8").split("\n").filter(Boolean);
    for (const file of applied) await client.query(readFileSync(join(EXAMPLE, "import", "legacy", file), "utf8"));
  } finally {
    await client.end();
  }
  return db;
}

async function tableExists(url: string, table: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ found: string | null }>("SELECT to_regclass($1)::text AS found", [table]);
    return rows[0]?.found !== null;
  } finally {
    await client.end();
  }
}

describe("recipe: Forecastin adopts an existing database", () => {
  const cleanups: Array<() => unknown> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it("imports the legacy files and stamps the database at the last one it ran", async () => {
    const db = await productionDatabase();
    cleanups.push(() => db.drop());
    const project = copyExample("forecastin/import");
    cleanups.push(() => project.remove());
    expect(await tableExists(db.url, "rss_items")).toBe(false);

    const results = await runRecipe(readRecipe("forecastin", "import"), project.path, { ...process.env, DATABASE_URL: db.url });

    const written = readdirSync(join(project.path, "versions")).filter((f) => f.endsWith(".sql"));
    expect(written).toHaveLength(5);
    // Only the never-run file was executed: the stamped ones would have failed on existing tables.
    expect(resultOf(results, "stratum upgrade head").stdout.match(/Running upgrade/g)).toHaveLength(1);
    expect(await tableExists(db.url, "rss_items")).toBe(true);
  });

  it("baselines the current schema, stamps it, and builds on it", async () => {
    const db = await productionDatabase();
    cleanups.push(() => db.drop());
    const project = copyExample("forecastin/baseline");
    cleanups.push(() => project.remove());

    await runRecipe(readRecipe("forecastin", "baseline"), project.path, { ...process.env, DATABASE_URL: db.url });

    const file = join(project.path, "versions", "b0a5e11e0001_baseline_current_schema.ts");
    expect(existsSync(file)).toBe(true);
    const source = readFileSync(file, "utf8");
    expect(source).toContain('createTable("entities"');
    expect(source).toContain('createExtension("ltree"');
    expect(source).toContain("hierarchy_mv");
    // The stamp ran nothing: the tables the hand-run files made are still the only ones.
    expect(await tableExists(db.url, "entities")).toBe(true);
    expect(await tableExists(db.url, "rss_items")).toBe(false);
  });
});
