#!/usr/bin/env node
/**
 * Benchmark: `check` on PostgreSQL databases of 200 and 1,000 tables (10 columns, a primary key,
 * 2 indexes and a foreign key to the previous table each), against a declared schema that
 * matches, written two ways:
 *   - the TypeScript DSL (a generated schema module), target: 1,000 tables in under 1 s;
 *   - plain SQL files, target: under 3 s. These tables hold only what Stratum reads straight
 *     from the parse trees, so `check` runs that way by default (timed with no model cache).
 *     With STRATUM_NO_SCHEMA_PARSE=1 the files are applied to the embedded PGlite instead
 *     (start-up included, from the cached data directory), timed cold (STRATUM_NO_SCHEMA_CACHE=1:
 *     PGlite applies the files) and warm (the model the files produced is in the cache); and
 *     the same files on a temporary database of the server, which is never cached.
 * It also counts the statements `check` sends to the target server, which must not grow with
 * the number of tables, and breaks the PGlite path into phases (start, applying the files,
 * introspection). With Alembic installed (`apt-get install python3-alembic`), it times
 * `alembic revision --autogenerate` against SQLAlchemy metadata that matches the same database.
 *
 *   node bench/introspect.mjs [--sizes 200,1000] [--runs 3] [--dist dist] [--url postgres://postgres@127.0.0.1:5432]
 *
 * Each run is a fresh child process (module loading counts, as it does for a user), importing
 * the built package from --dist (`npm run build`). Medians are reported, since timings on a
 * shared machine move by tens of percent between runs. The children share a cache folder of the
 * benchmark's own (STRATUM_CACHE_DIR), so that the user's cache neither helps nor changes.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { tableSql } from "./introspect-schema.mjs";
import { median, option, pythonWith, repo } from "./lib.mjs";

const SIZES = option("--sizes", "200,1000").split(",").map(Number);
const RUNS = Number(option("--runs", "3"));
const DIST = resolve(repo, option("--dist", "dist"));
const SERVER = option("--url", process.env.STRATUM_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432");
const WORK = join(repo, "bench", ".work", "introspect");
const CACHE = join(WORK, "cache");

/** The children's environment: the benchmark's cache folder, and the model cache on or off. */
/** `parse: false` has SQL schema files applied to a database even where their parse trees would do. */
function childEnv(modelCache, parse = true) {
  const env = { ...process.env, STRATUM_CACHE_DIR: CACHE };
  if (modelCache) delete env.STRATUM_NO_SCHEMA_CACHE;
  else env.STRATUM_NO_SCHEMA_CACHE = "1";
  if (parse) delete env.STRATUM_NO_SCHEMA_PARSE;
  else env.STRATUM_NO_SCHEMA_PARSE = "1";
  return env;
}

/** The package entry as users import it: the bundle, which is also what the CLI runs. */
const ENTRY = join(DIST, "bundle", "index.js");
if (!existsSync(ENTRY)) {
  console.error(`No built package at ${DIST}; run \`npm run build\` first (or pass --dist).`);
  process.exit(2);
}

function dslModule(n) {
  const lines = [
    `import { defineSchema, table, integer, varchar, text, numeric, boolean, timestamptz, jsonb, doublePrecision, index, sql } from ${JSON.stringify(pathToFileURL(join(DIST, "index.js")).href)};`,
    "const tables = [];",
    `for (let i = 0; i < ${n}; i++) {`,
    "  const parent = i === 0 ? integer() : integer().references(`t${i - 1}.id`);",
    "  tables.push(table(`t${i}`, {",
    "    id: integer().primaryKey(),",
    "    parent_id: parent,",
    "    name: varchar(100).notNull(),",
    "    code: text(),",
    "    amount: numeric(12, 2).default(0),",
    "    active: boolean().notNull().default(true),",
    "    created_at: timestamptz().notNull().default(sql`now()`),",
    "    payload: jsonb(),",
    "    ratio: doublePrecision(),",
    "    note: varchar(255),",
    "  }, [index(`t${i}_name_idx`).on(\"name\"), index(`t${i}_parent_idx`).on(\"parent_id\")]));",
    "}",
    "export default defineSchema({ tables });",
  ];
  return lines.join("\n") + "\n";
}

/**
 * One `check` in a fresh process; prints {ms, statements} measured inside it. Statements are
 * counted on the wire, as the PostgreSQL protocol messages that carry one (Query, Parse), since
 * Stratum's bundle has its own copy of pg that patching node_modules/pg would not see.
 */
function childScript(projectDir, schema, shadow) {
  return `
import net from "node:net";
let statements = 0;
const original = net.Socket.prototype.write;
net.Socket.prototype.write = function (chunk, ...rest) {
  if (this.remotePort === ${JSON.stringify(Number(new URL(SERVER).port || 5432))} && chunk instanceof Uint8Array && (chunk[0] === 0x51 || chunk[0] === 0x50)) statements++;
  return original.call(this, chunk, ...rest);
};
const started = performance.now();
const { check } = await import(${JSON.stringify(pathToFileURL(ENTRY).href)});
await check({ cwd: ${JSON.stringify(projectDir)}, schema: ${JSON.stringify(schema)}, shadow: ${JSON.stringify(shadow)} });
console.log(JSON.stringify({ ms: performance.now() - started, statements }));
`;
}

function timeCheck(projectDir, schema, shadow, modelCache = true, parse = true) {
  const times = [];
  let statements;
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    const child = spawnSync(process.execPath, ["--input-type=module", "-e", childScript(projectDir, schema, shadow)], {
      cwd: repo,
      encoding: "utf8",
      maxBuffer: 1 << 26,
      env: childEnv(modelCache, parse),
    });
    const wall = performance.now() - started;
    if (child.status !== 0) throw new Error(`check failed (${schema}, ${shadow}):\n${child.stderr.slice(-2000)}`);
    const report = JSON.parse(child.stdout.trim().split("\n").pop());
    statements = report.statements;
    times.push(wall);
  }
  return { ms: median(times), statements };
}

/**
 * Where the PGlite path spends its time, phase by phase, in a fresh process: loading PGlite from
 * the prepared data directory, applying the files, and introspecting the result.
 */
function phasesScript(projectDir) {
  const api = (name) => JSON.stringify(pathToFileURL(join(DIST, "api", name)).href);
  return `
const { readSqlFiles, applySqlFiles, introspectApplied } = await import(${api("schema-sql.js")});
const { startScratchPGlite, scratchConnection } = await import(${api("schema-pglite.js")});
const files = readSqlFiles(["schema/*.sql"], ${JSON.stringify(projectDir)});
let mark = performance.now();
const lap = () => { const now = performance.now(); const ms = now - mark; mark = now; return ms; };
const db = await startScratchPGlite([]);
const start = lap();
await applySqlFiles((sql) => db.exec(sql), files);
const apply = lap();
await introspectApplied(scratchConnection(db), {});
const introspect = lap();
await db.close();
console.log(JSON.stringify({ start, apply, introspect }));
`;
}

function timePhases(projectDir) {
  const runs = [];
  for (let run = 0; run < RUNS; run++) {
    const child = spawnSync(process.execPath, ["--input-type=module", "-e", phasesScript(projectDir)], { cwd: repo, encoding: "utf8", env: childEnv(false) });
    if (child.status !== 0) throw new Error(`phase timing failed:\n${child.stderr.slice(-2000)}`);
    runs.push(JSON.parse(child.stdout.trim().split("\n").pop()));
  }
  return Object.fromEntries(["start", "apply", "introspect"].map((phase) => [phase, median(runs.map((r) => r[phase]))]));
}

/** Debian's python3-alembic lives under the system interpreter, which may not be first on PATH. */
const PYTHON = pythonWith(["alembic", "sqlalchemy", "psycopg2"]);

/** SQLAlchemy metadata that matches the database, and an Alembic project pointed at it. */
function writeAlembicProject(dir, n, url) {
  const env = `import sys
sys.setrecursionlimit(100000)
from alembic import context
from sqlalchemy import create_engine
sys.path.insert(0, ${JSON.stringify(dir)})
from models import metadata
engine = create_engine(${JSON.stringify(url.replace("postgres://", "postgresql://"))})
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=metadata)
    with context.begin_transaction():
        context.run_migrations()
`;
  const models = `from sqlalchemy import MetaData, Table, Column, Integer, String, Text, Numeric, Boolean, DateTime, Float, ForeignKey, Index, text
from sqlalchemy.dialects.postgresql import JSONB
metadata = MetaData()
for i in range(${n}):
    parent = Column("parent_id", Integer, ForeignKey(f"t{i-1}.id")) if i else Column("parent_id", Integer)
    t = Table(f"t{i}", metadata,
        Column("id", Integer, primary_key=True, autoincrement=False),
        parent,
        Column("name", String(100), nullable=False),
        Column("code", Text),
        Column("amount", Numeric(12, 2), server_default=text("0")),
        Column("active", Boolean, nullable=False, server_default=text("true")),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=text("now()")),
        Column("payload", JSONB),
        Column("ratio", Float),
        Column("note", String(255)),
    )
    Index(f"t{i}_name_idx", t.c.name)
    Index(f"t{i}_parent_idx", t.c.parent_id)
`;
  mkdirSync(join(dir, "versions"), { recursive: true });
  writeFileSync(join(dir, "env.py"), env);
  writeFileSync(join(dir, "models.py"), models);
  writeFileSync(join(dir, "script.py.mako"), '"""${message}"""\nrevision = ${repr(up_revision)}\ndown_revision = ${repr(down_revision)}\n');
  writeFileSync(join(dir, "alembic.ini"), `[alembic]\nscript_location = ${dir}\n`);
}

function timeAlembic(dir) {
  const times = [];
  for (let run = 0; run < RUNS; run++) {
    rmSync(join(dir, "versions"), { recursive: true, force: true });
    mkdirSync(join(dir, "versions"));
    const started = performance.now();
    const child = spawnSync(PYTHON, ["-m", "alembic", "-c", join(dir, "alembic.ini"), "revision", "--autogenerate", "-m", "bench"], {
      encoding: "utf8",
      cwd: dir,
    });
    if (child.status !== 0) return { error: child.stderr.trim().split("\n").pop() };
    times.push(performance.now() - started);
  }
  return { ms: median(times) };
}

function modelEntries() {
  const dir = join(CACHE, "models");
  return existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith(".json")) : [];
}

async function main() {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  const withAlembic = PYTHON !== undefined;
  const rows = [];
  for (const n of SIZES) {
    const name = `stratum_bench_introspect_${n}_${process.pid}`;
    const admin = new pg.Client({ connectionString: `${SERVER}/postgres` });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    const url = `${SERVER}/${name}`;
    try {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      let ddl = "";
      for (let i = 0; i < n; i++) ddl += tableSql(i);
      await client.query(ddl);
      await client.end();

      const projectDir = join(WORK, `project-${n}`);
      mkdirSync(join(projectDir, "schema"), { recursive: true });
      mkdirSync(join(projectDir, "migrations"), { recursive: true });
      writeFileSync(join(projectDir, "stratum.config.mjs"), `export default { url: ${JSON.stringify(url)}, versionPaths: ["migrations"] };\n`);
      writeFileSync(join(projectDir, "schema.mjs"), dslModule(n));
      // Ten files, as a project splits its schema by area.
      const perFile = Math.ceil(n / 10);
      for (let f = 0; f * perFile < n; f++) {
        let text = "";
        for (let i = f * perFile; i < Math.min(n, (f + 1) * perFile); i++) text += tableSql(i);
        writeFileSync(join(projectDir, "schema", `${String(f).padStart(2, "0")}.sql`), text);
      }
      // Warm the PGlite data-directory cache and the model cache once, as any second run on a
      // machine finds them.
      const modelsBefore = modelEntries().length;
      timeCheck(projectDir, "schema/*.sql", "pglite", true, false);
      if (modelEntries().length !== modelsBefore + 1) throw new Error("the warm-up check wrote no model cache entry");

      const dsl = timeCheck(projectDir, "schema.mjs", "auto");
      const sqlParsed = timeCheck(projectDir, "schema/*.sql", "pglite", false);
      const sqlCold = timeCheck(projectDir, "schema/*.sql", "pglite", false, false);
      const sqlWarm = timeCheck(projectDir, "schema/*.sql", "pglite", true, false);
      const sqlServer = timeCheck(projectDir, "schema/*.sql", "server", false, false);
      const phases = timePhases(projectDir);
      let alembic = { skipped: true };
      if (withAlembic) {
        const dir = join(WORK, `alembic-${n}`);
        writeAlembicProject(dir, n, url);
        alembic = timeAlembic(dir);
      }
      rows.push({ n, dsl, sqlParsed, sqlCold, sqlWarm, sqlServer, alembic, phases });
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    }
  }

  console.log(`check against a matching declared schema (median of ${RUNS}, wall time of a fresh process)`);
  console.log(
    "tables | DSL ms (stmts) | SQL files, parse trees, no cache ms (stmts) | SQL files, PGlite cold ms (stmts) | SQL files, PGlite warm ms (stmts) | SQL files, server ms (stmts) | alembic autogenerate ms",
  );
  for (const r of rows) {
    const alembic = r.alembic.skipped ? "not installed" : r.alembic.error ? `failed: ${r.alembic.error}` : r.alembic.ms.toFixed(0);
    console.log(
      `${String(r.n).padStart(6)} | ${r.dsl.ms.toFixed(0)} (${r.dsl.statements}) | ${r.sqlParsed.ms.toFixed(0)} (${r.sqlParsed.statements}) | ${r.sqlCold.ms.toFixed(0)} (${r.sqlCold.statements}) | ` +
        `${r.sqlWarm.ms.toFixed(0)} (${r.sqlWarm.statements}) | ` +
        `${r.sqlServer.ms.toFixed(0)} (${r.sqlServer.statements}) | ${alembic}`,
    );
  }
  console.log("SQL files on PGlite, cold, by phase (median ms): tables | PGlite start | apply files | introspect");
  for (const r of rows) {
    console.log(`${String(r.n).padStart(6)} | ${r.phases.start.toFixed(0)} | ${r.phases.apply.toFixed(0)} | ${r.phases.introspect.toFixed(0)}`);
  }
  const stable = ["dsl", "sqlParsed", "sqlCold", "sqlWarm"].every((column) => new Set(rows.map((r) => r[column].statements)).size === 1);
  console.log(stable ? "Statements sent to the target do not depend on the number of tables." : "WARNING: the statement count changed with the number of tables.");
}

await main();
