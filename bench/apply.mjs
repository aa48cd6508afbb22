#!/usr/bin/env node
/**
 * Benchmark: applying and rolling back N one-table revisions (a table and an index each) on a
 * scratch PostgreSQL database, next to the floor: `psql -f` of the same statements, each
 * revision wrapped in BEGIN, its statements, an UPDATE of a version row, COMMIT.
 *
 *   node bench/apply.mjs [--revisions 1000] [--runs 3] [--dist dist] [--url postgres://postgres@127.0.0.1:5432] [--flush] [--no-peers]
 *
 * The scratch database runs with synchronous_commit off (unless --flush), standing in for the
 * tmpfs data directory the reference numbers were measured on: commit flushes are the same for
 * every tool and would otherwise drown the differences.
 *
 * Stratum runs as a child process driving the runner API from the built package (`--dist`,
 * default dist/, built by `npm run build`), so its start-up counts, as it does for the floor.
 * The revisions are in-memory modules: this measures the runner (lock, transactions, version and
 * history rows), not the reading of revision files. Runs are interleaved with the floor and
 * reported as medians, since timings on a shared machine move by tens of percent between runs.
 * The number reported is the added cost per revision: (tool - floor) / N, in milliseconds.
 * A bare `pg` loop sending the same statements from Node is measured too, so that the runner's
 * own cost can be told apart from Node's start-up and the driver's.
 *
 * The CLI is timed too, as users run it: `stratum upgrade head` and `stratum --yes downgrade base`
 * over the same revisions as TypeScript files in a project with the default settings (its revision
 * files read from disk, checksums, the lint gate), a warm-up run first filling its caches.
 *
 * node-pg-migrate 9 applies and reverts the same revisions in the same runs (`up`, then
 * `down N`), from migration files generated once into bench/.work/. It is installed on first use
 * into bench/.work/peers/ and is not a dependency of the project; without a registry it is
 * skipped with a line saying why (`--no-peers` skips it too). See bench/peers.mjs for its flags.
 * After its `up` the database must hold the N tables, after its `down` none.
 */
import { spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";
import { ensureNodePgMigrate, runNodePgMigrate, writeNodePgMigrateMigrations } from "./peers.mjs";
import { chainRevision, cli, median, option, repo } from "./lib.mjs";

const workDir = join(repo, "bench", ".work");
const args = process.argv.slice(2);

const N = Number(option("--revisions", "1000"));
const RUNS = Number(option("--runs", "3"));
const DIST = resolve(repo, option("--dist", "dist"));
const SERVER = option("--url", process.env.STRATUM_BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432");

const id = (i) => `r${String(i).padStart(5, "0")}`;
const upSql = (i) => [`CREATE TABLE bench_${i} (id integer PRIMARY KEY, name text)`, `CREATE INDEX bench_${i}_name ON bench_${i} (name)`];
const downSql = (i) => [`DROP TABLE bench_${i}`];

/** One Stratum run: lock, read heads, plan the chain, run it. */
async function child(direction, url, count, dist) {
  const load = (path) => import(pathToFileURL(join(dist, path)).href);
  const [{ openDatabase }, { getDialect }, runner] = await Promise.all([load("drivers/index.js"), load("dialects/index.js"), load("runner/index.js")]);
  const revisions = new Map();
  for (let i = 1; i <= count; i++) {
    const definition = {
      id: id(i),
      parents: i === 1 ? [] : [id(i - 1)],
      async upgrade(op) {
        for (const sql of upSql(i)) await op.execute(sql);
      },
      async downgrade(op) {
        for (const sql of downSql(i)) await op.execute(sql);
      },
    };
    revisions.set(id(i), {
      header: { id: id(i), parents: definition.parents, message: "", branchLabels: [], dependsOn: [] },
      path: `${id(i)}.ts`,
      kind: "ts",
      checksum: `v1:${id(i)}`,
      load: async () => definition,
    });
  }
  let runCpu;
  const db = await openDatabase({ url });
  const dialect = getDialect(db.dialect);
  const tables = { version: "stratum_version", history: "stratum_history" };
  try {
    await runner.withMigrationLock(db, dialect, tables, {}, async () => {
      const heads = await runner.readVersionHeads(db, dialect, tables);
      const steps = [];
      if (direction === "up") {
        const start = heads.length === 0 ? 1 : Number(heads[0].slice(1)) + 1;
        for (let i = start; i <= count; i++) {
          const parent = i === 1 ? undefined : id(i - 1);
          steps.push({
            revision: id(i), direction: "up", headsBefore: parent ? [parent] : [], headsAfter: [id(i)],
            versionChanges: parent ? [{ kind: "update", from: parent, to: id(i) }] : [{ kind: "insert", id: id(i) }],
          });
        }
      } else {
        for (let i = heads.length === 0 ? 0 : Number(heads[0].slice(1)); i >= 1; i--) {
          const parent = i === 1 ? undefined : id(i - 1);
          steps.push({
            revision: id(i), direction: "down", headsBefore: [id(i)], headsAfter: parent ? [parent] : [],
            versionChanges: parent ? [{ kind: "update", from: id(i), to: parent }] : [{ kind: "delete", id: id(i) }],
          });
        }
      }
      runCpu = process.cpuUsage();
      await runner.runSteps({
        db, dialect, tables, steps, revisions, args: {}, transactionMode: "per-revision",
        timeouts: { lockTimeoutMs: 2000 }, lockRetries: 5, toolVersion: "bench",
      });
      runCpu = process.cpuUsage(runCpu);
    });
  } finally {
    await db.close();
  }
  const cpu = process.cpuUsage();
  process.stdout.write(JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000, runCpuMs: (runCpu.user + runCpu.system) / 1000 }));
}

/**
 * A second floor inside Node: a bare `pg` client sending the floor's statements one by one.
 * Its difference to Stratum is the runner's own cost, start-up and driver cost being equal.
 */
async function bareChild(direction, url, count) {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let runCpu = process.cpuUsage();
  if (direction === "up") {
    await client.query("CREATE TABLE bare_version (version_num varchar(32) NOT NULL PRIMARY KEY); INSERT INTO bare_version VALUES ('base')");
    for (let i = 1; i <= count; i++) {
      await client.query("BEGIN");
      for (const sql of upSql(i)) await client.query(sql);
      await client.query("UPDATE bare_version SET version_num = $1", [id(i)]);
      await client.query("COMMIT");
    }
  } else {
    for (let i = count; i >= 1; i--) {
      await client.query("BEGIN");
      for (const sql of downSql(i)) await client.query(sql);
      await client.query("UPDATE bare_version SET version_num = $1", [i === 1 ? "base" : id(i - 1)]);
      await client.query("COMMIT");
    }
    await client.query("DROP TABLE bare_version");
  }
  runCpu = process.cpuUsage(runCpu);
  await client.end();
  const cpu = process.cpuUsage();
  process.stdout.write(JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000, runCpuMs: (runCpu.user + runCpu.system) / 1000 }));
}

/** A Stratum project holding the benchmark's revisions as TypeScript files, generated once. */
function cliProject() {
  const dir = join(workDir, `apply-cli-${N}`);
  if (existsSync(join(dir, ".complete"))) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "migrations"), { recursive: true });
  writeFileSync(join(dir, "stratum.config.ts"), `import { defineConfig } from "stratum";\n\nexport default defineConfig({ versionPaths: ["migrations"] });\n`);
  for (let i = 1; i <= N; i++) {
    const text = chainRevision({ id: cliId(i), parent: i === 1 ? undefined : cliId(i - 1), message: `bench ${i}`, up: upSql(i), down: downSql(i) });
    writeFileSync(join(dir, "migrations", `${cliId(i)}_bench_${i}.ts`), text);
  }
  writeFileSync(join(dir, ".complete"), "");
  return dir;
}

/** Ids in Stratum's default form: 12 hex characters. */
const cliId = (i) => i.toString(16).padStart(12, "0");

/** `stratum upgrade head` or `downgrade base` on the CLI project; checks the tables it leaves. */
function runCli(dir, url, direction) {
  const argv = direction === "up" ? ["upgrade", "head"] : ["--yes", "downgrade", "base"];
  const ms = timed(process.execPath, [cli, "-C", dir, "--url", url, "-q", ...argv]);
  const tables = benchTables(url);
  if (tables !== (direction === "up" ? N : 0)) throw new Error(`after stratum ${argv.join(" ")} the database holds ${tables} bench tables`);
  return ms;
}

function floorScripts(dir) {
  const up = ["CREATE TABLE floor_version (version_num varchar(32) NOT NULL PRIMARY KEY);", "INSERT INTO floor_version VALUES ('base');"];
  for (let i = 1; i <= N; i++) up.push("BEGIN;", ...upSql(i).map((s) => `${s};`), `UPDATE floor_version SET version_num = '${id(i)}';`, "COMMIT;");
  const down = [];
  for (let i = N; i >= 1; i--) down.push("BEGIN;", ...downSql(i).map((s) => `${s};`), `UPDATE floor_version SET version_num = '${i === 1 ? "base" : id(i - 1)}';`, "COMMIT;");
  down.push("DROP TABLE floor_version;");
  writeFileSync(join(dir, "floor-up.sql"), up.join("\n"));
  writeFileSync(join(dir, "floor-down.sql"), down.join("\n"));
}

/** Wall time of a child process; a Stratum child also reports its own CPU time on stdout. */
function timed(command, commandArgs, cpu) {
  const t0 = performance.now();
  const result = spawnSync(command, commandArgs, { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
  const ms = performance.now() - t0;
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr || result.error}`);
  if (cpu) cpu.push(JSON.parse(result.stdout));
  return ms;
}

function psql(url, sqlOrFile, isFile = false) {
  const result = spawnSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, isFile ? "-f" : "-c", sqlOrFile], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`psql failed: ${result.stderr}`);
}

/**
 * A tablespace on tmpfs for the scratch database, as in the reference measurements, where this
 * machine allows one: a local server, /dev/shm, and the rights to hand a folder to the server's
 * OS user. Table and index files then never touch the disk, whose timing otherwise swings the
 * floor by a second between runs. `--no-tmpfs` turns it off.
 */
function tmpfsTablespace() {
  if (args.includes("--no-tmpfs") || process.getuid?.() !== 0 || !existsSync("/dev/shm")) return undefined;
  if (!/@(127\.0\.0\.1|localhost)(:|\/|$)/.test(SERVER)) return undefined;
  const ids = ["-u", "-g"].map((flag) => spawnSync("id", [flag, "postgres"], { encoding: "utf8" }));
  if (ids.some((id) => id.status !== 0)) return undefined;
  const name = `stratum_bench_ts_${process.pid}`;
  const dir = `/dev/shm/${name}`;
  try {
    mkdirSync(dir);
    chownSync(dir, Number(ids[0].stdout), Number(ids[1].stdout));
    psql(`${SERVER}/postgres`, `CREATE TABLESPACE ${name} LOCATION '${dir}'`);
    return { name, dir };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    console.error(`tmpfs tablespace: not used (${String(error.message ?? error).trim()})`);
    return undefined;
  }
}

/** How many of the benchmark's tables the database holds. */
function benchTables(url) {
  const result = spawnSync("psql", ["-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-d", url, "-c",
    "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'bench\\_%'"], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`psql failed: ${result.stderr}`);
  return Number(result.stdout.trim());
}


async function main() {
  if (!existsSync(join(DIST, "runner", "index.js"))) {
    console.error(`No built runner at ${DIST}; run \`npm run build\` first (or pass --dist).`);
    process.exit(2);
  }
  mkdirSync(workDir, { recursive: true });
  floorScripts(workDir);
  const npm = args.includes("--no-peers") ? { skipped: "--no-peers was given" } : ensureNodePgMigrate(workDir);
  if (npm.skipped) console.error(`node-pg-migrate: skipped (${npm.skipped})`);
  else npm.migrations = writeNodePgMigrateMigrations(join(workDir, `node-pg-migrate-${N}`), N, upSql, downSql);
  const name = `stratum_bench_${process.pid}`;
  const tablespace = tmpfsTablespace();
  psql(`${SERVER}/postgres`, `CREATE DATABASE ${name}${tablespace ? ` TABLESPACE ${tablespace.name}` : ""}`);
  const url = `${SERVER}/${name}`;
  // The reference numbers were measured with the data on tmpfs so that disk flushes do not hide
  // the tools' own cost; with synchronous_commit off, commits do not wait for the WAL either.
  if (!args.includes("--flush")) psql(`${SERVER}/postgres`, `ALTER DATABASE ${name} SET synchronous_commit = off`);
  const self = fileURLToPath(import.meta.url);
  const times = { floorUp: [], floorDown: [], bareUp: [], bareDown: [], stratumUp: [], stratumDown: [], cliUp: [], cliDown: [], node: [], npmStart: [], npmUp: [], npmDown: [] };
  const project = cliProject();
  // A first run fills the CLI's caches (compiled revisions, header index), as any later run finds them.
  runCli(project, url, "up");
  runCli(project, url, "down");
  psql(url, "DROP TABLE IF EXISTS stratum_version, stratum_history");
  const cpu = { up: [], down: [], bareUp: [], bareDown: [], npmUp: [], npmDown: [] };
  try {
    for (let run = 1; run <= RUNS; run++) {
      times.node.push(timed(process.execPath, ["-e", ""]));
      // Each tool applies then reverts; the order of the tools turns with every run, so that none
      // always meets a catalog just churned by the same predecessor.
      const tools = [
        () => {
          times.floorUp.push(timed("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", join(workDir, "floor-up.sql")]));
          times.floorDown.push(timed("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", join(workDir, "floor-down.sql")]));
        },
        () => {
          times.bareUp.push(timed(process.execPath, [self, "--bare", "up", url, String(N)], cpu.bareUp));
          times.bareDown.push(timed(process.execPath, [self, "--bare", "down", url, String(N)], cpu.bareDown));
        },
        () => {
          times.stratumUp.push(timed(process.execPath, [self, "--child", "up", url, String(N), DIST], cpu.up));
          times.stratumDown.push(timed(process.execPath, [self, "--child", "down", url, String(N), DIST], cpu.down));
          // Each tool starts from an empty database in every run.
          psql(url, "DROP TABLE IF EXISTS stratum_version, stratum_history");
        },
        () => {
          times.cliUp.push(runCli(project, url, "up"));
          times.cliDown.push(runCli(project, url, "down"));
          psql(url, "DROP TABLE IF EXISTS stratum_version, stratum_history");
        },
      ];
      let npmLine = "";
      if (!npm.skipped) {
        tools.push(() => {
          times.npmStart.push(runNodePgMigrate(npm, url, npm.migrations, "version").wall);
          const up = runNodePgMigrate(npm, url, npm.migrations, "up");
          const applied = benchTables(url);
          if (applied !== N) throw new Error(`after node-pg-migrate up the database holds ${applied} bench tables, not ${N}`);
          const down = runNodePgMigrate(npm, url, npm.migrations, "down", N);
          const left = benchTables(url);
          if (left !== 0) throw new Error(`after node-pg-migrate down ${N} the database still holds ${left} bench tables`);
          psql(url, "DROP TABLE pgmigrations");
          times.npmUp.push(up.wall);
          times.npmDown.push(down.wall);
          cpu.npmUp.push(up.cpu);
          cpu.npmDown.push(down.cpu);
          npmLine = `; node-pg-migrate up ${up.wall.toFixed(0)} ms (${applied} tables after), down ${down.wall.toFixed(0)} ms (${left} after)`;
        });
      }
      for (let i = 0; i < tools.length; i++) tools[(run - 1 + i) % tools.length]();
      console.error(`run ${run}/${RUNS}: floor up ${times.floorUp.at(-1).toFixed(0)} ms, down ${times.floorDown.at(-1).toFixed(0)} ms; ` +
        `bare pg up ${times.bareUp.at(-1).toFixed(0)} ms, down ${times.bareDown.at(-1).toFixed(0)} ms; ` +
        `stratum up ${times.stratumUp.at(-1).toFixed(0)} ms, down ${times.stratumDown.at(-1).toFixed(0)} ms; ` +
        `stratum CLI up ${times.cliUp.at(-1).toFixed(0)} ms, down ${times.cliDown.at(-1).toFixed(0)} ms${npmLine}`);
    }
  } finally {
    psql(`${SERVER}/postgres`, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    if (tablespace) {
      psql(`${SERVER}/postgres`, `DROP TABLESPACE IF EXISTS ${tablespace.name}`);
      rmSync(tablespace.dir, { recursive: true, force: true });
    }
  }
  const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, v.length ? median(v) : undefined]));
  const perRevision = (tool, floor) => { const v = (tool - floor) / N; return `${v < 0 ? "" : "+"}${v.toFixed(3)}`; };
  const npmName = npm.skipped ? "node-pg-migrate" : `node-pg-migrate ${npm.version}`;
  const row = (label, up, down, floor) => {
    const cell = (ms, base) => `${ms.toFixed(0).padStart(7)} ms ${floor ? "".padEnd(14) : `${perRevision(ms, base).padStart(7)} ms/rev`}`;
    return `  ${label.padEnd(24)}${cell(up, m.floorUp)}   ${cell(down, m.floorDown)}`.trimEnd();
  };
  console.log(`bench/apply: ${N} revisions (a table and an index each), PostgreSQL, medians of ${RUNS} interleaved runs` +
    (tablespace ? ", tables on a tmpfs tablespace" : ", tables on the server's disk"));
  console.log(`  node start-up alone:   ${m.node.toFixed(0)} ms` + (npm.skipped ? "" : `; ${npmName} start-up alone (--version): ${m.npmStart.toFixed(0)} ms`));
  console.log(`  ${"wall time".padEnd(24)}${"upgrade".padStart(10)} ${"added/rev".padStart(14)}   ${"downgrade".padStart(10)} ${"added/rev".padStart(14)}`);
  console.log(row("floor (psql -f)", m.floorUp, m.floorDown, true));
  console.log(row("bare pg loop", m.bareUp, m.bareDown));
  console.log(row("stratum (runner API)", m.stratumUp, m.stratumDown));
  console.log(row("stratum CLI, .ts files", m.cliUp, m.cliDown));
  if (npm.skipped) console.log(`  ${npmName.padEnd(24)}skipped: ${npm.skipped}`);
  else console.log(row(npmName, m.npmUp, m.npmDown));
  const perRev = (list, key) => (median(list.map((c) => c[key])) / N).toFixed(3);
  console.log(`  stratum client CPU per revision, whole process: up ${perRev(cpu.up, "cpuMs")} ms, down ${perRev(cpu.down, "cpuMs")} ms`);
  console.log(`  stratum client CPU per revision, runSteps only: up ${perRev(cpu.up, "runCpuMs")} ms, down ${perRev(cpu.down, "runCpuMs")} ms`);
  console.log(`  bare pg loop client CPU per revision, whole process: up ${perRev(cpu.bareUp, "cpuMs")} ms, down ${perRev(cpu.bareDown, "cpuMs")} ms; loop only: up ${perRev(cpu.bareUp, "runCpuMs")} ms, down ${perRev(cpu.bareDown, "runCpuMs")} ms`);
  if (!npm.skipped && cpu.npmUp.every((c) => c !== undefined)) {
    const npmCpu = (list) => (median(list) / N).toFixed(3);
    console.log(`  ${npmName} client CPU per revision, whole process: up ${npmCpu(cpu.npmUp)} ms, down ${npmCpu(cpu.npmDown)} ms`);
  }
  console.log("  (CPU time is steadier than wall time on a busy machine; the wall-time lines are the ones the target is about)");
  console.log("  target (issue 2): at most 0.3 ms added per revision, both ways");
  console.log("  reference (spec, 1,000 revisions): node-pg-migrate 9 added 0.63 ms/rev up; rollback of all: floor 0.45 s, node-pg-migrate 1.05 s (+0.60 ms/rev)");
}

if (args[0] === "--child") await child(args[1], args[2], Number(args[3]), args[4]);
else if (args[0] === "--bare") await bareChild(args[1], args[2], Number(args[3]));
else await main();
