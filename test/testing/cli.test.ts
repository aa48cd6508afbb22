/** `stratum test` and `stratum squash` through the CLI, in-process, on the embedded PGlite. */
import { readdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectOneLineError, json, stratum } from "../cli/run.js";
import { kitProject, writeShop, type KitProject } from "./project.js";

describe("stratum test", () => {
  let project: KitProject;
  beforeAll(() => {
    project = kitProject();
    writeShop(project);
  });
  afterAll(() => project.remove());

  it("runs the default checks and prints one line per step, then a summary", async () => {
    const run = await stratum(project.dir, "test");
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines).toContain("PASSED singleHead (0 ms)".replace("0 ms", lines.find((l) => l.startsWith("PASSED singleHead"))!.match(/\((\d+ ms)\)/)![1]!));
    expect(lines.filter((l) => /^ {2}ok {4}upgrade a0000000000\d/.test(l))).toHaveLength(8);
    expect(lines.filter((l) => /^ {2}ok {4}downgrade a0000000000\d/.test(l))).toHaveLength(4);
    expect(lines[lines.length - 1]).toMatch(/^All checks passed: 3 passed, 0 failed in \d+ ms\.$/);
  }, 60_000);

  it("--stairway --json reports every step as data", async () => {
    const report = json<{ ok: boolean; checks: { check: string; status: string; steps: { action: string; revision: string }[] }[] }>(
      await stratum(project.dir, "--json", "test", "--stairway"),
    );
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.check)).toEqual(["stairway"]);
    expect(report.checks[0]!.steps).toHaveLength(16);
  }, 60_000);

  it("--all skips the model check when no schema is declared", async () => {
    const run = await stratum(project.dir, "-q", "test", "--all");
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toMatch(/^All checks passed: 4 passed, 0 failed, 1 skipped in \d+ ms\.$/);
  }, 90_000);

  it("exits 1 and names the revision and table when a downgrade leaves one behind", async () => {
    project.revision({ id: "a00000000009", parents: ["a00000000004"], message: "leaky", up: ["CREATE TABLE leaky (id int)"], down: ["SELECT 1"] });
    const run = await stratum(project.dir, "test", "--stairway");
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/FAIL {2}compare a00000000009 \(leaky\)/);
    expect(run.stdout).toMatch(/FAILED stairway \(\d+ ms\): Stairway failed at revision a00000000009 \(leaky\).*\n.*\+ table leaky/);
    expect(run.stdout).toMatch(/Checks failed: 0 passed, 1 failed/);
  }, 60_000);

  it("rejects an unknown --scratch value with one error line", async () => {
    const run = await stratum(project.dir, "test", "--scratch", "cloud");
    expect(run.code).toBe(2);
    expect(expectOneLineError(run)).toContain('--scratch expects one of auto, pglite, server, got "cloud"');
  });
});

describe("stratum squash", () => {
  let project: KitProject;
  beforeAll(() => {
    project = kitProject();
    writeShop(project);
  });
  afterAll(() => project.remove());

  it("squashes a range and says what it did", async () => {
    const run = await stratum(project.dir, "squash", "a00000000002:a00000000004", "-m", "catalog and orders", "--rev-id", "5b0000000001", "--delete");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Generating .*5b0000000001_catalog_and_orders\.ts \.\.\. done/);
    expect(run.stdout).toContain("Replaces a00000000002, a00000000003, a00000000004");
    expect(readdirSync(project.versions).filter((f) => f.endsWith(".ts")).map((f) => f.slice(0, 12)).sort()).toEqual(["5b0000000001", "a00000000001"]);
    const again = await stratum(project.dir, "test");
    expect(again.code).toBe(0);
  }, 90_000);

  it("refuses a range over a merge with exit 2 and one error line", async () => {
    project.revision({ id: "a00000000007", parents: ["5b0000000001"], message: "side", up: ["SELECT 1"], down: ["SELECT 1"] });
    project.revision({ id: "a00000000008", parents: ["a00000000001"], message: "other side", up: ["SELECT 1"], down: ["SELECT 1"] });
    project.revision({ id: "a0000000000a", parents: ["a00000000007", "a00000000008"], message: "join", up: ["SELECT 1"], down: ["SELECT 1"] });
    const run = await stratum(project.dir, "squash", "a00000000007:a0000000000a", "-m", "x");
    expect(run.code).toBe(2);
    expect(expectOneLineError(run)).toContain("revision a0000000000a is a merge of");
  });
});
