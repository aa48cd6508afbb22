/**
 * The TypeScript DSL for declaring the schema a database should have:
 *
 *   const mood = pgEnum("mood", ["sad", "happy"]);
 *   const users = table("users", {
 *     id: uuid().primaryKey().default(sql`gen_random_uuid()`),
 *     email: text().notNull().unique(),
 *     mood: enumType(mood),
 *   }, [index("users_email_lower").on(sql`lower(email)`)]);
 *   export default defineSchema({ tables: [users], enums: [mood] });
 *
 * `toSchemaModel(schema, dialect)` turns a declaration into the normalized SchemaModel that the
 * diff compares with a database.
 */
import type { IndexKey, IndexMethod, ReferentialAction, SqlExpression } from "../ops/types.js";
import { ColumnBuilder, type EnumDefinition } from "./dsl-columns.js";
import { toSchemaModel, type ToModelOptions } from "./dsl-model.js";
import type { SchemaModel } from "./model.js";
import { type DialectName } from "./normalize.js";

export { sql } from "../ops/types.js";
export type { SqlExpression } from "../ops/types.js";
export * from "./dsl-columns.js";

type Expression = SqlExpression | string;

function expressionText(value: Expression): string {
  return typeof value === "string" ? value : value.text;
}

/** `"app.users"` → schema app, name users. */
export function splitQualifiedName(name: string): { schema: string | undefined; name: string } {
  const dot = name.indexOf(".");
  return dot > 0 ? { schema: name.slice(0, dot), name: name.slice(dot + 1) } : { schema: undefined, name };
}

export class IndexBuilder {
  readonly kind = "index";
  constructor(
    readonly name: string,
    readonly state: {
      keys: readonly (IndexKey | SqlExpression)[];
      unique?: boolean;
      method?: IndexMethod;
      where?: string;
      include?: readonly string[];
      opclass?: string;
      nullsNotDistinct?: boolean;
    } = { keys: [] },
  ) {}

  private with(change: Partial<IndexBuilder["state"]>): IndexBuilder {
    return new IndexBuilder(this.name, { ...this.state, ...change });
  }
  /** Column names, `sql\`lower(email)\`` expressions, or key objects with opclass and order. */
  on(...keys: (IndexKey | SqlExpression)[]): IndexBuilder {
    return this.with({ keys });
  }
  unique(): IndexBuilder {
    return this.with({ unique: true });
  }
  using(method: IndexMethod): IndexBuilder {
    return this.with({ method });
  }
  where(predicate: Expression): IndexBuilder {
    return this.with({ where: expressionText(predicate) });
  }
  include(...columns: string[]): IndexBuilder {
    return this.with({ include: columns });
  }
  /** The operator class for every key that does not name its own. */
  opclass(name: string): IndexBuilder {
    return this.with({ opclass: name });
  }
  nullsNotDistinct(): IndexBuilder {
    return this.with({ nullsNotDistinct: true });
  }
}

export interface CheckDefinition {
  readonly kind: "check";
  readonly name: string;
  readonly expression: string;
}
export interface UniqueDefinition {
  readonly kind: "unique";
  readonly name: string;
  readonly columns: readonly string[];
  readonly nullsNotDistinct?: boolean;
}
export interface PrimaryKeyDefinition {
  readonly kind: "primaryKey";
  readonly name?: string;
  readonly columns: readonly string[];
}
export interface ForeignKeyDefinition {
  readonly kind: "foreignKey";
  readonly name?: string;
  readonly columns: readonly string[];
  /** "users" or "app.users". */
  readonly refTable: string;
  readonly refColumns: readonly string[];
  readonly onDelete?: ReferentialAction;
  readonly onUpdate?: ReferentialAction;
  readonly deferrable?: boolean;
  readonly initiallyDeferred?: boolean;
}
export interface ExcludeDefinition {
  readonly kind: "exclude";
  readonly name: string;
  readonly method: IndexMethod;
  readonly elements: readonly { expression: string; operator: string }[];
  readonly where?: string;
}
export interface TriggerDefinition {
  readonly kind: "trigger";
  readonly name: string;
  readonly definition: string;
}
export interface PolicyDefinition {
  readonly kind: "policy";
  readonly name: string;
  readonly command: "ALL" | "SELECT" | "INSERT" | "UPDATE" | "DELETE";
  readonly permissive: boolean;
  readonly roles: readonly string[];
  readonly using?: string;
  readonly withCheck?: string;
}
export interface RlsDefinition {
  readonly kind: "rls";
  readonly force: boolean;
}

export type TableExtra =
  | IndexBuilder
  | CheckDefinition
  | UniqueDefinition
  | PrimaryKeyDefinition
  | ForeignKeyDefinition
  | ExcludeDefinition
  | TriggerDefinition
  | PolicyDefinition
  | RlsDefinition;

export function index(name: string): IndexBuilder {
  if (typeof name !== "string" || name === "") throw new TypeError("index() needs a name");
  return new IndexBuilder(name);
}

export function check(name: string, expression: Expression): CheckDefinition {
  return { kind: "check", name, expression: expressionText(expression) };
}

export function unique(name: string, columns: string[], options: { nullsNotDistinct?: boolean } = {}): UniqueDefinition {
  return options.nullsNotDistinct ? { kind: "unique", name, columns, nullsNotDistinct: true } : { kind: "unique", name, columns };
}

/** A composite primary key: `primaryKey("tenant_id", "id")` or `primaryKey({ name, columns })`. */
export function primaryKey(...args: string[] | [{ name?: string; columns: string[] }]): PrimaryKeyDefinition {
  const first = args[0];
  if (typeof first === "object") return first.name === undefined ? { kind: "primaryKey", columns: first.columns } : { kind: "primaryKey", name: first.name, columns: first.columns };
  return { kind: "primaryKey", columns: args as string[] };
}

export function foreignKey(definition: Omit<ForeignKeyDefinition, "kind">): ForeignKeyDefinition {
  return { kind: "foreignKey", ...definition };
}

export function exclude(name: string, options: { using?: IndexMethod; elements: { expression: string; operator: string }[]; where?: Expression }): ExcludeDefinition {
  const definition = { kind: "exclude" as const, name, method: options.using ?? "gist", elements: options.elements.map((e) => ({ ...e })) };
  return options.where === undefined ? definition : { ...definition, where: expressionText(options.where) };
}

/** The full CREATE TRIGGER statement, as PostgreSQL would print it. */
export function trigger(name: string, definition: Expression): TriggerDefinition {
  return { kind: "trigger", name, definition: expressionText(definition) };
}

export function policy(
  name: string,
  options: { command?: PolicyDefinition["command"]; permissive?: boolean; roles?: string[]; using?: Expression; withCheck?: Expression } = {},
): PolicyDefinition {
  const definition: { -readonly [K in keyof PolicyDefinition]: PolicyDefinition[K] } = {
    kind: "policy",
    name,
    command: options.command ?? "ALL",
    permissive: options.permissive ?? true,
    roles: options.roles ?? [],
  };
  if (options.using !== undefined) definition.using = expressionText(options.using);
  if (options.withCheck !== undefined) definition.withCheck = expressionText(options.withCheck);
  return definition;
}

/** Turns on row-level security for the table (and `force` for its owner too). */
export function rls(options: { force?: boolean } = {}): RlsDefinition {
  return { kind: "rls", force: options.force ?? false };
}

export class TableDefinition {
  readonly kind = "table";
  constructor(
    readonly schema: string | undefined,
    readonly name: string,
    readonly columns: Readonly<Record<string, ColumnBuilder>>,
    readonly extras: readonly TableExtra[],
    readonly tableComment?: string,
  ) {}

  comment(text: string): TableDefinition {
    return new TableDefinition(this.schema, this.name, this.columns, this.extras, text);
  }
}

/** `table("users", { id: uuid().primaryKey(), ... }, [index("users_email").on("email")])`. */
export function table(name: string, columns: Record<string, ColumnBuilder>, extras: TableExtra[] = []): TableDefinition {
  if (typeof name !== "string" || name === "") throw new TypeError("table() needs a name");
  for (const [key, value] of Object.entries(columns)) {
    if (!(value instanceof ColumnBuilder)) throw new TypeError(`table ${name}: column ${key} is not a column builder such as text() or integer()`);
  }
  const { schema, name: bare } = splitQualifiedName(name);
  return new TableDefinition(schema, bare, { ...columns }, [...extras]);
}

export class ViewDefinition {
  readonly kind = "view";
  constructor(
    readonly schema: string | undefined,
    readonly name: string,
    readonly definition: string,
    readonly materialized: boolean,
    readonly indexes: readonly IndexBuilder[] = [],
    readonly viewComment?: string,
  ) {}

  /** Materialized views only. */
  index(...indexes: IndexBuilder[]): ViewDefinition {
    return new ViewDefinition(this.schema, this.name, this.definition, this.materialized, [...this.indexes, ...indexes], this.viewComment);
  }
  comment(text: string): ViewDefinition {
    return new ViewDefinition(this.schema, this.name, this.definition, this.materialized, this.indexes, text);
  }
}

export function view(name: string, definition: Expression): ViewDefinition {
  const { schema, name: bare } = splitQualifiedName(name);
  return new ViewDefinition(schema, bare, expressionText(definition), false);
}

export function materializedView(name: string, definition: Expression): ViewDefinition {
  const { schema, name: bare } = splitQualifiedName(name);
  return new ViewDefinition(schema, bare, expressionText(definition), true);
}

export interface FunctionDefinition {
  readonly kind: "function";
  readonly schema: string | undefined;
  readonly name: string;
  /** Argument types as PostgreSQL prints them: "integer, text"; "" for none. */
  readonly signature: string;
  readonly routine: "function" | "procedure";
  /** The full CREATE OR REPLACE statement. */
  readonly definition: string;
  readonly comment?: string;
}

export function func(
  name: string,
  definition: Expression,
  options: { signature?: string; kind?: "function" | "procedure"; comment?: string } = {},
): FunctionDefinition {
  const { schema, name: bare } = splitQualifiedName(name);
  const result = { kind: "function" as const, schema, name: bare, signature: options.signature ?? "", routine: options.kind ?? "function", definition: expressionText(definition) };
  return options.comment === undefined ? result : { ...result, comment: options.comment };
}

export interface SequenceDefinition {
  readonly kind: "sequence";
  readonly schema: string | undefined;
  readonly name: string;
  readonly start: number;
  readonly increment: number;
  readonly minValue?: number;
  readonly maxValue?: number;
  readonly cycle: boolean;
}

export function sequence(name: string, options: { start?: number; increment?: number; minValue?: number; maxValue?: number; cycle?: boolean } = {}): SequenceDefinition {
  const { schema, name: bare } = splitQualifiedName(name);
  const result: { -readonly [K in keyof SequenceDefinition]: SequenceDefinition[K] } = {
    kind: "sequence",
    schema,
    name: bare,
    start: options.start ?? 1,
    increment: options.increment ?? 1,
    cycle: options.cycle ?? false,
  };
  if (options.minValue !== undefined) result.minValue = options.minValue;
  if (options.maxValue !== undefined) result.maxValue = options.maxValue;
  return result;
}

export interface ExtensionDefinition {
  readonly kind: "extension";
  readonly name: string;
  readonly schema?: string;
  readonly version?: string;
}

export function extension(name: string, options: { schema?: string; version?: string } = {}): ExtensionDefinition {
  return { kind: "extension", name, ...options };
}

type ListOrRecord<T> = readonly T[] | Readonly<Record<string, T>>;

export interface SchemaDeclaration {
  tables?: ListOrRecord<TableDefinition>;
  enums?: ListOrRecord<EnumDefinition>;
  views?: ListOrRecord<ViewDefinition>;
  /** Extension names or `extension(...)` declarations. */
  extensions?: readonly (string | ExtensionDefinition)[];
  sequences?: ListOrRecord<SequenceDefinition>;
  functions?: ListOrRecord<FunctionDefinition>;
  /** Schemas to create besides the default one. */
  schemas?: readonly string[];
}

export interface SchemaDefinition {
  readonly kind: "schemaDefinition";
  readonly tables: readonly TableDefinition[];
  readonly enums: readonly EnumDefinition[];
  readonly views: readonly ViewDefinition[];
  readonly extensions: readonly ExtensionDefinition[];
  readonly sequences: readonly SequenceDefinition[];
  readonly functions: readonly FunctionDefinition[];
  readonly schemas: readonly string[];
  /** The normalized model for a dialect (same as `toSchemaModel(this, dialect, options)`). */
  toModel(dialect: DialectName, options?: ToModelOptions): SchemaModel;
}

function listOf<T>(items: ListOrRecord<T> | undefined): T[] {
  if (items === undefined) return [];
  return Array.isArray(items) ? [...(items as readonly T[])] : Object.values(items as Record<string, T>);
}

/** Collects a schema declaration; turn it into a model with `toSchemaModel`. */
export function defineSchema(declaration: SchemaDeclaration): SchemaDefinition {
  return {
    kind: "schemaDefinition",
    tables: listOf(declaration.tables),
    enums: listOf(declaration.enums),
    views: listOf(declaration.views),
    extensions: (declaration.extensions ?? []).map((e) => (typeof e === "string" ? extension(e) : e)),
    sequences: listOf(declaration.sequences),
    functions: listOf(declaration.functions),
    schemas: [...(declaration.schemas ?? [])],
    toModel(dialect, options) {
      return toSchemaModel(this, dialect, options);
    },
  };
}

export function isSchemaDefinition(value: unknown): value is SchemaDefinition {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "schemaDefinition";
}

export type { DialectName };
export { toSchemaModel, type ToModelOptions };
