/**
 * The throw-away database every check runs on: PGlite in memory (started from the cached data
 * directory, so no initdb runs), or a temporary database beside the configured one.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import type { Project } from "../api/project.js";
import { dialectOfUrl } from "../api/project.js";
import { extensionsCreatedBy, startScratchPGlite } from "../api/schema-pglite.js";
import { bundledExtension } from "../drivers/pglite-extensions.js";
import { createScratchLike } from "../api/schema-scratch.js";
import { getDialect } from "../dialects/index.js";
import type { Dialect } from "../dialects/types.js";
import { openDatabase } from "../drivers/index.js";
import { statementError } from "../drivers/errors.js";
import type { Connection, Database, QueryResult, Row } from "../drivers/types.js";
import type { ScratchMode } from "./options.js";

export interface ScratchDatabase {
  readonly db: Database;
  readonly dialect: Dialect;
  /** A URL that reaches it, or `pglite:memory` for the in-memory one (which no URL reaches). */
  readonly url: string;
  /** Closes it and removes what it left: the temporary database, file or folder. */
  drop(): Promise<void>;
}

export async function openScratch(project: Project, mode: ScratchMode = "auto"): Promise<ScratchDatabase> {
  const scratch = chooseMode(project, mode) === "pglite" ? await inMemoryPGlite(project) : await beside(project);
  const schema = project.config.schema;
  if (schema !== undefined && scratch.dialect.capabilities.schemas) {
    try {
      await scratch.db.main.query(`CREATE SCHEMA IF NOT EXISTS ${scratch.dialect.quoteIdent(schema)}`);
    } catch (error) {
      await scratch.drop();
      throw error;
    }
  }
  return scratch;
}

function chooseMode(project: Project, mode: ScratchMode): "pglite" | "server" {
  if (mode !== "auto") return mode;
  if (project.options.url !== undefined) return "server";
  const url = project.config.url;
  return url !== undefined && dialectOfUrl(url) !== "postgresql" ? "server" : "pglite";
}

async function beside(project: Project): Promise<ScratchDatabase> {
  const url = project.url();
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url.trim())?.[1]?.toLowerCase();
  // Embedded databases have no server to create one on; opening the configured one would create it.
  if (scheme === "sqlite") return temporarySqlite(project);
  if (scheme === "pglite") return inMemoryPGlite(project);
  const server = await openDatabase({ url });
  try {
    const target = await createScratchLike(server, url);
    try {
      const db = await openDatabase(project.config.schema === undefined ? { url: target.url } : { url: target.url, schema: project.config.schema });
      return {
        db,
        dialect: getDialect(db.dialect),
        url: target.url,
        async drop() {
          try {
            await db.close();
            await target.drop();
          } finally {
            await server.close();
          }
        },
      };
    } catch (error) {
      await target.drop();
      throw error;
    }
  } catch (error) {
    await server.close();
    throw error;
  }
}

async function temporarySqlite(project: Project): Promise<ScratchDatabase> {
  const dir = mkdtempSync(join(tmpdir(), "stratum-scratch-"));
  const url = `sqlite:${join(dir, "scratch.db")}`;
  try {
    const db = await openDatabase(project.config.schema === undefined ? { url } : { url, schema: project.config.schema });
    return {
      db,
      dialect: getDialect(db.dialect),
      url,
      async drop() {
        try {
          await db.close();
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Only the extensions the revisions create are loaded, since each one costs start-up time. */
async function inMemoryPGlite(project: Project): Promise<ScratchDatabase> {
  const { files } = await project.revisions();
  const names = new Set<string>();
  for (const path of files.values()) for (const name of extensionsNamed(readFileSync(path, "utf8"))) names.add(name);
  const pglite = await startScratchPGlite(await bundled([...names]));
  const main = new MemoryConnection(pglite);
  const db: Database = {
    dialect: "postgresql",
    driver: "pglite",
    displayUrl: "pglite:memory",
    main,
    openSession: async () => null,
    close: () => main.close(),
  };
  return { db, dialect: getDialect("postgresql"), url: "pglite:memory", drop: () => db.close() };
}

/** Extensions a revision creates, in SQL or through `op.createExtension("name")`. */
function extensionsNamed(text: string): string[] {
  const names = extensionsCreatedBy(text);
  for (const match of text.matchAll(/createExtension\(\s*["'`]([\w-]+)["'`]/g)) names.push(match[1]!.toLowerCase());
  for (const match of text.matchAll(/"kind":\s*"createExtension",\s*"name":\s*"([\w-]+)"/g)) names.push(match[1]!.toLowerCase());
  return names;
}

/**
 * Only the extensions PGlite ships: a revision that creates another one (timescaledb, often
 * behind a check that it is installed) then meets PostgreSQL's own error, naming the revision.
 */
async function bundled(names: string[]): Promise<string[]> {
  const available: string[] = [];
  for (const name of new Set(names)) {
    if (name !== "plpgsql" && (await bundledExtension(name))) available.push(name);
  }
  return available;
}

/** Like the PGlite driver's connection: several statements in one text run through `exec`. */
class MemoryConnection implements Connection {
  constructor(private readonly pglite: PGlite) {}

  async query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    try {
      if (params && params.length > 0) {
        const result = await this.pglite.query<R>(sql, params as unknown[]);
        return { rows: result.rows, rowCount: result.affectedRows ?? 0 };
      }
      const results = await this.pglite.exec(sql);
      const last = results[results.length - 1];
      const before = results.length > 1 ? (results[results.length - 2]?.affectedRows ?? 0) : 0;
      return { rows: (last?.rows ?? []) as R[], rowCount: (last?.affectedRows ?? 0) - before };
    } catch (error) {
      throw statementError(error);
    }
  }

  async close(): Promise<void> {
    if (!this.pglite.closed) await this.pglite.close();
  }
}
