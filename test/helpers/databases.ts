/**
 * Each test suite gets databases of its own on the local servers, dropped afterwards.
 * URLs can be overridden with STRATUM_TEST_PG_URL / STRATUM_TEST_MYSQL_URL (server root, no database).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import mysql from "mysql2/promise";

export const PG_SERVER_URL = process.env.STRATUM_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432";
export const MYSQL_SERVER_URL = process.env.STRATUM_TEST_MYSQL_URL ?? "mysql://root@127.0.0.1:3306";

function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString("hex")}`;
}

export interface ScratchDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

export async function createPostgresDatabase(prefix = "stratum_test"): Promise<ScratchDatabase> {
  const name = uniqueName(prefix);
  const admin = new pg.Client({ connectionString: `${PG_SERVER_URL}/postgres` });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: `${PG_SERVER_URL}/${name}`,
    async drop() {
      const c = new pg.Client({ connectionString: `${PG_SERVER_URL}/postgres` });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

export async function createMysqlDatabase(prefix = "stratum_test"): Promise<ScratchDatabase> {
  const name = uniqueName(prefix);
  const admin = await mysql.createConnection(MYSQL_SERVER_URL);
  try {
    await admin.query(`CREATE DATABASE \`${name}\``);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: `${MYSQL_SERVER_URL}/${name}`,
    async drop() {
      const c = await mysql.createConnection(MYSQL_SERVER_URL);
      try {
        await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await c.end();
      }
    },
  };
}

/** A temporary folder, removed by `remove()`. */
export function tempDir(prefix = "stratum-"): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export function sqliteUrl(dir: string, file = "test.db"): string {
  return `sqlite:${join(dir, file)}`;
}

/**
 * Waits until no other session is connected to the database. A client killed with SIGKILL
 * leaves its server session running the statements it had sent: they commit or roll back only
 * afterwards, so reading the database before then can see half of a step's outcome.
 */
export async function waitForQuiet(query: (sql: string) => Promise<{ rows: Array<{ n?: unknown }> }>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { rows } = await query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
    if (Number(rows[0]?.n) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("a killed run's session is still connected after 5 s");
}
