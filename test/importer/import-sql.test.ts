/**
 * The Forecastin workflow end to end on PGlite: six hand-run SQL files become a chain of SQL
 * revisions, which upgrade and downgrade like any other; bad folders write nothing.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/drivers/index.js";
import { createPostgresDatabase, type ScratchDatabase, tempDir } from "../helpers/databases.js";
import { expectOneLineError, json, stratum } from "../cli/run.js";
import { FORECASTIN_FILES, writeForecastinFolder } from "./forecastin.js";

interface ImportJson {
  revisions: Array<{ file: string; rollback: string | null; id: string; parents: string[]; path: string | null; warnings: string[] }>;
  stamped?: string[];
  dryRun: boolean;
}

function project(root: string): void {
  mkdirSync(join(root, "migrations"), { recursive: true });
  writeFileSync(join(root, "stratum.config.mjs"), 'export default { url: "pglite:./db" };\n');
}

/** Runs the queries in one session: each PGlite start costs seconds. */
async function query(root: string, ...sql: string[]): Promise<Record<string, unknown>[][]> {
  const db = await openDatabase({ url: `pglite:${join(root, "db")}` });
  try {
    const results: Record<string, unknown>[][] = [];
    for (const statement of sql) results.push((await db.main.query(statement)).rows);
    return results;
  } finally {
    await db.close();
  }
}

describe("import-sql on the Forecastin files", () => {
  let dir: { path: string; remove(): void };
  const run = (...args: string[]) => stratum(dir.path, ...args);
  const migrations = () => readdirSync(join(dir.path, "migrations"));

  beforeAll(() => {
    dir = tempDir("stratum-import-");
    project(dir.path);
    writeForecastinFolder(join(dir.path, "legacy"));
  });
  afterAll(() => dir.remove());

  it("refuses bad folders with one error line, exit 2, and writes nothing", async () => {
    const bad = (name: string, files: Record<string, string | Buffer>) => {
      const folder = join(dir.path, name);
      mkdirSync(folder, { recursive: true });
      for (const [file, text] of Object.entries(files)) writeFileSync(join(folder, file), text);
      return name;
    };
    const cases: Array<[string, RegExp]> = [
      [bad("empty", { "README.md": "# nothing" }), /^error: empty: the folder holds no \.sql files$/],
      [bad("orphan", { "001_a.sql": "SELECT 1;", "002_b_ROLLBACK.sql": "SELECT 1;" }), /orphan\/002_b_ROLLBACK\.sql: rollback file has no forward file/],
      [
        bad("latin1", { "001_a.sql": "CREATE TABLE IF NOT EXISTS a (id int);", "002_b.sql": Buffer.from([0x2d, 0x2d, 0x20, 0x63, 0x61, 0x66, 0xe9, 0x0a]) }),
        /latin1\/002_b\.sql:1: file is not valid UTF-8/,
      ],
      [bad("syntax", { "001_a.sql": "CREATE TABLE IF NOT EXISTS a (id int);", "002_b.sql": "SELECT 1;\nALTER TABEL a ADD COLUMN b int;\n" }), /syntax\/002_b\.sql:2: SQL syntax error/],
      ["missing-folder", /missing-folder: cannot read the legacy SQL folder: no such folder/],
      [bad("marker", { "001_a.sql": "SELECT 1;\n  -- stratum:down\nSELECT 2;\n" }), /marker\/001_a\.sql:2: a comment starting with "-- stratum:" would be read as a revision marker/],
    ];
    for (const [folder, message] of cases) {
      const result = await run("import-sql", folder);
      expect(result.code, folder).toBe(2);
      expect(expectOneLineError(result)).toMatch(message);
    }
    expect(migrations()).toEqual([]);
  });

  it("a dry run prints the table and writes nothing", async () => {
    const result = await run("--dry-run", "import-sql", "legacy");
    expect(result.code).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toMatch(/^file\s+revision\s+downgrade\s+warnings$/);
    expect(lines[2]).toMatch(/^001_standardize_feature_flag_names\.sql\s+[0-9a-f]{12}\s+001_standardize_feature_flag_names_ROLLBACK\.sql\s+\d+$/);
    expect(result.stdout).toContain("001_initial_schema.sql: line 4: CREATE TABLE entities without IF NOT EXISTS");
    expect(result.stdout).toContain("001_initial_schema.sql: duplicate prefix 001 (also 001_standardize_feature_flag_names.sql); ordered by name");
    expect(result.stdout).toContain('removed "BEGIN": each revision runs in its own transaction');
    expect(result.stdout).toContain("Would import 5 file(s).");
    expect(migrations()).toEqual([]);
  });

  let imported: ImportJson;
  it("writes one SQL revision per forward file, chained in order", async () => {
    imported = json<ImportJson>(await run("--json", "import-sql", "legacy"));
    expect(imported.revisions.map((r) => r.file)).toEqual([
      "001_initial_schema.sql",
      "001_standardize_feature_flag_names.sql",
      "002_ml_ab_testing_framework.sql",
      "004_automated_materialized_view_refresh.sql",
      "004_rss_entity_extraction_schema.sql",
    ]);
    imported.revisions.forEach((r, i) => expect(r.parents).toEqual(i === 0 ? [] : [imported.revisions[i - 1]!.id]));
    expect(migrations()).toHaveLength(5);
    const standardize = readFileSync(imported.revisions[1]!.path!, "utf8");
    expect(standardize).toMatch(/^-- stratum:revision id=[0-9a-f]{12} parents=[0-9a-f]{12} message="standardize feature flag names \(imported from 001_standardize_feature_flag_names\.sql\)"/);
    expect(standardize).toContain("ALTER TABLE feature_flags DROP CONSTRAINT IF EXISTS feature_flags_name_format;");
    expect(imported.revisions[2]!.warnings).toEqual(["no rollback file: the downgrade only moves the version table"]);

    const again = await run("import-sql", "legacy");
    expect(again.code).toBe(2);
    expect(expectOneLineError(again)).toContain(`001_initial_schema.sql was already imported as revision ${imported.revisions[0]!.id}`);
    expect(migrations()).toHaveLength(5);
  });

  it("upgrade head runs them on PGlite, downgrade base runs the rollback", async () => {
    const up = await run("upgrade", "head");
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toContain(`Running upgrade <base> -> ${imported.revisions[0]!.id}, initial schema (imported from 001_initial_schema.sql)`);
    expect(up.stdout).toContain(`Running upgrade ${imported.revisions[3]!.id} -> ${imported.revisions[4]!.id}, rss entity extraction schema`);

    const down = await run("--yes", "downgrade", "base");
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toContain(`Running downgrade ${imported.revisions[1]!.id} -> ${imported.revisions[0]!.id}`);
    // One session (each PGlite start costs seconds): the last table proves the upgrade ran to the
    // end (its file has no rollback), the flag names and the constraint prove the rollback ran.
    const [items, after, constraint, versions, steps] = await query(
      dir.path,
      "SELECT count(*)::int AS n FROM rss_entities",
      "SELECT flag_name FROM feature_flags ORDER BY 1",
      "SELECT conname FROM pg_constraint WHERE conname = 'feature_flags_name_format'",
      "SELECT * FROM stratum_version",
      "SELECT direction, success FROM stratum_history ORDER BY id",
    );
    expect(items![0]!.n).toBe(0);
    expect(after!.map((r) => r.flag_name)).toEqual(["ff.map-v2", "ff_geo_search"]);
    expect(constraint).toEqual([]);
    expect(versions).toEqual([]);
    expect(steps!.map((r) => r.direction)).toEqual([...Array(5).fill("up"), ...Array(5).fill("down")]);
  });
});

describe("import-sql --stamp on a PostgreSQL database that already ran some files", () => {
  let dir: { path: string; remove(): void };
  let database: ScratchDatabase;
  const run = (...args: string[]) => stratum(dir.path, ...args);

  beforeAll(async () => {
    dir = tempDir("stratum-import-stamp-");
    database = await createPostgresDatabase("stratum_import");
    mkdirSync(join(dir.path, "migrations"));
    writeFileSync(join(dir.path, "stratum.config.mjs"), `export default { url: ${JSON.stringify(database.url)} };\n`);
    writeForecastinFolder(join(dir.path, "legacy"));
    writeFileSync(join(dir.path, "order.txt"), Object.keys(FORECASTIN_FILES).filter((f) => !f.includes("ROLLBACK")).sort().join("\n"));
  });
  afterAll(async () => {
    dir.remove();
    await database.drop();
  });

  it("refuses a --stamp that names no imported file, writing nothing", async () => {
    const result = await run("import-sql", "legacy", "--stamp", "003_nothing.sql");
    expect(result.code).toBe(2);
    expect(expectOneLineError(result)).toContain("--stamp 003_nothing.sql names none of the imported revisions");
    expect(readdirSync(join(dir.path, "migrations"))).toEqual([]);
  });

  it("stamps up to the named file, so upgrade runs only the rest", async () => {
    // The hand-run history: the first three files were applied without any record.
    const db = await openDatabase({ url: database.url });
    try {
      for (const file of ["001_initial_schema.sql", "001_standardize_feature_flag_names.sql", "002_ml_ab_testing_framework.sql"]) {
        for (const statement of FORECASTIN_FILES[file]!.split(/;\n/).filter((s) => s.trim() && !/^(BEGIN|COMMIT)$/.test(s.trim()))) {
          await db.main.query(statement);
        }
      }
    } finally {
      await db.close();
    }
    const result = json<ImportJson>(await run("--json", "import-sql", "legacy", "--order", "order.txt", "--stamp", "002_ml_ab_testing_framework.sql"));
    expect(result.stamped).toEqual([result.revisions[2]!.id]);
    const up = await run("upgrade", "head");
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout.match(/Running upgrade/g)).toHaveLength(2);
    expect(up.stdout).toContain(`Running upgrade ${result.revisions[2]!.id} -> ${result.revisions[3]!.id}`);
  });
});

describe("import-sql into a SQLite project", () => {
  let dir: { path: string; remove(): void };
  const run = (...args: string[]) => stratum(dir.path, ...args);

  beforeAll(() => {
    dir = tempDir("stratum-import-sqlite-");
    mkdirSync(join(dir.path, "migrations"));
    writeFileSync(join(dir.path, "stratum.config.mjs"), `export default { url: ${JSON.stringify(`sqlite:${join(dir.path, "app.db")}`)} };\n`);
    mkdirSync(join(dir.path, "sql"));
    writeFileSync(join(dir.path, "sql", "1_users.sql"), "BEGIN TRANSACTION;\nCREATE TABLE users (id integer PRIMARY KEY, name text);\nCOMMIT;\n");
    writeFileSync(join(dir.path, "sql", "1_users.down.sql"), "DROP TABLE users;\n");
    writeFileSync(join(dir.path, "sql", "2_email.sql"), "ALTER TABLE users ADD COLUMN email text;\n");
    writeFileSync(join(dir.path, "sql", "2_email_down.sql"), "ALTER TABLE users DROP COLUMN email;\n");
    writeFileSync(join(dir.path, "migrations", "0_start.sql"), '-- stratum:revision id=start0 message="start"\n-- stratum:up\nCREATE TABLE t0 (id integer);\n-- stratum:down\nDROP TABLE t0;\n');
  });
  afterAll(() => dir.remove());

  it("builds on the project's head, uses the SQLite splitter, drops transaction control, and runs both ways", async () => {
    const result = json<ImportJson>(await run("--json", "import-sql", "sql"));
    expect(result.revisions.map((r) => r.parents)).toEqual([["start0"], [result.revisions[0]!.id]]);
    expect(result.revisions.map((r) => [r.file, r.rollback])).toEqual([
      ["1_users.sql", "1_users.down.sql"],
      ["2_email.sql", "2_email_down.sql"],
    ]);
    expect(result.revisions[0]!.warnings).toEqual([
      'line 1: removed "BEGIN TRANSACTION": each revision runs in its own transaction',
      'line 3: removed "COMMIT": each revision runs in its own transaction',
    ]);
    const up = await run("upgrade", "head");
    expect(up.code, up.stderr).toBe(0);
    const down = await run("--yes", "downgrade", "base");
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toContain(`Running downgrade ${result.revisions[0]!.id} -> start0`);
    expect(down.stdout).toContain("Running downgrade start0 -> <base>");
  });

  it("refuses to import onto a project with two heads, and bad --version-path / --order paths", async () => {
    mkdirSync(join(dir.path, "more"));
    writeFileSync(join(dir.path, "more", "1_x.sql"), "CREATE TABLE x (id integer);\n");
    const badPath = await run("import-sql", "more", "--version-path", "elsewhere");
    expect(expectOneLineError(badPath)).toContain("--version-path elsewhere is not one of the configured versions folders");
    const badOrder = await run("import-sql", "more", "--order", "nope.txt");
    expect(expectOneLineError(badOrder)).toMatch(/nope\.txt: cannot read the order file: no such file/);
    writeFileSync(join(dir.path, "migrations", "9_other.sql"), '-- stratum:revision id=other0 message="other root"\n-- stratum:up\n-- stratum:down\n');
    const before = readdirSync(join(dir.path, "migrations")).sort();
    const twoHeads = await run("import-sql", "more");
    expect(twoHeads.code).toBe(2);
    expect(twoHeads.stderr).toMatch(/^error: The project has 2 heads \(.*other0.*\); merge them first so the imported revisions have one place to go\.\nhint: stratum merge heads/);
    expect(readdirSync(join(dir.path, "migrations")).sort()).toEqual(before);
  });
});
