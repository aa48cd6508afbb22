#!/usr/bin/env node
/**
 * Benchmark: `stratum upgrade --sql base:head` over a generated chain of revisions (a table and
 * an index each; TypeScript and plain SQL files alternate), next to a child process that merely
 * reads the same files and next to a bare `node -e ''`.
 *
 *   node bench/offline.mjs [--revisions 1000] [--runs 7] [--kind mixed|ts|sql] [--compare OTHER/bin/stratum.js]
 *
 * With --compare, the other build's script must equal this one's (the start times in the history
 * rows aside) before anything is timed.
 *
 * With Alembic installed (`apt-get install python3-alembic`), `alembic upgrade base:head --sql`
 * over the same revisions as Python files (each running the same two statements through
 * op.execute, one transaction per revision) is timed in the same runs (`--no-alembic` skips it).
 *
 * Needs the built CLI (`npm run build`). Target: under 250 ms for 1,000 revisions (Alembic 1.8
 * takes 750 ms for the same work). Runs are interleaved with their baselines and reported as
 * medians, since timings on a shared machine move by tens of percent between runs; the child's
 * CPU time (user + system) is printed too, as a busy machine distorts it far less.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { chainRevision, cli, median, option, pythonWith, repo, run } from "./lib.mjs";

const N = Number(option("--revisions", "1000"));
/** Another build's bin/stratum.js, timed in the same runs (say, the tree before a change). */
const compareArg = option("--compare", undefined);
const COMPARE = compareArg === undefined ? undefined : resolve(compareArg);
const RUNS = Number(option("--runs", "7"));
/** `mixed` alternates TypeScript and SQL files; `ts` and `sql` isolate the cost of each kind. */
const KIND = option("--kind", "mixed");
if (!["mixed", "ts", "sql"].includes(KIND)) throw new Error(`--kind must be mixed, ts or sql, not ${KIND}`);
const isSql = (n) => (KIND === "mixed" ? n % 2 === 1 : KIND === "sql");

const id = (n) => `a${String(n).padStart(11, "0")}`;

const upStatements = (n) => [
  `CREATE TABLE t${n} (id bigint PRIMARY KEY, name text NOT NULL, created_at timestamptz DEFAULT now())`,
  `CREATE INDEX t${n}_name ON t${n} (name)`,
];

function tsRevision(n) {
  return chainRevision({
    id: id(n),
    parent: n === 0 ? undefined : id(n - 1),
    message: `create table t${n}`,
    up: upStatements(n),
    down: [`DROP TABLE t${n}`],
  });
}

function sqlRevision(n) {
  return `-- stratum:revision id=${id(n)} parents=${n === 0 ? "" : id(n - 1)} message="create table t${n}" date=2024-01-01T00:00:00.000Z
-- stratum:up
${upStatements(n).map((sql) => `${sql};`).join("\n")}

-- stratum:down
DROP TABLE t${n};
`;
}

const CONFIG_TEXT = `import { defineConfig } from "stratum";

export default defineConfig({
  url: "postgres://postgres@127.0.0.1:5432/stratum_bench_offline",
  versionPaths: ["migrations"],
});
`;

/** The project folder, generated once per size and reused while its marker is there. */
function generate() {
  const dir = join(repo, "bench", ".work", KIND === "mixed" ? `offline-${N}` : `offline-${KIND}-${N}`);
  if (existsSync(join(dir, ".complete"))) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "migrations"), { recursive: true });
  writeFileSync(join(dir, "stratum.config.ts"), CONFIG_TEXT);
  for (let n = 0; n < N; n++) {
    const base = join(dir, "migrations", `${String(n).padStart(5, "0")}_${id(n)}_t${n}`);
    if (isSql(n)) writeFileSync(`${base}.sql`, sqlRevision(n));
    else writeFileSync(`${base}.ts`, tsRevision(n));
  }
  writeFileSync(join(dir, ".complete"), "");
  return dir;
}

const ALEMBIC_ENV = `from alembic import context
context.configure(url="postgresql://localhost/stratum_bench_offline", literal_binds=True,
                  dialect_opts={"paramstyle": "named"}, transaction_per_migration=True)
with context.begin_transaction():
    context.run_migrations()
`;

function alembicRevision(n) {
  const calls = upStatements(n).map((sql) => `    op.execute(${JSON.stringify(sql)})`).join("\n");
  return `"""create table t${n}"""
from alembic import op

revision = ${JSON.stringify(id(n))}
down_revision = ${n === 0 ? "None" : JSON.stringify(id(n - 1))}
branch_labels = None
depends_on = None


def upgrade():
${calls}


def downgrade():
    op.execute(${JSON.stringify(`DROP TABLE t${n}`)})
`;
}

/** The same chain as an Alembic project, generated once and reused while its marker is there. */
function generateAlembic() {
  const dir = join(repo, "bench", ".work", `offline-alembic-${N}`);
  if (existsSync(join(dir, ".complete"))) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "versions"), { recursive: true });
  writeFileSync(join(dir, "alembic.ini"), `[alembic]\nscript_location = ${dir}\n`);
  writeFileSync(join(dir, "env.py"), ALEMBIC_ENV);
  writeFileSync(join(dir, "script.py.mako"), "");
  for (let n = 0; n < N; n++) writeFileSync(join(dir, "versions", `${String(n).padStart(5, "0")}_${id(n)}.py`), alembicRevision(n));
  writeFileSync(join(dir, ".complete"), "");
  return dir;
}

/** What the floor does: list the folder and read every file's text, in a fresh Node process. */
const READ_FILES = `const fs = require("node:fs"), path = require("node:path");
const dir = process.argv[1]; let bytes = 0;
for (const name of fs.readdirSync(dir)) bytes += fs.readFileSync(path.join(dir, name), "utf8").length;
process.stdout.write(String(bytes));`;




/** The script with each history row's start time blanked, so that two runs can be compared. */
const withoutTimes = (script) => script.replace(/'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z'/g, "'…'");

function main() {
  if (!existsSync(join(repo, "dist", "bundle", "cli", "main.js"))) throw new Error("the CLI is not built: run `npm run build` first");
  const dir = generate();
  const migrations = join(dir, "migrations");
  const tasks = {
    node: () => run(process.execPath, ["-e", ""], dir),
    read: () => run(process.execPath, ["-e", READ_FILES, migrations], dir),
    offline: () => run(process.execPath, [cli, "upgrade", "--sql", "base:head"], dir),
    ...(COMPARE ? { compare: () => run(process.execPath, [COMPARE, "upgrade", "--sql", "base:head"], dir) } : {}),
  };
  const python = process.argv.includes("--no-alembic") ? undefined : pythonWith(["alembic", "sqlalchemy"]);
  if (python) {
    const alembicDir = generateAlembic();
    tasks.alembic = () => run(python, ["-m", "alembic", "-c", join(alembicDir, "alembic.ini"), "upgrade", "base:head", "--sql"], alembicDir);
    // The first run compiles the revision files to bytecode, as any later run on a machine finds them.
    const alembicSteps = tasks.alembic().stdout.match(/^-- Running upgrade /gm)?.length ?? 0;
    if (alembicSteps !== N) throw new Error(`expected ${N} steps in Alembic's --sql script, found ${alembicSteps}`);
  } else {
    console.log("Alembic: not timed (python3-alembic is not installed, or --no-alembic)\n");
  }

  // One checked run first: the script must hold every step, or the timing means nothing.
  const script = tasks.offline().stdout;
  const steps = script.match(/^-- Running upgrade /gm)?.length ?? 0;
  if (steps !== N) throw new Error(`expected ${N} steps in the --sql script, found ${steps}`);
  // A faster build must write the same script: only the history rows' start times may differ.
  if (tasks.compare && withoutTimes(tasks.compare().stdout) !== withoutTimes(script)) {
    throw new Error("the --compare build writes another script (start times aside)");
  }

  const wall = Object.fromEntries(Object.keys(tasks).map((name) => [name, []]));
  const cpu = Object.fromEntries(Object.keys(tasks).map((name) => [name, []]));
  for (let run = 0; run < RUNS; run++) {
    for (const [name, task] of Object.entries(tasks)) {
      const result = task();
      wall[name].push(result.wall);
      if (result.cpu !== undefined) cpu[name].push(result.cpu);
    }
  }

  const fmt = (ms) => `${ms.toFixed(1).padStart(8)} ms`;
  const readWall = median(wall.read);
  const readCpu = cpu.read.length ? median(cpu.read) : undefined;
  let sqlFiles = 0;
  for (let n = 0; n < N; n++) if (isSql(n)) sqlFiles++;
  console.log(`bench/offline: upgrade --sql base:head over ${N} revisions (${N - sqlFiles} .ts, ${sqlFiles} .sql), ${(script.length / 1024).toFixed(0)} KiB of SQL`);
  console.log(`medians of ${RUNS} interleaved runs; target < 250 ms (Alembic 1.8: 750 ms)\n`);
  console.log("task                         wall   vs read        cpu   vs read");
  const labels = {
    node: "node -e ''", read: "node: read the files", offline: "stratum upgrade --sql", compare: "the --compare build",
    alembic: "alembic upgrade --sql",
  };
  for (const name of Object.keys(tasks)) {
    const w = median(wall[name]);
    const c = cpu[name].length ? median(cpu[name]) : undefined;
    const cpuText = c === undefined || readCpu === undefined ? "" : `${fmt(c)} ${`${(c / readCpu).toFixed(2)}x`.padStart(8)}`;
    console.log(`${labels[name].padEnd(22)} ${fmt(w)} ${`${(w / readWall).toFixed(2)}x`.padStart(8)}   ${cpuText}`);
  }
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
