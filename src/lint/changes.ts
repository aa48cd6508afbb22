/**
 * What the rules look at: one normalized change per thing a statement does, whether it came
 * from a structured operation or from raw SQL parsed by the PostgreSQL parser.
 */
import type { OnlineDdlOptions } from "../ops/types.js";
import type { TypeInfo } from "./pg-types.js";

/** A default or check expression, reduced to what the rules need. */
export interface ExpressionInfo {
  /** Lower-cased names of the functions it calls. */
  functions: string[];
  /** For `col IS NOT NULL`: the column. */
  notNullColumn?: string;
}

export interface ColumnInfo {
  name: string;
  type?: TypeInfo;
  nullable: boolean;
  default?: ExpressionInfo;
  primaryKey: boolean;
  /** Identity or generated: filled by the server, never needs a default. */
  generated: boolean;
}

export type Change =
  | { kind: "createTable"; table: string; columns: ColumnInfo[]; primaryKey: string[] }
  | ({ kind: "addColumn"; table: string; column: ColumnInfo; unique: boolean } & OnlineDdlOptions)
  | ({ kind: "dropColumn"; table: string; column: string } & OnlineDdlOptions)
  | ({ kind: "alterType"; table: string; column: string; type: TypeInfo | undefined; from?: TypeInfo; using: boolean } & OnlineDdlOptions)
  | { kind: "setNotNull"; table: string; column: string }
  | ({ kind: "renameColumn"; table: string; column: string; newName: string } & OnlineDdlOptions)
  | { kind: "renameTable"; table: string; newName: string }
  | { kind: "dropTable"; table: string }
  | { kind: "dropSchema"; name: string }
  | { kind: "dropDatabase"; name: string }
  | ({ kind: "createIndex"; name: string; table: string; concurrently: boolean } & OnlineDdlOptions)
  | ({ kind: "dropIndex"; name: string; concurrently: boolean } & OnlineDdlOptions)
  | { kind: "reindex"; concurrently: boolean }
  | { kind: "addForeignKey"; table: string; name: string; notValid: boolean }
  | { kind: "addCheck"; table: string; name: string; notValid: boolean; expression?: ExpressionInfo }
  | { kind: "validateConstraint"; table: string; name: string }
  | { kind: "addUnique"; table: string; name: string; usingIndex: boolean }
  | { kind: "addPrimaryKey"; table: string; usingIndex: boolean }
  | { kind: "dropPrimaryKey"; table: string }
  | { kind: "truncate"; tables: string[]; cascade: boolean }
  | { kind: "vacuumFull"; table: string }
  | { kind: "cluster"; table: string }
  | { kind: "refreshMaterializedView"; name: string; concurrently: boolean }
  | { kind: "addEnumValue"; name: string; value: string; positioned: boolean }
  | { kind: "createExtension"; name: string; ifNotExists: boolean }
  | { kind: "identifier"; name: string }
  | { kind: "notChecked"; reason: string };

/** One statement as the rules see it: what it changes, where it is, and how it runs. */
export interface LintStatement {
  changes: Change[];
  line: number;
  /** The SQL text, or a one-line summary of the operation. */
  text: string;
  /** The author asked for this to run outside the transaction (autocommit, transactional: false). */
  outside: boolean;
  /** Rules disabled for this statement by a comment on the line before it. */
  disabled: ReadonlySet<string>;
}

/** A table name as rules compare it: "schema.name" or "name", lower-cased as PostgreSQL folds it. */
export function tableKey(schema: string | undefined, name: string): string {
  return schema ? `${schema}.${name}` : name;
}
