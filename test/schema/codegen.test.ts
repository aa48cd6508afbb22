import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createJiti } from "jiti";
import { afterAll, describe, expect, it } from "vitest";
import { RecordingExecutor } from "../../src/ops/executor.js";
import { Op } from "../../src/ops/op.js";
import type { Operation } from "../../src/ops/types.js";
import type { RevisionDefinition } from "../../src/scripts/revision.js";
import { createSchemaOps, renderOperations, renderRevisionSource } from "../../src/schema/codegen.js";
import { check, defineSchema, enumType, index, integer, materializedView, pgEnum, sql, table, text, timestamptz, toSchemaModel, uuid, varchar, view } from "../../src/schema/dsl.js";
import { emptySchema } from "../../src/schema/model.js";
import { planRevision } from "../../src/schema/plan.js";
import { tempDir } from "../helpers/databases.js";

const root = resolve(import.meta.dirname, "../..");

const mood = pgEnum("mood", ["sad", "happy"]);
const users = table(
  "users",
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    email: varchar(255).notNull().unique(),
    mood: enumType(mood).default("happy"),
    created_at: timestamptz().notNull().default(sql`now()`),
  },
  [index("users_created_idx").on("created_at").where(sql`mood = 'happy'`)],
);
const posts = table(
  "posts",
  {
    id: integer().primaryKey().identity(),
    author_id: uuid().notNull().references("users.id", { onDelete: "CASCADE" }),
    body: text(),
  },
  [check("posts_body_len", sql`length(body) < 10000`)],
);
const sample = toSchemaModel(
  defineSchema({
    tables: [users, posts],
    views: [view("recent_posts", "SELECT id, body FROM posts"), materializedView("post_counts", "SELECT author_id, count(*) AS n FROM posts GROUP BY author_id").index(index("post_counts_author").on("author_id").unique())],
  }),
  "postgresql",
);
const plan = planRevision(emptySchema("postgresql"), sample);
const source = renderRevisionSource({ id: "3f2a9c1e0b7d", parents: [], message: "create users and posts", upgradeOps: plan.upgradeOps, downgradeOps: plan.downgradeOps });

const scratch = tempDir("stratum-codegen-");
afterAll(() => scratch.remove());

/** "stratum" as a revision file sees it, reduced to what generated code imports. */
function writeStratumShim(dir: string): string {
  const shim = join(dir, "stratum-shim.ts");
  writeFileSync(
    shim,
    `export { revision } from ${JSON.stringify(join(root, "src/scripts/revision.js"))};\nexport { sql } from ${JSON.stringify(join(root, "src/ops/types.js"))};\n`,
  );
  return shim;
}

function stripPrevious(ops: readonly Operation[]): Operation[] {
  return JSON.parse(JSON.stringify(ops, (key, value) => (key === "previous" ? undefined : value)));
}

async function loadRevision(file: string, shim: string): Promise<RevisionDefinition> {
  const jiti = createJiti(import.meta.url, { alias: { stratum: shim }, moduleCache: false });
  const module = (await jiti.import(file)) as { default: RevisionDefinition };
  return module.default;
}

async function record(migration: RevisionDefinition["upgrade"]): Promise<Operation[]> {
  const executor = new RecordingExecutor("postgresql");
  await migration(new Op(executor), { revision: "x", dialect: "postgresql", args: {}, offline: true });
  return executor.operations;
}

describe("renderRevisionSource", () => {
  it("writes readable revision code (snapshot)", async () => {
    await expect(source).toMatchFileSnapshot("./__snapshots__/sample-revision.ts.txt");
    expect(source).toContain('import { revision, sql } from "stratum";');
    expect(source).toContain('await op.createIndex("users_created_idx", "users", ["created_at"], { where: "mood = \'happy\'" });');
  });

  it("type-checks with the TypeScript compiler", () => {
    const shim = writeStratumShim(scratch.path);
    writeFileSync(join(scratch.path, "revision.ts"), source);
    writeFileSync(
      join(scratch.path, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: true, types: [], paths: { stratum: [shim] } },
        files: ["revision.ts"],
      }),
    );
    const tsc = join(root, "node_modules/typescript/bin/tsc");
    let output = "";
    try {
      execFileSync(process.execPath, [tsc, "-p", join(scratch.path, "tsconfig.json")], { encoding: "utf8" });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    // Errors inside the project's own sources are not the generated file's doing.
    expect(output.split("\n").filter((line) => line.startsWith("revision.ts"))).toEqual([]);
  }, 60_000);

  it("runs: its upgrade and downgrade issue exactly the planned operations through the op facade", async () => {
    const shim = writeStratumShim(scratch.path);
    const file = join(scratch.path, "run-revision.ts");
    writeFileSync(file, source);
    const revision = await loadRevision(file, shim);
    expect(revision.id).toBe("3f2a9c1e0b7d");
    expect(await record(revision.upgrade)).toEqual(stripPrevious(plan.upgradeOps));
    expect(await record(revision.downgrade!)).toEqual(stripPrevious(plan.downgradeOps));
  }, 30_000);

  it("falls back to op.run for operations without a facade method and keeps manual notes", () => {
    const ops: Operation[] = [
      { kind: "bulkInsert", table: "users", rows: [{ id: 1 }] },
      { kind: "autocommit", ops: [{ kind: "addEnumValue", name: "mood", value: "meh", after: "sad" }] },
      { kind: "execute", sql: "SELECT 1", nonTransactional: true },
      { kind: "createPrimaryKey", table: "t", columns: ["id"] },
    ];
    expect(renderOperations(ops, { manual: ["Enum mood loses the value 'x'."] })).toBe(
      [
        "// Needs a hand-written migration: Enum mood loses the value 'x'.",
        'await op.run({ kind: "bulkInsert", table: "users", rows: [{ id: 1 }] });',
        "await op.autocommit(async (op) => {",
        '  await op.addEnumValue("mood", "meh", { after: "sad" });',
        "});",
        'await op.execute("SELECT 1", undefined, { nonTransactional: true });',
        'await op.createPrimaryKey(undefined, "t", ["id"]);',
      ].join("\n"),
    );
    expect(renderOperations([])).toBe("// Nothing to do.");
    expect(renderOperations([{ kind: "batch", table: "t", ops: [{ kind: "dropConstraint", table: "t", name: "t_b", type: "check" }] }])).toBe(
      ['await op.batch("t", async (op) => {', '  await op.dropConstraint("t_b", "t", { type: "check" });', "});"].join("\n"),
    );
  });

  it("escapes SQL templates so that backticks and ${ stay literal", async () => {
    const ops: Operation[] = [
      { kind: "addColumn", table: "t", column: { name: "c", type: "text", default: { kind: "sql", text: "'`${x}` \\\\'" } } },
      { kind: "execute", sql: "CREATE FUNCTION f() RETURNS text\nLANGUAGE sql AS $$ SELECT '`${y}` \\\\' $$" },
    ];
    const text = renderRevisionSource({ id: "a1", parents: ["b2"], upgradeOps: ops, downgradeOps: [] });
    const shim = writeStratumShim(scratch.path);
    const file = join(scratch.path, "escape-revision.ts");
    writeFileSync(file, text);
    expect(text).toContain("await op.execute(`CREATE FUNCTION f() RETURNS text\nLANGUAGE sql");
    const revision = await loadRevision(file, shim);
    expect(await record(revision.upgrade)).toEqual(ops);
  }, 30_000);

  it("createSchemaOps builds everything from empty", () => {
    const ops = createSchemaOps(sample);
    expect(ops.map((op) => op.kind)).toEqual(["createEnum", "createTable", "createIndex", "createTable", "createView", "createIndex", "createView"]);
  });
});
