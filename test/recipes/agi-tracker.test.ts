/** docs/recipes/agi-tracker.md, run as written on a PostgreSQL database of its own. */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresDatabase, type ScratchDatabase } from "../helpers/databases.js";
import { copyExample, queryPostgres as run, readRecipe, runCommand, runRecipe } from "./recipe.js";

describe("recipe: AGI tracker's production baseline", () => {
  let db: ScratchDatabase;
  let project: { path: string; remove(): void };

  beforeAll(async () => {
    db = await createPostgresDatabase("stratum_recipe_agi");
    project = copyExample("agi-tracker");
  });
  afterAll(async () => {
    project?.remove();
    await db?.drop();
  });

  it("squashes, deploys the baseline revision and finds no drift", async () => {
    const env = { ...process.env, DATABASE_URL: db.url };
    await runRecipe(readRecipe("agi-tracker"), project.path, env);

    const versions = join(project.path, "versions");
    expect(readdirSync(join(versions, "archive")).sort()).toEqual([
      "0a1b2c3d4e02_add_embedding_placeholders.ts",
      "0a1b2c3d4e03_add_performance_indexes_disabled.ts",
      "0a1b2c3d4e04_performance_optimizations_disabled.ts",
    ]);
    expect(existsSync(join(versions, "0a1b2c3d4e22_consolidated_placeholders.ts"))).toBe(true);

    const indexes = await run(db.url, "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'events' AND indexname LIKE 'idx_%' ORDER BY 1");
    expect(indexes.map((r) => r.indexname)).toEqual(["idx_events_fulltext", "idx_events_published_live"]);
    expect(indexes[0]?.indexdef).toContain("USING gin");
    expect(indexes[1]?.indexdef).toContain("WHERE (NOT retracted)");
    // The CHECK constraint is enforced.
    await run(db.url, "INSERT INTO events (title, published_at) VALUES ('a', now()); INSERT INTO signposts (code, name) VALUES ('s', 's')");
    await expect(
      run(db.url, "INSERT INTO event_signpost_links SELECT e.id, s.id, 1.5 FROM events e, signposts s"),
    ).rejects.toThrow(/event_signpost_links_confidence_range/);

    // A change made by hand is drift: the page's `stratum drift` now fails.
    await run(db.url, "ALTER TABLE events ADD COLUMN hotfix text");
    const drift = await runCommand({ argv: ["stratum", "drift"], expectExit: 1, line: 0, text: "stratum drift" }, project.path, env);
    expect(drift.code).toBe(1);
    expect(drift.stdout + drift.stderr).toContain("hotfix");
  });
});
