/** The shell commands a config can hook in: a backup before a run, a formatter after a new file. */
import { spawn } from "node:child_process";
import { StratumError } from "../errors.js";

/**
 * Runs the configured backup command before a run touches the database (`{url}` and
 * `{timestamp}` are filled in). Its output is not printed: it may hold the URL.
 */
export async function runBackupHook(command: string, url: string, cwd: string): Promise<void> {
  const timestamp = new Date().toISOString().replace(/[:.]/g, "-");
  const text = command.replaceAll("{timestamp}", timestamp).replaceAll("{url}", shellQuote(url));
  const code = await runShell(text, cwd);
  if (code !== 0) throw new StratumError(`The backup hook failed with exit code ${code}; nothing was run.`, { hint: "Check hooks.backup in stratum.config.ts." });
}

/** Runs the post-write command (a formatter, say) on a new revision file. */
export async function runPostWriteHook(command: string, file: string, cwd: string): Promise<void> {
  const code = await runShell(command.replaceAll("{file}", shellQuote(file)), cwd);
  if (code !== 0) {
    throw new StratumError(`The post-write hook failed with exit code ${code} on ${file}; the file was written.`, {
      hint: "Check hooks.postWrite in stratum.config.ts.",
    });
  }
}

function runShell(command: string, cwd: string): Promise<number> {
  return new Promise<number>((resolve) => {
    const child = spawn(command, { shell: true, cwd, stdio: ["ignore", "ignore", "ignore"] });
    child.on("error", () => resolve(127));
    child.on("close", (status) => resolve(status ?? 1));
  });
}

function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}
