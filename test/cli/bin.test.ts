/**
 * The real `stratum` bin, spawned, and the README's quick-start command run as written
 * (taken from README.md, so the documentation cannot drift from what works).
 */
import { execFile, execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresDatabase, tempDir } from "../helpers/databases.js";

const run = promisify(execFile);
const REPO = resolve(import.meta.dirname, "..", "..");
const BIN = join(REPO, "bin", "stratum.js");
const VERSION = (JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string }).version;

/** The quick-start line: the first shell block of README.md that starts with `npm ci &&`. */
function quickStartCommand(): string {
  const readme = readFileSync(join(REPO, "README.md"), "utf8");
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!.trim());
  const line = blocks.find((block) => block.startsWith("npm ci &&"));
  if (!line) throw new Error("README.md has no ```sh block starting with `npm ci &&`");
  return line;
}

async function spawnStratum(cwd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, DATABASE_URL: "" } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

describe("the stratum bin", () => {
  let work: { path: string; remove(): void };

  beforeAll(() => {
    // `npm test` builds first; a bare `vitest run` builds here when dist/ is missing.
    if (!existsSync(join(REPO, "dist", "bundle", "cli", "main.js"))) {
      execFileSync("npm", ["run", "build"], { cwd: REPO, stdio: "ignore" });
    }
    work = tempDir("stratum-bin-");
  });
  afterAll(() => work.remove());

  it("prints its version", async () => {
    const result = await spawnStratum(REPO, ["--version"]);
    expect(result).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
    const full = await spawnStratum(REPO, ["-q", "--version"]);
    expect(full.stdout.trim()).toBe(VERSION);
  });

  it("exits 2 with one line for a usage error", async () => {
    const result = await spawnStratum(REPO, ["no-such-command"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown command");
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it("runs the README quick start and prints what it applied", async () => {
    const command = quickStartCommand();
    expect(command).toMatch(/^npm ci && npx stratum /);
    // `npm ci` would reinstall this checkout's node_modules; the test runs what follows it, on a
    // copy of the example so that the repository's own example database is left alone.
    const args = command.replace(/^npm ci && npx stratum /, "").split(/\s+/);
    const dirFlag = args.indexOf("-C");
    const exampleDir = args[dirFlag + 1]!;
    cpSync(join(REPO, exampleDir), join(work.path, exampleDir), { recursive: true, filter: (src) => !src.includes(".pglite") });
    const result = await spawnStratum(work.path, args);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const applied = result.stdout.split("\n").filter((line) => line.startsWith("Running upgrade"));
    expect(applied).toHaveLength(4);
    expect(applied[0]).toMatch(/^Running upgrade <base> -> \w+, create users$/);
    expect(result.stdout).toMatch(/Now at \w+\.\n$/);
    expect(existsSync(join(work.path, exampleDir, ".pglite"))).toBe(true);

    const again = await spawnStratum(work.path, args);
    expect(again.stdout).toContain("Nothing to do");
  });

  it("resolves `npx stratum` to this repository's bin, offline", async () => {
    const { stdout } = await run("npx", ["--offline", "stratum", "--version"], { cwd: REPO });
    expect(stdout.trim()).toBe(VERSION);
  });

  it("links commander and pg into the bundle instead of importing them at run time", () => {
    const bundle = join(REPO, "dist", "bundle");
    const files = readdirSync(bundle, { recursive: true, encoding: "utf8" }).filter((name) => name.endsWith(".js"));
    const imported = files.filter((name) => /\bfrom\s*"(commander|pg)"|import\("(commander|pg)"\)/.test(readFileSync(join(bundle, name), "utf8")));
    expect(imported).toEqual([]);
  });

  it("talks to PostgreSQL without loading Node's fetch stack", async () => {
    const db = await createPostgresDatabase("stratum_bin_current");
    const project = join(work.path, "current");
    try {
      mkdirSync(join(project, "migrations"), { recursive: true });
      // Prints, as the process exits, the built-in modules that pg's runtime probe would have loaded.
      const probe = join(project, "probe.mjs");
      writeFileSync(
        probe,
        `process.on("exit", () => process.stderr.write("loaded: " + process.moduleLoadList.filter((m) => /undici|http2|NativeModule zlib/.test(m)).join(",") + "\\n"));\n`,
      );
      const { stdout, stderr } = await run(process.execPath, ["--import", probe, BIN, "current", "--url", db.url], { cwd: project });
      expect(stdout).toContain("<base>");
      expect(stderr.trim()).toBe("loaded:");
    } finally {
      await db.drop();
    }
  });
});
