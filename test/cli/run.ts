/** Runs the CLI in this process and captures what it prints. */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { runCli } from "../../src/cli/main.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function stratum(cwd: string, ...args: string[]): Promise<CliRun> {
  return runWith({ cwd, isTTY: false }, args);
}

/** As on a terminal: progress counters and timings are shown. */
export function stratumOnTTY(cwd: string, ...args: string[]): Promise<CliRun> {
  return runWith({ cwd, isTTY: true }, args);
}

async function runWith({ cwd, isTTY }: { cwd: string; isTTY: boolean }, args: string[]): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    isTTY,
    env: process.env,
    cwd,
  });
  return { code, stdout, stderr };
}

/** Parses --json output, failing the test with the output when it is not JSON. */
export function json<T = Record<string, unknown>>(run: CliRun): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`expected JSON on stdout, got:\n${run.stdout}\nstderr:\n${run.stderr}`);
  }
}

/** A user error is one `error:` line (and maybe a `hint:` line), never a stack trace. */
export function expectOneLineError(run: CliRun): string {
  // Warnings (lint findings, retries) may come before the error; they are not part of it.
  const lines = run.stderr.trimEnd().split("\n").filter((line) => !line.startsWith("warning: "));
  const errorLines = lines.filter((line) => line.startsWith("error: "));
  if (errorLines.length !== 1 || lines.some((line) => /^\s+at /.test(line)) || lines.length > 2) {
    throw new Error(`expected one error line and no stack trace, got:\n${run.stderr}`);
  }
  return errorLines[0]!;
}

/** The revision files the workflow suites share: a TypeScript root and an SQL child, filled in. */
export async function writeTwoRevisions(dir: string): Promise<void> {
  const run = (...args: string[]) => stratum(dir, ...args);
  const first = await run("revision", "-m", "create users", "--rev-id", "aaaaaaaaaaa1");
  expect(first.code).toBe(0);
  expect(first.stdout).toMatch(/Generating .*aaaaaaaaaaa1_create_users\.ts \.\.\. done/);
  const migrations = join(dir, "migrations");
  const file = join(migrations, readdirSync(migrations).find((f) => f.startsWith("aaaaaaaaaaa1"))!);
  writeFileSync(
    file,
    readFileSync(file, "utf8")
      .replace('// await op.execute("...");', 'await op.execute("CREATE TABLE users (id int PRIMARY KEY, name text)");')
      .replace('// await op.execute("...");', 'await op.execute("DROP TABLE users");'),
  );

  const second = json<{ id: string; parents: string[]; path: string; kind: string }>(
    await run("--json", "revision", "-m", "add email", "--sql", "--rev-id", "bbbbbbbbbbb2"),
  );
  expect(second).toMatchObject({ id: "bbbbbbbbbbb2", parents: ["aaaaaaaaaaa1"], kind: "sql" });
  const sqlText = readFileSync(second.path, "utf8");
  expect(sqlText).toContain("-- stratum:revision id=bbbbbbbbbbb2 parents=aaaaaaaaaaa1");
  writeFileSync(
    second.path,
    sqlText
      .replace("-- stratum:up", "-- stratum:up\nALTER TABLE users ADD COLUMN email text;\nCREATE INDEX users_email_idx ON users (email);")
      .replace("-- stratum:down", "-- stratum:down\nDROP INDEX users_email_idx;\nALTER TABLE users DROP COLUMN email;"),
  );
}

/** `upgrade head` over the two revisions above, with Alembic-style lines. */
export async function expectUpgradeOfBoth(dir: string): Promise<void> {
  const result = await stratum(dir, "-x", "who=ci", "upgrade", "head");
  expect(result.code).toBe(0);
  expect(result.stdout).toContain("Running upgrade <base> -> aaaaaaaaaaa1, create users");
  expect(result.stdout).toContain("Running upgrade aaaaaaaaaaa1 -> bbbbbbbbbbb2, add email");
  expect(result.stdout).toContain("Now at bbbbbbbbbbb2.");
}
