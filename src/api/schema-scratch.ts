/**
 * A temporary database of the same kind as the target, for `drift`: a PGlite data directory
 * made from the cached template, a database created (and later dropped) on the same PostgreSQL
 * or MySQL server, or a temporary SQLite file.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Database } from "../drivers/types.js";
import { DatabaseError } from "../errors.js";
import { startScratchPGlite, templatePath } from "./schema-pglite.js";

export interface ScratchTarget {
  url: string;
  drop(): Promise<void>;
}

export async function createScratchLike(db: Database, url: string): Promise<ScratchTarget> {
  const name = `stratum_scratch_${process.pid}_${randomBytes(4).toString("hex")}`;
  switch (db.driver) {
    case "pglite":
      return scratchPGliteDir();
    case "better-sqlite3": {
      const dir = mkdtempSync(join(tmpdir(), "stratum-scratch-"));
      return { url: `sqlite:${join(dir, "scratch.db")}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
    }
    case "mysql2":
      await createOnServer(db, `CREATE DATABASE \`${name}\``);
      return { url: withDatabaseName(url, name), drop: () => dropOnServer(db, `DROP DATABASE IF EXISTS \`${name}\``) };
    default:
      await createOnServer(db, `CREATE DATABASE "${name}"`);
      return { url: withDatabaseName(url, name), drop: () => dropOnServer(db, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
  }
}

async function createOnServer(db: Database, sql: string): Promise<void> {
  try {
    await db.main.query(sql);
  } catch (error) {
    throw new DatabaseError(
      `Cannot create a temporary database on ${db.displayUrl} to replay the revisions: ${error instanceof Error ? error.message : String(error)}.`,
      { hint: "The user needs the right to create databases (CREATEDB on PostgreSQL, CREATE on MySQL)." },
    );
  }
}

async function dropOnServer(db: Database, sql: string): Promise<void> {
  await db.main.query(sql);
}

/** The same server URL, pointing at another database. */
export function withDatabaseName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function scratchPGliteDir(): Promise<ScratchTarget> {
  const dir = mkdtempSync(join(tmpdir(), "stratum-scratch-"));
  const dataDir = join(dir, "data");
  await preparePGliteDataDir(dataDir);
  return { url: `pglite:${dataDir}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

/** Fills a new PGlite data directory from the cached template, so that opening it runs no initdb. */
export async function preparePGliteDataDir(dataDir: string): Promise<void> {
  // Make sure the template exists, then unpack it where the database will live.
  await (await startScratchPGlite()).close();
  if (!existsSync(templatePath())) return;
  const { PGlite } = await import("@electric-sql/pglite");
  const db = await PGlite.create({ dataDir, loadDataDir: new Blob([readFileSync(templatePath())]) });
  await db.close();
}
