/**
 * When the runner loads revisions: every one before the first step, except those an earlier load
 * of the very same file proved to load (src/scripts/load-verdict.ts), which load while the step
 * before them runs.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { current, downgrade, type RunEvent, upgrade } from "../../src/index.js";
import { checksum } from "../../src/scripts/checksum.js";
import { knownLoadVerdict, recordLoadVerdict } from "../../src/scripts/load-verdict.js";
import type { RevisionDefinition } from "../../src/scripts/revision.js";
import { selfContained } from "../../src/scripts/stratum-imports.js";
import { useScratchCacheDir } from "../helpers/cache.js";
import { tempDir } from "../helpers/databases.js";

useScratchCacheDir("stratum-verdicts-");

const table = (id: string, parent: string | undefined, name: string, withDowngrade = true) => `import { revision } from "stratum";
export default revision({
  id: "${id}",
  parents: [${parent === undefined ? "" : `"${parent}"`}],
  message: "${name}",
  async upgrade(op) { await op.execute("CREATE TABLE ${name} (id int PRIMARY KEY)"); },
${withDowngrade ? `  async downgrade(op) { await op.execute("DROP TABLE ${name}"); },\n` : ""}});
`;

const dirs: { remove(): void }[] = [];
afterAll(() => dirs.forEach((d) => d.remove()));

function project(files: Record<string, string>): string {
  const dir = tempDir("stratum-verdicts-");
  dirs.push(dir);
  mkdirSync(join(dir.path, "migrations"));
  writeFileSync(join(dir.path, "stratum.config.mjs"), `export default { url: "pglite:./db", lint: { onUpgrade: "off" } };\n`);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir.path, "migrations", name), text);
  return dir.path;
}

const stepsOf = (events: RunEvent[]) => events.flatMap((e) => (e.type === "step" ? [e.revision] : []));
const aDefinition = { id: "x", parents: [], upgrade: async () => {}, downgrade: async () => {} } as RevisionDefinition;

describe("load verdicts", () => {
  it("are kept for self-contained files only, and only for the same text", () => {
    const dir = project({});
    const path = join(dir, "migrations", "a.ts");
    const text = table("e00000000001", undefined, "alpha");
    expect(knownLoadVerdict(path, checksum(text))).toBeUndefined();
    recordLoadVerdict(path, text, aDefinition);
    expect(knownLoadVerdict(path, checksum(text))).toEqual({ downgrade: true });
    expect(knownLoadVerdict(path, checksum(text.replace("alpha", "beta")))).toBeUndefined();
    expect(knownLoadVerdict(join(dir, "migrations", "b.ts"), checksum(text))).toBeUndefined();

    const { downgrade: _, ...upOnly } = aDefinition;
    recordLoadVerdict(path, text, upOnly as RevisionDefinition);
    expect(knownLoadVerdict(path, checksum(text))).toEqual({ downgrade: false });

    for (const other of [
      text.replace('import { revision } from "stratum";', 'import { revision } from "stratum";\nimport { names } from "./helpers.js";'),
      text.replace("CREATE TABLE", `CREATE TABLE \${process.env.PREFIX}`),
      text.replace('"alpha"', "`alpha ${Date.now()}`"),
      text.replace("async upgrade(op) {", "async upgrade(op) { globalThis.seen = true;"),
    ]) {
      expect(selfContained(other)).toBe(false);
      recordLoadVerdict(path, other, aDefinition);
      expect(knownLoadVerdict(path, checksum(other))).toBeUndefined();
    }
  });

  it("are recorded when a revision loads, and not when it fails to", async () => {
    const good = table("e00000000001", undefined, "alpha");
    const broken = `${table("e00000000002", "e00000000001", "beta")}throw new Error("broken on load");\n`;
    const dir = project({ "a.ts": good, "b.ts": broken });
    await expect(upgrade({ cwd: dir, target: "head" })).rejects.toThrow(/b\.ts.*broken on load/);
    expect(knownLoadVerdict(join(dir, "migrations", "a.ts"), checksum(good))).toEqual({ downgrade: true });
    expect(knownLoadVerdict(join(dir, "migrations", "b.ts"), checksum(broken))).toBeUndefined();
    expect((await current({ cwd: dir })).heads).toEqual([]);
  });

  it("let a revision known to load run its load after the steps before it", async () => {
    // A verdict that no longer holds shows when the file is loaded: the steps before it have run.
    const broken = `${table("e00000000003", "e00000000002", "gamma")}throw new Error("broken on load");\n`;
    const dir = project({
      "a.ts": table("e00000000001", undefined, "alpha"),
      "b.ts": table("e00000000002", "e00000000001", "beta"),
      "c.ts": broken,
    });
    recordLoadVerdict(join(dir, "migrations", "c.ts"), broken, aDefinition);
    const events: RunEvent[] = [];
    await expect(upgrade({ cwd: dir, target: "head", onEvent: (e) => events.push(e) })).rejects.toThrow(/c\.ts.*broken on load/);
    expect(stepsOf(events)).toEqual(["e00000000001", "e00000000002"]);
    expect((await current({ cwd: dir })).heads).toEqual(["e00000000002"]);
  });

  it("still stop a downgrade through a revision without one before its first step", async () => {
    const dir = project({
      "a.ts": table("e00000000001", undefined, "alpha", false),
      "b.ts": table("e00000000002", "e00000000001", "beta"),
      "c.ts": table("e00000000003", "e00000000002", "gamma"),
    });
    await upgrade({ cwd: dir, target: "head" });
    const root = readFileSync(join(dir, "migrations", "a.ts"), "utf8");
    expect(knownLoadVerdict(join(dir, "migrations", "a.ts"), checksum(root))).toEqual({ downgrade: false });
    const events: RunEvent[] = [];
    await expect(downgrade({ cwd: dir, target: "base", yes: true, onEvent: (e) => events.push(e) })).rejects.toThrow(/e00000000001 has no downgrade/);
    expect(stepsOf(events)).toEqual([]);
    expect((await current({ cwd: dir })).heads).toEqual(["e00000000003"]);
  });

  it("apply and revert a chain of revisions known to load as one loaded up front", async () => {
    const files = {
      "a.ts": table("e00000000001", undefined, "alpha"),
      "b.ts": table("e00000000002", "e00000000001", "beta"),
      "c.ts": table("e00000000003", "e00000000002", "gamma"),
    };
    const dir = project(files);
    for (const [name, text] of Object.entries(files)) recordLoadVerdict(join(dir, "migrations", name), text, aDefinition);
    const events: RunEvent[] = [];
    await upgrade({ cwd: dir, target: "head", onEvent: (e) => events.push(e) });
    await downgrade({ cwd: dir, target: "e00000000001", yes: true, onEvent: (e) => events.push(e) });
    expect(stepsOf(events)).toEqual(["e00000000001", "e00000000002", "e00000000003", "e00000000003", "e00000000002"]);
    expect((await current({ cwd: dir })).heads).toEqual(["e00000000001"]);
  });
});
