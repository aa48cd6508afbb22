/** A throwaway project folder: a config pointing at a URL and revision files written by the test. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../helpers/databases.js";

export interface TestProject {
  path: string;
  write(file: string, text: string): void;
  remove(): void;
}

export function testProject(url: string, config: Record<string, unknown> = {}, prefix = "stratum-safety-"): TestProject {
  const dir = tempDir(prefix);
  mkdirSync(join(dir.path, "versions"));
  writeFileSync(join(dir.path, "stratum.config.ts"), `export default ${JSON.stringify({ url, versionPaths: ["versions"], ...config })};\n`);
  return {
    path: dir.path,
    write: (file, text) => writeFileSync(join(dir.path, "versions", file), text),
    remove: dir.remove,
  };
}

/** A TypeScript revision file's text. */
export function tsRevision(id: string, parent: string | undefined, upgrade: string, downgrade = "", extra = ""): string {
  return `import { revision, sql } from "stratum";
export default revision({
  id: ${JSON.stringify(id)},
  parents: ${JSON.stringify(parent ? [parent] : [])},
  message: ${JSON.stringify(`revision ${id}`)},${extra}
  async upgrade(op) {
${upgrade}
  },
  async downgrade(op) {
${downgrade}
  },
});
`;
}
