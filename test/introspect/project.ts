/** A throw-away Stratum project folder: a config file, a versions folder and a schema folder. */
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { tempDir } from "../helpers/databases.js";

export const SEEDS_DIR = fileURLToPath(new URL("./fixtures/seeds", import.meta.url));

export interface TestProject {
  dir: string;
  schemaDir: string;
  migrationsDir: string;
  remove(): void;
}

export function createProject(url: string, seeds = true): TestProject {
  const temp = tempDir("stratum-introspect-");
  const schemaDir = join(temp.path, "schema");
  const migrationsDir = join(temp.path, "migrations");
  mkdirSync(schemaDir);
  mkdirSync(migrationsDir);
  writeFileSync(join(temp.path, "stratum.config.mjs"), `export default { url: ${JSON.stringify(url)}, versionPaths: ["migrations"] };\n`);
  if (seeds) for (const file of readdirSync(SEEDS_DIR)) copyFileSync(join(SEEDS_DIR, file), join(schemaDir, file));
  return { dir: temp.path, schemaDir, migrationsDir, remove: temp.remove };
}

export function revisionFiles(project: TestProject): string[] {
  return readdirSync(project.migrationsDir).filter((f) => f.endsWith(".ts"));
}
