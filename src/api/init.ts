import { resolve } from "node:path";
import { writeInitFiles } from "../scripts/init.js";

export interface InitOptions {
  /** Where `directory` is resolved from; default: process.cwd(). */
  cwd?: string;
  /** The project folder to create the files in; default: cwd. */
  directory?: string;
}

export interface InitResult {
  directory: string;
  files: string[];
}

/** Writes stratum.config.ts, the versions folder and editable revision templates. Never overwrites. */
export async function init(options: InitOptions = {}): Promise<InitResult> {
  const directory = resolve(options.cwd ?? process.cwd(), options.directory ?? ".");
  const files = await writeInitFiles(directory);
  return { directory, files };
}
