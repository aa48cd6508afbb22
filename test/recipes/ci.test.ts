/**
 * The GitHub Actions workflow of docs/ci.md: the copy in examples/ci is the same, every
 * stratum command and flag it uses exists, and its commands pass, in order, on a sample
 * project against the local PostgreSQL.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresDatabase, type ScratchDatabase } from "../helpers/databases.js";
import { copyExample, REPO, runRecipe, splitWords, unavailable, type RecipeBlock } from "./recipe.js";

const WORKFLOW = readFileSync(join(REPO, "examples", "ci", "github-actions.yml"), "utf8");
const CI_DOC = readFileSync(join(REPO, "docs", "ci.md"), "utf8");

/** The shell lines of a workflow's `run:` keys, both `run: cmd` and `run: |` blocks. */
function runLines(yaml: string): string[] {
  const lines = yaml.split("\n");
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const match = /^(\s*)(?:- )?run:\s*(.*)$/.exec(lines[i]!);
    if (!match) continue;
    const value = match[2]!.trim();
    if (value !== "|" && value !== ">") {
      out.push(value);
      continue;
    }
    const keyIndent = match[1]!.length;
    for (i++; i < lines.length; i++) {
      const line = lines[i]!;
      if (line.trim() === "") continue;
      if (line.length - line.trimStart().length <= keyIndent) {
        i--;
        break;
      }
      out.push(line.trim());
    }
  }
  return out;
}

/** `npx stratum A B || true  # note` -> ["A", "B"]; undefined for other programs. */
function stratumArgs(line: string): string[] | undefined {
  const { words } = splitWords(line.replace(/\s*\|\|.*$/, ""));
  if (words[0] !== "npx" || words[1] !== "stratum") return undefined;
  return words.slice(2).filter((w) => !w.startsWith(">"));
}

/** The workflow's stratum steps as a recipe block, in order. */
function workflowBlock(): RecipeBlock {
  const commandsToRun = runLines(WORKFLOW)
    .map(stratumArgs)
    .filter((a): a is string[] => a !== undefined)
    .map((args, i) => ({ argv: ["stratum", ...args], expectExit: 0, line: i, text: `stratum ${args.join(" ")}` }));
  return { project: "", commands: commandsToRun, expectOutput: [], line: 0 };
}

describe("the CI workflow", () => {
  it("reads run lines from both YAML forms", () => {
    const yaml = ["steps:", "  - run: npm ci", "  - name: x", "    run: |", "      npx stratum status", "      echo hi", "  - run: npx stratum lint"].join("\n");
    expect(runLines(yaml)).toEqual(["npm ci", "npx stratum status", "echo hi", "npx stratum lint"]);
  });

  it("is the same in docs/ci.md and examples/ci/github-actions.yml", () => {
    const block = /```yaml\n([\s\S]*?)```/.exec(CI_DOC)?.[1];
    expect(block).toBe(WORKFLOW);
  });

  it("uses only stratum commands and flags that exist", async () => {
    const yamlBlocks = [...CI_DOC.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
    const invocations = yamlBlocks.flatMap(runLines).map(stratumArgs).filter((a): a is string[] => a !== undefined);
    expect(invocations.length).toBeGreaterThanOrEqual(8);
    const block: RecipeBlock = {
      project: "",
      commands: invocations.map((args, i) => ({ argv: ["stratum", ...args], expectExit: 0, line: i, text: args.join(" ") })),
      expectOutput: [],
      line: 0,
    };
    expect(await unavailable([block])).toEqual([]);
  });

  describe("run on a sample project", () => {
    let db: ScratchDatabase;
    let project: { path: string; remove(): void };
    beforeAll(async () => {
      db = await createPostgresDatabase("stratum_recipe_ci");
      project = copyExample("forecastly");
    });
    afterAll(async () => {
      project?.remove();
      await db?.drop();
    });

    it("passes every stratum step of the workflow", async () => {
      const block = workflowBlock();
      const results = await runRecipe([block], project.path, { ...process.env, DATABASE_URL: db.url });
      expect(results.map((r) => r.code)).toEqual(block.commands.map(() => 0));
      expect(results.at(-1)?.stdout).toContain("Up to date at 7b3e5d1c9a02");
    });
  });
});
