/**
 * What happens to a generated revision file after it is written: the project's own prettier, if
 * it has one, then the config's post-write hook (`{file}` is replaced by the file's path).
 */
import { execFileSync, execSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { InputError } from "../errors.js";
import type { Project } from "./project.js";

export function afterRevisionWritten(project: Project, file: string): void {
  formatWithPrettier(project.config.configDir, file);
  const hook = project.config.hooks.postWrite;
  if (hook === undefined) return;
  const command = hook.includes("{file}") ? hook.replaceAll("{file}", shellQuote(file)) : `${hook} ${shellQuote(file)}`;
  try {
    execSync(command, { cwd: project.config.configDir, stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new InputError(`the post-write hook "${hook}" failed${stderr ? `: ${stderr}` : ""}; the revision was written.`, {
      file: project.config.configFile ?? "stratum.config.ts",
    });
  }
}

/** Only a prettier the project installed itself, so that formatting follows the project's settings. */
function formatWithPrettier(fromDir: string, file: string): void {
  const bin = findUp(fromDir, join("node_modules", ".bin", process.platform === "win32" ? "prettier.cmd" : "prettier"));
  if (!bin) return;
  try {
    execFileSync(bin, ["--write", file], { cwd: fromDir, stdio: "ignore" });
  } catch {
    // A formatter that fails leaves the file as Stratum wrote it, which is valid code.
  }
}

function findUp(start: string, relative: string): string | undefined {
  let dir = start;
  for (;;) {
    const candidate = join(dir, relative);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}
