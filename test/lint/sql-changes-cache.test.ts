import { readFileSync, writeFileSync } from "node:fs";
import { join, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { sqlChanges } from "../../src/lint/sql-changes.js";
import { useScratchCacheDir } from "../helpers/cache.js";
import { filesUnder } from "../helpers/files.js";

const cache = useScratchCacheDir("stratum-lint-cache-");

const entries = (): string[] => filesUnder(join(cache(), "lint-postgres")).filter((path) => !path.includes(`${sep}packs${sep}`));

describe("the cache of statements read for lint", () => {
  it("keeps what the parser read, answers the same text from it, and parses again when an entry is damaged", async () => {
    const text = "CREATE INDEX lint_cached_idx ON lint_cached (a);\n";
    const first = await sqlChanges(text);
    expect(first).toEqual([
      { changes: [{ kind: "createIndex", name: "lint_cached_idx", table: "lint_cached", concurrently: false }], lineOffset: 0, text: text.trim().replace(/;$/, "") },
    ]);
    expect(entries()).toHaveLength(1);
    const [entry] = entries();
    // An entry edited by hand shows that the second read came from the cache.
    writeFileSync(entry!, readFileSync(entry!, "utf8").replace('"concurrently":false', '"concurrently":true'));
    expect((await sqlChanges(text))[0]!.changes[0]).toMatchObject({ concurrently: true });
    writeFileSync(entry!, "{not json");
    expect(await sqlChanges(text)).toEqual(first);
    expect(JSON.parse(readFileSync(entry!, "utf8"))).toEqual(first);
  });
});
