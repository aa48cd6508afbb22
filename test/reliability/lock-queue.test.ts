/**
 * The lock queue: a transaction holds a lock on a table; a migration that needs ACCESS
 * EXCLUSIVE on it gives up after lock_timeout and retries, instead of waiting in the queue
 * and stalling every reader behind it. Readers keep completing with bounded latency.
 * For contrast, the same migration without a lock timeout stalls them for as long as the
 * holder's transaction lasts.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunEvent, upgrade } from "../../src/api/index.js";
import { createPostgresDatabase, type ScratchDatabase } from "../helpers/databases.js";
import { testProject, tsRevision, type TestProject } from "../safety/project.js";

const HOLD_MS = 1500;
const READERS = 4;

interface ReaderStats {
  reads: number;
  failures: number;
  longestMs: number;
}

/** Readers querying the table in a loop until stopped. */
function startReaders(url: string): () => Promise<ReaderStats> {
  let running = true;
  const stats: ReaderStats = { reads: 0, failures: 0, longestMs: 0 };
  const loops = Array.from({ length: READERS }, async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    while (running) {
      const t0 = performance.now();
      try {
        await client.query("SELECT count(*) FROM hot WHERE id < 100");
        stats.reads++;
      } catch {
        stats.failures++;
      }
      stats.longestMs = Math.max(stats.longestMs, performance.now() - t0);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await client.end();
  });
  return async () => {
    running = false;
    await Promise.all(loops);
    return stats;
  };
}

/** Holds ACCESS SHARE on the table (a long-running read, say) for `ms`. */
async function holdLock(url: string, ms: number): Promise<() => Promise<void>> {
  const holder = new pg.Client({ connectionString: url });
  await holder.connect();
  await holder.query("BEGIN");
  await holder.query("SELECT * FROM hot LIMIT 1");
  const released = new Promise<void>((resolve) => setTimeout(() => void holder.query("COMMIT").then(() => holder.end()).then(resolve), ms));
  return () => released;
}

describe("a migration behind a long transaction", () => {
  let project: TestProject;
  let scratch: ScratchDatabase;

  beforeAll(async () => {
    scratch = await createPostgresDatabase("stratum_lock_queue");
    project = testProject(scratch.url, { lockRetries: 6, lint: { onUpgrade: "off" } });
    const client = new pg.Client({ connectionString: scratch.url });
    await client.connect();
    await client.query("CREATE TABLE hot (id int PRIMARY KEY, v text); INSERT INTO hot SELECT g, 'x' FROM generate_series(1, 10000) g");
    await client.end();
    project.write("q00000000001_timeout.ts", tsRevision("q00000000001", undefined, `    await op.execute("ALTER TABLE hot ADD COLUMN a int");`, "", "\n  lockTimeoutMs: 200,"));
    project.write("q00000000002_no_timeout.ts", tsRevision("q00000000002", "q00000000001", `    await op.execute("ALTER TABLE hot ADD COLUMN b int");`, "", "\n  lockTimeoutMs: 0,"));
  });
  afterAll(async () => {
    project?.remove();
    await scratch?.drop();
  });

  it("times out and retries instead of queueing; readers keep completing", async () => {
    const events: RunEvent[] = [];
    const released = await holdLock(scratch.url, HOLD_MS);
    const stop = startReaders(scratch.url);
    const t0 = performance.now();
    await upgrade({ cwd: project.path, target: "q00000000001", onEvent: (event) => events.push(event) });
    const migrationMs = performance.now() - t0;
    const stats = await stop();
    await released();

    const retries = events.filter((event) => event.type === "warning" && /timed out waiting for a lock/.test(String((event as { message?: string }).message)));
    expect(retries.length).toBeGreaterThanOrEqual(2);
    expect(migrationMs).toBeGreaterThanOrEqual(HOLD_MS - 100);
    expect(stats.failures).toBe(0);
    expect(stats.reads).toBeGreaterThan(50);
    // A reader waits at most one lock_timeout (200 ms) behind the queued ALTER, plus scheduling.
    expect(stats.longestMs).toBeLessThan(700);
    console.log(`lock queue with lock_timeout 200 ms: ${retries.length} retries, migration ${Math.round(migrationMs)} ms, ${stats.reads} reads, longest read ${Math.round(stats.longestMs)} ms`);

    // Without a lock timeout the ALTER queues, and every reader behind it waits for the holder.
    const releasedAgain = await holdLock(scratch.url, HOLD_MS);
    const stopAgain = startReaders(scratch.url);
    await upgrade({ cwd: project.path, target: "q00000000002" });
    const queued = await stopAgain();
    await releasedAgain();
    expect(queued.longestMs).toBeGreaterThan(HOLD_MS / 2);
    console.log(`lock queue without lock_timeout: longest read ${Math.round(queued.longestMs)} ms`);
  });
});
