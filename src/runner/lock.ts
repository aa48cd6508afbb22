import type { Database } from "../drivers/types.js";
import type { Dialect, LockOptions } from "../dialects/types.js";
import type { StateTables } from "./types.js";

/** The lock is per version table: two projects sharing a database do not block each other. */
export function lockKey(tables: StateTables): string {
  return `${tables.schema ?? ""}.${tables.version}`;
}

/**
 * Runs `fn` holding the database's migration lock, taken before anything reads the version
 * table and released at the end, even when `fn` fails:
 * - PostgreSQL and MySQL/MariaDB: a session lock on a dedicated second connection;
 * - SQLite: the database file's exclusive lock, held by the one connection;
 * - PGlite: one connection in one process, so there is nothing to lock.
 */
export async function withMigrationLock<T>(
  db: Database,
  dialect: Dialect,
  tables: StateTables,
  options: { waitMs?: number; onWait?(holder?: string): void },
  fn: () => Promise<T>,
): Promise<T> {
  const lockOptions: LockOptions = {
    key: lockKey(tables),
    ...(options.waitMs === undefined ? {} : { waitMs: options.waitMs }),
    ...(options.onWait ? { onWait: (holder: string | undefined) => options.onWait?.(holder) } : {}),
  };
  const session = dialect.capabilities.advisoryLock ? await db.openSession() : db.main;
  if (!session) return fn();
  try {
    await dialect.lock.acquire(session, lockOptions);
    try {
      return await fn();
    } finally {
      // A failed release must not hide fn's own error; closing the session releases it anyway.
      await dialect.lock.release(session, lockOptions).catch(() => {});
    }
  } finally {
    if (session !== db.main) await session.close();
  }
}
