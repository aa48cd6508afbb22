/** The recipe runner itself: how it reads a page, and that it fails when the page is wrong. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyExample, parseRecipe, REPO, runRecipe, splitWords, unavailable } from "./recipe.js";

const PAGE = [
  "# A page",
  "",
  "```sh",
  "stratum heads",
  "stratum status   # exit 1: pending",
  "stratum revision -m \"two words\" \\",
  "  --rev-id abc",
  "# a comment line",
  "```",
  "",
  "```text",
  "003 (head)",
  "...",
  "```",
  "",
  "Prose between.",
  "",
  "```text",
  "not attached: prose came first",
  "```",
  "",
  "<!-- recipe-project: other -->",
  "",
  "```sql",
  "-- by hand",
  "DROP TABLE x;",
  "```",
  "",
  "```sql",
  "SELECT 'only an illustration';",
  "```",
  "",
  "```ts",
  "stratum ignored",
  "```",
].join("\n");

describe("parseRecipe", () => {
  const blocks = parseRecipe(PAGE);

  it("reads commands, exit codes, continuations and the output block that follows", () => {
    expect(blocks).toHaveLength(2);
    const [first, second] = blocks;
    expect(first?.project).toBe("");
    expect(first?.commands.map((c) => [c.argv, c.expectExit])).toEqual([
      [["stratum", "heads"], 0],
      [["stratum", "status"], 1],
      [["stratum", "revision", "-m", "two words", "--rev-id", "abc"], 0],
    ]);
    expect(first?.commands[0]?.line).toBe(4);
    expect(first?.expectOutput).toEqual(["003 (head)"]);
    expect(second).toMatchObject({ project: "other", commands: [], sql: "-- by hand\nDROP TABLE x;\n" });
  });

  it("splits words like a shell and refuses an unclosed quote", () => {
    expect(splitWords(`a 'b c' "d" e#f # note`)).toEqual({ words: ["a", "b c", "d", "e#f"], comment: "note" });
    expect(() => splitWords(`stratum revision -m "oops`)).toThrow(/unclosed quote/);
  });
});

describe("runRecipe", () => {
  let project: { path: string; remove(): void };
  beforeAll(() => {
    project = copyExample("mnfst-rag");
  });
  afterAll(() => project?.remove());

  const run = (markdown: string, options = {}) => runRecipe(parseRecipe(markdown), project.path, { ...process.env }, options);

  it("passes when exit codes and output match", async () => {
    const results = await run("```sh\nstratum heads\n```\n\n```text\n003 (head)\n```\n");
    expect(results[0]?.code).toBe(0);
  });

  it("fails on an exit code the page does not show", async () => {
    await expect(run("```sh\nstratum heads   # exit 1\n```\n")).rejects.toThrow(/line 2: `stratum heads   # exit 1` exited 0, the recipe says 1/);
  });

  it("fails when the output lacks a line the page shows", async () => {
    await expect(run("```sh\nstratum heads\n```\n\n```text\n999 (head)\n```\n")).rejects.toThrow(/lacks the line the recipe shows:\n  999 \(head\)/);
  });

  it("refuses commands other than stratum and cp", async () => {
    await expect(run("```sh\nrm -rf versions\n```\n")).rejects.toThrow(/recipes run only stratum and cp/);
  });

  it("refuses by-hand SQL without a database to run it on, and hooks for commands the page lacks", async () => {
    await expect(run("```sql\n-- by hand\nSELECT 1;\n```\n")).rejects.toThrow(/no runSql was given/);
    await expect(run("```sh\nstratum heads\n```\n", { before: { "stratum nope": async () => {} } })).rejects.toThrow(/has no command stratum nope/);
  });

  it("copies files with cp inside the project", async () => {
    const results = await run("```sh\ncp changes/004_add_user_preferences.ts versions/004_add_user_preferences.ts\nstratum heads\n```\n\n```text\n004 (head)\n```\n");
    expect(results).toHaveLength(2);
  });
});

describe("docs/index.md", () => {
  it("links every page of the guide, and only pages that exist", () => {
    const docs = join(REPO, "docs");
    const pages = (readdirSync(docs, { recursive: true }) as string[])
      .filter((f) => f.endsWith(".md") && f !== "index.md")
      .map((f) => f.split("\\").join("/"))
      .sort();
    const index = readFileSync(join(docs, "index.md"), "utf8");
    const links = [...index.matchAll(/\]\(([^)#]+)\)/g)].map((m) => m[1]!);
    for (const link of links) expect(existsSync(join(docs, link)), link).toBe(true);
    const linked = links.map((l) => relative(docs, join(docs, l)).split("\\").join("/"));
    for (const page of pages) expect(linked, `docs/index.md does not link ${page}`).toContain(page);
  });
});

describe("unavailable", () => {
  it("names commands and flags the CLI lacks, and nothing else", async () => {
    const blocks = parseRecipe("```sh\nstratum -e primary upgrade head --sql\nstratum frobnicate\nstratum upgrade --no-such-flag\n```\n");
    expect(await unavailable(blocks)).toEqual(["stratum frobnicate", "stratum upgrade --no-such-flag"]);
  });
});
