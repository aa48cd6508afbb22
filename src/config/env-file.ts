/** Loads a project's `.env` file into process.env. */
import { readFileSync } from "node:fs";
import { parseEnv } from "node:util";
import { InputError } from "../errors.js";
import { displayPath } from "../scripts/display-path.js";

/**
 * Sets the variables of `path` that are not set already: the real environment wins over the
 * file, as with `node --env-file`. A missing file is fine. Returns the names that were set.
 */
export function loadEnvFile(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return [];
    throw new InputError(`cannot read .env file: ${(error as Error).message}`, { file: displayPath(path) });
  }
  const set: string[] = [];
  for (const [name, value] of Object.entries(parseEnv(text))) {
    if (process.env[name] === undefined) {
      process.env[name] = value;
      set.push(name);
    }
  }
  return set;
}
