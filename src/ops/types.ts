/**
 * Operations are data. Every change a revision makes is one of these plain objects; the same
 * object is executed online, rendered offline (`--sql`), linted, and produced by autogenerate.
 * Only `dialects/` turns them into SQL text.
 */

/** A table name, optionally schema-qualified: "users" or { schema: "app", name: "users" }. */
export type TableRef = string | { schema?: string; name: string };

/** Raw SQL text kept verbatim (defaults, expressions, predicates). Build with `sql\`...\``. */
export interface SqlExpression {
  readonly kind: "sql";
  readonly text: string;
}

/** A literal default is a value; an expression default is `sql\`now()\``. */
export type DefaultValue = string | number | boolean | null | SqlExpression;

export type ReferentialAction = "NO ACTION" | "RESTRICT" | "CASCADE" | "SET NULL" | "SET DEFAULT";

export interface IdentitySpec {
  always: boolean;
  start?: number;
  increment?: number;
}

export interface ColumnSpec {
  name: string;
  /** The SQL type as the user writes it: "uuid", "varchar(50)", "timestamptz", "app.mood". */
  type: string;
  /** Defaults to true (nullable). */
  nullable?: boolean;
  default?: DefaultValue;
  primaryKey?: boolean;
  unique?: boolean;
  /** Inline foreign key: "users.id" or { table, column }. */
  references?: string | { table: TableRef; column: string; onDelete?: ReferentialAction; onUpdate?: ReferentialAction };
  identity?: IdentitySpec;
  /** Stored generated column expression. */
  generated?: SqlExpression | string;
  collation?: string;
  comment?: string;
  /** SQLite / MySQL: AUTOINCREMENT / AUTO_INCREMENT. */
  autoIncrement?: boolean;
}

export interface PrimaryKeySpec {
  name?: string;
  columns: string[];
}

export interface ForeignKeySpec {
  name?: string;
  columns: string[];
  refTable: TableRef;
  refColumns: string[];
  onDelete?: ReferentialAction;
  onUpdate?: ReferentialAction;
  deferrable?: boolean;
  initiallyDeferred?: boolean;
  /** PostgreSQL: add without scanning existing rows; validate later. */
  notValid?: boolean;
}

export interface CheckSpec {
  name?: string;
  expression: string;
  notValid?: boolean;
}

export interface UniqueSpec {
  name?: string;
  columns: string[];
  /** PostgreSQL: promote an existing unique index. */
  usingIndex?: string;
  nullsNotDistinct?: boolean;
}

export type IndexMethod = "btree" | "hash" | "gin" | "gist" | "spgist" | "brin";

/** An index key: a column name, or an expression with optional opclass and ordering. */
export type IndexKey =
  | string
  | {
      column?: string;
      expression?: string;
      opclass?: string;
      order?: "ASC" | "DESC";
      nulls?: "FIRST" | "LAST";
      collation?: string;
    };

/**
 * MySQL/MariaDB online DDL: `ALGORITHM=` and `LOCK=` on ALTER TABLE and CREATE/DROP INDEX. The
 * server then fails rather than silently falling back to a slower, more locking method.
 * Other dialects ignore these fields.
 */
export interface OnlineDdlOptions {
  algorithm?: "DEFAULT" | "INSTANT" | "INPLACE" | "COPY" | "NOCOPY";
  lock?: "DEFAULT" | "NONE" | "SHARED" | "EXCLUSIVE";
}

export interface CreateTableOp {
  kind: "createTable";
  table: TableRef;
  columns: ColumnSpec[];
  primaryKey?: PrimaryKeySpec;
  foreignKeys?: ForeignKeySpec[];
  checks?: CheckSpec[];
  uniques?: UniqueSpec[];
  comment?: string;
  ifNotExists?: boolean;
}

export interface DropTableOp {
  kind: "dropTable";
  table: TableRef;
  ifExists?: boolean;
  cascade?: boolean;
  /** What the table looked like, when known, so that the operation can be reversed. */
  previous?: CreateTableOp;
}

export interface RenameTableOp {
  kind: "renameTable";
  table: TableRef;
  newName: string;
}

export interface SetTableCommentOp {
  kind: "setTableComment";
  table: TableRef;
  comment: string | null;
  previous?: string | null;
}

export interface AddColumnOp extends OnlineDdlOptions {
  kind: "addColumn";
  table: TableRef;
  column: ColumnSpec;
  ifNotExists?: boolean;
}

export interface DropColumnOp extends OnlineDdlOptions {
  kind: "dropColumn";
  table: TableRef;
  column: string;
  ifExists?: boolean;
  cascade?: boolean;
  previous?: ColumnSpec;
}

/** Each field present is one change; absent fields are left alone. */
export interface AlterColumnOp extends OnlineDdlOptions {
  kind: "alterColumn";
  table: TableRef;
  column: string;
  type?: string;
  /** PostgreSQL: USING expression for a type change. */
  using?: string;
  nullable?: boolean;
  /** `null` drops the default. */
  default?: DefaultValue;
  newName?: string;
  comment?: string | null;
  /** `null` drops identity. */
  identity?: IdentitySpec | null;
  /** `null` drops the generation expression. */
  generated?: SqlExpression | string | null;
  collation?: string;
  /** The column's previous state, when known, for reversal. */
  previous?: Partial<ColumnSpec>;
}

export interface CreateIndexOp extends OnlineDdlOptions {
  kind: "createIndex";
  name: string;
  table: TableRef;
  keys: IndexKey[];
  unique?: boolean;
  method?: IndexMethod;
  where?: string;
  include?: string[];
  concurrently?: boolean;
  ifNotExists?: boolean;
  nullsNotDistinct?: boolean;
}

export interface DropIndexOp extends OnlineDdlOptions {
  kind: "dropIndex";
  name: string;
  /** Needed by MySQL (indexes belong to a table) and for schema-qualified names. */
  table?: TableRef;
  schema?: string;
  concurrently?: boolean;
  ifExists?: boolean;
  previous?: CreateIndexOp;
}

export interface CreatePrimaryKeyOp {
  kind: "createPrimaryKey";
  table: TableRef;
  name?: string;
  columns: string[];
}

export interface CreateUniqueConstraintOp {
  kind: "createUniqueConstraint";
  table: TableRef;
  name: string;
  columns: string[];
  usingIndex?: string;
  nullsNotDistinct?: boolean;
}

/** A foreign key added to an existing table: a ForeignKeySpec that must be named. */
export interface CreateForeignKeyOp extends ForeignKeySpec {
  kind: "createForeignKey";
  table: TableRef;
  name: string;
}

export interface CreateCheckConstraintOp {
  kind: "createCheckConstraint";
  table: TableRef;
  name: string;
  expression: string;
  notValid?: boolean;
}

export interface CreateExcludeConstraintOp {
  kind: "createExcludeConstraint";
  table: TableRef;
  name: string;
  method?: IndexMethod;
  /** Each element: an expression or column and its operator, e.g. { expression: "room", operator: "=" }. */
  elements: { expression: string; operator: string }[];
  where?: string;
  deferrable?: boolean;
}

export interface ValidateConstraintOp {
  kind: "validateConstraint";
  table: TableRef;
  name: string;
}

export type ConstraintType = "primaryKey" | "unique" | "foreignKey" | "check" | "exclude";

export interface DropConstraintOp {
  kind: "dropConstraint";
  table: TableRef;
  name: string;
  /** MySQL needs to know which kind it drops. */
  type?: ConstraintType;
  ifExists?: boolean;
  cascade?: boolean;
  previous?: Operation;
}

export interface CreateSchemaOp {
  kind: "createSchema";
  name: string;
  ifNotExists?: boolean;
}
export interface DropSchemaOp {
  kind: "dropSchema";
  name: string;
  ifExists?: boolean;
  cascade?: boolean;
  /** How the schema was created, when known, so that the operation can be reversed. */
  previous?: CreateSchemaOp;
}

export interface CreateExtensionOp {
  kind: "createExtension";
  name: string;
  ifNotExists?: boolean;
  schema?: string;
  version?: string;
}
export interface DropExtensionOp {
  kind: "dropExtension";
  name: string;
  ifExists?: boolean;
  cascade?: boolean;
  /** How the extension was created, when known, so that the operation can be reversed. */
  previous?: CreateExtensionOp;
}

export interface CreateEnumOp {
  kind: "createEnum";
  name: string;
  schema?: string;
  values: string[];
}
export interface DropEnumOp {
  kind: "dropEnum";
  name: string;
  schema?: string;
  ifExists?: boolean;
  previous?: CreateEnumOp;
}
export interface AddEnumValueOp {
  kind: "addEnumValue";
  name: string;
  schema?: string;
  value: string;
  before?: string;
  after?: string;
  ifNotExists?: boolean;
}
export interface RenameEnumValueOp {
  kind: "renameEnumValue";
  name: string;
  schema?: string;
  from: string;
  to: string;
}

export interface CreateSequenceOp {
  kind: "createSequence";
  name: string;
  schema?: string;
  start?: number;
  increment?: number;
  minValue?: number;
  maxValue?: number;
  cycle?: boolean;
  ownedBy?: string;
  ifNotExists?: boolean;
}
export interface DropSequenceOp {
  kind: "dropSequence";
  name: string;
  schema?: string;
  ifExists?: boolean;
  previous?: CreateSequenceOp;
}

export interface CreateViewOp {
  kind: "createView";
  name: string;
  schema?: string;
  /** The SELECT that defines the view. */
  definition: string;
  orReplace?: boolean;
  materialized?: boolean;
  /** Materialized views: create without data. */
  withNoData?: boolean;
}
export interface DropViewOp {
  kind: "dropView";
  name: string;
  schema?: string;
  materialized?: boolean;
  ifExists?: boolean;
  cascade?: boolean;
  previous?: CreateViewOp;
}
export interface RefreshMaterializedViewOp {
  kind: "refreshMaterializedView";
  name: string;
  schema?: string;
  concurrently?: boolean;
}

export type CommentTarget =
  | { type: "table"; table: TableRef }
  | { type: "column"; table: TableRef; column: string }
  | { type: "view" | "materializedView" | "sequence" | "type" | "schema" | "extension" | "index"; name: string; schema?: string }
  | { type: "function"; name: string; schema?: string; signature: string }
  | { type: "constraint" | "trigger" | "policy"; name: string; table: TableRef };

export interface SetCommentOp {
  kind: "setComment";
  target: CommentTarget;
  comment: string | null;
  previous?: string | null;
}

/** Raw SQL. `params` are bound by the driver, never spliced into the text. */
export interface ExecuteOp {
  kind: "execute";
  sql: string;
  params?: unknown[];
  /** Set by the SQL splitter or the caller when the statement cannot run in a transaction. */
  nonTransactional?: boolean;
}

export interface BulkInsertOp {
  kind: "bulkInsert";
  table: TableRef;
  rows: Record<string, unknown>[];
}

/** SQLite: the ALTERs SQLite lacks, done by rebuilding the table. */
export interface BatchOp {
  kind: "batch";
  table: TableRef;
  ops: Operation[];
}

/** Statements that run outside the step's transaction (CONCURRENTLY, ALTER TYPE ... ADD VALUE). */
export interface AutocommitOp {
  kind: "autocommit";
  ops: Operation[];
}

export type Operation =
  | CreateTableOp
  | DropTableOp
  | RenameTableOp
  | SetTableCommentOp
  | AddColumnOp
  | DropColumnOp
  | AlterColumnOp
  | CreateIndexOp
  | DropIndexOp
  | CreatePrimaryKeyOp
  | CreateUniqueConstraintOp
  | CreateForeignKeyOp
  | CreateCheckConstraintOp
  | CreateExcludeConstraintOp
  | ValidateConstraintOp
  | DropConstraintOp
  | CreateSchemaOp
  | DropSchemaOp
  | CreateExtensionOp
  | DropExtensionOp
  | CreateEnumOp
  | DropEnumOp
  | AddEnumValueOp
  | RenameEnumValueOp
  | CreateSequenceOp
  | DropSequenceOp
  | CreateViewOp
  | DropViewOp
  | RefreshMaterializedViewOp
  | SetCommentOp
  | ExecuteOp
  | BulkInsertOp
  | BatchOp
  | AutocommitOp;

export type OperationKind = Operation["kind"];
export type OperationOf<K extends OperationKind> = Extract<Operation, { kind: K }>;

export function sql(strings: TemplateStringsArray, ...values: unknown[]): SqlExpression {
  let text = strings[0] ?? "";
  for (let i = 0; i < values.length; i++) text += String(values[i]) + (strings[i + 1] ?? "");
  return { kind: "sql", text };
}

export function isSqlExpression(value: unknown): value is SqlExpression {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "sql";
}
