/**
 * Typed column builders for the schema DSL: `uuid().primaryKey()`, `text().notNull()`,
 * `timestamptz().default(sql\`now()\`)`, `integer().references("users.id", { onDelete: "CASCADE" })`.
 * Every method returns a new builder, so one declared column can be reused safely.
 */
import type { DefaultValue, IdentitySpec, ReferentialAction, SqlExpression } from "../ops/types.js";
import type { DialectName } from "./normalize.js";

export interface ReferenceOptions {
  onDelete?: ReferentialAction;
  onUpdate?: ReferentialAction;
  deferrable?: boolean;
  initiallyDeferred?: boolean;
  /** Constraint name; the database's own default name when omitted. */
  name?: string;
}

/** A declared enum type, usable as a column type through `enumType(...)`. */
export interface EnumDefinition {
  readonly kind: "enum";
  readonly schema: string | undefined;
  readonly name: string;
  readonly values: readonly string[];
}

/** The column's SQL type, possibly depending on the dialect (`timestamp()` is DATETIME on MySQL). */
export type ColumnType = string | { readonly byDialect: (dialect: DialectName) => string; readonly enum?: EnumDefinition; readonly serial?: boolean };

export interface ColumnState {
  readonly type: ColumnType;
  readonly nullable?: boolean;
  readonly default?: DefaultValue;
  readonly primaryKey?: boolean;
  /** true for the default constraint name, or the name to use. */
  readonly unique?: boolean | string;
  readonly references?: { readonly target: string; readonly options: ReferenceOptions };
  readonly identity?: IdentitySpec;
  readonly generated?: string;
  readonly comment?: string;
  readonly collation?: string;
  readonly autoIncrement?: boolean;
}

export class ColumnBuilder {
  constructor(readonly state: ColumnState) {}

  private with(change: Partial<ColumnState>): ColumnBuilder {
    return new ColumnBuilder({ ...this.state, ...change });
  }

  notNull(): ColumnBuilder {
    return this.with({ nullable: false });
  }
  nullable(): ColumnBuilder {
    return this.with({ nullable: true });
  }
  /** A literal value, or an expression: `.default(sql\`now()\`)`. */
  default(value: DefaultValue): ColumnBuilder {
    return this.with({ default: value });
  }
  primaryKey(): ColumnBuilder {
    return this.with({ primaryKey: true, nullable: false });
  }
  unique(name?: string): ColumnBuilder {
    return this.with({ unique: name ?? true });
  }
  /** `"table.column"` (or `"schema.table.column"`); `"table"` alone means its primary key. */
  references(target: string, options: ReferenceOptions = {}): ColumnBuilder {
    return this.with({ references: { target, options } });
  }
  identity(options: { always?: boolean; start?: number; increment?: number } = {}): ColumnBuilder {
    const identity: IdentitySpec = { always: options.always ?? false };
    if (options.start !== undefined) identity.start = options.start;
    if (options.increment !== undefined) identity.increment = options.increment;
    return this.with({ identity, nullable: false });
  }
  /** A stored generated column. */
  generated(expression: SqlExpression | string): ColumnBuilder {
    return this.with({ generated: typeof expression === "string" ? expression : expression.text });
  }
  comment(text: string): ColumnBuilder {
    return this.with({ comment: text });
  }
  collate(collation: string): ColumnBuilder {
    return this.with({ collation });
  }
  /** SQLite AUTOINCREMENT / MySQL AUTO_INCREMENT. */
  autoIncrement(): ColumnBuilder {
    return this.with({ autoIncrement: true });
  }
}

function column(type: ColumnType): ColumnBuilder {
  return new ColumnBuilder({ type });
}

function byDialect(types: Partial<Record<DialectName, string>> & { postgresql: string }): ColumnType {
  return { byDialect: (dialect) => types[dialect] ?? types.postgresql };
}

function positiveInteger(value: number, what: string): number {
  if (!Number.isInteger(value) || value <= 0) throw new TypeError(`${what} must be a positive integer, got ${String(value)}`);
  return value;
}

export const uuid = () => column("uuid");
export const text = () => column("text");
export const varchar = (length?: number) => column(length === undefined ? "varchar" : `varchar(${positiveInteger(length, "varchar length")})`);
export const char = (length = 1) => column(`char(${positiveInteger(length, "char length")})`);
export const integer = () => column("integer");
export const bigint = () => column("bigint");
export const smallint = () => column("smallint");
/** An integer filled from its own sequence (AUTO_INCREMENT / AUTOINCREMENT outside PostgreSQL). */
export const serial = () => new ColumnBuilder({ type: { byDialect: (d) => (d === "postgresql" ? "serial" : "integer"), serial: true }, nullable: false });
export const bigserial = () => new ColumnBuilder({ type: { byDialect: (d) => (d === "postgresql" ? "bigserial" : "bigint"), serial: true }, nullable: false });
export const boolean = () => column("boolean");
export const numeric = (precision?: number, scale?: number) => {
  if (precision === undefined) return column("numeric");
  positiveInteger(precision, "numeric precision");
  if (scale !== undefined && (!Number.isInteger(scale) || scale < 0)) throw new TypeError(`numeric scale must be a non-negative integer, got ${String(scale)}`);
  return column(scale === undefined ? `numeric(${precision})` : `numeric(${precision},${scale})`);
};
export const real = () => column(byDialect({ postgresql: "real", mysql: "float" }));
export const doublePrecision = () => column("double precision");
export const date = () => column("date");
export const time = () => column("time");
export const timestamp = () => column(byDialect({ postgresql: "timestamp", mysql: "datetime" }));
export const timestamptz = () => column(byDialect({ postgresql: "timestamptz", mysql: "timestamp", sqlite: "timestamptz" }));
export const interval = () => column("interval");
export const json = () => column("json");
export const jsonb = () => column(byDialect({ postgresql: "jsonb", mysql: "json", sqlite: "jsonb" }));
export const bytea = () => column(byDialect({ postgresql: "bytea", mysql: "longblob", sqlite: "blob" }));
export const inet = () => column("inet");
export const citext = () => column("citext");
export const ltree = () => column("ltree");
export const vector = (dimensions: number) => column(`vector(${positiveInteger(dimensions, "vector dimensions")})`);
/** Any type the database knows, spelled as in SQL: `custom("tsvector")`, `custom("text[]")`. */
export const custom = (type: string) => {
  if (typeof type !== "string" || type.trim() === "") throw new TypeError("custom() needs the SQL type name");
  return column(type);
};

function quoteTypeName(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : '"' + name.replaceAll('"', '""') + '"';
}

/** A column of a declared enum type (an inline ENUM(...) on MySQL). */
export const enumType = (definition: EnumDefinition) =>
  column({
    enum: definition,
    byDialect: (dialect) => {
      if (dialect === "mysql") return `enum(${definition.values.map((v) => "'" + v.replaceAll("'", "''") + "'").join(",")})`;
      const name = quoteTypeName(definition.name);
      return definition.schema && definition.schema !== "public" ? `${quoteTypeName(definition.schema)}.${name}` : name;
    },
  });

/** `pgEnum("mood", ["sad", "ok", "happy"])`; "app.mood" puts it in schema app. */
export function pgEnum(name: string, values: readonly string[]): EnumDefinition {
  if (!Array.isArray(values) || values.length === 0 || values.some((v) => typeof v !== "string"))
    throw new TypeError(`pgEnum ${name} needs a non-empty list of string values`);
  if (new Set(values).size !== values.length) throw new TypeError(`pgEnum ${name} lists a value twice`);
  const dot = name.indexOf(".");
  return Object.freeze({
    kind: "enum" as const,
    schema: dot > 0 ? name.slice(0, dot) : undefined,
    name: dot > 0 ? name.slice(dot + 1) : name,
    values: Object.freeze([...values]),
  });
}
