#!/usr/bin/env node
/**
 * Benchmark: filling a new column on a table of N rows (default 1,000,000) on a scratch
 * PostgreSQL database, two ways:
 *   - one plain `UPDATE t SET c = ...` (the floor for throughput, and one long lock on every row);
 *   - `op.backfill` through `stratum upgrade` (keyset batches, one short transaction each).
 *
 *   node bench/backfill.mjs [--rows 1000000] [--batch 1000] [--dist dist] [--url postgres://postgres@127.0.0.1:5432]
 *
 * Reported: each way's duration, the backfill's throughput as a ratio to the plain UPDATE, and
 * the longest single-row lock held, measured from outside: a probe session updates a random
 * row every few milliseconds and records how long its UPDATE waited. A plain UPDATE makes the
 * probe wait for the whole statement; a backfill for at most one batch.
 * Build first: `npm run build`.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { option, repo } from "./lib.mjs";

const ROWS = Number(option("--rows", "1000000"));
const BATCH = Number(option("--batch", "1000"));
const DIST = resolve(repo, option("--dist", "dist"));
const SERVER = option("--url", process.env.STRATUM_BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432");
const DB = `stratum_bench_backfill_${process.pid}`;
const URL_ = `${SERVER}/${DB}`;

async function admin(sql) {
  const client = new pg.Client({ connectionString: `${SERVER}/postgres` });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Updates random rows until stopped; returns the longest single wait, in ms. */
function probe() {
  const client = new pg.Client({ connectionString: URL_ });
  let running = true;
  let longest = 0;
  let count = 0;
  const done = (async () => {
    await client.connect();
    while (running) {
      const id = 1 + Math.floor(Math.random() * ROWS);
      const t0 = performance.now();
      await client.query("UPDATE accounts SET touched = touched + 1 WHERE id = $1", [id]);
      longest = Math.max(longest, performance.now() - t0);
      count++;
      await new Promise((r) => setTimeout(r, 5));
    }
    await client.end();
  })();
  return async () => {
    running = false;
    await done;
    return { longest, count };
  };
}

async function resetTable(client) {
  await client.query("DROP TABLE IF EXISTS accounts");
  await client.query("CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL, touched int NOT NULL DEFAULT 0, email_lower text)");
  await client.query(`INSERT INTO accounts (id, email) SELECT g, 'User' || g || '@Example.COM' FROM generate_series(1, ${ROWS}) g`);
  await client.query("VACUUM ANALYZE accounts");
}

async function main() {
  await admin(`CREATE DATABASE "${DB}"`);
  const project = join(repo, "bench", ".work", "backfill");
  rmSync(project, { recursive: true, force: true });
  mkdirSync(join(project, "versions"), { recursive: true });
  writeFileSync(join(project, "stratum.config.ts"), `export default ${JSON.stringify({ url: URL_, versionPaths: ["versions"], lint: { onUpgrade: "off" } })};\n`);
  writeFileSync(
    join(project, "versions", "f00000000001_backfill.ts"),
    `import { revision, sql } from "stratum";
export default revision({
  id: "f00000000001", parents: [], message: "backfill email_lower",
  async upgrade(op) {
    await op.backfill({ table: "accounts", set: { email_lower: sql\`lower(email)\` }, where: "email_lower IS NULL", batchSize: ${BATCH} });
  },
  async downgrade() {},
});
`,
  );
  const client = new pg.Client({ connectionString: URL_ });
  await client.connect();
  try {
    console.log(`backfill benchmark: ${ROWS.toLocaleString("en")} rows, batches of ${BATCH}`);
    await resetTable(client);
    let stop = probe();
    let t0 = performance.now();
    await client.query("UPDATE accounts SET email_lower = lower(email) WHERE email_lower IS NULL");
    const plainMs = performance.now() - t0;
    const plainProbe = await stop();

    await resetTable(client);
    const { upgrade } = await import(pathToFileURL(join(DIST, "api", "index.js")).href);
    stop = probe();
    t0 = performance.now();
    await upgrade({ cwd: project, target: "head" });
    const backfillMs = performance.now() - t0;
    const backfillProbe = await stop();
    const left = (await client.query("SELECT count(*)::int AS n FROM accounts WHERE email_lower IS DISTINCT FROM lower(email)")).rows[0].n;
    if (left !== 0) throw new Error(`${left} rows were not filled`);

    const rate = (ms) => `${Math.round(ROWS / (ms / 1000)).toLocaleString("en")} rows/s`;
    console.log(`plain UPDATE  ${(plainMs / 1000).toFixed(2)} s  ${rate(plainMs)}  longest row lock seen by the probe: ${plainProbe.longest.toFixed(0)} ms (${plainProbe.count} probes)`);
    console.log(`op.backfill   ${(backfillMs / 1000).toFixed(2)} s  ${rate(backfillMs)}  longest row lock seen by the probe: ${backfillProbe.longest.toFixed(1)} ms (${backfillProbe.count} probes)`);
    console.log(`throughput ratio (backfill / plain UPDATE): ${(plainMs / backfillMs).toFixed(2)}`);
  } finally {
    await client.end();
    await admin(`DROP DATABASE IF EXISTS "${DB}" WITH (FORCE)`);
    rmSync(project, { recursive: true, force: true });
  }
}

await main();
