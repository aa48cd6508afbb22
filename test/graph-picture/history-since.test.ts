import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createdSince, parseSince } from "../../src/api/history-since.js";
import { tempDir } from "../helpers/databases.js";
import { expectOneLineError, json, stratum } from "../cli/run.js";

describe("history --since", () => {
  it("parses dates and keeps revisions created at or after them", () => {
    expect(parseSince("2024-05-01").toISOString()).toBe("2024-05-01T00:00:00.000Z");
    expect(() => parseSince("last tuesday")).toThrow('--since "last tuesday" is not a date; use a form like 2024-05-01 or 2024-05-01T12:00:00Z.');
    const revisions = [{ id: "a", createDate: "2024-04-30T23:59:59Z" }, { id: "b", createDate: "2024-05-01T00:00:00Z" }, { id: "c" }];
    expect(createdSince(revisions, "2024-05-01").map((r) => r.id)).toEqual(["b"]);
  });

  let dir: { path: string; remove(): void };
  beforeAll(() => {
    dir = tempDir("stratum-since-");
    mkdirSync(join(dir.path, "migrations"));
    writeFileSync(join(dir.path, "stratum.config.mjs"), "export default {};\n");
    const write = (id: string, parents: string, date: string) =>
      writeFileSync(join(dir.path, "migrations", `${id}.sql`), `-- stratum:revision id=${id}${parents ? ` parents=${parents}` : ""} message="rev ${id}" date=${date}\n-- stratum:up\n-- stratum:down\n`);
    write("a1", "", "2024-01-10T09:00:00Z");
    write("b2", "a1", "2024-03-02T09:00:00Z");
    write("c3", "b2", "2024-06-20T09:00:00Z");
  });
  afterAll(() => dir.remove());

  it("filters the CLI's history, in text and JSON, without a database", async () => {
    const text = await stratum(dir.path, "history", "--since", "2024-03-01");
    expect(text.code).toBe(0);
    expect(text.stdout).toBe("b2 -> c3 (head), rev c3\na1 -> b2, rev b2\n");
    const data = json<{ revisions: Array<{ id: string; createDate: string }> }>(await stratum(dir.path, "--json", "history", "--since", "2024-06-01"));
    expect(data.revisions.map((r) => [r.id, r.createDate])).toEqual([["c3", "2024-06-20T09:00:00Z"]]);
    const bad = await stratum(dir.path, "history", "--since", "soon");
    expect(bad.code).toBe(2);
    expect(expectOneLineError(bad)).toContain('--since "soon" is not a date');
  });
});
