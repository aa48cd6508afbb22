import type { Row } from "../drivers/types.js";
import { StratumError } from "../errors.js";
import type { OperationExecutor } from "./executor.js";
import { RecordingExecutor } from "./executor.js";
import type {
  AlterColumnOp,
  CheckSpec,
  ColumnSpec,
  CommentTarget,
  CreateIndexOp,
  CreateSequenceOp,
  CreateTableOp,
  CreateViewOp,
  DropIndexOp,
  DropViewOp,
  ForeignKeySpec,
  IndexKey,
  IndexMethod,
  OnlineDdlOptions,
  Operation,
  OperationKind,
  PrimaryKeySpec,
  ReferentialAction,
  TableRef,
  UniqueSpec,
  CreateEnumOp,
  DropTableOp,
  DropSequenceOp,
  ConstraintType,
} from "./types.js";
import { ArgumentChecker } from "./validate.js";
import { runBackfill, type BackfillOptions, type BackfillResult } from "./backfill.js";

/** Options that follow the required arguments of each method. */
export interface CreateTableOptions {
  primaryKey?: PrimaryKeySpec;
  foreignKeys?: ForeignKeySpec[];
  checks?: CheckSpec[];
  uniques?: UniqueSpec[];
  comment?: string;
  ifNotExists?: boolean;
}
export interface DropOptions {
  ifExists?: boolean;
  cascade?: boolean;
}
/** What `op.alterColumn` changes: the fields of an alterColumn operation after table and column. */
export type ColumnChanges = Omit<AlterColumnOp, "kind" | "table" | "column" | keyof OnlineDdlOptions>;
/** The fields of a createIndex operation after name, table and keys. */
export type CreateIndexOptions = Omit<CreateIndexOp, "kind" | "name" | "table" | "keys" | keyof OnlineDdlOptions>;
export interface DropIndexOptions {
  table?: TableRef;
  schema?: string;
  concurrently?: boolean;
  ifExists?: boolean;
  previous?: CreateIndexOp;
}
export interface ForeignKeyOptions {
  onDelete?: ReferentialAction;
  onUpdate?: ReferentialAction;
  deferrable?: boolean;
  initiallyDeferred?: boolean;
  notValid?: boolean;
}
/** An exclusion element: `{ expression: "room", operator: "=" }` or `["room", "="]`. */
export type ExcludeElement = { expression: string; operator: string } | readonly [string, string];
export interface ExcludeOptions {
  method?: IndexMethod;
  where?: string;
  deferrable?: boolean;
}
export interface SequenceOptions extends Omit<CreateSequenceOp, "kind" | "name"> {}
export interface ViewOptions {
  schema?: string;
  orReplace?: boolean;
  withNoData?: boolean;
}

const CONSTRAINT_TYPES: readonly ConstraintType[] = ["primaryKey", "unique", "foreignKey", "check", "exclude"];
const OPERATION_KINDS: readonly OperationKind[] = [
  "createTable", "dropTable", "renameTable", "setTableComment", "addColumn", "dropColumn", "alterColumn",
  "createIndex", "dropIndex", "createPrimaryKey", "createUniqueConstraint", "createForeignKey",
  "createCheckConstraint", "createExcludeConstraint", "validateConstraint", "dropConstraint", "createSchema",
  "dropSchema", "createExtension", "dropExtension", "createEnum", "dropEnum", "addEnumValue", "renameEnumValue",
  "createSequence", "dropSequence", "createView", "dropView", "refreshMaterializedView", "setComment", "execute",
  "bulkInsert", "batch", "autocommit",
];

/** Copies the defined entries only, so that operations hold no `undefined` fields. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * The `op` object a revision's upgrade and downgrade receive. Each method builds one
 * operation (plain data) and hands it to the executor. Argument order follows Alembic's
 * (`createIndex(name, table, columns)`, `createForeignKey(name, table, refTable, ...)`).
 */
export class Op {
  constructor(protected readonly executor: OperationExecutor) {}

  get dialect() {
    return this.executor.dialect;
  }

  /** True while rendering `--sql`: nothing is connected and `query` is unavailable. */
  get offline() {
    return this.executor.offline;
  }

  /** Runs any operation object, as autogenerate writes them. */
  async run(operation: Operation): Promise<void> {
    const check = new ArgumentChecker("run");
    const op = check.object<Operation>("operation", operation);
    check.oneOf("operation.kind", op.kind, OPERATION_KINDS);
    await this.executor.run(operation);
  }

  // Tables

  async createTable(table: TableRef, columns: ColumnSpec[], options: CreateTableOptions = {}): Promise<void> {
    const check = new ArgumentChecker("createTable");
    check.table("table", table);
    if (!Array.isArray(columns) || columns.length === 0) check.fail("columns", "a non-empty array of columns", columns);
    columns.forEach((c, i) => check.column(`columns[${i}]`, c));
    const o = check.optionalObject<CreateTableOptions>("options", options);
    if (o.primaryKey !== undefined) check.stringList("options.primaryKey.columns", check.object<PrimaryKeySpec>("options.primaryKey", o.primaryKey).columns);
    (o.foreignKeys ?? []).forEach((fk, i) => {
      check.stringList(`options.foreignKeys[${i}].columns`, fk.columns);
      check.table(`options.foreignKeys[${i}].refTable`, fk.refTable);
      check.stringList(`options.foreignKeys[${i}].refColumns`, fk.refColumns);
      check.referentialAction(`options.foreignKeys[${i}].onDelete`, fk.onDelete);
      check.referentialAction(`options.foreignKeys[${i}].onUpdate`, fk.onUpdate);
    });
    (o.checks ?? []).forEach((c, i) => check.string(`options.checks[${i}].expression`, c.expression));
    (o.uniques ?? []).forEach((u, i) => check.stringList(`options.uniques[${i}].columns`, u.columns));
    check.optionalString("options.comment", o.comment);
    check.optionalBoolean("options.ifNotExists", o.ifNotExists);
    await this.executor.run(defined<CreateTableOp>({ kind: "createTable", table, columns, ...o }));
  }

  async dropTable(table: TableRef, options: DropOptions & { previous?: CreateTableOp } = {}): Promise<void> {
    const check = new ArgumentChecker("dropTable");
    check.table("table", table);
    const o = this.dropOptions(check, options);
    await this.executor.run(defined<DropTableOp>({ kind: "dropTable", table, ...o }));
  }

  async renameTable(table: TableRef, newName: string): Promise<void> {
    const check = new ArgumentChecker("renameTable");
    check.table("table", table);
    check.string("newName", newName);
    await this.executor.run({ kind: "renameTable", table, newName });
  }

  async setTableComment(table: TableRef, comment: string | null, options: { previous?: string | null } = {}): Promise<void> {
    const check = new ArgumentChecker("setTableComment");
    check.table("table", table);
    if (comment !== null && typeof comment !== "string") check.fail("comment", "a string or null", comment);
    await this.executor.run(defined({ kind: "setTableComment", table, comment, previous: options.previous }));
  }

  // Columns

  async addColumn(table: TableRef, column: ColumnSpec, options: { ifNotExists?: boolean } = {}): Promise<void> {
    const check = new ArgumentChecker("addColumn");
    check.table("table", table);
    check.column("column", column);
    check.optionalBoolean("options.ifNotExists", check.optionalObject<{ ifNotExists?: boolean }>("options", options).ifNotExists);
    await this.executor.run(defined({ kind: "addColumn", table, column, ifNotExists: options.ifNotExists }));
  }

  async dropColumn(table: TableRef, column: string, options: DropOptions & { previous?: ColumnSpec } = {}): Promise<void> {
    const check = new ArgumentChecker("dropColumn");
    check.table("table", table);
    check.string("column", column);
    const o = this.dropOptions(check, options);
    if (o.previous !== undefined) check.column("options.previous", o.previous);
    await this.executor.run(defined({ kind: "dropColumn", table, column, ...o }));
  }

  async alterColumn(table: TableRef, column: string, changes: ColumnChanges): Promise<void> {
    const check = new ArgumentChecker("alterColumn");
    check.table("table", table);
    check.string("column", column);
    const c = check.object<ColumnChanges>("changes", changes);
    check.optionalString("changes.type", c.type);
    check.optionalString("changes.using", c.using);
    check.optionalBoolean("changes.nullable", c.nullable);
    check.defaultValue("changes.default", c.default);
    check.optionalString("changes.newName", c.newName);
    check.optionalString("changes.collation", c.collation);
    if (c.comment !== undefined && c.comment !== null && typeof c.comment !== "string") check.fail("changes.comment", "a string or null", c.comment);
    if (c.identity !== undefined && c.identity !== null) check.identity("changes.identity", c.identity);
    if (c.generated !== undefined && c.generated !== null) check.expression("changes.generated", c.generated);
    const op = defined<AlterColumnOp>({ kind: "alterColumn", table, column, ...c });
    const changed = Object.keys(op).filter((k) => !["kind", "table", "column", "previous", "using"].includes(k));
    if (changed.length === 0) check.fail("changes", "at least one change (type, nullable, default, newName, ...)", changes);
    await this.executor.run(op);
  }

  // Indexes

  async createIndex(name: string, table: TableRef, keys: IndexKey[], options: CreateIndexOptions = {}): Promise<void> {
    const check = new ArgumentChecker("createIndex");
    check.string("name", name);
    check.table("table", table);
    check.indexKeys("columns", keys);
    const o = check.optionalObject<CreateIndexOptions>("options", options);
    check.optionalBoolean("options.unique", o.unique);
    check.indexMethod("options.method", o.method);
    check.optionalString("options.where", o.where);
    if (o.include !== undefined) check.stringList("options.include", o.include);
    check.optionalBoolean("options.concurrently", o.concurrently);
    check.optionalBoolean("options.ifNotExists", o.ifNotExists);
    check.optionalBoolean("options.nullsNotDistinct", o.nullsNotDistinct);
    await this.executor.run(defined<CreateIndexOp>({ kind: "createIndex", name, table, keys, ...o }));
  }

  async dropIndex(name: string, options: DropIndexOptions = {}): Promise<void> {
    const check = new ArgumentChecker("dropIndex");
    check.string("name", name);
    const o = check.optionalObject<DropIndexOptions>("options", options);
    if (o.table !== undefined) check.table("options.table", o.table);
    check.optionalString("options.schema", o.schema);
    check.optionalBoolean("options.concurrently", o.concurrently);
    check.optionalBoolean("options.ifExists", o.ifExists);
    await this.executor.run(defined<DropIndexOp>({ kind: "dropIndex", name, ...o }));
  }

  // Constraints

  /** `name` may be undefined: PostgreSQL then names it TABLE_pkey. */
  async createPrimaryKey(name: string | undefined, table: TableRef, columns: string[]): Promise<void> {
    const check = new ArgumentChecker("createPrimaryKey");
    check.optionalString("name", name);
    check.table("table", table);
    check.stringList("columns", columns);
    await this.executor.run(defined({ kind: "createPrimaryKey", table, name, columns }));
  }

  async createUniqueConstraint(
    name: string,
    table: TableRef,
    columns: string[],
    options: { usingIndex?: string; nullsNotDistinct?: boolean } = {},
  ): Promise<void> {
    const check = new ArgumentChecker("createUniqueConstraint");
    check.string("name", name);
    check.table("table", table);
    const o = check.optionalObject<{ usingIndex?: string; nullsNotDistinct?: boolean }>("options", options);
    check.optionalString("options.usingIndex", o.usingIndex);
    check.optionalBoolean("options.nullsNotDistinct", o.nullsNotDistinct);
    check.stringList("columns", columns, { allowEmpty: o.usingIndex !== undefined });
    await this.executor.run(defined({ kind: "createUniqueConstraint", table, name, columns, ...o }));
  }

  async createForeignKey(
    name: string,
    table: TableRef,
    refTable: TableRef,
    columns: string[],
    refColumns: string[],
    options: ForeignKeyOptions = {},
  ): Promise<void> {
    const check = new ArgumentChecker("createForeignKey");
    check.string("name", name);
    check.table("table", table);
    check.table("refTable", refTable);
    check.stringList("columns", columns);
    check.stringList("refColumns", refColumns);
    if (refColumns.length !== columns.length) check.fail("refColumns", `${columns.length} column(s), as many as columns`, refColumns);
    const o = check.optionalObject<ForeignKeyOptions>("options", options);
    check.referentialAction("options.onDelete", o.onDelete);
    check.referentialAction("options.onUpdate", o.onUpdate);
    check.optionalBoolean("options.deferrable", o.deferrable);
    check.optionalBoolean("options.initiallyDeferred", o.initiallyDeferred);
    check.optionalBoolean("options.notValid", o.notValid);
    await this.executor.run(defined({ kind: "createForeignKey", table, name, columns, refTable, refColumns, ...o }));
  }

  async createCheckConstraint(name: string, table: TableRef, expression: string, options: { notValid?: boolean } = {}): Promise<void> {
    const check = new ArgumentChecker("createCheckConstraint");
    check.string("name", name);
    check.table("table", table);
    check.string("expression", expression);
    check.optionalBoolean("options.notValid", check.optionalObject<{ notValid?: boolean }>("options", options).notValid);
    await this.executor.run(defined({ kind: "createCheckConstraint", table, name, expression, notValid: options.notValid }));
  }

  async createExcludeConstraint(name: string, table: TableRef, elements: ExcludeElement[], options: ExcludeOptions = {}): Promise<void> {
    const check = new ArgumentChecker("createExcludeConstraint");
    check.string("name", name);
    check.table("table", table);
    if (!Array.isArray(elements) || elements.length === 0) check.fail("elements", "a non-empty array of { expression, operator }", elements);
    const normalized = elements.map((element, i) => {
      const [expression, operator] = Array.isArray(element)
        ? element
        : [(element as { expression: unknown }).expression, (element as { operator: unknown }).operator];
      return { expression: check.string(`elements[${i}].expression`, expression), operator: check.string(`elements[${i}].operator`, operator) };
    });
    const o = check.optionalObject<ExcludeOptions>("options", options);
    check.indexMethod("options.method", o.method);
    check.optionalString("options.where", o.where);
    check.optionalBoolean("options.deferrable", o.deferrable);
    await this.executor.run(defined({ kind: "createExcludeConstraint", table, name, elements: normalized, ...o }));
  }

  async validateConstraint(name: string, table: TableRef): Promise<void> {
    const check = new ArgumentChecker("validateConstraint");
    check.string("name", name);
    check.table("table", table);
    await this.executor.run({ kind: "validateConstraint", table, name });
  }

  async dropConstraint(
    name: string,
    table: TableRef,
    options: DropOptions & { type?: ConstraintType; previous?: Operation } = {},
  ): Promise<void> {
    const check = new ArgumentChecker("dropConstraint");
    check.string("name", name);
    check.table("table", table);
    const o = this.dropOptions(check, options);
    check.oneOf("options.type", o.type, CONSTRAINT_TYPES);
    await this.executor.run(defined({ kind: "dropConstraint", table, name, ...o }));
  }

  // PostgreSQL objects

  async createSchema(name: string, options: { ifNotExists?: boolean } = {}): Promise<void> {
    const check = new ArgumentChecker("createSchema");
    check.string("name", name);
    check.optionalBoolean("options.ifNotExists", check.optionalObject<{ ifNotExists?: boolean }>("options", options).ifNotExists);
    await this.executor.run(defined({ kind: "createSchema", name, ifNotExists: options.ifNotExists }));
  }

  async dropSchema(name: string, options: DropOptions = {}): Promise<void> {
    const check = new ArgumentChecker("dropSchema");
    check.string("name", name);
    await this.executor.run(defined({ kind: "dropSchema", name, ...this.dropOptions(check, options) }));
  }

  async createExtension(name: string, options: { ifNotExists?: boolean; schema?: string; version?: string } = {}): Promise<void> {
    const check = new ArgumentChecker("createExtension");
    check.string("name", name);
    const o = check.optionalObject<{ ifNotExists?: boolean; schema?: string; version?: string }>("options", options);
    check.optionalBoolean("options.ifNotExists", o.ifNotExists);
    check.optionalString("options.schema", o.schema);
    check.optionalString("options.version", o.version);
    await this.executor.run(defined({ kind: "createExtension", name, ...o }));
  }

  async dropExtension(name: string, options: DropOptions = {}): Promise<void> {
    const check = new ArgumentChecker("dropExtension");
    check.string("name", name);
    await this.executor.run(defined({ kind: "dropExtension", name, ...this.dropOptions(check, options) }));
  }

  async createEnum(name: string, values: string[], options: { schema?: string } = {}): Promise<void> {
    const check = new ArgumentChecker("createEnum");
    check.string("name", name);
    check.stringList("values", values, { allowEmpty: true });
    check.optionalString("options.schema", check.optionalObject<{ schema?: string }>("options", options).schema);
    await this.executor.run(defined({ kind: "createEnum", name, values, schema: options.schema }));
  }

  async dropEnum(name: string, options: { schema?: string; ifExists?: boolean; previous?: CreateEnumOp } = {}): Promise<void> {
    const check = new ArgumentChecker("dropEnum");
    check.string("name", name);
    const o = check.optionalObject<{ schema?: string; ifExists?: boolean; previous?: CreateEnumOp }>("options", options);
    check.optionalString("options.schema", o.schema);
    check.optionalBoolean("options.ifExists", o.ifExists);
    await this.executor.run(defined({ kind: "dropEnum", name, ...o }));
  }

  async addEnumValue(
    name: string,
    value: string,
    options: { schema?: string; before?: string; after?: string; ifNotExists?: boolean } = {},
  ): Promise<void> {
    const check = new ArgumentChecker("addEnumValue");
    check.string("name", name);
    check.string("value", value);
    const o = check.optionalObject<{ schema?: string; before?: string; after?: string; ifNotExists?: boolean }>("options", options);
    check.optionalString("options.schema", o.schema);
    check.optionalString("options.before", o.before);
    check.optionalString("options.after", o.after);
    check.optionalBoolean("options.ifNotExists", o.ifNotExists);
    if (o.before !== undefined && o.after !== undefined) check.fail("options", "either `before` or `after`, not both", options);
    await this.executor.run(defined({ kind: "addEnumValue", name, value, ...o }));
  }

  async renameEnumValue(name: string, from: string, to: string, options: { schema?: string } = {}): Promise<void> {
    const check = new ArgumentChecker("renameEnumValue");
    check.string("name", name);
    check.string("from", from);
    check.string("to", to);
    check.optionalString("options.schema", check.optionalObject<{ schema?: string }>("options", options).schema);
    await this.executor.run(defined({ kind: "renameEnumValue", name, from, to, schema: options.schema }));
  }

  async createSequence(name: string, options: SequenceOptions = {}): Promise<void> {
    const check = new ArgumentChecker("createSequence");
    check.string("name", name);
    const o = check.optionalObject<SequenceOptions>("options", options);
    check.optionalString("options.schema", o.schema);
    for (const field of ["start", "increment", "minValue", "maxValue"] as const) check.optionalNumber(`options.${field}`, o[field]);
    check.optionalBoolean("options.cycle", o.cycle);
    check.optionalString("options.ownedBy", o.ownedBy);
    check.optionalBoolean("options.ifNotExists", o.ifNotExists);
    await this.executor.run(defined<CreateSequenceOp>({ kind: "createSequence", name, ...o }));
  }

  async dropSequence(name: string, options: { schema?: string; ifExists?: boolean; previous?: CreateSequenceOp } = {}): Promise<void> {
    const check = new ArgumentChecker("dropSequence");
    check.string("name", name);
    const o = check.optionalObject<{ schema?: string; ifExists?: boolean; previous?: CreateSequenceOp }>("options", options);
    check.optionalString("options.schema", o.schema);
    check.optionalBoolean("options.ifExists", o.ifExists);
    await this.executor.run(defined<DropSequenceOp>({ kind: "dropSequence", name, ...o }));
  }

  async createView(name: string, definition: string, options: ViewOptions & { materialized?: boolean } = {}): Promise<void> {
    const check = new ArgumentChecker(options?.materialized ? "createMaterializedView" : "createView");
    check.string("name", name);
    check.string("definition", definition);
    const o = check.optionalObject<ViewOptions & { materialized?: boolean }>("options", options);
    check.optionalString("options.schema", o.schema);
    check.optionalBoolean("options.orReplace", o.orReplace);
    check.optionalBoolean("options.materialized", o.materialized);
    check.optionalBoolean("options.withNoData", o.withNoData);
    if (o.materialized && o.orReplace) check.fail("options.orReplace", "unset for a materialized view (drop and create it instead)", o.orReplace);
    await this.executor.run(defined<CreateViewOp>({ kind: "createView", name, definition, ...o }));
  }

  async createMaterializedView(name: string, definition: string, options: Omit<ViewOptions, "orReplace"> = {}): Promise<void> {
    await this.createView(name, definition, { ...options, materialized: true });
  }

  async dropView(
    name: string,
    options: DropOptions & { schema?: string; materialized?: boolean; previous?: CreateViewOp } = {},
  ): Promise<void> {
    const check = new ArgumentChecker(options?.materialized ? "dropMaterializedView" : "dropView");
    check.string("name", name);
    const o = this.dropOptions(check, options);
    check.optionalString("options.schema", o.schema);
    check.optionalBoolean("options.materialized", o.materialized);
    await this.executor.run(defined<DropViewOp>({ kind: "dropView", name, ...o }));
  }

  async dropMaterializedView(name: string, options: DropOptions & { schema?: string; previous?: CreateViewOp } = {}): Promise<void> {
    await this.dropView(name, { ...options, materialized: true });
  }

  async refreshMaterializedView(name: string, options: { schema?: string; concurrently?: boolean } = {}): Promise<void> {
    const check = new ArgumentChecker("refreshMaterializedView");
    check.string("name", name);
    const o = check.optionalObject<{ schema?: string; concurrently?: boolean }>("options", options);
    check.optionalString("options.schema", o.schema);
    check.optionalBoolean("options.concurrently", o.concurrently);
    await this.executor.run(defined({ kind: "refreshMaterializedView", name, ...o }));
  }

  /** COMMENT ON any object; `null` removes the comment. */
  async setComment(target: CommentTarget, comment: string | null, options: { previous?: string | null } = {}): Promise<void> {
    const check = new ArgumentChecker("setComment");
    const t = check.object<CommentTarget & { name?: unknown; table?: unknown; column?: unknown }>("target", target);
    check.oneOf("target.type", t.type, [
      "table", "column", "view", "materializedView", "sequence", "type", "schema", "extension", "index", "function",
      "constraint", "trigger", "policy",
    ] as const);
    if (t.type === "table" || t.type === "column") check.table("target.table", t.table);
    else check.string("target.name", t.name);
    if (t.type === "column") check.string("target.column", t.column);
    if (t.type === "constraint" || t.type === "trigger" || t.type === "policy") check.table("target.table", t.table);
    const signature = (t as { signature?: unknown }).signature;
    if (t.type === "function" && typeof signature !== "string") check.fail("target.signature", 'the argument types as a string (e.g. "integer, text")', signature);
    if (comment !== null && typeof comment !== "string") check.fail("comment", "a string or null", comment);
    await this.executor.run(defined({ kind: "setComment", target, comment, previous: options.previous }));
  }

  // Data

  /** Raw SQL; `params` are bound by the driver ($1 on PostgreSQL, ? elsewhere), never spliced. */
  async execute(sqlText: string, params?: unknown[], options: { nonTransactional?: boolean } = {}): Promise<void> {
    const check = new ArgumentChecker("execute");
    check.string("sql", sqlText);
    if (params !== undefined && !Array.isArray(params)) check.fail("params", "an array", params);
    check.optionalBoolean("options.nonTransactional", check.optionalObject<{ nonTransactional?: boolean }>("options", options).nonTransactional);
    await this.executor.run(defined({ kind: "execute", sql: sqlText, params, nonTransactional: options.nonTransactional }));
  }

  /** Reads rows (online only: offline `--sql` has no database to read from). */
  async query<R extends Row = Row>(sqlText: string, params?: unknown[]): Promise<R[]> {
    const check = new ArgumentChecker("query");
    check.string("sql", sqlText);
    if (params !== undefined && !Array.isArray(params)) check.fail("params", "an array", params);
    // The executor decides: online it reads, offline it refuses with its own message.
    return this.executor.query<R>(sqlText, params);
  }

  /**
   * Updates a large table in batches, each in a short transaction of its own after the step's
   * DDL has committed: keyset pagination on the primary key, resumable through `where`.
   */
  async backfill(options: BackfillOptions): Promise<BackfillResult> {
    return runBackfill(this.executor, options);
  }

  /** Inserts rows; every value is sent as a bound parameter (or a quoted literal offline). */
  async bulkInsert(table: TableRef, rows: Record<string, unknown>[]): Promise<void> {
    const check = new ArgumentChecker("bulkInsert");
    check.table("table", table);
    if (!Array.isArray(rows)) check.fail("rows", "an array of row objects", rows);
    rows.forEach((row, i) => check.object(`rows[${i}]`, row));
    await this.executor.run({ kind: "bulkInsert", table, rows });
  }

  // Blocks

  /**
   * Groups changes to one table. SQLite rebuilds the table to apply them (it lacks most ALTERs);
   * other databases run them as they are.
   */
  async batch(table: TableRef, block: (op: Op) => Promise<void> | void): Promise<void> {
    const check = new ArgumentChecker("batch");
    check.table("table", table);
    check.function("block", block);
    const ops = await this.record("batch", block);
    await this.executor.run({ kind: "batch", table, ops });
  }

  /** Runs the block's statements outside the step's transaction (CONCURRENTLY, ALTER TYPE ... ADD VALUE). */
  async autocommit(block: (op: Op) => Promise<void> | void): Promise<void> {
    new ArgumentChecker("autocommit").function("block", block);
    const ops = await this.record("autocommit", block);
    await this.executor.run({ kind: "autocommit", ops });
  }

  private async record(name: string, block: (op: Op) => Promise<void> | void): Promise<Operation[]> {
    const recorder = new RecordingExecutor(this.executor.dialect, true);
    try {
      await block(new Op(recorder));
    } catch (error) {
      if (error instanceof StratumError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new StratumError(`op.${name}: the block failed while collecting its operations: ${message}`, { cause: error });
    }
    return recorder.operations;
  }

  private dropOptions<T extends DropOptions>(check: ArgumentChecker, options: T): T {
    const o = check.optionalObject<T>("options", options);
    check.optionalBoolean("options.ifExists", o.ifExists);
    check.optionalBoolean("options.cascade", o.cascade);
    return o;
  }
}
