/** Shared by the reliability suites: the built CLI as a child process, and bounded counts. */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

export const REPO = join(import.meta.dirname, "..", "..");
const BIN = join(REPO, "bin", "stratum.js");

/** A count from the environment (to run longer locally or nightly), or the default. */
export function countFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

export function assertBuilt(): void {
  if (!existsSync(join(REPO, "dist", "bundle", "cli", "main.js"))) throw new Error("The reliability tests run the built CLI: run `npm run build` first.");
}

export interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts `node bin/stratum.js ARGS` in `cwd`; `onStdout` sees output as it arrives. */
export function startCli(cwd: string, args: string[], onStdout?: (text: string, child: ChildProcess) => void): { child: ChildProcess; done: Promise<ChildRun> } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    onStdout?.(stdout, child);
  });
  child.stderr!.on("data", (chunk: Buffer) => void (stderr += chunk.toString()));
  const done = new Promise<ChildRun>((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

export function runCliProcess(cwd: string, ...args: string[]): Promise<ChildRun> {
  return startCli(cwd, args).done;
}
