import { spawn } from "node:child_process";
import { StratumError } from "../errors.js";

/**
 * Runs the configured backup command before a run touches the database (`{url}` and
 * `{timestamp}` are filled in). Its output is kept, not printed: it may hold the URL.
 */
export async function runBackupHook(command: string, url: string, cwd: string): Promise<void> {
  const timestamp = new Date().toISOString().replace(/[:.]/g, "-");
  const text = command.replaceAll("{timestamp}", timestamp).replaceAll("{url}", shellQuote(url));
  const code = await new Promise<number>((resolve) => {
    const child = spawn(text, { shell: true, cwd, stdio: ["ignore", "ignore", "pipe"] });
    child.stderr.resume();
    child.on("error", () => resolve(127));
    child.on("close", (status) => resolve(status ?? 1));
  });
  if (code !== 0) {
    throw new StratumError(`The backup hook failed with exit code ${code}; nothing was run.`, {
      hint: "Check hooks.backup in stratum.config.ts.",
    });
  }
}

function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}
