#!/usr/bin/env node
/**
 * Benchmark: reading revision headers over generated graphs of 1,000 and 10,000 files, against
 * merely reading the same files' text; and, when the CLI is built, `heads`, `history` and
 * `--version` as child processes against a bare `node -e ''` start-up.
 *
 *   node bench/graph.mjs [--runs N] [--sizes 1000,10000] [--no-alembic]
 *
 * With Alembic installed (`apt-get install python3-alembic`), `alembic heads` over the same
 * graphs of 1,000 revisions as Python files is timed in the same runs.
 *
 * Runs are interleaved with their baseline and reported as medians, since timings on a shared
 * machine move by tens of percent between runs.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { median, option, pythonWith, repo } from "./lib.mjs";

const workDir = join(repo, "bench", ".work");

const RUNS = Number(option("--runs", "7"));
const SIZES = option("--sizes", "1000,10000").split(",").map(Number);

/** A small deterministic random generator, so every run benchmarks the same graphs. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const idFor = (kind, n) => createHash("sha256").update(`${kind}:${n}`).digest("hex").slice(0, 12);

function revisionText(id, parents, n, labels) {
  return `import { revision } from "stratum";

export default revision({
  id: "${id}",
  parents: [${parents.map((p) => `"${p}"`).join(", ")}],
  message: "create table t${n}",
  createDate: "2024-01-01T00:00:00.000Z",
  branchLabels: [${labels.map((l) => `"${l}"`).join(", ")}],
  dependsOn: [],

  async upgrade(op) {
    await op.execute(\`CREATE TABLE t${n} (id bigint PRIMARY KEY, name text NOT NULL, created_at timestamptz DEFAULT now())\`);
    await op.execute("CREATE INDEX t${n}_name ON t${n} (name)");
  },

  async downgrade(op) {
    await op.execute("DROP TABLE t${n}");
  },
});
`;
}

/** Parents for each of `size` revisions: a chain, or branches that fork and merge again. */
function graphShape(kind, size) {
  const parentsOf = [];
  if (kind === "linear") {
    for (let n = 0; n < size; n++) parentsOf.push(n === 0 ? [] : [n - 1]);
    return parentsOf;
  }
  const next = random(size);
  let heads = [];
  for (let n = 0; n < size; n++) {
    const remaining = size - n;
    if (n === 0) {
      parentsOf.push([]);
      heads = [0];
    } else if (remaining === 1 || (heads.length > 1 && next() < 0.08)) {
      // A merge: of every head at the end (so the graph has one head), else of two.
      const merged = remaining === 1 ? heads : heads.splice(Math.floor(next() * (heads.length - 1)), 2);
      parentsOf.push([...merged]);
      heads = remaining === 1 ? [n] : [...heads, n];
    } else if (heads.length < 6 && next() < 0.06) {
      // A fork: a new branch from a head that also keeps growing.
      parentsOf.push([heads[Math.floor(next() * heads.length)]]);
      heads.push(n);
    } else {
      const i = Math.floor(next() * heads.length);
      parentsOf.push([heads[i]]);
      heads[i] = n;
    }
  }
  return parentsOf;
}

/** The config a project gets from `stratum init`, in TypeScript, as users have it. */
const CONFIG_TEXT = `import { defineConfig } from "stratum";

export default defineConfig({
  url: "pglite:./.stratum/db",
  versionPaths: ["migrations"],
});
`;

/** A label on each revision that starts a branch of the branchy graph. */
function labelsFor(kind, shape, parents, n) {
  return kind === "branchy" && parents.length === 1 && shape.filter((p) => p.includes(parents[0])).length > 1 ? [`b${n}`] : [];
}

function generate(kind, size) {
  const dir = join(workDir, `${kind}-${size}`);
  const marker = join(dir, ".complete");
  if (existsSync(marker)) {
    writeFileSync(join(dir, "stratum.config.ts"), CONFIG_TEXT);
    rmSync(join(dir, "stratum.config.mjs"), { force: true });
    return dir;
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "migrations"), { recursive: true });
  writeFileSync(join(dir, "stratum.config.ts"), CONFIG_TEXT);
  const shape = graphShape(kind, size);
  shape.forEach((parents, n) => {
    const id = idFor(kind, n);
    writeFileSync(join(dir, "migrations", `${String(n).padStart(5, "0")}_${id}_t${n}.ts`), revisionText(id, parents.map((p) => idFor(kind, p)), n, labelsFor(kind, shape, parents, n)));
  });
  writeFileSync(marker, "");
  return dir;
}

function alembicRevisionText(id, parents, n, labels) {
  const down = parents.length === 0 ? "None" : parents.length === 1 ? JSON.stringify(parents[0]) : `(${parents.map((p) => JSON.stringify(p)).join(", ")})`;
  return `"""create table t${n}"""
from alembic import op

revision = ${JSON.stringify(id)}
down_revision = ${down}
branch_labels = ${labels.length ? `(${labels.map((l) => JSON.stringify(l)).join(", ")},)` : "None"}
depends_on = None


def upgrade():
    op.execute("CREATE TABLE t${n} (id bigint PRIMARY KEY, name text NOT NULL, created_at timestamptz DEFAULT now())")
    op.execute("CREATE INDEX t${n}_name ON t${n} (name)")


def downgrade():
    op.execute("DROP TABLE t${n}")
`;
}

/** The same graph as an Alembic project (same ids, parents and labels), generated once. */
function generateAlembic(kind, size) {
  const dir = join(workDir, `${kind}-${size}-alembic`);
  if (existsSync(join(dir, ".complete"))) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "versions"), { recursive: true });
  writeFileSync(join(dir, "alembic.ini"), `[alembic]\nscript_location = ${dir}\n`);
  writeFileSync(join(dir, "script.py.mako"), "");
  const shape = graphShape(kind, size);
  shape.forEach((parents, n) => {
    const id = idFor(kind, n);
    writeFileSync(join(dir, "versions", `${String(n).padStart(5, "0")}_${id}.py`), alembicRevisionText(id, parents.map((p) => idFor(kind, p)), n, labelsFor(kind, shape, parents, n)));
  });
  writeFileSync(join(dir, ".complete"), "");
  return dir;
}

async function loadScripts() {
  const built = join(repo, "dist", "scripts", "index.js");
  if (existsSync(built)) return import(pathToFileURL(built).href);
  const { createJiti } = await import("jiti");
  return createJiti(import.meta.url).import(join(repo, "src", "scripts", "index.ts"));
}


/** Runs each named task `RUNS` times, interleaved, and returns the median milliseconds of each. */
async function interleaved(tasks) {
  const times = Object.fromEntries(Object.keys(tasks).map((name) => [name, []]));
  for (let run = 0; run < RUNS; run++) {
    for (const [name, task] of Object.entries(tasks)) {
      const start = performance.now();
      await task();
      times[name].push(performance.now() - start);
    }
  }
  return Object.fromEntries(Object.entries(times).map(([name, values]) => [name, median(values)]));
}

/** Runs `task` with Stratum's caches off, as a first run or STRATUM_NO_CACHE=1 has them. */
async function withoutCache(task) {
  const saved = process.env.STRATUM_NO_CACHE;
  process.env.STRATUM_NO_CACHE = "1";
  try {
    return await task();
  } finally {
    if (saved === undefined) delete process.env.STRATUM_NO_CACHE;
    else process.env.STRATUM_NO_CACHE = saved;
  }
}

/** A task running `alembic heads` on the graph's Alembic twin, checked once for its one head. */
function alembicHeads(python, kind, size) {
  const dir = generateAlembic(kind, size);
  const heads = () => {
    const result = spawnSync(python, ["-m", "alembic", "-c", join(dir, "alembic.ini"), "heads"], { cwd: dir, encoding: "utf8" });
    if (result.status !== 0) throw new Error(`alembic heads failed: ${result.stderr.trim().split("\n").pop()}`);
    return result.stdout;
  };
  // The first run also compiles the files to bytecode, as any later run on a machine finds them.
  const expected = idFor(kind, size - 1);
  if (!heads().startsWith(expected)) throw new Error(`alembic heads did not name ${expected} as the one head`);
  return heads;
}

function readAllText(dir) {
  let bytes = 0;
  for (const name of readdirSync(dir)) bytes += readFileSync(join(dir, name), "utf8").length;
  return bytes;
}

// GNU time reports the child's CPU seconds, which a busy machine distorts far less than wall time.
const GNU_TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;
const cpuTimes = new Map();

/** Runs node with `argv`; records the child's CPU milliseconds under `label` when GNU time is there. */
function runNode(label, argv, env = {}) {
  const [command, commandArgs] = GNU_TIME ? [GNU_TIME, ["-f", "cpu %U %S", process.execPath, ...argv]] : [process.execPath, argv];
  const result = spawnSync(command, commandArgs, { cwd: repo, encoding: "utf8", env: { ...process.env, ...env } });
  if (result.status !== 0) throw new Error(`node ${argv.join(" ")} exited ${result.status}: ${result.stderr.trim().split("\n")[0]}`);
  const cpu = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(result.stderr);
  if (cpu) {
    if (!cpuTimes.has(label)) cpuTimes.set(label, []);
    cpuTimes.get(label).push((Number(cpu[1]) + Number(cpu[2])) * 1000);
  }
  return result;
}

/** Median CPU milliseconds recorded under `label`, then forgets them. */
function cpuMedian(label) {
  const values = cpuTimes.get(label) ?? [];
  cpuTimes.delete(label);
  return values.length ? median(values) : undefined;
}

const fmt = (ms) => `${ms.toFixed(1).padStart(8)} ms`;
const ratio = (a, b) => `${(a / b).toFixed(2)}x`.padStart(7);

async function main() {
  const scripts = await loadScripts();
  const cli = join(repo, "bin", "stratum.js");
  const haveCli = existsSync(cli) && existsSync(join(repo, "dist"));
  console.log(`bench/graph: medians of ${RUNS} interleaved runs${haveCli ? "" : " (no bin/stratum.js + dist/: CLI timings skipped)"}\n`);

  // "cold" reads and parses every file (STRATUM_NO_CACHE=1); "indexed" answers unchanged files
  // from the header index, as every run after the first does.
  console.log("reading headers in process vs reading the files' text");
  console.log("graph            files   read text    headers cold   ratio   headers indexed   ratio");
  for (const size of SIZES) {
    for (const kind of ["linear", "branchy"]) {
      const dir = generate(kind, size);
      const versions = join(dir, "migrations");
      const { headers } = await scripts.readHeaders([versions]);
      if (headers.length !== size) throw new Error(`expected ${size} headers in ${versions}, read ${headers.length}`);
      const t = await interleaved({
        text: () => readAllText(versions),
        cold: () => withoutCache(() => scripts.readHeaders([versions])),
        indexed: () => scripts.readHeaders([versions]),
      });
      console.log(
        `${`${kind}-${size}`.padEnd(16)} ${String(size).padStart(5)} ${fmt(t.text)}    ${fmt(t.cold)} ${ratio(t.cold, t.text)}       ${fmt(t.indexed)} ${ratio(t.indexed, t.text)}`,
      );
    }
  }

  if (!haveCli) return;
  console.log("\nCLI as a child process vs `node -e ''` (targets: --version < 100 ms, heads < 150 ms at 1,000 and < 500 ms at 10,000)");
  console.log("wall-clock medians; CPU (user + system) medians in brackets when /usr/bin/time is available");
  const cell = (label, wall, baseline) => {
    const cpu = cpuMedian(label);
    return `${label.split(":")[0]} ${fmt(wall)} ${ratio(wall, baseline)}${cpu === undefined ? "" : ` [cpu ${cpu.toFixed(0)} ms]`}`;
  };
  const version = await interleaved({ node: () => runNode("node", ["-e", ""]), version: () => runNode("--version", [cli, "--version"]) });
  console.log(`${"--version".padEnd(16)} ${cell("--version", version.version, version.node)}   (${cell("node", version.node, version.node)})`);
  const python = process.argv.includes("--no-alembic") ? undefined : pythonWith(["alembic"]);
  for (const size of SIZES) {
    for (const kind of ["linear", "branchy"]) {
      const dir = join(workDir, `${kind}-${size}`);
      // Alembic at 1,000 revisions, the size the issue gives its figure for (0.35 s).
      const alembic = python && size === 1000 ? alembicHeads(python, kind, size) : undefined;
      const t = await interleaved({
        node: () => runNode("node", ["-e", ""]),
        heads: () => runNode("heads", [cli, "-C", dir, "heads"]),
        history: () => runNode("history", [cli, "-C", dir, "history"]),
        cold: () => runNode("heads (no cache)", [cli, "-C", dir, "heads"], { STRATUM_NO_CACHE: "1" }),
        ...(alembic ? { alembic } : {}),
      });
      const alembicCell = alembic ? `   alembic heads ${fmt(t.alembic)} ${ratio(t.alembic, t.node)}` : "";
      console.log(
        `${`${kind}-${size}`.padEnd(16)} ${cell("heads", t.heads, t.node)}   ${cell("history", t.history, t.node)}   ${cell("heads (no cache)", t.cold, t.node)}${alembicCell}   (${cell("node", t.node, t.node)})`,
      );
    }
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
