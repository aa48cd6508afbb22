/**
 * Runtime checks for the arguments of `op` calls. TypeScript revisions get these errors from the
 * compiler; JavaScript revisions (and data read at run time) get them here, as one sentence naming
 * the operation and the field.
 */
import { StratumError } from "../errors.js";
import type {
  ColumnSpec,
  DefaultValue,
  IdentitySpec,
  IndexKey,
  IndexMethod,
  ReferentialAction,
  SqlExpression,
  TableRef,
} from "./types.js";
import { isSqlExpression } from "./types.js";

/** An `op` method was called with an argument of the wrong type or shape. */
export class OperationArgumentError extends StratumError {
  readonly operation: string;
  readonly field: string;
  constructor(operation: string, field: string, expected: string, actual: unknown) {
    super(`op.${operation}: ${field} must be ${expected}, got ${describe(actual)}.`);
    this.operation = operation;
    this.field = field;
  }
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + "…" : value)}`;
  if (typeof value === "object") return "an object";
  return `${typeof value} ${String(value)}`;
}

/** Checks are written against one operation name so every message can name it. */
export class ArgumentChecker {
  constructor(readonly operation: string) {}

  fail(field: string, expected: string, actual: unknown): never {
    throw new OperationArgumentError(this.operation, field, expected, actual);
  }

  string(field: string, value: unknown): string {
    if (typeof value !== "string" || value.length === 0) this.fail(field, "a non-empty string", value);
    return value;
  }

  optionalString(field: string, value: unknown): string | undefined {
    return value === undefined ? undefined : this.string(field, value);
  }

  optionalBoolean(field: string, value: unknown): boolean | undefined {
    if (value !== undefined && typeof value !== "boolean") this.fail(field, "true or false", value);
    return value as boolean | undefined;
  }

  optionalNumber(field: string, value: unknown): number | undefined {
    if (value !== undefined && (typeof value !== "number" || !Number.isFinite(value))) this.fail(field, "a number", value);
    return value as number | undefined;
  }

  object<T extends object>(field: string, value: unknown): T {
    if (typeof value !== "object" || value === null || Array.isArray(value)) this.fail(field, "an object", value);
    return value as T;
  }

  optionalObject<T extends object>(field: string, value: unknown): T {
    return value === undefined ? ({} as T) : this.object<T>(field, value);
  }

  stringList(field: string, value: unknown, { allowEmpty = false } = {}): string[] {
    if (!Array.isArray(value) || (!allowEmpty && value.length === 0))
      this.fail(field, allowEmpty ? "an array of strings" : "a non-empty array of strings", value);
    value.forEach((item, i) => this.string(`${field}[${i}]`, item));
    return value as string[];
  }

  function<T>(field: string, value: unknown): T {
    if (typeof value !== "function") this.fail(field, "a function", value);
    return value as T;
  }

  table(field: string, value: unknown): TableRef {
    if (typeof value === "string" && value.length > 0) return value;
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      const ref = value as { schema?: unknown; name?: unknown };
      this.string(`${field}.name`, ref.name);
      this.optionalString(`${field}.schema`, ref.schema);
      return value as TableRef;
    }
    return this.fail(field, 'a table name or { schema, name }', value);
  }

  oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== "string" || !(allowed as readonly string[]).includes(value))
      this.fail(field, `one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`, value);
    return value as T;
  }

  referentialAction(field: string, value: unknown): ReferentialAction | undefined {
    return this.oneOf(field, value, REFERENTIAL_ACTIONS);
  }

  indexMethod(field: string, value: unknown): IndexMethod | undefined {
    return this.oneOf(field, value, INDEX_METHODS);
  }

  defaultValue(field: string, value: unknown): DefaultValue | undefined {
    if (value === undefined || value === null) return value as null | undefined;
    if (["string", "number", "boolean"].includes(typeof value)) return value as DefaultValue;
    if (isSqlExpression(value) && typeof value.text === "string") return value;
    return this.fail(field, "a string, number, boolean, null or sql`...` expression", value);
  }

  expression(field: string, value: unknown): SqlExpression | string {
    if (typeof value === "string" && value.length > 0) return value;
    if (isSqlExpression(value) && typeof value.text === "string") return value;
    return this.fail(field, "SQL text or an sql`...` expression", value);
  }

  identity(field: string, value: unknown): IdentitySpec {
    const identity = this.object<IdentitySpec>(field, value);
    if (typeof identity.always !== "boolean") this.fail(`${field}.always`, "true or false", identity.always);
    this.optionalNumber(`${field}.start`, identity.start);
    this.optionalNumber(`${field}.increment`, identity.increment);
    return identity;
  }

  column(field: string, value: unknown): ColumnSpec {
    const column = this.object<ColumnSpec>(field, value);
    this.string(`${field}.name`, column.name);
    if (typeof column.type !== "string" || column.type.trim().length === 0)
      this.fail(`${field}.type`, 'the SQL type as a string (e.g. "varchar(50)")', column.type);
    this.optionalBoolean(`${field}.nullable`, column.nullable);
    this.optionalBoolean(`${field}.primaryKey`, column.primaryKey);
    this.optionalBoolean(`${field}.unique`, column.unique);
    this.optionalBoolean(`${field}.autoIncrement`, column.autoIncrement);
    this.defaultValue(`${field}.default`, column.default);
    this.optionalString(`${field}.collation`, column.collation);
    if (column.comment !== undefined && typeof column.comment !== "string") this.fail(`${field}.comment`, "a string", column.comment);
    if (column.identity !== undefined) this.identity(`${field}.identity`, column.identity);
    if (column.generated !== undefined) this.expression(`${field}.generated`, column.generated);
    const valueSources = (["default", "identity", "generated"] as const).filter((key) => column[key] !== undefined);
    if (valueSources.length > 1)
      this.fail(`${field}.${valueSources[1]}`, `left out when ${field}.${valueSources[0]} is given (a column takes only one of them)`, column[valueSources[1]!]);
    if (column.references !== undefined) {
      if (typeof column.references === "string") this.string(`${field}.references`, column.references);
      else {
        const ref = this.object<{ table: unknown; column: unknown; onDelete?: unknown; onUpdate?: unknown }>(
          `${field}.references`,
          column.references,
        );
        this.table(`${field}.references.table`, ref.table);
        this.string(`${field}.references.column`, ref.column);
        this.referentialAction(`${field}.references.onDelete`, ref.onDelete);
        this.referentialAction(`${field}.references.onUpdate`, ref.onUpdate);
      }
    }
    return column;
  }

  indexKeys(field: string, value: unknown): IndexKey[] {
    if (!Array.isArray(value) || value.length === 0) this.fail(field, "a non-empty array of columns or { expression }", value);
    value.forEach((key, i) => {
      if (typeof key === "string") return void this.string(`${field}[${i}]`, key);
      const k = this.object<Exclude<IndexKey, string>>(`${field}[${i}]`, key);
      if ((k.column === undefined) === (k.expression === undefined))
        this.fail(`${field}[${i}]`, "an object with exactly one of `column` or `expression`", key);
      this.optionalString(`${field}[${i}].column`, k.column);
      this.optionalString(`${field}[${i}].expression`, k.expression);
      this.optionalString(`${field}[${i}].opclass`, k.opclass);
      this.optionalString(`${field}[${i}].collation`, k.collation);
      this.oneOf(`${field}[${i}].order`, k.order, ["ASC", "DESC"] as const);
      this.oneOf(`${field}[${i}].nulls`, k.nulls, ["FIRST", "LAST"] as const);
    });
    return value as IndexKey[];
  }
}

export const REFERENTIAL_ACTIONS: readonly ReferentialAction[] = ["NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT"];
export const INDEX_METHODS: readonly IndexMethod[] = ["btree", "hash", "gin", "gist", "spgist", "brin"];
