/**
 * Canonical spellings for types, defaults and expressions, so that a schema declared in the DSL
 * and the same schema read back from a database's catalog compare equal. The PostgreSQL forms are
 * the ones `format_type` and `pg_get_expr` print.
 */
import type { SchemaModel, TableModel, ColumnModel, IndexModel, ViewModel } from "./model.js";
import { collapseWhitespace, endOfQuoted, stripOuterParens, withoutSpacesOutsideLiterals } from "./sql-text.js";

export { expressionKey, definitionKey, viewKey, triggerKey } from "./expression-keys.js";
export { stripOuterParens } from "./sql-text.js";

export type DialectName = SchemaModel["dialect"];

interface ParsedType {
  base: string;
  args: string | undefined;
  /** Words after the arguments, e.g. "with time zone" in "timestamp(3) with time zone". */
  suffix: string;
  arrayDepth: number;
}

/** Aliases shared by PostgreSQL and SQLite (SQLite keeps declared type names verbatim). */
const standardAliases: Record<string, string> = {
  int: "integer",
  int4: "integer",
  integer: "integer",
  serial: "integer",
  serial4: "integer",
  int8: "bigint",
  bigint: "bigint",
  bigserial: "bigint",
  serial8: "bigint",
  int2: "smallint",
  smallint: "smallint",
  smallserial: "smallint",
  serial2: "smallint",
  bool: "boolean",
  boolean: "boolean",
  float8: "double precision",
  "double precision": "double precision",
  float4: "real",
  real: "real",
  decimal: "numeric",
  numeric: "numeric",
  varchar: "character varying",
  "character varying": "character varying",
  char: "character",
  character: "character",
  timestamptz: "timestamp with time zone",
  timetz: "time with time zone",
  varbit: "bit varying",
  "bit varying": "bit varying",
};

const mysqlAliases: Record<string, string> = {
  ...standardAliases,
  int: "integer",
  mediumint: "mediumint",
  tinyint: "tinyint",
  double: "double precision",
  "double precision": "double precision",
  real: "double precision",
  float: "real",
  float4: "real",
  timestamptz: "timestamp",
  "timestamp with time zone": "timestamp",
  "timestamp without time zone": "datetime",
  jsonb: "json",
  bytea: "longblob",
  uuid: "character(36)",
};

const serialTypes = new Set(["serial", "serial4", "bigserial", "serial8", "smallserial", "serial2"]);

/** MySQL prints display widths (`int(11)`) that carry no meaning for comparison. */
const mysqlDisplayWidthTypes = new Set(["integer", "bigint", "smallint", "mediumint"]);

function parseType(text: string): ParsedType {
  let rest = text.trim().replace(/\s+/g, " ");
  let arrayDepth = 0;
  for (;;) {
    const array = /^(.*?)\s*\[\s*\d*\s*\]$/.exec(rest);
    if (array) {
      rest = array[1]!;
      arrayDepth++;
      continue;
    }
    const arrayKeyword = /^(.*?) array$/i.exec(rest);
    if (arrayKeyword) {
      rest = arrayKeyword[1]!;
      arrayDepth++;
      continue;
    }
    break;
  }
  const open = rest.indexOf("(");
  const close = rest.lastIndexOf(")");
  if (open < 0 || close < open) {
    const unsigned = /^(.*?)((?: unsigned| zerofill)+)$/i.exec(rest);
    if (unsigned) return { base: unsigned[1]!.trim(), args: undefined, suffix: unsigned[2]!.trim(), arrayDepth };
    return { base: rest, args: undefined, suffix: "", arrayDepth };
  }
  return {
    base: rest.slice(0, open).trim(),
    args: withoutSpacesOutsideLiterals(rest.slice(open + 1, close)),
    suffix: rest.slice(close + 1).trim(),
    arrayDepth,
  };
}

function isQuotedIdentifier(text: string): boolean {
  return text.includes('"');
}

/**
 * A schema of a thousand tables spells the same dozen types ten thousand times, and parsing each
 * again is a visible part of `check`; the result depends on the text and dialect alone.
 */
const normalizedTypes = new Map<string, string>();
const NORMALIZED_TYPES_KEPT = 10_000;

/**
 * The canonical spelling of a type for a dialect: `int4` → "integer", `varchar(50)` →
 * "character varying(50)", `timestamptz` → "timestamp with time zone", `_int4` → "integer[]".
 * User-defined types (enums, domains, extension types) keep their name, lower-cased unless quoted.
 */
export function normalizeType(type: string, dialect: DialectName): string {
  const key = `${dialect}\u0000${type}`;
  const known = normalizedTypes.get(key);
  if (known !== undefined) return known;
  const normalized = computeNormalizedType(type, dialect);
  if (normalizedTypes.size >= NORMALIZED_TYPES_KEPT) normalizedTypes.clear();
  normalizedTypes.set(key, normalized);
  return normalized;
}

function computeNormalizedType(type: string, dialect: DialectName): string {
  const parsed = parseType(type);
  let base = parsed.base;
  if (!isQuotedIdentifier(base)) base = base.toLowerCase().replace(/^pg_catalog\./, "");
  // Catalog array names (`_int4`) as information_schema's udt_name prints them.
  if (dialect === "postgresql" && /^_[a-z0-9_]+$/.test(base) && parsed.arrayDepth === 0) {
    return normalizeType(base.slice(1), dialect) + "[]";
  }
  let suffix = parsed.suffix.toLowerCase();
  let args = parsed.args;
  const aliases = dialect === "mysql" ? mysqlAliases : standardAliases;

  // "timestamp" / "time" carry their zone in the suffix: timestamp(3) with time zone.
  if (base === "timestamp" || base === "time") {
    const withZone = suffix === "with time zone";
    if (dialect === "mysql") {
      base = base === "timestamp" && !withZone && suffix === "without time zone" ? "datetime" : base;
      suffix = "";
    } else if (dialect === "postgresql") {
      suffix = withZone ? "with time zone" : "without time zone";
    }
  } else if (base === "timestamp with time zone" || base === "timestamp without time zone" || base === "time with time zone" || base === "time without time zone") {
    const [word, ...zone] = base.split(" ");
    if (dialect === "mysql") {
      base = aliases[base] ?? word!;
      suffix = "";
    } else {
      base = word!;
      suffix = zone.join(" ");
    }
  } else {
    const canonical = aliases[base + (suffix ? " " + suffix : "")];
    if (canonical !== undefined && suffix) {
      base = canonical;
      suffix = "";
    } else if (aliases[base] !== undefined) {
      base = aliases[base]!;
    }
    // "timestamptz" maps to a zoned name: re-split so the precision goes in the right place.
    const zoned = /^(timestamp|time) (with(?:out)? time zone)$/.exec(base);
    if (zoned && dialect !== "mysql") {
      base = zoned[1]!;
      suffix = zoned[2]!;
    }
  }

  if (base === "float" && dialect !== "mysql") {
    // float(p): PostgreSQL picks real for p <= 24, double precision above (and without p).
    const precision = args === undefined ? 53 : Number(args);
    base = precision <= 24 ? "real" : "double precision";
    args = undefined;
  }
  if (dialect === "postgresql") {
    if (base === "character" && args === undefined) args = "1";
    if (base === "bit" && args === undefined) args = "1";
  }
  if (dialect === "mysql") {
    if (base === "tinyint" && args === "1") {
      base = "boolean";
      args = undefined;
    }
    if (mysqlDisplayWidthTypes.has(base)) args = undefined;
    if (base === "boolean") args = undefined;
  }
  if (base === "character(36)") {
    // mysql's uuid alias already carries its length.
    return "character(36)" + "[]".repeat(parsed.arrayDepth);
  }

  let result = base;
  if (args !== undefined) result += `(${args})`;
  if (suffix) result += " " + suffix;
  return result + "[]".repeat(parsed.arrayDepth);
}

/** True for `serial`, `bigserial`, `smallserial` (and their numbered aliases). */
export function isSerialType(type: string): boolean {
  return serialTypes.has(type.trim().toLowerCase());
}

/** The serial pseudo-type that stands for an integer type with an owned sequence. */
export function serialTypeFor(type: string): string | undefined {
  if (type === "integer") return "serial";
  if (type === "bigint") return "bigserial";
  if (type === "smallint") return "smallserial";
  return undefined;
}

/** The name PostgreSQL gives a serial column's sequence (before its 63-byte truncation). */
export function serialSequenceName(schema: string | undefined, table: string, column: string): string {
  const name = `${table}_${column}_seq`;
  return schema && schema !== "public" ? `${schema}.${name}` : name;
}

/** The default a serial column has once created, normalized. */
export function serialDefault(schema: string | undefined, table: string, column: string): string {
  return `nextval('${serialSequenceName(schema, table, column)}')`;
}

const numericTypes = /^(integer|bigint|smallint|mediumint|tinyint|numeric|real|double precision)(\(|$)/;

function isNumericType(type: string): boolean {
  return numericTypes.test(type);
}

function isJsonType(type: string): boolean {
  return type === "json" || type === "jsonb";
}

const castSuffix = /^::\s*(?:"[^"]+"|[a-z_][\w.]*)(?:\s+(?:varying|precision|with(?:out)?\s+time\s+zone))*(?:\s*\([^)]*\))?(?:\s+with(?:out)?\s+time\s+zone)?(?:\s*\[\])*/i;

/** `'x'::text::varchar` → `'x'`; returns the literal and whether the whole text was one. */
function stripLiteralCasts(text: string): string {
  let expr = stripOuterParens(text);
  // A leading E'...' or N'...' prefix does not change the value for plain text.
  if (!expr.startsWith("'")) {
    const numberCast = /^(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)((?:::.*)?)$/i.exec(expr);
    if (numberCast && numberCast[2] && castOnly(numberCast[2])) return numberCast[1]!;
    return expr;
  }
  const end = endOfQuoted(expr, 0);
  const literal = expr.slice(0, end + 1);
  let rest = expr.slice(end + 1).trim();
  while (rest.length > 0) {
    const cast = castSuffix.exec(rest);
    if (!cast || cast[0].length === 0) return expr;
    rest = rest.slice(cast[0].length).trim();
  }
  expr = literal;
  return expr;
}

function castOnly(text: string): boolean {
  let rest = text.trim();
  while (rest.length > 0) {
    const cast = castSuffix.exec(rest);
    if (!cast || cast[0].length === 0) return false;
    rest = rest.slice(cast[0].length).trim();
  }
  return true;
}

function unquoteLiteral(literal: string): string {
  return literal.slice(1, -1).replaceAll("''", "'");
}

export function quoteLiteral(value: string): string {
  return "'" + value.replaceAll("'", "''") + "'";
}

function canonicalNumber(text: string): string {
  const trimmed = text.trim();
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(trimmed)) return trimmed;
  if (/^[+-]?\d+$/.test(trimmed)) {
    return BigInt(trimmed).toString();
  }
  const value = Number(trimmed);
  return Number.isFinite(value) ? String(value) : trimmed;
}

const trueWords = new Set(["true", "t", "yes", "y", "on", "1"]);
const falseWords = new Set(["false", "f", "no", "n", "off", "0"]);

/** Sorts object keys so that two JSON values compare by content. */
function canonicalJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalJson);
  if (value !== null && typeof value === "object") {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) sorted[key] = canonicalJson((value as Record<string, unknown>)[key]);
    return sorted;
  }
  return value;
}

const nowSpellings = /^(now\(\)|current_timestamp(\(\))?|transaction_timestamp\(\)|localtimestamp(\(\))?)$/i;

/**
 * The canonical text of a column default, or undefined for "no default" (`NULL` is none).
 * Strips redundant casts (`'x'::text`, `'x'::character varying`), reads numbers and booleans as
 * values, spells `CURRENT_TIMESTAMP` as `now()`, and drops `::regclass` from `nextval`.
 */
export function normalizeDefault(expression: string | undefined, type: string): string | undefined {
  if (expression === undefined) return undefined;
  let expr = stripOuterParens(expression);
  if (expr.length === 0) return undefined;
  if (/^null(\s*::.*)?$/i.test(expr)) return undefined;
  expr = stripLiteralCasts(expr);
  const isLiteral = expr.startsWith("'") && endOfQuoted(expr, 0) === expr.length - 1;
  const literalValue = isLiteral ? unquoteLiteral(expr) : undefined;
  const bare = literalValue ?? expr;

  if (type === "boolean") {
    const word = bare.trim().toLowerCase();
    if (trueWords.has(word)) return "true";
    if (falseWords.has(word)) return "false";
  }
  if (isNumericType(type)) {
    const number = canonicalNumber(bare);
    if (/^-?\d/.test(number)) return number;
  }
  if (isJsonType(type) && literalValue !== undefined) {
    try {
      return quoteLiteral(JSON.stringify(canonicalJson(JSON.parse(literalValue))));
    } catch {
      return expr;
    }
  }
  if (!isLiteral) {
    if (nowSpellings.test(expr)) return "now()";
    if (/^current_date$/i.test(expr)) return "CURRENT_DATE";
    if (/^current_user$/i.test(expr)) return "CURRENT_USER";
    const nextval = /^nextval\(\s*('(?:[^']|'')*')\s*(?:::\s*regclass)?\s*\)$/i.exec(expr);
    if (nextval) return `nextval(${nextval[1]})`;
    return collapseWhitespace(expr);
  }
  return expr;
}

function byName<T extends { name: string }>(a: T, b: T): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function byQualifiedName<T extends { schema?: string; name: string }>(a: T, b: T): number {
  const left = `${a.schema ?? ""}.${a.name}`;
  const right = `${b.schema ?? ""}.${b.name}`;
  return left < right ? -1 : left > right ? 1 : 0;
}

function normalizeColumn(column: ColumnModel, dialect: DialectName): ColumnModel {
  const type = normalizeType(column.type, dialect);
  const result: ColumnModel = { ...column, type };
  const value = normalizeDefault(column.default, type);
  if (value === undefined) delete result.default;
  else result.default = value;
  return result;
}

function normalizeIndex(index: IndexModel): IndexModel {
  return { ...index, include: [...index.include] };
}

function normalizeTable(table: TableModel, dialect: DialectName): TableModel {
  return {
    ...table,
    columns: table.columns.map((column) => normalizeColumn(column, dialect)),
    uniques: [...table.uniques].sort(byName),
    foreignKeys: [...table.foreignKeys].sort(byName),
    checks: [...table.checks].sort(byName),
    excludes: [...table.excludes].sort(byName),
    indexes: table.indexes.map(normalizeIndex).sort(byName),
    triggers: [...table.triggers].sort(byName),
    policies: [...table.policies].sort(byName),
  };
}

function normalizeView(view: ViewModel): ViewModel {
  return { ...view, indexes: view.indexes.map(normalizeIndex).sort(byName) };
}

/** A copy of the model with types and defaults in canonical form and every list sorted as model.ts says. */
export function normalizeModel(model: SchemaModel): SchemaModel {
  return {
    dialect: model.dialect,
    schemas: [...new Set(model.schemas)].sort(),
    extensions: [...model.extensions].sort(byName),
    enums: model.enums.map((item) => ({ ...item, values: [...item.values] })).sort(byQualifiedName),
    sequences: [...model.sequences].sort(byQualifiedName),
    tables: model.tables.map((table) => normalizeTable(table, model.dialect)).sort(byQualifiedName),
    views: model.views.map(normalizeView).sort(byQualifiedName),
    functions: [...model.functions].sort(
      (a, b) => byQualifiedName(a, b) || (a.signature < b.signature ? -1 : a.signature > b.signature ? 1 : 0),
    ),
  };
}
