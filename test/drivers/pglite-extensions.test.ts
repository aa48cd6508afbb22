/**
 * PGlite extensions on demand: nothing is unpacked at open, CREATE EXTENSION gets its bundle
 * (inside a revision's transaction too), and a data directory's installed extensions work again
 * after reopening. Real PGlite throughout.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/drivers/index.js";
import type { Database } from "../../src/drivers/types.js";
import {
  BUNDLED_EXTENSIONS,
  bundlesNeededBy,
  extensionsCreatedBy,
  PGliteExtensionBundles,
  requiredExtensions,
} from "../../src/drivers/pglite-extensions.js";
import { DatabaseError, upgrade } from "../../src/index.js";
import { tempDir } from "../helpers/databases.js";

/** Opens the database, hands it to `use`, and closes it whatever happens. */
async function withDatabase(url: string, use: (db: Database) => Promise<void>): Promise<void> {
  const db = await openDatabase({ url });
  try {
    await use(db);
  } finally {
    await db.close();
  }
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof Error)) throw new Error("expected a failure");
  return error;
}

describe("extensionsCreatedBy", () => {
  it("finds the names CREATE EXTENSION is given, folding unquoted ones as PostgreSQL does", () => {
    expect(extensionsCreatedBy("CREATE TABLE t (id int)")).toEqual([]);
    expect(extensionsCreatedBy("create extension LTREE")).toEqual(["ltree"]);
    expect(extensionsCreatedBy('CREATE EXTENSION IF NOT EXISTS "uuid-ossp" WITH SCHEMA public;\nCREATE  EXTENSION\tpg_trgm')).toEqual([
      "uuid-ossp",
      "pg_trgm",
    ]);
    expect(extensionsCreatedBy('CREATE EXTENSION "Odd""Name"')).toEqual(['Odd"Name']);
  });

  it("does not mistake a column called extension for CREATE EXTENSION", () => {
    expect(extensionsCreatedBy("CREATE TABLE files (name text, extension text)")).toEqual([]);
  });

  it("answers unknown when the name is computed, as in a DO block", () => {
    expect(extensionsCreatedBy("DO $$ BEGIN EXECUTE format('CREATE EXTENSION %I', 'ltree'); END $$")).toBe("unknown");
    expect(extensionsCreatedBy("CREATE EXTENSION ltree; DO $$ BEGIN EXECUTE 'CREATE EXTENSION ' || 'hstore'; END $$")).toBe("unknown");
  });

  it("asks for every bundle when a statement reads pg_available_extensions", () => {
    expect(bundlesNeededBy("SELECT name FROM pg_available_extensions")).toEqual(BUNDLED_EXTENSIONS);
    expect(bundlesNeededBy("SELECT * FROM pg_catalog.pg_available_extension_versions")).toEqual(BUNDLED_EXTENSIONS);
    expect(bundlesNeededBy("CREATE EXTENSION citext")).toEqual(["citext"]);
    expect(bundlesNeededBy("SELECT extname FROM pg_extension")).toEqual([]);
  });

  it("reads a control file's requires list", () => {
    expect(requiredExtensions("comment = 'x'\nrequires = 'cube'\nrelocatable = true\n")).toEqual(["cube"]);
    expect(requiredExtensions("requires = 'a, b'")).toEqual(["a", "b"]);
    expect(requiredExtensions("comment = 'nothing required'")).toEqual([]);
  });
});

describe("PGliteExtensionBundles on a running PGlite", () => {
  let db: PGlite;
  beforeAll(async () => {
    db = await PGlite.create();
  });
  afterAll(() => db.close());

  it("unpacks nothing until a statement asks, then the named bundle and what it requires", async () => {
    const bundles = new PGliteExtensionBundles(db);
    await bundles.ensureInstalled();
    expect(bundles.loaded()).toEqual([]);
    // Without the files PostgreSQL cannot even find the control file.
    expect((await failure(db.exec("CREATE EXTENSION cube"))).message).toBe('extension "cube" is not available');

    await bundles.prepareFor("SELECT 1");
    expect(bundles.loaded()).toEqual([]);
    // earthdistance's control file requires cube, which CASCADE then installs.
    await bundles.prepareFor("CREATE EXTENSION earthdistance CASCADE");
    expect(bundles.loaded()).toEqual(["cube", "earthdistance"]);
    await db.exec("CREATE EXTENSION earthdistance CASCADE");
    const { rows } = await db.query<{ km: number }>("SELECT round(earth_distance(ll_to_earth(0, 0), ll_to_earth(0, 1)) / 1000) AS km");
    expect(rows).toEqual([{ km: 111 }]);
  });

  it("ignores names PGlite does not ship and leaves them to PostgreSQL", async () => {
    const bundles = new PGliteExtensionBundles(db);
    await bundles.prepareFor("CREATE EXTENSION postgis");
    expect(bundles.loaded()).toEqual([]);
  });
});

describe("extensions through the pglite: driver", () => {
  let dir: { path: string; remove(): void };
  beforeAll(() => {
    dir = tempDir("stratum-pglite-ext-");
  });
  afterAll(() => dir.remove());

  const pgdata = () => join(dir.path, "pgdata");

  it("a revision creates ltree on a new data directory and uses it in the same transaction", async () => {
    mkdirSync(join(dir.path, "versions"));
    writeFileSync(
      join(dir.path, "versions", "e00000000001_paths.sql"),
      [
        '-- stratum:revision id=e00000000001 message="paths"',
        "-- stratum:up",
        "CREATE EXTENSION IF NOT EXISTS ltree;",
        "CREATE TABLE paths (id int PRIMARY KEY, path ltree NOT NULL);",
        "INSERT INTO paths VALUES (1, 'top.science.astronomy'), (2, 'top.art');",
        "CREATE INDEX paths_path_gist ON paths USING gist (path);",
        "-- stratum:down",
        "DROP TABLE paths;",
        "",
      ].join("\n"),
    );
    writeFileSync(join(dir.path, "stratum.config.ts"), 'export default { versionPaths: ["versions"] };\n');
    const result = await upgrade({ cwd: dir.path, url: `pglite:${pgdata()}`, target: "head" });
    expect(result.mode === "online" ? result.steps.map((step) => step.revision) : result.mode).toEqual(["e00000000001"]);
  });

  it("a new driver instance on the same data directory queries the ltree column without CREATE EXTENSION", async () => {
    await withDatabase(`pglite:${pgdata()}`, async (db) => {
      const { rows } = await db.main.query<{ id: number; depth: number }>(
        "SELECT id, nlevel(path) AS depth FROM paths WHERE path <@ 'top.science' ORDER BY id",
      );
      expect(rows).toEqual([{ id: 1, depth: 3 }]);
      // Writing goes through ltree's input function, so its library is really loaded.
      await db.main.query("INSERT INTO paths VALUES (3, 'top.science.physics')");
      expect((await db.main.query<{ n: number }>("SELECT count(*)::int AS n FROM paths WHERE path ~ 'top.science.*'")).rows).toEqual([{ n: 2 }]);
    });
  });

  it("creates an extension inside an explicit transaction, statement by statement", async () => {
    await withDatabase(`pglite:${pgdata()}`, async (db) => {
      await db.main.query("BEGIN");
      await db.main.query('CREATE EXTENSION "uuid-ossp"');
      await db.main.query("CREATE TABLE tokens (id uuid PRIMARY KEY DEFAULT uuid_generate_v4())");
      await db.main.query("INSERT INTO tokens DEFAULT VALUES");
      await db.main.query("COMMIT");
      expect((await db.main.query<{ n: number }>("SELECT count(*)::int AS n FROM tokens")).rows).toEqual([{ n: 1 }]);
    });
    await withDatabase(`pglite:${pgdata()}`, async (again) => {
      expect((await again.main.query<{ v: number }>("SELECT length(uuid_generate_v4()::text) AS v")).rows).toEqual([{ v: 36 }]);
    });
  });

  it("reports an extension PGlite does not ship with PostgreSQL's error", async () => {
    await withDatabase("pglite:memory", async (db) => {
      const error = await failure(db.main.query("CREATE EXTENSION postgis"));
      expect(error).toBeInstanceOf(DatabaseError);
      expect(error.message).toBe('extension "postgis" is not available');
      expect((error as DatabaseError).code).toBe("0A000");
      expect((error as DatabaseError).hint).toBeUndefined();
      // The failed statement leaves the connection usable.
      expect((await db.main.query<{ one: number }>("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
    });
  });

  it("pglite:memory creates pg_trgm when asked, through batch too", async () => {
    await withDatabase("pglite:memory", async (db) => {
      await db.main.batch!(["CREATE EXTENSION pg_trgm", "CREATE TABLE words (w text)", "INSERT INTO words VALUES ('migration')"]);
      const { rows } = await db.main.query<{ sim: number }>("SELECT round(similarity(w, 'migrations')::numeric, 2)::float AS sim FROM words");
      // 9 shared trigrams of 12 in all.
      expect(rows).toEqual([{ sim: 0.75 }]);
    });
  });

  it("creates an extension whose name a DO block computes", async () => {
    await withDatabase("pglite:memory", async (db) => {
      await db.main.query("DO $$ BEGIN EXECUTE format('CREATE EXTENSION %I', 'hstore'); END $$");
      expect((await db.main.query<{ v: string }>("SELECT ('a=>1'::hstore) -> 'a' AS v")).rows).toEqual([{ v: "1" }]);
    });
  });

  it("lists the extensions PGlite ships in pg_available_extensions, as when all were registered at start-up", async () => {
    await withDatabase("pglite:memory", async (db) => {
      const { rows } = await db.main.query<{ name: string }>(
        "SELECT name FROM pg_available_extensions WHERE name IN ('ltree', 'pg_trgm', 'uuid-ossp', 'postgis') ORDER BY name",
      );
      expect(rows.map((row) => row.name)).toEqual(["ltree", "pg_trgm", "uuid-ossp"]);
    });
  });

  it("hints at the fix when a function creates a shipped extension the statement does not name", async () => {
    await withDatabase("pglite:memory", async (db) => {
      await db.main.query("CREATE FUNCTION make_seg() RETURNS void LANGUAGE plpgsql AS $$ BEGIN EXECUTE 'CREATE ' || 'EXTENSION seg'; END $$");
      const error = await failure(db.main.query("SELECT make_seg()"));
      expect(error).toBeInstanceOf(DatabaseError);
      expect(error.message).toBe('extension "seg" is not available');
      expect((error as DatabaseError).hint).toBe(
        "PGlite ships seg, but its files are loaded only for a statement that names it after CREATE EXTENSION; run CREATE EXTENSION IF NOT EXISTS seg before this statement.",
      );
      // Following the hint works.
      await db.main.query("CREATE EXTENSION IF NOT EXISTS seg");
      await db.main.query("DROP EXTENSION seg");
      await db.main.query("SELECT make_seg()");
      expect((await db.main.query<{ v: string }>("SELECT '1 .. 2'::seg::text AS v")).rows).toEqual([{ v: "1 .. 2" }]);
    });
  });
});
