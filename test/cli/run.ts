/** Runs the CLI in this process and captures what it prints. */
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
