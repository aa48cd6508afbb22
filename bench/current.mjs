#!/usr/bin/env node
/**
 * Benchmark: `stratum current` against a scratch database on the local PostgreSQL, next to a bare
 * `node -e ''`, to `psql -c 'select 1'` (a client that starts, connects, asks and quits) and to a
 * Node script that loads pg, connects and reads the version table (the floor for a Node tool).
 *
 *   node bench/current.mjs [--revisions 100] [--runs 9] [--url postgres://postgres@127.0.0.1:5432] [--compare OTHER/bin/stratum.js]
 *
 * Needs the built CLI (`npm run build`) and psql on the PATH. The project is a chain of
 * generated revisions, stamped at head, so `current` reads the headers, builds the graph,
 * connects and reads the version table. Target: under 150 ms. Runs are interleaved and reported
 * as medians; the child's CPU time (user + system) is printed too, as a busy machine distorts it
 * far less than wall time.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { chainRevision, cli, median, option, repo, run } from "./lib.mjs";

const N = Number(option("--revisions", "100"));
/** Another build's bin/stratum.js, timed in the same runs (say, the tree before a change). */
const compareArg = option("--compare", undefined);
const COMPARE = compareArg === undefined ? undefined : resolve(compareArg);
const RUNS = Number(option("--runs", "9"));
const SERVER = option("--url", process.env.STRATUM_BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432").replace(/\/+$/, "");
const DATABASE = `stratum_bench_current_${process.pid}`;
const URL_ = `${SERVER}/${DATABASE}`;

const id = (n) => `c${String(n).padStart(11, "0")}`;

function revisionText(n) {
  return chainRevision({
    id: id(n),
    parent: n === 0 ? undefined : id(n - 1),
    message: `create table t${n}`,
    up: [`CREATE TABLE t${n} (id bigint PRIMARY KEY, name text NOT NULL)`],
    down: [`DROP TABLE t${n}`],
  });
}

function generate() {
  const dir = join(repo, "bench", ".work", `current-${N}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "migrations"), { recursive: true });
  writeFileSync(
    join(dir, "stratum.config.ts"),
    `import { defineConfig } from "stratum";\n\nexport default defineConfig({\n  url: ${JSON.stringify(URL_)},\n  versionPaths: ["migrations"],\n});\n`,
  );
  for (let n = 0; n < N; n++) writeFileSync(join(dir, "migrations", `${String(n).padStart(5, "0")}_${id(n)}_t${n}.ts`), revisionText(n));
  return dir;
}



const psql = (database, sql) => run("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", `${SERVER}/${database}`, "-c", sql], repo);


/** The floor for any Node tool: start, load pg, connect, read the version table, quit. */
const BARE_PG = `const pg = require("pg");
const client = new pg.Client({ connectionString: process.argv[1] });
client.connect().then(() => client.query("select version_num from stratum_version")).then((r) => { process.stdout.write(String(r.rows.length)); return client.end(); });`;

function measure(dir) {
  const tasks = {
    node: () => run(process.execPath, ["-e", ""], dir),
    psql: () => psql(DATABASE, "select 1"),
    pg: () => run(process.execPath, ["-e", BARE_PG, URL_], repo),
    current: () => run(process.execPath, [cli, "current"], dir),
    ...(COMPARE ? { compare: () => run(process.execPath, [COMPARE, "current"], dir) } : {}),
  };
  const wall = Object.fromEntries(Object.keys(tasks).map((name) => [name, []]));
  const cpu = Object.fromEntries(Object.keys(tasks).map((name) => [name, []]));
  for (let i = 0; i < RUNS; i++) {
    for (const [name, task] of Object.entries(tasks)) {
      const result = task();
      wall[name].push(result.wall);
      if (result.cpu !== undefined) cpu[name].push(result.cpu);
    }
  }
  const fmt = (ms) => `${ms.toFixed(1).padStart(8)} ms`;
  const nodeWall = median(wall.node);
  const nodeCpu = cpu.node.length ? median(cpu.node) : undefined;
  console.log(`bench/current: stratum current on PostgreSQL, ${N} revisions stamped at head`);
  console.log(`medians of ${RUNS} interleaved runs; target < 150 ms\n`);
  console.log("task                       wall   vs node        cpu   vs node");
  const labels = { node: "node -e ''", psql: "psql -c 'select 1'", pg: "node + pg, one query", current: "stratum current", compare: "the --compare build" };
  for (const name of Object.keys(tasks)) {
    const w = median(wall[name]);
    const c = cpu[name].length ? median(cpu[name]) : undefined;
    const cpuText = c === undefined || !nodeCpu ? "" : `${fmt(c)} ${`${(c / nodeCpu).toFixed(2)}x`.padStart(8)}`;
    console.log(`${labels[name].padEnd(20)} ${fmt(w)} ${`${(w / nodeWall).toFixed(2)}x`.padStart(8)}   ${cpuText}`);
  }
}

function main() {
  if (!existsSync(join(repo, "dist", "bundle", "cli", "main.js"))) throw new Error("the CLI is not built: run `npm run build` first");
  const dir = generate();
  psql("postgres", `CREATE DATABASE ${DATABASE}`);
  try {
    run(process.execPath, [cli, "stamp", "head"], dir);
    // One checked run first: `current` must report the head, or the timing means nothing.
    const shown = run(process.execPath, [cli, "current"], dir).stdout;
    if (!shown.includes(id(N - 1).slice(0, 12))) throw new Error(`stratum current did not report the head ${id(N - 1)}:\n${shown}`);
    measure(dir);
  } finally {
    psql("postgres", `DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  }
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
