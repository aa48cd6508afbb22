import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { templatePath } from "../../src/api/schema-pglite.js";

const installed = (JSON.parse(readFileSync(new URL("../../node_modules/@electric-sql/pglite/package.json", import.meta.url), "utf8")) as { version: string }).version;

describe("the prepared PGlite data directory", () => {
  const saved = process.env.STRATUM_CACHE_DIR;
  afterEach(() => {
    if (saved === undefined) delete process.env.STRATUM_CACHE_DIR;
    else process.env.STRATUM_CACHE_DIR = saved;
  });

  it("is named after the installed PGlite version, so an upgrade never loads an older data directory", () => {
    process.env.STRATUM_CACHE_DIR = "/cache";
    const major = process.versions.node.split(".")[0];
    expect(templatePath()).toBe(`/cache/pglite-${installed}-${major}.tar`);
    expect(installed).toMatch(/^\d+\.\d+\.\d+/);
  });
});
