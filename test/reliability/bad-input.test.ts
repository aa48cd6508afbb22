/**
 * Bad input: a corpus of malformed revision files, config files, targets and URLs, and a
 * bounded fuzz run over the target parser and the SQL splitters. Each bad input gives exit 2
 * and one clear message, never a stack trace, and writes nothing (no table in the database, no
 * file in the project). STRATUM_RELIABILITY_FUZZ_RUNS raises the fuzz count.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliIO } from "../../src/cli/io.js";
import { reportError } from "../../src/cli/report.js";
import { getDialect } from "../../src/dialects/index.js";
import { StratumError } from "../../src/errors.js";
import { RevisionGraph } from "../../src/graph/index.js";
import { expectOneLineError, stratum } from "../cli/run.js";
import { createPostgresDatabase, type ScratchDatabase, tempDir } from "../helpers/databases.js";
import { tsRevision } from "../safety/project.js";
import { assertBuilt, countFromEnv, runCliProcess } from "./helpers.js";

const FUZZ_RUNS = countFromEnv("STRATUM_RELIABILITY_FUZZ_RUNS", 300);

const GOOD_1 = tsRevision("e00000000001", undefined, `    await op.execute("CREATE TABLE one (id int)");`);
const GOOD_2 = tsRevision("e00000000002", "e00000000001", `    await op.execute("CREATE TABLE two (id int)");`, "", "\n  branchLabels: [\"main\"],");
const config = (body: string) => `export default ${body};\n`;

interface Case {
  name: string;
  /** Files written over the good project (path relative to the project; null removes). */
  files?: Record<string, string | null>;
  /** Arguments after `--url <scratch>`; default `upgrade head`. */
  args?: string[];
  /** Replaces the --url flag. */
  url?: string;
  /** A fragment the one error line must contain. */
  says: RegExp;
}

const CASES: Case[] = [
  // Revision files
  { name: "TypeScript syntax error", files: { "versions/e00000000003_bad.ts": `import { revision } from "stratum";\nexport default revision({ id: "e00000000003", parents: ["e00000000002"],,, });\n` }, says: /e00000000003_bad\.ts/ },
  { name: "no id in the header", files: { "versions/e00000000003_bad.ts": tsRevision("e00000000003", "e00000000002", "").replace(/  id: .*\n/, "") }, says: /e00000000003_bad\.ts/ },
  { name: "id that is not a string", files: { "versions/e00000000003_bad.ts": tsRevision("e00000000003", "e00000000002", "").replace(`id: "e00000000003"`, "id: 42") }, says: /e00000000003_bad\.ts/ },
  { name: "parents that are not a list", files: { "versions/e00000000003_bad.ts": tsRevision("e00000000003", "e00000000002", "").replace(`parents: ["e00000000002"]`, `parents: "e00000000002"`) }, says: /e00000000003_bad\.ts/ },
  { name: "duplicate id", files: { "versions/e00000000002_copy.ts": GOOD_2 }, says: /e00000000002/ },
  { name: "missing parent", files: { "versions/e00000000003_orphan.ts": tsRevision("e00000000003", "e0000000dead", "") }, says: /e0000000dead/ },
  {
    name: "cycle",
    files: { "versions/e00000000001_one.ts": tsRevision("e00000000001", "e00000000002", `    await op.execute("CREATE TABLE one (id int)");`) },
    says: /cycle|e00000000001/i,
  },
  { name: "a revision that throws when loaded", files: { "versions/e00000000003_throws.ts": tsRevision("e00000000003", "e00000000002", "") + `throw new Error("broken at import");\n` }, says: /e00000000003/ },
  { name: "no default export", files: { "versions/e00000000003_nodefault.ts": tsRevision("e00000000003", "e00000000002", "").replace("export default revision(", "export const r = revision(") }, says: /e00000000003/ },
  { name: "an empty revision file", files: { "versions/e00000000003_empty.ts": "" }, says: /e00000000003_empty\.ts/ },
  { name: "SQL revision without an up section", files: { "versions/e00000000003_bad.sql": `-- stratum:revision id=e00000000003 parents=e00000000002 message="x"\nCREATE TABLE three (id int);\n` }, says: /e00000000003_bad\.sql/ },
  { name: "SQL revision with a broken header", files: { "versions/e00000000003_bad.sql": `-- stratum:revision id= parents=\n-- stratum:up\nSELECT 1;\n` }, says: /e00000000003_bad\.sql/ },
  // Config files
  { name: "config syntax error", files: { "stratum.config.ts": "export default { versionPaths: [\"versions\"], ;\n" }, says: /stratum\.config\.ts/ },
  { name: "config that is not an object", files: { "stratum.config.ts": config("42") }, says: /stratum\.config\.ts|config/i },
  { name: "config option of the wrong type", files: { "stratum.config.ts": config(`{ versionPaths: ["versions"], lockTimeoutMs: "2s" }`) }, says: /lockTimeoutMs/ },
  { name: "config with a versions folder that does not exist", files: { "stratum.config.ts": config(`{ versionPaths: ["nowhere"] }`) }, says: /nowhere/ },
  { name: "config that throws", files: { "stratum.config.ts": `throw new Error("no config for you");\n` }, says: /stratum\.config\.ts/ },
  // Targets
  { name: "unknown revision", args: ["upgrade", "e0000000beef"], says: /e0000000beef/ },
  { name: "relative step that is not a number", args: ["upgrade", "+x"], says: /\+x/ },
  { name: "doubled @", args: ["upgrade", "head@@"], says: /head@@/ },
  { name: "empty target", args: ["upgrade", ""], says: /target|revision/i },
  { name: "unknown label", args: ["upgrade", "nolabel@head"], says: /nolabel/ },
  { name: "range without --sql", args: ["upgrade", "e00000000001:e00000000002"], says: /only for --sql/ },
  { name: "ambiguous prefix", args: ["upgrade", "e0000000000"], says: /e0000000000/ },
  { name: "downgrade step that is not a number", args: ["downgrade", "-abc"], says: /-abc/ },
  { name: "relative step past the base", args: ["upgrade", "-5"], says: /-5|base/ },
  // URLs
  { name: "unknown URL scheme", url: "foo://user:pw@host/db", says: /foo/ },
  { name: "text that is not a URL", url: "not a url", says: /URL/i },
  { name: "URL with a bad port", url: "postgres://postgres:pw@127.0.0.1:notaport/db", says: /URL|port/i },
  { name: "sqlite URL without a path", url: "sqlite:", says: /sqlite/i },
];

function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(path, readFileSync(path, "utf8"));
    }
  };
  walk(dir);
  return files;
}

describe("bad input", () => {
  let scratch: ScratchDatabase;
  let client: pg.Client;
  const dirs: Array<{ remove(): void }> = [];

  function project(files: Case["files"] = {}): string {
    const dir = tempDir("stratum-bad-input-");
    dirs.push(dir);
    const all: Record<string, string | null> = {
      "stratum.config.ts": config(`{ versionPaths: ["versions"], lint: { onUpgrade: "off" } }`),
      "versions/e00000000001_one.ts": GOOD_1,
      "versions/e00000000002_two.ts": GOOD_2,
      ...files,
    };
    mkdirSync(join(dir.path, "versions"));
    for (const [file, text] of Object.entries(all)) {
      if (text === null) continue;
      mkdirSync(dirname(join(dir.path, file)), { recursive: true });
      writeFileSync(join(dir.path, file), text);
    }
    return dir.path;
  }

  async function databaseIsEmpty(): Promise<boolean> {
    const { rows } = await client.query("SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'");
    return rows[0].n === 0;
  }

  beforeAll(async () => {
    scratch = await createPostgresDatabase("stratum_bad_input");
    client = new pg.Client({ connectionString: scratch.url });
    await client.connect();
  });
  afterAll(async () => {
    for (const dir of dirs) dir.remove();
    await client?.end();
    await scratch?.drop();
  });

  it.each(CASES)("$name: exit 2, one message, nothing written", async (c) => {
    const cwd = project(c.files);
    const before = snapshot(cwd);
    const result = await stratum(cwd, "--url", c.url ?? scratch.url, ...(c.args ?? ["upgrade", "head"]));
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(2);
    expect(expectOneLineError(result)).toMatch(c.says);
    expect(result.stderr).not.toMatch(/node_modules|\bat .*:\d+:\d+/);
    expect(snapshot(cwd)).toEqual(before);
    const empty = await databaseIsEmpty();
    if (!empty) await client.query("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    expect(empty, "the database was written to").toBe(true);
  });

  it("gives the same answers from the installed command, as a process", async () => {
    assertBuilt();
    const picks = CASES.filter((c) => ["TypeScript syntax error", "config that throws", "doubled @", "unknown URL scheme"].includes(c.name));
    const results = await Promise.all(picks.map((c) => runCliProcess(project(c.files), "--url", c.url ?? scratch.url, ...(c.args ?? ["upgrade", "head"]))));
    results.forEach((result, i) => {
      expect(result.code, result.stderr).toBe(2);
      expect(expectOneLineError({ code: result.code ?? -1, stdout: result.stdout, stderr: result.stderr })).toMatch(picks[i]!.says);
    });
    expect(await databaseIsEmpty()).toBe(true);
  });
});

describe("fuzz", () => {
  const headers = ["a1b2c3d4e5f6", "a1b2c3d4e5f7", "b00000000001", "c00000000001"].map((id, i, all) => ({
    id,
    parents: i === 0 ? [] : i === 3 ? [all[1]!, all[2]!] : [all[0]!],
    message: id,
    branchLabels: i === 1 ? ["left"] : i === 2 ? ["right"] : [],
    dependsOn: [],
    path: `versions/${id}.ts`,
  }));
  const graph = RevisionGraph.build(headers);
  const token = fc.constantFrom("head", "heads", "base", "current", "+", "-", "@", ":", "1", "2", "10", "a1b2", "a1b2c3d4e5f6", "left", "right", "c0", "%", " ", "\u0000", "@head", "-0", "+99999999999999999999");
  const target = fc.oneof(fc.string({ maxLength: 30 }), fc.array(token, { maxLength: 6 }).map((parts) => parts.join("")));

  /** A user error, as the CLI prints it: exit 2 and one `error:` line (plus maybe a hint). */
  function expectUserError(error: unknown): void {
    if (!(error instanceof StratumError)) throw error;
    let stderr = "";
    const code = reportError(error, { stdout: () => {}, stderr: (text: string) => void (stderr += text), isTTY: false } as unknown as CliIO, false, false);
    expect(code).toBe(2);
    expectOneLineError({ code, stdout: "", stderr });
  }

  /** Either an answer or a user error: never another kind of exception. */
  function userErrorOnly(fn: () => unknown): void {
    try {
      fn();
    } catch (error) {
      expectUserError(error);
    }
  }

  it("the target parser answers or gives one user error, whatever the text", () => {
    fc.assert(
      fc.property(target, fc.subarray(headers.map((h) => h.id)), (text, heads) => {
        userErrorOnly(() => graph.resolve(text, heads));
        userErrorOnly(() => graph.planUpgrade(heads.slice(0, 1), text));
        userErrorOnly(() => graph.planDowngrade(heads.slice(0, 1), text));
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  const sqlPiece = fc.constantFrom(
    "SELECT 1", ";", "'", "''", '"', "$$", "$tag$", "$1", "--", "/*", "*/", "\n", "BEGIN", "END", "CREATE FUNCTION f() RETURNS int AS ", "LANGUAGE sql",
    "DELIMITER //", "//", "E'\\'", "`", "#", "CREATE TRIGGER t BEFORE INSERT ON x BEGIN", "CASE", "\\", " ", "COPY x FROM stdin", "\\.", "DO $$ BEGIN END $$",
  );
  const sqlText = fc.oneof(fc.string({ maxLength: 80 }), fc.array(sqlPiece, { maxLength: 12 }).map((parts) => parts.join(" ")));

  for (const name of ["postgresql", "mysql", "sqlite"] as const) {
    it(`the ${name} SQL splitter answers or gives one user error, whatever the text`, async () => {
      const dialect = getDialect(name);
      await fc.assert(
        fc.asyncProperty(sqlText, async (text) => {
          try {
            const statements = await dialect.splitStatements(text, "fuzz.sql");
            for (const statement of statements) {
              expect(typeof statement.sql).toBe("string");
              expect(statement.line).toBeGreaterThanOrEqual(1);
            }
          } catch (error) {
            expectUserError(error);
          }
        }),
        { numRuns: FUZZ_RUNS },
      );
    });
  }

  it("the CLI answers or gives exit 2 with one line for fuzzed targets", async () => {
    const dir = tempDir("stratum-fuzz-");
    try {
      mkdirSync(join(dir.path, "versions"));
      writeFileSync(join(dir.path, "stratum.config.ts"), config(`{ url: "postgres://nobody@127.0.0.1:1/none", versionPaths: ["versions"] }`));
      writeFileSync(join(dir.path, "versions", "e00000000001_one.ts"), GOOD_1);
      writeFileSync(join(dir.path, "versions", "e00000000002_two.ts"), GOOD_2);
      await fc.assert(
        fc.asyncProperty(target, async (text) => {
          const result = await stratum(dir.path, "upgrade", "--sql", text);
          expect([0, 2], `${text}: ${result.stderr}`).toContain(result.code);
          if (result.code === 2) expectOneLineError(result);
        }),
        { numRuns: Math.ceil(FUZZ_RUNS / 6) },
      );
    } finally {
      dir.remove();
    }
  });
});
