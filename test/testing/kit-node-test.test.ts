/** The kit used from node:test (fixtures/node-test-usage.mts), run by Node's own test runner. */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kitProject, writeShop, type KitProject } from "./project.js";

const run = promisify(execFile);
const usage = fileURLToPath(new URL("./fixtures/node-test-usage.mts", import.meta.url));
const root = fileURLToPath(new URL("../..", import.meta.url));

describe("testing kit under node:test", () => {
  let project: KitProject;
  beforeAll(() => {
    project = kitProject();
    writeShop(project);
  });
  afterAll(() => project.remove());

  it("passes its three tests", async () => {
    const { stdout } = await run(process.execPath, ["--import", "jiti/register", "--test", "--test-reporter=tap", usage], {
      cwd: root,
      env: { ...process.env, KIT_PROJECT: project.dir },
    });
    expect(stdout).toMatch(/^# pass 3$/m);
    expect(stdout).toMatch(/^# fail 0$/m);
  }, 90_000);

  it("reports a failing check as a failed node:test test with the kit's message", async () => {
    project.revision({ id: "a00000000005", parents: ["a00000000004"], message: "fork", up: ["SELECT 1"], down: ["SELECT 1"] });
    project.revision({ id: "a00000000006", parents: ["a00000000004"], message: "other fork", up: ["SELECT 1"], down: ["SELECT 1"] });
    const failed = await run(process.execPath, ["--import", "jiti/register", "--test", "--test-reporter=tap", "--test-name-pattern=one head", usage], {
      cwd: root,
      env: { ...process.env, KIT_PROJECT: project.dir },
    }).then(
      () => undefined,
      (error: { code: number; stdout: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stdout).toContain("The revision graph has 2 heads: a00000000005, a00000000006.");
  }, 90_000);
});
