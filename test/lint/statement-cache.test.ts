/**
 * What lint read from a revision is kept between runs (src/lint/statement-cache.ts): for SQL
 * revisions and self-contained TypeScript revisions only, with the same findings as a fresh read.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, sep } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lint } from "../../src/api/lint.js";
import { forgetPacks } from "../../src/cache-dir.js";
import type { LintSummary } from "../../src/lint/index.js";
import { useScratchCacheDir } from "../helpers/cache.js";
import { tempDir } from "../helpers/databases.js";
import { filesUnder } from "../helpers/files.js";

const cacheDir = useScratchCacheDir("stratum-lint-cache-");

const TABLES = `import { revision } from "stratum";

export default revision({
  id: "aaaaaaaaaaa1",
  parents: [],
  message: "users",
  async upgrade(op) {
    await op.createTable("users", [{ name: "id", type: "bigint", primaryKey: true }, { name: "email", type: "varchar(50)" }]);
    // stratum-disable-next-line index-not-concurrent
    await op.createIndex("users_email", "users", ["email"]);
    await op.createIndex("users_email2", "users", ["email"]);
  },
  async downgrade(op) {
    await op.dropTable("users");
  },
});
`;

const SQL = `-- stratum:revision id=bbbbbbbbbbb2 parents=aaaaaaaaaaa1 message="orders fk"
-- stratum:up
ALTER TABLE orders ADD CONSTRAINT orders_user FOREIGN KEY (user_id) REFERENCES users (id);
`;

const HELPED = `import { revision } from "stratum";
import { indexSql } from "../helpers/index-sql.ts";

export default revision({
  id: "ccccccccccc3",
  parents: ["bbbbbbbbbbb2"],
  message: "helped",
  async upgrade(op) {
    await op.execute(indexSql);
  },
  async downgrade(op) {
    await op.execute("DROP INDEX users_name");
  },
});
`;

const found = (summary: LintSummary) => summary.findings.map((f) => `${f.revision}:${f.line}:${f.rule}:${f.direction}`);
const entries = () => filesUnder(join(cacheDir(), "lint-revisions")).filter((path) => !path.includes(`${sep}packs${sep}`));

describe("lint's cache of what it read", () => {
  let dir: { path: string; remove(): void };
  const helper = (sql: string) => writeFileSync(join(dir.path, "helpers", "index-sql.ts"), `export const indexSql = ${JSON.stringify(sql)};\n`);

  beforeAll(() => {
    dir = tempDir("stratum-lint-cache-");
    mkdirSync(join(dir.path, "migrations"));
    mkdirSync(join(dir.path, "helpers"));
    writeFileSync(join(dir.path, "migrations", "aaaaaaaaaaa1_users.ts"), TABLES);
    writeFileSync(join(dir.path, "migrations", "bbbbbbbbbbb2_fk.sql"), SQL);
    writeFileSync(join(dir.path, "migrations", "ccccccccccc3_helped.ts"), HELPED);
    helper("CREATE INDEX users_name ON users (email)");
    writeFileSync(join(dir.path, "stratum.config.mjs"), `export default { versionPaths: ["migrations"], url: "pglite:memory" };\n`);
  });
  afterAll(() => dir.remove());

  it("keeps an entry for the SQL and the self-contained revision, and finds the same on a second run", async () => {
    const first = await lint({ cwd: dir.path, all: true });
    // The indexes are on a table the same revision creates: nothing to lock yet.
    expect(found(first)).toEqual([
      "aaaaaaaaaaa1:14:downgrade-drops-data:downgrade",
      "bbbbbbbbbbb2:3:foreign-key-not-valid:upgrade",
      "bbbbbbbbbbb2:1:missing-downgrade:upgrade",
      "ccccccccccc3:9:index-not-concurrent:upgrade",
    ]);
    // Not the revision that imports a helper: what it does depends on another file.
    expect(entries()).toHaveLength(2);
    forgetPacks();
    const second = await lint({ cwd: dir.path, all: true });
    expect(second.findings).toEqual(first.findings);
    expect(entries()).toHaveLength(2);
  });

  it("reads a revision from its entry when there is one", async () => {
    forgetPacks();
    // Emptying the kept statements of both entries shows that the next run used them.
    for (const entry of entries()) {
      const stored = JSON.parse(readFileSync(entry, "utf8")) as { upgrade: unknown[]; downgrade?: unknown[] };
      writeFileSync(entry, JSON.stringify({ ...stored, upgrade: [], downgrade: [] }));
    }
    const summary = await lint({ cwd: dir.path, all: true });
    expect(found(summary)).toEqual(["ccccccccccc3:9:index-not-concurrent:upgrade"]);
  });

  it("reads a revision that imports a helper again on every run", async () => {
    helper("CREATE INDEX CONCURRENTLY users_name ON users (email)");
    forgetPacks();
    const summary = await lint({ cwd: dir.path, all: true });
    expect(summary.findings.filter((f) => f.revision === "ccccccccccc3").map((f) => f.rule)).toEqual(["concurrently-in-transaction"]);
  });
});
