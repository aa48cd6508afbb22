/** The files `stratum init` writes into a project. */
import { mkdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { InputError } from "../errors.js";
import { displayPath } from "./display-path.js";
import { defaultTemplatePath, writeNewFile } from "./write.js";

export const INIT_VERSIONS_DIR = "migrations";
export const INIT_TEMPLATE_FILES = { ts: "migrations/script.ts.tmpl", sql: "migrations/script.sql.tmpl" } as const;

const CONFIG_TEXT = `import { defineConfig } from "stratum";

export default defineConfig({
  // The database migrations run on. "pglite:" is an embedded PostgreSQL kept in a folder,
  // so no server is needed. --url and -e/--env choose another one; so does DATABASE_URL
  // (read from .env too).
  url: process.env.DATABASE_URL ?? "pglite:./.stratum/db",

  // Folders holding revision files. New revisions go to the first one.
  versionPaths: ["${INIT_VERSIONS_DIR}"],

  // Templates for new revisions: edit them to change what \`stratum revision\` writes.
  revisionTemplate: { ts: "${INIT_TEMPLATE_FILES.ts}", sql: "${INIT_TEMPLATE_FILES.sql}" },
});
`;

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * Writes stratum.config.ts, the versions folder and editable copies of the revision templates
 * into `dir`. Refuses, before writing anything, when one of those files already exists.
 * Returns the paths written.
 */
export async function writeInitFiles(dir: string): Promise<string[]> {
  const files = new Map<string, string>([
    [join(dir, "stratum.config.ts"), CONFIG_TEXT],
    [join(dir, INIT_TEMPLATE_FILES.ts), await readFile(defaultTemplatePath("ts"), "utf8")],
    [join(dir, INIT_TEMPLATE_FILES.sql), await readFile(defaultTemplatePath("sql"), "utf8")],
  ]);
  const otherConfigs = ["stratum.config.mts", "stratum.config.js", "stratum.config.mjs"].map((name) => join(dir, name));
  for (const path of [...files.keys(), ...otherConfigs]) {
    if (await exists(path)) {
      throw new InputError("already exists; `stratum init` does not overwrite files", { file: displayPath(path) });
    }
  }
  try {
    await mkdir(join(dir, INIT_VERSIONS_DIR), { recursive: true });
  } catch (error) {
    throw new InputError(`cannot create the versions folder: ${(error as Error).message}`, { file: displayPath(join(dir, INIT_VERSIONS_DIR)) });
  }
  const written: string[] = [];
  for (const [path, text] of files) {
    await writeNewFile(path, text);
    written.push(path);
  }
  // The embedded database's folder ignores itself, so its data files are never committed.
  const ignoreFile = join(dir, ".stratum", ".gitignore");
  if (!(await exists(ignoreFile))) {
    await mkdir(join(dir, ".stratum"), { recursive: true });
    await writeNewFile(ignoreFile, "*\n");
    written.push(ignoreFile);
  }
  return written;
}
