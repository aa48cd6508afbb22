/**
 * One normalized description of a database, whatever produced it: introspection of a live
 * database, the TypeScript DSL, or SQL schema files applied to a scratch PGlite.
 *
 * Normalization rules (every producer must follow them, so that diff finds no phantom changes):
 * - names are stored as the database stores them (unquoted, case preserved);
 * - `schema` is always set on PostgreSQL ("public" by default); SQLite uses "main"; MySQL uses the database name;
 * - types are canonical lower-case names (see schema/normalize.ts): "integer", "bigint", "text",
 *   "character varying(50)", "timestamp with time zone", "numeric(10,2)", arrays as "text[]";
 * - defaults and expressions are the database's own deparsed text when introspected;
 * - every list is sorted by name, except columns (table order) and enum values (declared order).
 */
import type { IdentitySpec, IndexMethod, ReferentialAction } from "../ops/types.js";

export interface ColumnModel {
  name: string;
  type: string;
  nullable: boolean;
  /** Default expression text, or undefined for none. */
  default?: string;
  identity?: IdentitySpec;
  /** Stored generated column expression. */
  generated?: string;
  collation?: string;
  comment?: string;
  /** SQLite / MySQL auto-increment. */
  autoIncrement?: boolean;
}

export interface PrimaryKeyModel {
  name?: string;
  columns: string[];
}

export interface UniqueModel {
  name: string;
  columns: string[];
  nullsNotDistinct?: boolean;
}

export interface ForeignKeyModel {
  name: string;
  columns: string[];
  refSchema?: string;
  refTable: string;
  refColumns: string[];
  onDelete: ReferentialAction;
  onUpdate: ReferentialAction;
  deferrable: boolean;
  initiallyDeferred: boolean;
  validated: boolean;
}

export interface CheckModel {
  name: string;
  expression: string;
  validated: boolean;
}

export interface ExcludeModel {
  name: string;
  method: IndexMethod;
  elements: { expression: string; operator: string }[];
  where?: string;
}

export interface IndexKeyModel {
  /** A plain column, or undefined for an expression key. */
  column?: string;
  expression?: string;
  opclass?: string;
  order?: "ASC" | "DESC";
  nulls?: "FIRST" | "LAST";
  collation?: string;
}

export interface IndexModel {
  name: string;
  unique: boolean;
  method: IndexMethod;
  keys: IndexKeyModel[];
  where?: string;
  include: string[];
  nullsNotDistinct?: boolean;
}

export interface TriggerModel {
  name: string;
  /** Full CREATE TRIGGER statement as the database deparses it. */
  definition: string;
}

export interface PolicyModel {
  name: string;
  command: "ALL" | "SELECT" | "INSERT" | "UPDATE" | "DELETE";
  permissive: boolean;
  roles: string[];
  using?: string;
  withCheck?: string;
}

export interface TableModel {
  schema: string;
  name: string;
  columns: ColumnModel[];
  primaryKey?: PrimaryKeyModel;
  uniques: UniqueModel[];
  foreignKeys: ForeignKeyModel[];
  checks: CheckModel[];
  excludes: ExcludeModel[];
  indexes: IndexModel[];
  triggers: TriggerModel[];
  rowLevelSecurity: boolean;
  forceRowLevelSecurity?: boolean;
  policies: PolicyModel[];
  comment?: string;
}

export interface EnumModel {
  schema: string;
  name: string;
  values: string[];
}

export interface SequenceModel {
  schema: string;
  name: string;
  start: number;
  increment: number;
  minValue?: number;
  maxValue?: number;
  cycle: boolean;
  /** "table.column" when owned by a column (serial/identity sequences are not listed at all). */
  ownedBy?: string;
}

export interface ViewModel {
  schema: string;
  name: string;
  definition: string;
  materialized: boolean;
  /** Materialized views only. */
  indexes: IndexModel[];
  comment?: string;
}

export interface FunctionModel {
  schema: string;
  name: string;
  /** Argument types as the database prints them: "integer, text". */
  signature: string;
  kind: "function" | "procedure";
  /** Full CREATE OR REPLACE statement as the database prints it. */
  definition: string;
  comment?: string;
}

export interface ExtensionModel {
  name: string;
  schema?: string;
  version?: string;
}

export interface SchemaModel {
  dialect: "postgresql" | "sqlite" | "mysql";
  /** Non-default schemas to create (PostgreSQL). */
  schemas: string[];
  extensions: ExtensionModel[];
  enums: EnumModel[];
  sequences: SequenceModel[];
  tables: TableModel[];
  views: ViewModel[];
  functions: FunctionModel[];
}

export function emptySchema(dialect: SchemaModel["dialect"]): SchemaModel {
  return { dialect, schemas: [], extensions: [], enums: [], sequences: [], tables: [], views: [], functions: [] };
}

/** A table with the given columns and nothing else: no constraints, indexes, triggers or policies. */
export function emptyTable(schema: string, name: string, columns: ColumnModel[] = []): TableModel {
  return { schema, name, columns, uniques: [], foreignKeys: [], checks: [], excludes: [], indexes: [], triggers: [], rowLevelSecurity: false, policies: [] };
}
