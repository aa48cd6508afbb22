/**
 * `stratum lint` end to end: revision files on disk (TypeScript and SQL), the config's rule
 * levels, disable comments, the output formats and the exit codes, through the API and the CLI.
 * `--pending` runs against the real PostgreSQL server.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lint } from "../../src/api/lint.js";
import { loadProject } from "../../src/api/project.js";
import { loadRevisions } from "../../src/api/revisions.js";
import { getDialect } from "../../src/dialects/index.js";
import { lintRevisions } from "../../src/lint/index.js";
import { createMysqlDatabase, createPostgresDatabase, tempDir, type ScratchDatabase } from "../helpers/databases.js";
import { expectOneLineError, json, stratum } from "../cli/run.js";
import type { LintFinding, LintSummary } from "../../src/lint/index.js";

const R1 = `import { revision } from "stratum";

export default revision({
  id: "aaaaaaaaaaa1",
  parents: [],
  message: "users",
  async upgrade(op) {
    await op.createTable("users", [{ name: "id", type: "bigint", primaryKey: true }, { name: "email", type: "varchar(50)" }]);
    await op.createIndex("users_email", "users", ["email"]);
  },
  async downgrade(op) {
    await op.dropTable("users");
  },
});
`;

const R2 = `import { revision, sql } from "stratum";

export default revision({
  id: "bbbbbbbbbbb2",
  parents: ["aaaaaaaaaaa1"],
  message: "index email",
  async upgrade(op) {
    await op.alterColumn("users", "email", { type: "text" });
    await op.createIndex("users_email2", "users", ["email"]);
    // stratum-disable-next-line drop-column
    await op.dropColumn("users", "legacy");
    await op.addColumn("users", { name: "code", type: "text", default: sql\`app_code()\` });
  },
  async downgrade(op) {
    await op.dropIndex("users_email2", { concurrently: true });
  },
});
`;

const R3 = `-- stratum:revision id=ccccccccccc3 parents=bbbbbbbbbbb2 message="orders fk"
-- stratum:up
ALTER TABLE orders
  ADD CONSTRAINT orders_user FOREIGN KEY (user_id) REFERENCES users (id);
-- stratum-disable-next-line truncate-cascade
TRUNCATE users CASCADE;
`;

const R4 = `import { revision } from "stratum";

export default revision({
  id: "ddddddddddd4",
  parents: ["ccccccccccc3"],
  message: "rename",
  lint: { disable: ["rename-table"] },
  async upgrade(op) {
    await op.renameTable("orders", "purchases");
    await op.createTable("n", [{ name: "id", type: "integer", primaryKey: true }]);
  },
});
`;

/** Writes a config file; each name is imported once per process, so every variant gets its own file. */
function writeConfig(dir: string, body: string, name = "stratum.config.mjs"): string {
  const path = join(dir, name);
  writeFileSync(path, `export default { versionPaths: ["migrations"], ${body} };\n`);
  return path;
}

function rulesAt(summary: LintSummary): string[] {
  return summary.findings.map((f) => `${f.revision}:${f.line}:${f.rule}:${f.severity}`);
}

describe("stratum lint on a project", () => {
  let dir: { path: string; remove(): void };
  const run = (...args: string[]) => stratum(dir.path, ...args);

  beforeAll(() => {
    dir = tempDir("stratum-lint-");
    mkdirSync(join(dir.path, "migrations"));
    writeFileSync(join(dir.path, "migrations", "aaaaaaaaaaa1_users.ts"), R1);
    writeFileSync(join(dir.path, "migrations", "bbbbbbbbbbb2_index_email.ts"), R2);
    writeFileSync(join(dir.path, "migrations", "ccccccccccc3_orders_fk.sql"), R3);
    writeFileSync(join(dir.path, "migrations", "ddddddddddd4_rename.ts"), R4);
    writeConfig(dir.path, "");
  });
  afterAll(() => dir.remove());

  it("--all reports each finding at the op call or SQL statement line, honouring disable comments", async () => {
    const result = await lint({ cwd: dir.path, all: true });
    expect(result.revisions).toEqual(["aaaaaaaaaaa1", "bbbbbbbbbbb2", "ccccccccccc3", "ddddddddddd4"]);
    expect(rulesAt(result)).toEqual([
      "aaaaaaaaaaa1:12:downgrade-drops-data:warn",
      "bbbbbbbbbbb2:9:index-not-concurrent:error",
      "bbbbbbbbbbb2:12:default-volatility-unknown:warn",
      "ccccccccccc3:3:foreign-key-not-valid:error",
      "ccccccccccc3:1:missing-downgrade:warn",
      "ddddddddddd4:3:missing-downgrade:warn",
    ]);
    // varchar(50) -> text was seen as binary-coercible from the first revision's column type.
    expect(result.findings.some((f) => f.rule === "type-change-rewrite")).toBe(false);
    expect(result.errors).toBe(2);
    expect(result.warnings).toBe(4);
    const fk = result.findings.find((f) => f.rule === "foreign-key-not-valid")!;
    expect(fk).toMatchObject({
      revision: "ccccccccccc3",
      direction: "upgrade",
      statement: "ALTER TABLE orders\n  ADD CONSTRAINT orders_user FOREIGN KEY (user_id) REFERENCES users (id)",
      why: expect.stringContaining("SHARE ROW EXCLUSIVE"),
      fix: expect.stringContaining("NOT VALID"),
    });
    expect(fk.file).toMatch(/migrations\/ccccccccccc3_orders_fk\.sql$/);
  });

  it("checking the upgrades only (the upgrade gate) finds what a full lint finds for them, missing downgrades included", async () => {
    const own = tempDir("stratum-lint-gate-");
    try {
      mkdirSync(join(own.path, "migrations"));
      writeFileSync(join(own.path, "migrations", "aaaaaaaaaaa1_users.ts"), R1);
      writeFileSync(join(own.path, "migrations", "bbbbbbbbbbb2_index_email.ts"), R2);
      writeFileSync(join(own.path, "migrations", "ccccccccccc3_orders_fk.sql"), R3);
      writeFileSync(join(own.path, "migrations", "ddddddddddd4_rename.ts"), R4);
      // A down section of comments only, and a downgrade that executes a comment: both undo nothing.
      writeFileSync(
        join(own.path, "migrations", "eeeeeeeeeee5_notes.sql"),
        "-- stratum:revision id=eeeeeeeeeee5 parents=ddddddddddd4 message=\"notes\"\n-- stratum:up\nCREATE TABLE notes (id bigint PRIMARY KEY);\n-- stratum:down\n-- nothing to undo\n/* really */ ;\n",
      );
      writeFileSync(
        join(own.path, "migrations", "fffffffffff6_tags.ts"),
        R4.replace('"ddddddddddd4"', '"fffffffffff6"').replace('["ccccccccccc3"]', '["eeeeeeeeeee5"]').replace('lint: { disable: ["rename-table"] },\n', "")
          .replace('await op.renameTable("orders", "purchases");', 'await op.createTable("tags", [{ name: "id", type: "bigint", primaryKey: true }]);')
          .replace('await op.createTable("n", [{ name: "id", type: "integer", primaryKey: true }]);', "")
          .replace(/\n  \},\n\}\);\n$/, '\n  },\n  async downgrade(op) {\n    await op.execute("-- kept");\n  },\n});\n'),
      );
      writeConfig(own.path, "");
      const project = await loadProject({ cwd: own.path });
      const revisions = await project.revisions();
      const ids = revisions.headers.map((h) => h.id);
      expect(ids).toHaveLength(6);
      const loaded = loadRevisions(ids, revisions.byId, revisions.files, getDialect("postgresql"));
      const list = ids.map((id) => loaded.get(id)!);
      const full = await lintRevisions({ revisions: list, dialect: "postgresql" });
      const upgradesOnly = await lintRevisions({ revisions: list, dialect: "postgresql", downgrades: false });
      expect(upgradesOnly.findings).toEqual(full.findings.filter((f) => f.direction === "upgrade"));
      expect(full.findings.some((f) => f.direction === "downgrade")).toBe(true);
      expect(rulesAt(upgradesOnly).filter((r) => r.includes("missing-downgrade"))).toEqual([
        "ccccccccccc3:1:missing-downgrade:warn",
        "ddddddddddd4:3:missing-downgrade:warn",
        "eeeeeeeeeee5:1:missing-downgrade:warn",
        "fffffffffff6:3:missing-downgrade:warn",
      ]);
    } finally {
      own.remove();
    }
  });

  it("lints the heads by default, or the revisions named (prefixes work)", async () => {
    expect((await lint({ cwd: dir.path })).revisions).toEqual(["ddddddddddd4"]);
    expect((await lint({ cwd: dir.path, revisions: ["bbbb", "aaaaaaaaaaa1"] })).revisions).toEqual(["aaaaaaaaaaa1", "bbbbbbbbbbb2"]);
  });

  it("config levels turn rules off, demote them, or switch on the ones off by default", async () => {
    const configFile = writeConfig(
      dir.path,
      `lint: { rules: { "index-not-concurrent": "warn", "foreign-key-not-valid": "off", "prefer-bigint-pk": "error" } }`,
      "levels.config.mjs",
    );
    const result = await lint({ cwd: dir.path, configFile, all: true });
    expect(rulesAt(result).filter((r) => !r.includes("missing-downgrade") && !r.includes("downgrade-drops"))).toEqual([
      "bbbbbbbbbbb2:9:index-not-concurrent:warn",
      "bbbbbbbbbbb2:12:default-volatility-unknown:warn",
      "ddddddddddd4:10:prefer-bigint-pk:error",
    ]);
    expect(result.errors).toBe(1);
  });

  it("the CLI exits 1 on errors, 0 on warnings only, and prints why and how to fix", async () => {
    const failing = await run("lint", "--all");
    expect(failing.code).toBe(1);
    expect(failing.stdout).toMatch(/bbbbbbbbbbb2_index_email\.ts:9: error \[index-not-concurrent\] index users_email2 is built on existing table users without CONCURRENTLY/);
    expect(failing.stdout).toContain("  why: a plain CREATE INDEX takes a SHARE lock");
    expect(failing.stdout).toContain("2 error(s), 4 warning(s) in 4 revision(s).");
    const warningsOnly = await run("lint", "ddddddddddd4");
    expect(warningsOnly.code).toBe(0);
    expect(warningsOnly.stdout).toContain("0 error(s), 1 warning(s) in 1 revision(s).");
  });

  it("--json and --format json print the findings as one document", async () => {
    for (const args of [["--json", "lint", "--all"], ["lint", "--all", "--format", "json"]]) {
      const result = await run(...args);
      expect(result.code).toBe(1);
      const doc = json<LintSummary>(result);
      expect(doc.errors).toBe(2);
      expect(Object.keys(doc).sort()).toEqual(["errors", "findings", "revisions", "warnings"]);
      const finding: LintFinding = doc.findings[1]!;
      expect(Object.keys(finding).sort()).toEqual(["direction", "file", "fix", "line", "message", "revision", "rule", "severity", "statement", "why"]);
    }
  });

  it("--format github prints workflow annotations", async () => {
    const result = await run("lint", "--all", "--format", "github");
    expect(result.code).toBe(1);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(6);
    expect(lines[1]).toMatch(/^::error file=.*bbbbbbbbbbb2_index_email\.ts,line=9,title=stratum lint index-not-concurrent::index users_email2 is built/);
    expect(lines[1]).toContain("%0AWhy: ");
    expect(lines[0]).toMatch(/^::warning file=.*,line=12,title=stratum lint downgrade-drops-data::/);
  });

  it("bad input: an unknown rule in the config, in a comment or in lint.disable, bad flags and targets exit 2", async () => {
    writeConfig(dir.path, `lint: { rules: { "no-such-rule": "error" } }`, "bad.config.mjs");
    const badConfig = await run("--config", "bad.config.mjs", "lint", "--all");
    expect(badConfig.code).toBe(2);
    expect(expectOneLineError(badConfig)).toMatch(/bad\.config\.mjs: lint\.rules names an unknown rule "no-such-rule"/);
    const extra = join(dir.path, "migrations", "eeeeeeeeeee5_typo.sql");
    writeFileSync(extra, `-- stratum:revision id=eeeeeeeeeee5 parents=ddddddddddd4 message="typo"\n-- stratum:up\n-- stratum-disable-next-line drop-tabel\nDROP TABLE x;\n`);
    try {
      const result = await run("lint");
      expect(result.code).toBe(2);
      expect(expectOneLineError(result)).toMatch(/eeeeeeeeeee5_typo\.sql:3: stratum-disable-next-line names an unknown rule "drop-tabel"/);
    } finally {
      writeFileSync(extra, `-- stratum:revision id=eeeeeeeeeee5 parents=ddddddddddd4 message="typo"\n-- stratum:up\n-- stratum-disable-next-line drop-table\nDROP TABLE x;\n-- stratum:down\nCREATE TABLE x (id bigint);\n`);
    }
    const disabled = await run("lint");
    expect(disabled.code).toBe(0);
    expect(disabled.stdout).toContain("No lint findings in 1 revision(s).");

    const ts = join(dir.path, "migrations", "fffffffffff6_bad.ts");
    writeFileSync(ts, R4.replace("ddddddddddd4", "fffffffffff6").replace('["ccccccccccc3"]', '["eeeeeeeeeee5"]').replace('"rename-table"', '"renam-table"'));
    const badDisable = await run("lint");
    expect(badDisable.code).toBe(2);
    expect(expectOneLineError(badDisable)).toMatch(/fffffffffff6_bad\.ts:\d+: lint\.disable names an unknown rule "renam-table"/);

    writeFileSync(ts, R4.replace("ddddddddddd4", "fffffffffff6").replace('["ccccccccccc3"]', '["eeeeeeeeeee5"]').replace("await op.renameTable", 'throw new Error("boom"); await op.renameTable'));
    const throwing = await run("lint");
    expect(throwing.code).toBe(2);
    expect(expectOneLineError(throwing)).toMatch(/fffffffffff6_bad\.ts: revision fffffffffff6 failed while its operations were recorded for lint: boom/);

    expect((await run("lint", "--all", "--pending")).code).toBe(2);
    expect((await run("lint", "--format", "xml")).code).toBe(2);
    const unknown = await run("lint", "zzzz");
    expect(unknown.code).toBe(2);
    expectOneLineError(unknown);
  });
});

describe("stratum lint --pending on PostgreSQL", () => {
  let dir: { path: string; remove(): void };
  let db: ScratchDatabase;

  beforeAll(async () => {
    db = await createPostgresDatabase("stratum_lint");
    dir = tempDir("stratum-lint-pg-");
    mkdirSync(join(dir.path, "migrations"));
    writeFileSync(join(dir.path, "migrations", "aaaaaaaaaaa1_users.ts"), R1);
    writeFileSync(join(dir.path, "migrations", "bbbbbbbbbbb2_index_email.ts"), R2);
    writeConfig(dir.path, `url: ${JSON.stringify(db.url)}`);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      // A user function the built-in table cannot know: pg_proc says it is volatile.
      await client.query("CREATE FUNCTION app_code() RETURNS text VOLATILE LANGUAGE sql AS $$ SELECT md5(random()::text) $$");
    } finally {
      await client.end();
    }
  });
  afterAll(async () => {
    dir?.remove();
    await db?.drop();
  });

  it("lints only what the database has not applied, looking function volatility up in pg_proc", async () => {
    const stamped = await stratum(dir.path, "stamp", "aaaaaaaaaaa1");
    expect(stamped.code).toBe(0);
    const result = await lint({ cwd: dir.path, pending: true });
    expect(result.revisions).toEqual(["bbbbbbbbbbb2"]);
    expect(result.findings.map((f) => f.rule)).toEqual(["type-change-rewrite", "index-not-concurrent", "volatile-default"]);
    expect(result.findings[2]!.message).toContain("app_code()");
    // Without the connection the same function is of unknown volatility.
    const offline = await lint({ cwd: dir.path, revisions: ["bbbbbbbbbbb2"] });
    expect(offline.findings.map((f) => f.rule)).toContain("default-volatility-unknown");
  });
});

describe("stratum lint --pending on MariaDB", () => {
  let dir: { path: string; remove(): void };
  let db: ScratchDatabase;
  const M1 = `-- stratum:revision id=aaaaaaaaaaa1 message="accounts"
-- stratum:up
CREATE TABLE accounts (id BIGINT PRIMARY KEY, email VARCHAR(50));
-- stratum:down
DROP TABLE accounts;
`;
  const M2 = `-- stratum:revision id=bbbbbbbbbbb2 parents=aaaaaaaaaaa1 message="widen"
-- stratum:up
ALTER TABLE accounts MODIFY email VARCHAR(200);
ALTER TABLE accounts ADD INDEX accounts_email (email), ALGORITHM=INPLACE, LOCK=NONE;
ALTER TABLE accounts ADD COLUMN note TEXT;
-- stratum:down
ALTER TABLE accounts DROP COLUMN note, DROP INDEX accounts_email;
`;

  beforeAll(async () => {
    db = await createMysqlDatabase("stratum_lint");
    dir = tempDir("stratum-lint-mysql-");
    mkdirSync(join(dir.path, "migrations"));
    writeFileSync(join(dir.path, "migrations", "aaaaaaaaaaa1_accounts.sql"), M1);
    writeFileSync(join(dir.path, "migrations", "bbbbbbbbbbb2_widen.sql"), M2);
    writeConfig(dir.path, `url: ${JSON.stringify(db.url)}`);
  });
  afterAll(async () => {
    dir?.remove();
    await db?.drop();
  });

  it("applies the MySQL rules to the pending SQL, at each statement's line", async () => {
    expect((await stratum(dir.path, "stamp", "aaaaaaaaaaa1")).code).toBe(0);
    const result = await lint({ cwd: dir.path, pending: true });
    expect(result.revisions).toEqual(["bbbbbbbbbbb2"]);
    expect(rulesAt(result)).toEqual([
      "bbbbbbbbbbb2:3:mysql-algorithm-copy:error",
      "bbbbbbbbbbb2:5:mysql-lock-none:warn",
      "bbbbbbbbbbb2:7:downgrade-drops-data:warn",
    ]);
  });
});
