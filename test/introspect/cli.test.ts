import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Command, CommanderError } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CommandModule } from "../../src/cli/command.js";
import { createCliContext } from "../../src/cli/context.js";
import { addGlobalOptions } from "../../src/cli/globals.js";
import { reportError } from "../../src/cli/report.js";
import { createPostgresDatabase, type ScratchDatabase } from "../helpers/databases.js";
import { SEEDS_DIR, createProject, revisionFiles, type TestProject } from "./project.js";
import { runSql } from "./connections.js";

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one of the schema commands the way the CLI's entry point does, capturing its output. */
async function run(module: CommandModule, argv: string[], cwd: string): Promise<Outcome> {
  let stdout = "";
  let stderr = "";
  const io = { stdout: (t: string) => void (stdout += t), stderr: (t: string) => void (stderr += t), isTTY: false, env: {}, cwd };
  const cli = createCliContext(io);
  const program = new Command("stratum").exitOverride();
  addGlobalOptions(program);
  module.register(program, cli);
  for (const sub of program.commands) sub.exitOverride();
  let code: number;
  try {
    await program.parseAsync(argv, { from: "user" });
    code = cli.exitCode;
  } catch (error) {
    code = error instanceof CommanderError ? 2 : reportError(error, io, false, argv.includes("--json"));
  }
  return { code, stdout, stderr };
}

describe("check, drift and baseline commands", () => {
  let database: ScratchDatabase;
  let project: TestProject;
  let commands: Record<"check" | "drift" | "baseline", CommandModule>;
  beforeAll(async () => {
    database = await createPostgresDatabase();
    project = createProject(database.url);
    await runSql(database.url, readFileSync(join(SEEDS_DIR, "02_corrdata.sql"), "utf8") + readFileSync(join(SEEDS_DIR, "04_agi_tracker.sql"), "utf8"));
    commands = {
      check: await import("../../src/cli/commands/check.js"),
      drift: await import("../../src/cli/commands/drift.js"),
      baseline: await import("../../src/cli/commands/baseline.js"),
    };
  });
  afterAll(async () => {
    await database?.drop();
    project?.remove();
  });

  it("baseline --stamp writes the first revision and stamps the database", async () => {
    const result = await run(commands.baseline, ["baseline", "--stamp", "-m", "adopt existing schema"], project.dir);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Generating .*adopt_existing_schema\.ts \.\.\. done \(\d+ operation\(s\)\)/);
    expect(result.stdout).toMatch(/Stamped the database at [0-9a-f]{12}\./);
    expect(revisionFiles(project)).toHaveLength(1);
  });

  it("check passes against the SQL files that describe the same tables", async () => {
    const result = await run(commands.check, ["check", "--schema", "schema/02_corrdata.sql", "--schema", "schema/04_agi_tracker.sql"], project.dir);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toMatch(/matches the declared schema/);
  });

  it("drift is clean, then exits 1 and names a hand-made change", async () => {
    expect((await run(commands.drift, ["drift"], project.dir)).code).toBe(0);
    await runSql(database.url, "ALTER TABLE alerts ADD COLUMN acknowledged boolean");
    const human = await run(commands.drift, ["drift"], project.dir);
    expect(human.code).toBe(1);
    expect(human.stderr).toMatch(/drifted[\s\S]*\+ column alerts\.acknowledged boolean/);
    const json = await run(commands.drift, ["drift", "--json"], project.dir);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      clean: false,
      operations: [{ kind: "addColumn", table: "alerts", column: { name: "acknowledged", type: "boolean" } }],
    });
  });

  it("check --json gives the operations and exits 1", async () => {
    const result = await run(commands.check, ["check", "--json", "--schema", "schema/02_corrdata.sql", "--schema", "schema/04_agi_tracker.sql"], project.dir);
    expect(result.code).toBe(1);
    const output = JSON.parse(result.stdout) as { operations: { kind: string }[]; differences: string[] };
    expect(output.operations.map((o) => o.kind)).toEqual(["dropColumn"]);
    expect(output.differences).toEqual(["- column alerts.acknowledged"]);
  });

  it("rejects a bad --shadow with exit 2", async () => {
    const result = await run(commands.check, ["check", "--shadow", "somewhere"], project.dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--shadow must be auto, pglite or server/);
  });
});
