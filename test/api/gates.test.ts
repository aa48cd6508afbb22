/** The config gates around upgrade and revision: lint.onUpgrade / lint.onRevision and linearHistory. */
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CheckFailed, createRevision, type RunEvent, upgrade } from "../../src/index.js";
import { tempDir } from "../helpers/databases.js";

const UNSAFE = `import { revision } from "stratum";
export default revision({
  id: "d00000000002",
  parents: ["d00000000001"],
  message: "index without concurrently",
  async upgrade(op) { await op.execute("CREATE INDEX items_note_idx ON items (note)"); },
  async downgrade(op) { await op.execute("DROP INDEX items_note_idx"); },
});
`;
const ROOT = `import { revision } from "stratum";
export default revision({
  id: "d00000000001",
  parents: [],
  message: "items",
  async upgrade(op) { await op.execute("CREATE TABLE items (id int PRIMARY KEY, note text)"); },
  async downgrade(op) { await op.execute("DROP TABLE items"); },
});
`;
const SIBLING = ROOT.replace("d00000000001", "d00000000003").replace('"items"', '"other root"').replace("items (", "others (").replace("TABLE items", "TABLE others");

const dirs: { remove(): void }[] = [];
afterAll(() => dirs.forEach((d) => d.remove()));

function project(config: string, files: Record<string, string>): string {
  const dir = tempDir("stratum-gates-");
  dirs.push(dir);
  mkdirSync(join(dir.path, "migrations"));
  writeFileSync(join(dir.path, "stratum.config.mjs"), `export default { url: "pglite:./db", ${config} };\n`);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir.path, "migrations", name), text);
  return dir.path;
}

describe("lint.onUpgrade", () => {
  it("warns by default and runs", async () => {
    const dir = project("", { "a.ts": ROOT, "b.ts": UNSAFE });
    const events: RunEvent[] = [];
    const result = await upgrade({ cwd: dir, target: "head", onEvent: (e) => events.push(e) });
    expect(result.mode === "online" && result.steps.length).toBe(2);
    const warning = events.find((e) => e.type === "warning");
    expect(warning && "message" in warning ? warning.message : "").toMatch(/index-not-concurrent in d00000000002/);
  });

  it("reports its summary after the steps, also when a step fails", async () => {
    const FAILS = UNSAFE.replace(
      'await op.execute("CREATE INDEX items_note_idx ON items (note)");',
      'await op.execute("CREATE INDEX items_note_idx ON items (note)"); await op.execute("SELECT no_such_column FROM items");',
    );
    const dir = project("", { "a.ts": ROOT, "b.ts": FAILS });
    const events: RunEvent[] = [];
    const error = await upgrade({ cwd: dir, target: "head", onEvent: (e) => events.push(e) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/no_such_column/);
    const kinds = events.map((e) => (e.type === "warning" && /^lint found/.test(e.message) ? "lint" : e.type));
    expect(kinds.filter((k) => k === "lint")).toHaveLength(1);
    // The warning comes after every step event: lint ran next to the steps.
    expect(kinds.lastIndexOf("lint")).toBeGreaterThan(Math.max(...kinds.map((k, i) => (k.startsWith("step") ? i : -1))));
  });

  it("names a revision it cannot read in its summary and still runs; \"error\" refuses it", async () => {
    // Recorded for lint, this upgrade throws; run against the database, it does not.
    const ONLINE_ONLY = ROOT.replace(
      "async upgrade(op) {",
      'async upgrade(op, context) { if (context.offline) throw new Error("this revision needs a connection");',
    );
    const warnDir = project("", { "a.ts": ONLINE_ONLY });
    const events: RunEvent[] = [];
    const result = await upgrade({ cwd: warnDir, target: "head", onEvent: (e) => events.push(e) });
    expect(result.mode === "online" && result.steps.length).toBe(1);
    const warning = events.find((e) => e.type === "warning");
    expect(warning && "message" in warning ? warning.message : "").toMatch(/^lint could not check.*d00000000001.*needs a connection/);

    const errorDir = project(`lint: { onUpgrade: "error" }`, { "a.ts": ONLINE_ONLY });
    await expect(upgrade({ cwd: errorDir, target: "head" })).rejects.toThrow(/d00000000001.*needs a connection/);
  });

  it("stops before any step when a pending revision cannot be loaded", async () => {
    // Its header reads well from the text; running the module throws.
    const BROKEN = `${UNSAFE}throw new Error("this module is broken");\n`;
    const dir = project("", { "a.ts": ROOT, "b.ts": BROKEN });
    const events: RunEvent[] = [];
    await expect(upgrade({ cwd: dir, target: "head", onEvent: (e) => events.push(e) })).rejects.toThrow(/b\.ts/);
    expect(events.filter((e) => e.type.startsWith("step"))).toEqual([]);
  });

  it("stops before any step when the config names an unknown rule, in either mode", async () => {
    for (const gate of ["warn", "error"]) {
      const dir = project(`lint: { onUpgrade: "${gate}", rules: { "no-such-rule": "off" } }`, { "a.ts": ROOT });
      await expect(upgrade({ cwd: dir, target: "head" })).rejects.toThrow(/unknown rule "no-such-rule"/);
      const events: RunEvent[] = [];
      await upgrade({ cwd: dir, target: "head", onEvent: (e) => events.push(e) }).catch(() => undefined);
      expect(events.filter((e) => e.type.startsWith("step"))).toEqual([]);
    }
  });

  it('"error" refuses to run anything when a pending revision has a lint error', async () => {
    const dir = project(`lint: { onUpgrade: "error" }`, { "a.ts": ROOT, "b.ts": UNSAFE });
    const error = await upgrade({ cwd: dir, target: "head" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckFailed);
    expect((error as Error).message).toMatch(/index-not-concurrent in revision d00000000002/);
    // Nothing ran: the first revision is still pending.
    const again = await upgrade({ cwd: dir, target: "d00000000001" });
    expect(again.mode === "online" && again.steps.map((s) => s.revision)).toEqual(["d00000000001"]);
  });
});

describe("lint.onRevision", () => {
  it('"error" reports a new revision without a downgrade', async () => {
    const dir = project(`lint: { onRevision: "error", rules: { "missing-downgrade": "error" } }`, {});
    writeFileSync(join(dir, "migrations", "script.ts.tmpl"), `import { revision } from "stratum";\nexport default revision({\n  id: {{id}},\n  parents: {{parents}},\n  message: {{message}},\n  async upgrade(op) { await op.execute(\"CREATE TABLE t (id int)\"); },\n});\n`);
    writeFileSync(join(dir, "stratum.config.mjs"), `export default { url: "pglite:./db", revisionTemplate: { ts: "migrations/script.ts.tmpl" }, lint: { onRevision: "error", rules: { "missing-downgrade": "error" } } };\n`);
    const error = await createRevision({ cwd: dir, message: "no way back" }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/missing-downgrade/);
  });
});

describe("linearHistory", () => {
  it("refuses upgrade and revision while the graph has two heads", async () => {
    const dir = project(`linearHistory: true`, { "a.ts": ROOT, "c.ts": SIBLING });
    await expect(upgrade({ cwd: dir, target: "heads" })).rejects.toThrow(/d00000000001.*d00000000003|d00000000003.*d00000000001/);
    await expect(createRevision({ cwd: dir, message: "more" })).rejects.toBeInstanceOf(CheckFailed);
    expect(readdirSync(join(dir, "migrations")).sort()).toEqual(["a.ts", "c.ts"]);
  });
});
