/**
 * How notices find their step when steps overlap on the wire: the driver routes each notice to
 * the call the server was answering, and a step holds its notices until it is reported started.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/drivers/index.js";
import type { Database } from "../../src/drivers/types.js";
import { StepLink, StepNotRun } from "../../src/runner/step-link.js";
import { createPostgresDatabase, type ScratchDatabase } from "../helpers/databases.js";

describe("StepLink", () => {
  it("holds a step's notices until the step before is over, then passes them on in order", () => {
    const emitted: string[] = [];
    const link = new StepLink("r2", "mark", "guard", undefined, (message) => emitted.push(message));
    link.notice("first");
    link.notice("second");
    expect(emitted).toEqual([]);
    link.settleBefore(true);
    expect(emitted).toEqual(["first", "second"]);
    link.notice("third");
    expect(emitted).toEqual(["first", "second", "third"]);
  });

  it("drops the notices of a step that does not run, and tells it why", async () => {
    const emitted: string[] = [];
    const link = new StepLink("r2", "mark", "guard", undefined, (message) => emitted.push(message));
    link.notice("from a batch that never ran");
    link.settleBefore(false);
    await expect(link.released).rejects.toBeInstanceOf(StepNotRun);
    expect(emitted).toEqual([]);
  });

  it("lets a step follow only the unanswered closing batch of the step before", async () => {
    const before = new StepLink("r1", "mark", undefined, undefined, undefined);
    const after = new StepLink("r2", "mark", "guard", before, undefined);
    expect(after.mayFollow()).toBeUndefined();
    let answer!: () => void;
    const pending = new Promise<void>((resolve) => (answer = resolve));
    before.sent(pending);
    expect(after.mayFollow()).toBe(pending);
    answer();
    await pending;
    await Promise.resolve();
    expect(after.mayFollow()).toBeUndefined();
  });
});

describe("pg connection notices, pipelined", () => {
  let scratch: ScratchDatabase;
  let db: Database;
  beforeAll(async () => {
    scratch = await createPostgresDatabase("stratum_notices");
    db = await openDatabase({ url: scratch.url });
  });
  afterAll(async () => {
    await db?.close();
    await scratch?.drop();
  });

  it("sends a call before the one ahead of it is answered, and gives each its own notices", async () => {
    expect(db.main.pipelined).toBe(true);
    const global: string[] = [];
    const first: string[] = [];
    const second: string[] = [];
    db.main.onNotice?.((message) => global.push(message));
    const slow = db.main.batch!(["SELECT pg_sleep(0.2)", "DROP TABLE IF EXISTS gone_first"], (message) => first.push(message));
    const started = Date.now();
    const fast = db.main.batch!(["DROP TABLE IF EXISTS gone_second"], (message) => second.push(message));
    const plain = db.main.query("DROP TABLE IF EXISTS gone_plain");
    await Promise.all([slow, fast, plain]);
    db.main.onNotice?.(undefined);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(first).toEqual(['table "gone_first" does not exist, skipping']);
    expect(second).toEqual(['table "gone_second" does not exist, skipping']);
    expect(global).toEqual(['table "gone_plain" does not exist, skipping']);
  });
});
