/**
 * `op.backfill`: a data migration that updates a large table in small batches, each in a short
 * transaction of its own, so that no row lock is held for long and the table stays writable.
 *
 * - Keyset pagination on the primary key (`key > last ORDER BY key LIMIT n`), never OFFSET:
 *   every batch costs the same, however far along the run is.
 * - The step's DDL transaction is committed before the first batch; each batch then commits on
 *   its own, with the step's lock_timeout, and is retried when it times out waiting for a lock.
 * - Resumable: the `where` predicate should exclude rows already done (`col IS NULL`), so a
 *   rerun after an interruption picks up where the last committed batch stopped.
 */
import type { DialectName, Row } from "../drivers/types.js";
import type { Dialect } from "../dialects/types.js";
import { StratumError } from "../errors.js";
import type { OperationExecutor } from "./executor.js";
import { displayTableName as tableName } from "./table-ref.js";
import { isSqlExpression, type SqlExpression, type TableRef } from "./types.js";
import { ArgumentChecker } from "./validate.js";

export interface BackfillOptions {
  table: TableRef;
  /**
   * What to set: `{ column: value }` where a value is bound as a parameter, or an SQL expression
   * (`sql\`lower(email)\``) used as written; or the text of a SET list (`"a = lower(b)"`).
   */
  set: Record<string, unknown> | string;
  /** An SQL predicate selecting the rows still to do; it makes a rerun resume. */
  where?: string;
  /** The column to paginate on; default: the table's single-column primary key. */
  key?: string;
  /** Rows per batch (per transaction). Default 1000. */
  batchSize?: number;
  /** Pause between batches, to leave room for the application. Default 0. */
  sleepMs?: number;
  /** How many times a batch that timed out waiting for a row lock is retried. Default 5. */
  lockRetries?: number;
  /** Called after every committed batch. */
  onProgress?(progress: BackfillProgress): void;
  /** Called when a batch timed out waiting for a row lock and will run again after `waitMs`. */
  onRetry?(attempt: number, waitMs: number, error: Error): void;
}

export interface BackfillProgress {
  table: string;
  /** Batches committed so far in this run. */
  batches: number;
  /** Rows updated so far in this run. */
  rows: number;
  /** The key of the last row updated. */
  lastKey: unknown;
  elapsedMs: number;
  /** True on the last call: no rows are left. */
  done: boolean;
}

export interface BackfillResult {
  batches: number;
  rows: number;
  elapsedMs: number;
}

const DEFAULT_BATCH = 1000;
const DEFAULT_RETRIES = 5;

interface CheckedOptions {
  table: TableRef;
  set: Record<string, unknown> | string;
  where: string | undefined;
  key: string | undefined;
  batchSize: number;
  sleepMs: number;
  lockRetries: number;
  onProgress: ((progress: BackfillProgress) => void) | undefined;
  onRetry: ((attempt: number, waitMs: number, error: Error) => void) | undefined;
}

function checkOptions(options: unknown): CheckedOptions {
  const check = new ArgumentChecker("backfill");
  const o = check.object<BackfillOptions>("options", options);
  const table = check.table("options.table", o.table);
  if (typeof o.set === "string") {
    if (o.set.trim() === "") check.fail("options.set", "a non-empty SET list or an object of column values", o.set);
  } else {
    const set = check.object<Record<string, unknown>>("options.set", o.set);
    if (Object.keys(set).length === 0) check.fail("options.set", "at least one column to set", set);
  }
  const where = check.optionalString("options.where", o.where);
  const key = check.optionalString("options.key", o.key);
  const batchSize = check.optionalNumber("options.batchSize", o.batchSize) ?? DEFAULT_BATCH;
  if (!Number.isInteger(batchSize) || batchSize < 1) check.fail("options.batchSize", "a positive whole number", batchSize);
  const sleepMs = check.optionalNumber("options.sleepMs", o.sleepMs) ?? 0;
  if (!(sleepMs >= 0)) check.fail("options.sleepMs", "zero or more milliseconds", sleepMs);
  const lockRetries = check.optionalNumber("options.lockRetries", o.lockRetries) ?? DEFAULT_RETRIES;
  if (!Number.isInteger(lockRetries) || lockRetries < 0) check.fail("options.lockRetries", "zero or a positive whole number", lockRetries);
  if (o.onProgress !== undefined) check.function("options.onProgress", o.onProgress);
  if (o.onRetry !== undefined) check.function("options.onRetry", o.onRetry);
  return { table, set: o.set, where, key, batchSize, sleepMs, lockRetries, onProgress: o.onProgress, onRetry: o.onRetry };
}

/** Builds statements with the dialect's placeholders, keeping parameters in the order they appear. */
class Statement {
  readonly params: unknown[] = [];
  constructor(private readonly dialect: Dialect) {}
  bind(value: unknown): string {
    this.params.push(value);
    return this.dialect.state.param(this.params.length);
  }
}

function setList(dialect: Dialect, set: CheckedOptions["set"], statement: Statement): string {
  if (typeof set === "string") return set;
  return Object.entries(set)
    .map(([column, value]) => {
      const target = dialect.quoteIdent(column);
      const expression = isSqlExpression(value) ? (value as SqlExpression).text : statement.bind(value);
      return `${target} = ${expression}`;
    })
    .join(", ");
}

/** The table's primary key column, read from the catalog; a composite or missing key needs `key`. */
async function primaryKey(executor: OperationExecutor, dialect: Dialect, table: TableRef): Promise<string> {
  const name = typeof table === "string" ? table : table.name;
  const schema = typeof table === "string" ? undefined : table.schema;
  let rows: Row[];
  if (dialect.name === "postgresql") {
    rows = await executor.query(
      `SELECT a.attname AS name FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
       WHERE i.indisprimary AND i.indrelid = to_regclass($1)`,
      [dialect.qualify(schema === undefined ? name : { schema, name })],
    );
  } else if (dialect.name === "mysql") {
    rows = await executor.query(
      `SELECT COLUMN_NAME AS name FROM information_schema.KEY_COLUMN_USAGE
       WHERE CONSTRAINT_NAME = 'PRIMARY' AND TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?`,
      [schema ?? null, name],
    );
  } else {
    rows = (await executor.query<{ name: string; pk: number }>(`SELECT name, pk FROM pragma_table_info(?)`, [name])).filter((row) => Number(row.pk) > 0);
  }
  const only = rows.length === 1 ? rows[0]?.name : undefined;
  if (typeof only !== "string") {
    throw new StratumError(
      `op.backfill: table ${tableName(table)} has ${rows.length === 0 ? "no primary key (or does not exist)" : "a composite primary key"}, so it cannot paginate on it.`,
      { hint: "Pass `key` naming a unique, indexed, non-null column." },
    );
  }
  return only;
}

/** One batch's statements: PostgreSQL does it in one statement; the others select the page, then update it. */
interface BatchPlan {
  run(after: unknown, first: boolean): Promise<BatchOutcome>;
}

interface BatchOutcome {
  /** Keys in the page; fewer than the batch size means this was the last page. */
  pageSize: number;
  /** The page's last key, where the next page starts; null when the page was empty. */
  lastKey: unknown;
  /** Rows the UPDATE changed (fewer than the page when another session changed some meanwhile). */
  rows: number;
}

function planBatches(executor: OperationExecutor, dialect: Dialect, options: CheckedOptions, key: string): BatchPlan {
  const table = dialect.qualify(options.table);
  const k = dialect.quoteIdent(key);
  const predicate = options.where === undefined ? "" : ` AND (${options.where})`;
  if (dialect.name === "postgresql") {
    return {
      async run(after, first) {
        const statement = new Statement(dialect);
        const assignments = setList(dialect, options.set, statement);
        const lower = first ? "" : `${k} > ${statement.bind(after)} AND `;
        // The page's last key bounds a range the UPDATE reads through the primary key index;
        // joining the page instead would let the planner scan the whole table for every batch.
        const sql =
          `WITH page AS (SELECT max(stratum_key) AS stratum_high, count(*) AS stratum_count FROM (SELECT ${k} AS stratum_key FROM ${table} WHERE ${lower}TRUE${predicate} ORDER BY ${k} LIMIT ${options.batchSize}) keys), ` +
          `updated AS (UPDATE ${table} SET ${assignments} FROM page WHERE ${lower}${k} <= page.stratum_high${predicate} RETURNING 1) ` +
          `SELECT (SELECT stratum_count FROM page)::int AS page_size, (SELECT stratum_high FROM page) AS last_key, (SELECT count(*) FROM updated)::int AS rows`;
        const row = (await executor.query<{ page_size: number; last_key: unknown; rows: number }>(sql, statement.params))[0];
        return { pageSize: Number(row?.page_size ?? 0), lastKey: row?.last_key ?? null, rows: Number(row?.rows ?? 0) };
      },
    };
  }
  return {
    async run(after, first) {
      const select = new Statement(dialect);
      const lower = first ? "1 = 1" : `${k} > ${select.bind(after)}`;
      const page = (
        await executor.query<{ rows: number; last_key: unknown }>(
          `SELECT COUNT(*) AS ${dialect.quoteIdent("rows")}, MAX(k) AS last_key FROM (SELECT ${k} AS k FROM ${table} WHERE ${lower}${predicate} ORDER BY ${k} LIMIT ${options.batchSize}) page`,
          select.params,
        )
      )[0];
      const pageSize = Number(page?.rows ?? 0);
      if (pageSize === 0 || page?.last_key === null || page?.last_key === undefined) return { pageSize: 0, lastKey: null, rows: 0 };
      const update = new Statement(dialect);
      const assignments = setList(dialect, options.set, update);
      const range = first ? `${k} <= ${update.bind(page.last_key)}` : `${k} > ${update.bind(after)} AND ${k} <= ${update.bind(page.last_key)}`;
      await executor.query(`UPDATE ${table} SET ${assignments} WHERE ${range}${predicate}`, update.params);
      return { pageSize, lastKey: page.last_key, rows: pageSize };
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Ends whatever transaction the step has open (a transaction aborted by a failed batch too).
 * Executors without `commit` get a trivial statement sent outside the transaction, which makes
 * them commit first.
 */
async function commitOpenTransaction(executor: OperationExecutor): Promise<void> {
  if (executor.commit) return executor.commit();
  await executor.run({ kind: "autocommit", ops: [{ kind: "execute", sql: "SELECT 1" }] });
}

/** Offline (`--sql`, lint, plans): nothing to page through, so the update is written as one statement. */
async function renderOffline(executor: OperationExecutor, dialect: Dialect, options: CheckedOptions): Promise<BackfillResult> {
  const statement = new Statement(dialect);
  const assignments = setList(dialect, options.set, statement);
  const where = options.where === undefined ? "" : ` WHERE ${options.where}`;
  await executor.run({ kind: "execute", sql: `UPDATE ${dialect.qualify(options.table)} SET ${assignments}${where}`, params: statement.params });
  return { batches: 0, rows: 0, elapsedMs: 0 };
}

export async function runBackfill(executor: OperationExecutor, options: BackfillOptions): Promise<BackfillResult> {
  const checked = checkOptions(options);
  // Imported here: op.ts imports this module, and every run would otherwise load all three dialects.
  const { getDialect } = await import("../dialects/index.js");
  const dialect = getDialect(executor.dialect as DialectName);
  if (executor.offline) return renderOffline(executor, dialect, checked);
  const started = performance.now();
  const key = checked.key ?? (await primaryKey(executor, dialect, checked.table));
  const plan = planBatches(executor, dialect, checked, key);
  // The DDL before the backfill (adding the column, say) commits now: its locks must not be
  // held while the batches run.
  await commitOpenTransaction(executor);
  let batches = 0;
  let rows = 0;
  let lastKey: unknown = null;
  for (;;) {
    const outcome = await runOneBatch(executor, dialect, plan, lastKey, batches === 0, checked);
    if (outcome.pageSize > 0) {
      batches++;
      rows += outcome.rows;
      lastKey = outcome.lastKey;
    }
    const done = outcome.pageSize < checked.batchSize;
    checked.onProgress?.({ table: tableName(checked.table), batches, rows, lastKey, elapsedMs: performance.now() - started, done });
    if (done) return { batches, rows, elapsedMs: performance.now() - started };
    if (checked.sleepMs > 0) await sleep(checked.sleepMs);
  }
}

async function runOneBatch(
  executor: OperationExecutor,
  dialect: Dialect,
  plan: BatchPlan,
  after: unknown,
  first: boolean,
  options: CheckedOptions,
): Promise<BatchOutcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      const outcome = await plan.run(after, first);
      await commitOpenTransaction(executor);
      return outcome;
    } catch (error) {
      // A batch that waited too long for a row lock gave up its own rows only: end its
      // transaction and try again after a pause, like a step that hit a lock timeout.
      if (!dialect.isLockTimeout(error) || attempt > options.lockRetries) throw error;
      await commitOpenTransaction(executor);
      const waitMs = Math.min(100 * 2 ** (attempt - 1), 5000);
      options.onRetry?.(attempt, waitMs, error as Error);
      await sleep(waitMs);
    }
  }
}
