/**
 * The two PostgreSQL engines the operation tests run on: embedded PGlite and the PostgreSQL
 * server on 127.0.0.1 (a database of the suite's own). Statements are sent one at a time, the way
 * a runner sends a step that holds non-transactional statements.
 */
import { PGlite } from "@electric-sql/pglite";
import { btree_gist } from "@electric-sql/pglite/contrib/btree_gist";
import { ltree } from "@electric-sql/pglite/contrib/ltree";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import pg from "pg";
import { markEnumValueUse, render } from "../../src/dialects/postgres/render.js";
import type { RenderedStatement } from "../../src/dialects/types.js";
import { RecordingExecutor } from "../../src/ops/executor.js";
import { Op } from "../../src/ops/op.js";
import { createPostgresDatabase, type ScratchDatabase } from "../helpers/databases.js";
import type { Query } from "./scenario.js";

export interface Engine {
  name: string;
  query: Query;
  run(statements: RenderedStatement[]): Promise<void>;
  close(): Promise<void>;
  /** The server's URL, for pg_dump; undefined for PGlite. */
  url?: string;
}

function runner(query: Query) {
  return async (statements: RenderedStatement[]) => {
    for (const statement of statements) await query(statement.sql, statement.params);
  };
}

export async function openPglite(): Promise<Engine> {
  const db = new PGlite({ extensions: { btree_gist, ltree, pg_trgm } });
  await db.waitReady;
  const query: Query = async (text, params) => (await db.query<Record<string, unknown>>(text, params ?? [])).rows;
  return { name: "PGlite", query, run: runner(query), close: () => db.close() };
}

export async function openPostgres(): Promise<Engine> {
  const scratch: ScratchDatabase = await createPostgresDatabase("stratum_ops");
  const client = new pg.Client({ connectionString: scratch.url });
  await client.connect();
  const query: Query = async (text, params) => (await client.query(text, params ?? [])).rows as Record<string, unknown>[];
  return {
    name: "PostgreSQL",
    url: scratch.url,
    query,
    run: runner(query),
    async close() {
      await client.end();
      await scratch.drop();
    },
  };
}

/** Everything a migration could leave behind, outside the system schemas. */
export async function catalogSnapshot(query: Query): Promise<Record<string, unknown>[]> {
  return query(`
    SELECT 'schema' AS kind, nspname AS name FROM pg_namespace
     WHERE nspname NOT LIKE 'pg\\_%' AND nspname NOT IN ('information_schema')
    UNION ALL
    SELECT 'extension', extname FROM pg_extension
    UNION ALL
    SELECT 'relation:' || c.relkind::text, n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
    UNION ALL
    SELECT 'type', n.nspname || '.' || t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema' AND t.typtype IN ('e', 'c', 'd', 'r')
       AND NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.reltype = t.oid)
    ORDER BY 1, 2`);
}

/**
 * Runs a revision's operations the way a runner does: transactional statements inside a
 * transaction, each non-transactional statement alone after committing what came before.
 */
export async function applyRevision(engine: Engine, body: (op: Op) => Promise<void>): Promise<RenderedStatement[]> {
  const recorder = new RecordingExecutor("postgresql", true);
  await body(new Op(recorder));
  const statements = markEnumValueUse(recorder.operations.flatMap((operation) => render(operation, { offline: false })));
  await runInTransactions(engine, statements);
  return statements;
}

export async function runInTransactions(engine: Engine, statements: RenderedStatement[]): Promise<void> {
  let open = false;
  try {
    for (const statement of statements) {
      if (statement.transactional && !open) {
        await engine.query("BEGIN");
        open = true;
      } else if (!statement.transactional && open) {
        await engine.query("COMMIT");
        open = false;
      }
      await engine.query(statement.sql, statement.params);
    }
    if (open) await engine.query("COMMIT");
  } catch (error) {
    if (open) await engine.query("ROLLBACK");
    throw error;
  }
}
