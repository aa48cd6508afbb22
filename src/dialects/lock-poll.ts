/**
 * The migration lock's wait, shared by the dialects that take a session lock on a dedicated
 * connection: try without blocking, report who holds it, back off, and give up at the deadline.
 */
import { DatabaseError } from "../errors.js";
import type { LockOptions } from "./types.js";

/** "300 ms" or "30 s", for the give-up message. */
export const waited = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : `${Math.round(ms / 1000)} s`);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function pollForLock(
  options: LockOptions,
  tryLock: () => Promise<boolean>,
  lockHolder: () => Promise<string | undefined>,
): Promise<void> {
  const deadline = options.waitMs === undefined ? Infinity : Date.now() + options.waitMs;
  let interval = 25;
  let holder: string | undefined;
  for (;;) {
    if (await tryLock()) return;
    const current = await lockHolder();
    if (current !== holder || interval === 25) options.onWait?.(current);
    holder = current;
    if (Date.now() + interval > deadline)
      throw new DatabaseError(
        `Gave up after ${waited(options.waitMs ?? 0)} waiting for the migration lock${holder ? ` held by ${holder}` : ""}.`,
        { code: "LOCK_WAIT" },
      );
    await sleep(interval);
    interval = Math.min(interval * 2, 500);
  }
}
