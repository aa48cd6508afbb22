import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildStamp, moduleRoot, packageRoot, packageVersion } from "../../src/package-files.js";
import { stratumEntries } from "../../src/scripts/module-loader.js";

const repo = fileURLToPath(new URL("../..", import.meta.url));

describe("package files", () => {
  it("finds the package root and version from any module", () => {
    expect(join(packageRoot(), "/")).toBe(join(repo, "/"));
    expect(packageVersion()).toBe(JSON.parse(readFileSync(join(repo, "package.json"), "utf8")).version);
  });

  it("takes the entries revisions import as \"stratum\" from the folder the running modules came from", () => {
    // Under the test runner the modules are the TypeScript sources.
    expect(moduleRoot()).toBe(join(repo, "src"));
    const entries = stratumEntries();
    expect(entries.light).toBe(join(repo, "src", "config", "user-entry.ts"));
    expect(entries.full).toBe(join(repo, "src", "index.ts"));
    expect(entries.testing).toBe(join(repo, "src", "testing", "index.ts"));
  });

  it("names the build in cache keys with the version", () => {
    expect(buildStamp()).toMatch(new RegExp(`^${packageVersion().replaceAll(".", "\\.")}\\+\\d+$`));
  });

  it("ships a bundle whose entries exist after the build", () => {
    // `npm test` builds first; the bin and the package exports point here.
    for (const entry of ["cli/main.js", "index.js", "testing/index.js", "config/user-entry.js"]) {
      expect(existsSync(join(repo, "dist", "bundle", entry)), entry).toBe(true);
    }
    const manifest = JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as { exports: Record<string, { import: string }> };
    for (const target of Object.values(manifest.exports).flatMap((value) => (typeof value === "object" ? [value.import] : []))) {
      expect(existsSync(join(repo, target)), target).toBe(true);
    }
  });
});
