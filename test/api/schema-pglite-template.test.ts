import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { startScratchPGlite, templatePath } from "../../src/api/schema-pglite.js";

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

  it("starts the scratch database with the settings for a throw-away instance, from the template too", async () => {
    // Twice: the first start may prepare the template, the second always loads it.
    for (let start = 0; start < 2; start++) {
      const db = await startScratchPGlite();
      try {
        const { rows } = await db.query<{ name: string; setting: string }>(
          "SELECT name, current_setting(name) AS setting FROM unnest(ARRAY['wal_init_zero', 'shared_buffers', 'fsync']) AS name ORDER BY 1",
        );
        expect(rows).toEqual([
          { name: "fsync", setting: "off" },
          { name: "shared_buffers", setting: "32MB" },
          { name: "wal_init_zero", setting: "off" },
        ]);
      } finally {
        await db.close();
      }
    }
  });
});
