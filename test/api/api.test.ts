/**
 * The programmatic API: plain data back, targets as parameters (two databases driven from one
 * process), events instead of printing, and SQL revisions run statement by statement.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createRevision,
  current,
  downgrade,
  GraphError,
  heads,
  history,
  log,
  merge,
  type RunEvent,
  show,
  status,
  upgrade,
  UsageError,
} from "../../src/index.js";
import { sqlDefinition } from "../../src/api/revisions.js";
import { getDialect } from "../../src/dialects/index.js";
import { RecordingExecutor } from "../../src/ops/executor.js";
import { Op } from "../../src/ops/op.js";
import { createPostgresDatabase, type ScratchDatabase, tempDir } from "../helpers/databases.js";
import { writeTree } from "../helpers/files.js";

const TS_ROOT = `import { revision } from "stratum";
export default revision({
  id: "a00000000001",
  parents: [],
  message: "items",
  async upgrade(op, context) {
    await op.execute("CREATE TABLE items (id int PRIMARY KEY, note text)");
    await op.execute("INSERT INTO items VALUES (1, $1)", [context.args.note ?? "none"]);
  },
  async downgrade(op) { await op.execute("DROP TABLE items"); },
});
`;

const SQL_CHILD = `-- stratum:revision id=a00000000002 parents=a00000000001 message="index items"
-- stratum:up
CREATE INDEX items_note_idx ON items (note);
CREATE INDEX CONCURRENTLY items_id_note_idx ON items (id, note);
-- stratum:down
DROP INDEX items_id_note_idx;
DROP INDEX items_note_idx;
`;

describe("API", () => {
  let dir: { path: string; remove(): void };
  let one: ScratchDatabase;
  let two: ScratchDatabase;

  beforeAll(async () => {
    dir = tempDir("stratum-api-");
    [one, two] = await Promise.all([createPostgresDatabase("stratum_api_one"), createPostgresDatabase("stratum_api_two")]);
    mkdirSync(join(dir.path, "versions"));
    writeFileSync(join(dir.path, "versions", "a00000000001_items.ts"), TS_ROOT);
    writeFileSync(join(dir.path, "versions", "a00000000002_index_items.sql"), SQL_CHILD);
    writeFileSync(join(dir.path, "stratum.config.ts"), `export default { url: ${JSON.stringify(one.url)}, versionPaths: ["versions"] };\n`);
  });

  afterAll(async () => {
    dir.remove();
    await Promise.all([one.drop(), two.drop()]);
  });

  it("reads the graph without a database", async () => {
    const result = await heads({ cwd: dir.path, url: "postgres://nobody@127.0.0.1:1/none" });
    expect(result.heads.map((h) => h.id)).toEqual(["a00000000002"]);
    const all = await history({ cwd: dir.path });
    expect(all.revisions.map((r) => [r.id, r.isRoot, r.isHead])).toEqual([
      ["a00000000002", false, true],
      ["a00000000001", true, false],
    ]);
    expect((await show({ cwd: dir.path, revision: "a0000000000" }).catch((e: unknown) => e)) instanceof GraphError).toBe(true);
  });

  it("current names a broken revision file before a database it cannot reach", async () => {
    const broken = tempDir("stratum-api-broken-");
    try {
      writeTree(broken.path, {
        "versions/a00000000001_items.sql": "-- stratum:revision id=a00000000001 parents=a00000000009\n-- stratum:up\nSELECT 1;\n",
        // Nothing listens on port 1: the connection is refused at once, before the files are read.
        "stratum.config.ts": `export default { url: "postgres://postgres@127.0.0.1:1/nowhere", versionPaths: ["versions"] };\n`,
      });
      const error = await current({ cwd: broken.path }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect(String((error as Error).message)).toMatch(/a00000000009/);
    } finally {
      broken.remove();
    }
  });

  it("upgrades one target and leaves another alone, reporting steps as events", async () => {
    const events: RunEvent[] = [];
    const result = await upgrade({ cwd: dir.path, target: "head", args: { note: "from-api" }, onEvent: (e) => events.push(e) });
    expect(result).toMatchObject({ mode: "online", kind: "upgrade", headsBefore: [], headsAfter: ["a00000000002"], dryRun: false });
    if (result.mode !== "online") throw new Error("expected an online result");
    expect(result.steps.map((s) => [s.revision, s.direction, s.message])).toEqual([
      ["a00000000001", "up", "items"],
      ["a00000000002", "up", "index items"],
    ]);
    expect(events.filter((e) => e.type === "step").map((e) => (e.type === "step" ? `${e.from} -> ${e.to}` : ""))).toEqual([
      "<base> -> a00000000001",
      "a00000000001 -> a00000000002",
    ]);
    expect((await current({ cwd: dir.path })).heads).toEqual(["a00000000002"]);
    expect((await current({ cwd: dir.path, url: two.url })).heads).toEqual([]);
    expect((await status({ cwd: dir.path, url: two.url })).pending.map((p) => p.id)).toEqual(["a00000000001", "a00000000002"]);
  });

  it("passes -x arguments to revisions as bound parameters", async () => {
    const pg = (await import("pg")).default;
    const client = new pg.Client({ connectionString: one.url });
    await client.connect();
    try {
      const { rows } = await client.query("SELECT note FROM items");
      expect(rows).toEqual([{ note: "from-api" }]);
      const indexes = await client.query("SELECT indexname FROM pg_indexes WHERE tablename = 'items' ORDER BY 1");
      expect(indexes.rows.map((r: { indexname: string }) => r.indexname)).toEqual(["items_id_note_idx", "items_note_idx", "items_pkey"]);
    } finally {
      await client.end();
    }
  });

  it("dry-run commits nothing", async () => {
    const result = await upgrade({ cwd: dir.path, url: two.url, target: "head", dryRun: true });
    expect(result).toMatchObject({ mode: "online", dryRun: true, headsAfter: [] });
    expect((await current({ cwd: dir.path, url: two.url })).heads).toEqual([]);
  });

  it("asks before a downgrade that drops data, and runs nothing without a yes", async () => {
    const questions: string[] = [];
    const refused = downgrade({ cwd: dir.path, target: "base", confirm: async (q) => (questions.push(q), false) });
    await expect(refused).rejects.toThrow(/drops table items, with their data/);
    expect(questions).toEqual(["This downgrade drops table items, with their data. Continue?"]);
    expect((await current({ cwd: dir.path })).heads).toEqual(["a00000000002"]);
  });

  it("downgrades and logs", async () => {
    const result = await downgrade({ cwd: dir.path, target: "base", confirm: async () => true });
    expect(result).toMatchObject({ mode: "online", headsAfter: [] });
    const entries = (await log({ cwd: dir.path })).entries;
    expect(entries.map((e) => `${e.direction}:${e.revision}`)).toEqual([
      "up:a00000000001",
      "up:a00000000002",
      "down:a00000000002",
      "down:a00000000001",
    ]);
    expect(typeof entries[0]!.startedAt).toBe("string");
    await expect(log({ cwd: dir.path, limit: "0" })).rejects.toBeInstanceOf(UsageError);
  });

  it("renders an offline script from the API without connecting", async () => {
    const result = await upgrade({ cwd: dir.path, url: "postgres://nobody:pw@127.0.0.1:1/none", target: "head", sql: true });
    if (result.mode !== "offline") throw new Error("expected an offline result");
    expect(result.sql).toContain("CREATE TABLE items");
    // CONCURRENTLY runs outside the revision's transaction.
    expect(result.sql).toMatch(/COMMIT;\nCREATE INDEX CONCURRENTLY items_id_note_idx ON items \(id, note\);/);
  });

  it("refuses duplicate ids, unknown labels and one-revision merges", async () => {
    await expect(createRevision({ cwd: dir.path, message: "dup", revId: "a00000000001" })).rejects.toBeInstanceOf(UsageError);
    await expect(createRevision({ cwd: dir.path, message: "x", dependsOn: ["nosuch"] })).rejects.toBeInstanceOf(GraphError);
    await expect(createRevision({ cwd: dir.path, message: "x", branchLabels: ["bad@label"] })).rejects.toThrow(/bad@label/);
    await expect(merge({ cwd: dir.path, revisions: ["heads"], message: "nothing" })).rejects.toThrow(/two or more/);
  });
});

describe("SQL revisions", () => {
  it("run each statement of a section, flagging the ones that cannot run in a transaction", async () => {
    const definition = await sqlDefinition("v/a.sql", SQL_CHILD, getDialect("postgresql"));
    expect(definition).toMatchObject({ id: "a00000000002", parents: ["a00000000001"], message: "index items", transactional: true });
    const recorder = new RecordingExecutor("postgresql");
    await definition.upgrade(new Op(recorder), { revision: "a00000000002", dialect: "postgresql", args: {}, offline: true });
    expect(recorder.operations).toEqual([
      { kind: "execute", sql: "CREATE INDEX items_note_idx ON items (note)" },
      { kind: "execute", sql: "CREATE INDEX CONCURRENTLY items_id_note_idx ON items (id, note)", nonTransactional: true },
    ]);
  });

  it("report a statement that does not parse at its line in the file", async () => {
    const text = "-- stratum:revision id=b1 message=\"x\"\n-- stratum:up\nSELECT 1;\n\nSELEC oops;\n";
    await expect(sqlDefinition("v/b.sql", text, getDialect("postgresql"))).rejects.toThrow(/v\/b\.sql:5/);
  });
});
