import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadRevisionModule } from "../../src/scripts/load-revision.js";
import { flavorFor } from "../../src/scripts/module-loader.js";
import { lightStratumSuffices, selfContained, stratumOnlyImports } from "../../src/scripts/stratum-imports.js";

const LIGHT = new Set(["revision", "defineConfig"]);
const suffices = (text: string) => lightStratumSuffices(text, LIGHT);

describe("lightStratumSuffices", () => {
  it("accepts the template's import and a config's import", () => {
    expect(suffices(`import { revision } from "stratum";\nexport default revision({ id: "a", parents: [] });`)).toBe(true);
    expect(suffices(`import { defineConfig } from 'stratum'\nexport default defineConfig({})`)).toBe(true);
  });

  it("accepts a file that does not mention stratum at all", () => {
    expect(suffices(`export default { id: "a", parents: [], async upgrade() {} };`)).toBe(true);
  });

  it("ignores type-only imports, which are erased", () => {
    expect(suffices(`import type { Op, Whatever } from "stratum";\nimport { revision, type Op2 } from "stratum";`)).toBe(true);
    expect(suffices(`import { revision, type Op as O } from "stratum";`)).toBe(true);
  });

  it("accepts an aliased light name", () => {
    expect(suffices(`import { revision as r } from "stratum";`)).toBe(true);
  });

  it("refuses a name the light entry lacks", () => {
    expect(suffices(`import { revision, sql } from "stratum";`)).toBe(false);
    expect(suffices(`import { type as t } from "stratum";`)).toBe(false);
  });

  it("refuses default, namespace, dynamic and subpath uses", () => {
    expect(suffices(`import stratum from "stratum";`)).toBe(false);
    expect(suffices(`import * as s from "stratum";`)).toBe(false);
    expect(suffices(`import { revision } from "stratum";\nconst s = await import("stratum");`)).toBe(false);
    expect(suffices(`import { revision } from "stratum";\nimport { stairway } from "stratum/testing";`)).toBe(false);
    expect(suffices(`const { revision } = require("stratum");`)).toBe(false);
  });

  it("refuses a file that loads any other module, since that module may need the whole package", () => {
    expect(suffices(`import { revision } from "stratum";\nimport { helper } from "./_shared.js";`)).toBe(false);
    expect(suffices(`import { revision } from "stratum";\nexport { helper } from "./_shared.js";`)).toBe(false);
    expect(suffices(`import { revision } from "stratum";\nimport "./side-effect.js";`)).toBe(false);
    expect(suffices(`import { revision } from "stratum";\nconst fs = require("node:fs");`)).toBe(false);
  });

  it("refuses what the pattern cannot read with certainty", () => {
    expect(suffices(`import { revision /* the factory */ } from "stratum";`)).toBe(false);
    expect(suffices(`import { revision } from "stratum";\nconst name = "stratum";`)).toBe(false);
  });
});

describe("stratumOnlyImports and selfContained", () => {
  const TEMPLATE = `import { revision, sql, type RevisionContext } from "stratum";\nexport default revision({ id: "a1", parents: [], createDate: "2024-01-01", async upgrade(op) { await op.execute("SELECT CURRENT_DATE"); } });\n`;

  it("lists the values a file imports from stratum alone, type-only names left out", () => {
    expect(stratumOnlyImports(TEMPLATE)).toEqual(["revision", "sql"]);
    expect(stratumOnlyImports(`import { revision as r } from "stratum";`)).toEqual(["revision"]);
    expect(stratumOnlyImports(`import { revision } from "stratum";\nimport { x } from "./x.js";`)).toBeUndefined();
  });

  it("calls a file self-contained when it imports stratum alone and names nothing that reads its environment", () => {
    expect(selfContained(TEMPLATE)).toBe(true);
    for (const reads of ["process.env.HOME", "globalThis.x", "global.x", "new Date()", "Date.now()", "Math.random()", "crypto.randomUUID()", "performance.now()", 'eval("1")', 'Function("return 1")']) {
      expect(selfContained(TEMPLATE.replace('"SELECT CURRENT_DATE"', reads)), reads).toBe(false);
    }
    expect(selfContained(`${TEMPLATE}const fs = require("node:fs");\n`)).toBe(false);
  });
});

describe("loading revisions with the light entry", () => {
  const dir = mkdtempSync(join(tmpdir(), "stratum-imports-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("picks light for a template revision and full for one that needs more", async () => {
    expect(await flavorFor(`import { revision } from "stratum";`)).toBe("light");
    expect(await flavorFor(`import { revision, sql } from "stratum";`)).toBe("full");
  });

  it("runs a light revision and a full one side by side", async () => {
    writeFileSync(
      join(dir, "a.ts"),
      `import { revision } from "stratum";\nexport default revision({\n  id: "a1",\n  parents: [],\n  async upgrade(op) {},\n});\n`,
    );
    writeFileSync(
      join(dir, "b.ts"),
      `import { revision, sql } from "stratum";\nexport const now = sql\`now()\`;\nexport default revision({\n  id: "b1",\n  parents: ["a1"],\n  async upgrade(op) {},\n});\n`,
    );
    const light = await loadRevisionModule(join(dir, "a.ts"));
    const full = await loadRevisionModule(join(dir, "b.ts"));
    expect(light.id).toBe("a1");
    expect(full.id).toBe("b1");
    expect(typeof full.upgrade).toBe("function");
  });
});
