/** docs/recipes/corrdata.md, run as written on two PostgreSQL databases (primary and replica). */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresDatabase, type ScratchDatabase } from "../helpers/databases.js";
import { copyExample, readRecipe, resultOf, runRecipe } from "./recipe.js";

async function query<R extends pg.QueryResultRow>(url: string, sql: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe("recipe: CorrData", () => {
  let primary: ScratchDatabase;
  let replica: ScratchDatabase;
  let project: { path: string; remove(): void };

  beforeAll(async () => {
    primary = await createPostgresDatabase("stratum_recipe_corrdata_primary");
    replica = await createPostgresDatabase("stratum_recipe_corrdata_replica");
    project = copyExample("corrdata");
  });
  afterAll(async () => {
    project?.remove();
    await primary?.drop();
    await replica?.drop();
  });

  it("runs every command of the page, on the database each -e names", async () => {
    const results = await runRecipe(readRecipe("corrdata"), project.path, {
      ...process.env,
      PRIMARY_URL: primary.url,
      REPLICA_URL: replica.url,
    });

    // --sql printed the index builds outside any transaction.
    const script = resultOf(results, "--sql").stdout;
    expect(script.indexOf("CREATE INDEX CONCURRENTLY")).toBeLessThan(script.indexOf("BEGIN"));

    for (const db of [primary, replica]) {
      const columns = await query<{ column_name: string; is_nullable: string }>(
        db.url,
        "SELECT column_name, is_nullable FROM information_schema.columns WHERE table_name = 'assets' ORDER BY column_name",
      );
      expect(columns).toEqual([
        { column_name: "asset_identifier", is_nullable: "NO" },
        { column_name: "name", is_nullable: "NO" },
        { column_name: "uuid", is_nullable: "NO" },
      ]);
      const indexes = await query<{ indexname: string }>(db.url, "SELECT indexname FROM pg_indexes WHERE indexname LIKE 'idx_%' ORDER BY 1");
      expect(indexes.map((r) => r.indexname)).toEqual(["idx_assets_name_trgm", "idx_measurements_asset_time"]);
      const extensions = await query<{ extname: string }>(db.url, "SELECT extname FROM pg_extension WHERE extname IN ('pg_trgm', 'btree_gist') ORDER BY 1");
      expect(extensions.map((r) => r.extname)).toEqual(["btree_gist", "pg_trgm"]);
    }
  });
});
