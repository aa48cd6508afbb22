/**
 * `graph` and `check-order` through the CLI on a SQLite project, and the HTML page rendered in
 * headless Chromium: the nodes are drawn and the click handler fills in the details.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqliteUrl, tempDir } from "../helpers/databases.js";
import { expectOneLineError, json, stratum } from "../cli/run.js";
import { diamond, diamondText } from "./fixtures.js";

const CHROMIUM = "/usr/bin/chromium";

function sqlRevision(dir: string, id: string, parents: string[], extra = ""): void {
  const header = `-- stratum:revision id=${id}${parents.length ? ` parents=${parents.join(",")}` : ""} message="rev ${id}"${extra}`;
  writeFileSync(join(dir, "migrations", `${id}_rev.sql`), `${header}\n-- stratum:up\nSELECT 1;\n-- stratum:down\nSELECT 1;\n`);
}

/** Renders the page after its scripts ran and returns the DOM; undefined when Chromium cannot run here. */
function dumpDom(url: string): string | undefined {
  if (!existsSync(CHROMIUM)) return undefined;
  const profile = mkdtempSync(join(tmpdir(), "stratum-chromium-"));
  try {
    const result = spawnSync(
      CHROMIUM,
      ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", `--user-data-dir=${profile}`, "--virtual-time-budget=3000", "--dump-dom", url],
      { encoding: "utf8", timeout: 30_000 },
    );
    return result.status === 0 && result.stdout.includes("<html") ? result.stdout : undefined;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

describe("graph and check-order", () => {
  let dir: { path: string; remove(): void };
  const run = (...args: string[]) => stratum(dir.path, ...args);

  beforeAll(() => {
    dir = tempDir("stratum-graph-");
    mkdirSync(join(dir.path, "migrations"));
    writeFileSync(join(dir.path, "stratum.config.mjs"), `export default { url: ${JSON.stringify(sqliteUrl(dir.path))} };\n`);
    for (const header of diamond) {
      sqlRevision(dir.path, header.id, header.parents, header.branchLabels.length > 0 ? ` labels=${header.branchLabels.join(",")}` : "");
    }
  });
  afterAll(() => dir.remove());

  it("text shows branches, merges, labels, heads and the current revision", async () => {
    expect((await run("upgrade", "c3")).code).toBe(0);
    const result = await run("graph");
    expect(result.code).toBe(0);
    expect(result.stdout.split("\n").slice(0, 8)).toEqual(diamondText);
    expect(result.stdout).toContain("Heads: g7, h8\nCurrent: c3\n");
  });

  it("says when it could not read the current revision", async () => {
    const result = await run("--url", "postgres://postgres@127.0.0.1:1/nowhere", "graph");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Current: could not read current revision \(.+\)/);
    expect(result.stdout).toContain("o    a1  rev a1");
  });

  it("mermaid, dot and --json describe the same graph; an unknown format is a usage error", async () => {
    expect((await run("graph", "--format", "mermaid")).stdout).toContain('["c3<br/>rev c3"]:::current');
    expect((await run("graph", "--format", "dot")).stdout).toContain('"d4" -> "e5";');
    const picture = json<{ nodes: Array<{ id: string; status: string }>; heads: string[]; current: string[]; errors: string[] }>(await run("--json", "graph"));
    expect(picture.heads).toEqual(["g7", "h8"]);
    expect(picture.current).toEqual(["c3"]);
    expect(picture.nodes.find((n) => n.id === "d4")?.status).toBe("pending");
    const bad = await run("graph", "--format", "png");
    expect(bad.code).toBe(2);
    expect(expectOneLineError(bad)).toBe('error: Unknown graph format "png"; use one of text, html, mermaid, dot.');
  });

  it("the HTML page draws every revision and shows details on a click (headless Chromium)", async (context) => {
    const result = await run("graph", "--format", "html");
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(/(src|href)="https?:/);
    const page = join(dir.path, "graph.html");
    writeFileSync(page, result.stdout);
    const selected = dumpDom(`${pathToFileURL(page).href}?select=d4`);
    if (selected === undefined) {
      context.skip("Chromium cannot run on this machine (install the chromium package to run this check)");
      return;
    }
    for (const id of ["a1", "b2", "c3", "d4", "e5", "f6", "g7", "h8"]) expect(selected).toMatch(new RegExp(`<g id="node-${id}" class="node \\w+`));
    expect(selected).toMatch(/<g id="node-c3" class="node current"/);
    expect(selected).toMatch(/<g id="node-d4" class="node pending selected"/);
    expect((selected.match(/<path class="edge parent"/g) ?? []).length).toBe(8);
    // Filled in by the click handler: nothing in the page's source holds these.
    expect(selected).toContain('<aside id="details" aria-live="polite" data-selected="d4"><h2>d4</h2><p class="message">rev d4</p>');
    expect(selected).toContain('migrations/d4_rev.sql</dd>');
    expect(selected).toContain('<dd class="field-parents">b2</dd>');
    expect(selected).toContain('<dd class="field-branch-labels">feature</dd>');
    expect(selected).toContain('<dd class="field-status">pending</dd>');
    const plain = dumpDom(pathToFileURL(page).href)!;
    expect(plain).toContain("Click a revision to see its details.");
    expect(plain).toContain('<aside id="details" aria-live="polite"><p class="hint">');
  });

  it("check-order fails with two heads, naming them, until they are merged", async () => {
    const failed = await run("check-order");
    expect(failed.code).toBe(1);
    expect(failed.stderr).toBe(
      'error: The revision graph has 2 heads (g7, h8), branching from f6; merge them before deploying.\nhint: stratum merge heads -m "merge g7 and h8"\n',
    );
    expect(json<{ ok: boolean; heads: string[]; forkedAt: string }>(await run("--json", "check-order"))).toMatchObject({ ok: false, heads: ["g7", "h8"], forkedAt: "f6" });
    expect((await run("merge", "heads", "-m", "merge g7 and h8", "--rev-id", "m9")).code).toBe(0);
    const passed = await run("check-order");
    expect(passed.code).toBe(0);
    expect(passed.stdout).toBe("History is linear: one head (m9).\n");
  });

  it("an invalid graph is drawn as far as it can be, with its errors, exit 1", async () => {
    unlinkSync(join(dir.path, "migrations", "b2_rev.sql"));
    sqlRevision(dir.path, "x1", ["y2"]);
    sqlRevision(dir.path, "y2", ["x1"]);
    const result = await run("graph", "--offline");
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^ {2}\? {2}b2 {2}\(branchpoint\) missing \(named by c3, d4\)$/m);
    expect(result.stdout).toMatch(/^o {4}y2 {2}rev y2$/m);
    expect(result.stdout).toContain("rev g7");
    expect(result.stdout).toContain("The revision graph is invalid:\n  - Revision c3, d4 names parent 'b2', which is not a known revision.\n  - Revisions x1, y2 are on a cycle");
    const html = await run("graph", "--offline", "--format", "html");
    expect(html.code).toBe(1);
    expect(html.stdout).toContain('<g id="node-x1" class="node unknown"');
    expect(html.stdout).toContain('<section id="errors">');
    expect(html.stderr).toContain("error: the revision graph is invalid: Revision c3, d4 names parent 'b2'");
  });
});
