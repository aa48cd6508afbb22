/**
 * Every operation rendered for PostgreSQL and run on PGlite and on the PostgreSQL server, checked
 * in the catalog; then the whole sequence reversed with reverseAll, which must leave nothing behind.
 */
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { markEnumValueUse, render } from "../../src/dialects/postgres/render.js";
import { tryReverseAll } from "../../src/ops/reverse.js";
import type { Operation } from "../../src/ops/types.js";
import type { RenderedStatement } from "../../src/dialects/types.js";
import { catalogSnapshot, openPglite, openPostgres, runInTransactions, type Engine } from "../ops/engines.js";
import { renderOnly, steps } from "../ops/scenario.js";

const online = { offline: false };
const executed = steps.filter((s) => !renderOnly.has(s.title));

function schemaDump(url: string): string {
  return execFileSync("pg_dump", ["--schema-only", "--no-owner", "--no-privileges", url], { encoding: "utf8" })
    .split("\n")
    .filter((line) => !line.startsWith("--") && !line.startsWith("\\restrict") && !line.startsWith("\\unrestrict"))
    .join("\n");
}

describe.each([
  ["PGlite", openPglite],
  ["PostgreSQL", openPostgres],
] as const)("operations on %s", (_name, open) => {
  let engine: Engine;
  let before: Record<string, unknown>[];
  let dumpBefore: string | undefined;

  beforeAll(async () => {
    engine = await open();
    before = await catalogSnapshot(engine.query);
    if (engine.url) dumpBefore = schemaDump(engine.url);
  });
  afterAll(async () => {
    await engine?.close();
  });

  // The steps build on each other, so they run in order as one revision would.
  it.each(executed.map((s) => [s.title, s] as const))("%s", async (_title, step) => {
    await engine.run(render(step.op, online));
    await step.check?.(engine.query);
  });

  it("reverseAll undoes the whole sequence and leaves an empty schema", async () => {
    const { reversed, irreversible } = tryReverseAll(executed.map((s) => s.op));
    // Rows and added enum values cannot be taken back; dropping their containers removes them.
    expect(irreversible.map((op) => op.kind)).toEqual(["execute", "bulkInsert", "addEnumValue"]);
    for (const op of reversed) await engine.run(render(op, online));
    expect(await catalogSnapshot(engine.query)).toEqual(before);
    if (engine.url) expect(schemaDump(engine.url)).toBe(dumpBefore);
  });

  it("upgrading again after the round trip gives the same schema", async () => {
    for (const step of executed) await engine.run(render(step.op, online));
    const once = await catalogSnapshot(engine.query);
    const dumpOnce = engine.url ? schemaDump(engine.url) : undefined;
    const { reversed } = tryReverseAll(executed.map((s) => s.op));
    for (const op of reversed) await engine.run(render(op, online));
    for (const step of executed) await engine.run(render(step.op, online));
    expect(await catalogSnapshot(engine.query)).toEqual(once);
    if (engine.url) expect(schemaDump(engine.url)).toBe(dumpOnce);
    const { reversed: again } = tryReverseAll(executed.map((s) => s.op));
    for (const op of again) await engine.run(render(op, online));
  });

  it("drops schemas and extensions", async () => {
    const ops: Operation[] = [
      { kind: "createSchema", name: "gone", ifNotExists: true },
      { kind: "createTable", table: { schema: "gone", name: "t" }, columns: [{ name: "a", type: "integer" }] },
      { kind: "createExtension", name: "pg_trgm" },
      { kind: "dropSchema", name: "gone", cascade: true, ifExists: true },
      { kind: "dropExtension", name: "pg_trgm", ifExists: true },
    ];
    for (const op of ops) await engine.run(render(op, online));
    expect(await engine.query("SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = 'gone'")).toEqual([{ n: 0 }]);
    expect(await engine.query("SELECT count(*)::int AS n FROM pg_extension WHERE extname = 'pg_trgm'")).toEqual([{ n: 0 }]);
  });

  it("promotes a unique index to a constraint", async () => {
    const ops: Operation[] = [
      { kind: "createTable", table: "promo", columns: [{ name: "code", type: "text" }] },
      { kind: "createIndex", name: "promo_code_idx", table: "promo", keys: ["code"], unique: true },
      { kind: "createUniqueConstraint", table: "promo", name: "promo_code_key", columns: [], usingIndex: "promo_code_idx" },
    ];
    for (const op of ops) await engine.run(render(op, online));
    expect(await engine.query("SELECT conname FROM pg_constraint WHERE conrelid = 'promo'::regclass")).toEqual([{ conname: "promo_code_key" }]);
    await engine.run(render({ kind: "dropTable", table: "promo" }, online));
  });

  it("adds an enum value and uses it in the same sequence once it is committed first", async () => {
    const statements = markEnumValueUse([
      ...render({ kind: "createEnum", name: "level", values: ["low"] }, online),
      ...render({ kind: "createTable", table: "levels", columns: [{ name: "l", type: "level" }] }, online),
      ...render({ kind: "addEnumValue", name: "level", value: "high" }, online),
      ...render({ kind: "bulkInsert", table: "levels", rows: [{ l: "high" }] }, online),
    ]);
    expect(statements.map((s) => s.transactional)).toEqual([true, true, false, true]);
    // What a runner does: the transactional statements before it commit, the addition runs alone.
    await engine.query("BEGIN");
    await engine.run(statements.slice(0, 2));
    await engine.query("COMMIT");
    await engine.run([statements[2]!]);
    await engine.query("BEGIN");
    await engine.run([statements[3]!]);
    await engine.query("COMMIT");
    expect(await engine.query("SELECT l::text FROM levels")).toEqual([{ l: "high" }]);
    await engine.run([...render({ kind: "dropTable", table: "levels" }, online), ...render({ kind: "dropEnum", name: "level" }, online)]);
  });

  it("fails to use an added enum value in the same transaction (why the marking exists)", async () => {
    await engine.run(render({ kind: "createEnum", name: "tier", values: ["a"] }, online));
    await engine.query("BEGIN");
    try {
      await engine.run(render({ kind: "addEnumValue", name: "tier", value: "b" }, online));
      await expect(engine.query("SELECT 'b'::tier")).rejects.toThrow(/unsafe use of new value/);
    } finally {
      await engine.query("ROLLBACK");
    }
    await engine.run(render({ kind: "dropEnum", name: "tier" }, online));
  });

  it("refuses CREATE INDEX CONCURRENTLY inside a transaction (why it is marked)", async () => {
    await engine.run(render({ kind: "createTable", table: "cc", columns: [{ name: "a", type: "integer" }] }, online));
    const [statement] = render({ kind: "createIndex", name: "cc_a", table: "cc", keys: ["a"], concurrently: true }, online);
    expect(statement!.transactional).toBe(false);
    await engine.query("BEGIN");
    await expect(engine.query(statement!.sql)).rejects.toThrow(/cannot run inside a transaction block/);
    await engine.query("ROLLBACK");
    await engine.query(statement!.sql);
    await engine.run(render({ kind: "dropTable", table: "cc" }, online));
  });
});

describe("offline rendering", () => {
  let offlineDb: Engine;
  let onlineDb: Engine;
  beforeAll(async () => {
    [offlineDb, onlineDb] = await Promise.all([openPostgres(), openPostgres()]);
  });
  afterAll(async () => {
    await Promise.all([offlineDb?.close(), onlineDb?.close()]);
  });

  it("gives a script that psql runs to the same schema and data as the online run", async () => {
    const ops = executed.map((s) => s.op);
    const script = offlineScript(markEnumValueUse(ops.flatMap((op) => render(op, { offline: true }))));
    expect(script).not.toMatch(/\$\d/);
    execFileSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", offlineDb.url!], { input: script, encoding: "utf8" });
    await runInTransactions(onlineDb, markEnumValueUse(ops.flatMap((op) => render(op, online))));
    expect(schemaDump(offlineDb.url!)).toBe(schemaDump(onlineDb.url!));
    const data = "SELECT email, handle, mood::text FROM app.users ORDER BY email";
    expect(await offlineDb.query(data)).toEqual(await onlineDb.query(data));
    expect(await offlineDb.query(data)).toEqual([
      { email: "a@example.com", handle: "o'brien", mood: "happy" },
      { email: "b@example.com", handle: "robert", mood: "ok" },
    ]);
  });
});

/** Transactional runs inside BEGIN/COMMIT; each non-transactional statement on its own. */
function offlineScript(statements: RenderedStatement[]): string {
  const lines: string[] = [];
  let open = false;
  for (const statement of statements) {
    if (statement.transactional !== open) {
      lines.push(open ? "COMMIT;" : "BEGIN;");
      open = statement.transactional;
    }
    lines.push(`${statement.sql};`);
  }
  if (open) lines.push("COMMIT;");
  return lines.join("\n") + "\n";
}
