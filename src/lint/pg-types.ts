/**
 * Column types as the parser sees them, and whether changing one type into another rewrites the
 * table. Only binary-coercible changes avoid the rewrite; anything not known to be one is
 * treated as a rewrite.
 */

export interface TypeInfo {
  /** Canonical lower-case name: int4, varchar, bpchar, numeric, timestamptz, app.mood... */
  name: string;
  /** Type modifiers: varchar(50) → [50], numeric(10,2) → [10, 2]. */
  mods: number[];
  array: boolean;
}

type Node = Record<string, unknown>;

const ALIASES: Record<string, string> = {
  int: "int4",
  integer: "int4",
  smallint: "int2",
  bigint: "int8",
  serial: "serial4",
  smallserial: "serial2",
  bigserial: "serial8",
  boolean: "bool",
  real: "float4",
  float: "float8",
  decimal: "numeric",
  character: "bpchar",
  char: "bpchar",
};

/** A TypeName node of the PostgreSQL parse tree, as a TypeInfo. */
export function typeFromNode(typeName: Node): TypeInfo {
  const names = ((typeName.names as Node[] | undefined) ?? []).map((n) => String((n.String as Node | undefined)?.sval ?? ""));
  const qualified = names[0] === "pg_catalog" ? names.slice(1) : names;
  const last = (qualified.join(".") || "unknown").toLowerCase();
  const mods = ((typeName.typmods as Node[] | undefined) ?? []).map((m) => Number(((m.A_Const as Node | undefined)?.ival as Node | undefined)?.ival ?? NaN));
  return { name: ALIASES[last] ?? last, mods: mods.filter((m) => Number.isFinite(m)), array: Array.isArray(typeName.arrayBounds) };
}

/** Canonical names as people write them, for messages. */
const SPELLED: Record<string, string> = {
  int2: "smallint",
  int4: "integer",
  int8: "bigint",
  serial2: "smallserial",
  serial4: "serial",
  serial8: "bigserial",
  bpchar: "char",
  bool: "boolean",
  float4: "real",
  float8: "double precision",
};

export function formatType(type: TypeInfo): string {
  return `${SPELLED[type.name] ?? type.name}${type.mods.length > 0 ? `(${type.mods.join(",")})` : ""}${type.array ? "[]" : ""}`;
}

export const SERIAL_TYPES = new Set(["serial2", "serial4", "serial8"]);
const INT32_OR_SMALLER = new Set(["int2", "int4", "serial2", "serial4"]);

export function isSmallIntegerType(type: TypeInfo): boolean {
  return !type.array && INT32_OR_SMALLER.has(type.name);
}

/**
 * True when `from` → `to` is binary-coercible in PostgreSQL and keeps every value, so the
 * server only updates the catalog: varchar widening or dropping its limit, varchar → text,
 * numeric precision increase with the same scale, varbit widening, cidr → inet, and any type to
 * itself with the same modifiers.
 */
export function changeAvoidsRewrite(from: TypeInfo, to: TypeInfo): boolean {
  if (from.array !== to.array) return false;
  if (from.name === to.name && sameMods(from.mods, to.mods)) return true;
  if (from.name === "varchar" && (to.name === "varchar" || to.name === "text")) return widens(from.mods, to.mods);
  if (from.name === "text" && to.name === "varchar") return to.mods.length === 0;
  if (from.name === "varbit" && to.name === "varbit") return widens(from.mods, to.mods);
  if (from.name === "numeric" && to.name === "numeric") {
    if (to.mods.length === 0) return true;
    if (from.mods.length === 0) return false;
    const [fromPrecision = 0, fromScale = 0] = from.mods;
    const [toPrecision = 0, toScale = 0] = to.mods;
    return toScale === fromScale && toPrecision >= fromPrecision;
  }
  if (from.name === "cidr" && to.name === "inet") return true;
  return false;
}

function sameMods(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((m, i) => m === b[i]);
}

/** No limit is the widest; a limit only widens to a larger one or to none. */
function widens(from: number[], to: number[]): boolean {
  if (to.length === 0) return true;
  if (from.length === 0) return false;
  return (to[0] ?? 0) >= (from[0] ?? 0);
}
