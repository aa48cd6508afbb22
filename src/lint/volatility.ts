/**
 * Function volatility, which decides whether a column default rewrites the table: a volatile
 * default must be computed for every existing row, a stable or immutable one is stored once in
 * the catalog. Classified by the function, never by its name's look (`now()` is stable).
 */

export type Volatility = "immutable" | "stable" | "volatile" | "unknown";

/** PostgreSQL's built-in and common contrib functions that column defaults use (pg_proc.provolatile). */
const KNOWN: Record<string, Exclude<Volatility, "unknown">> = {
  // volatile
  random: "volatile",
  random_normal: "volatile",
  gen_random_uuid: "volatile",
  uuidv4: "volatile",
  uuidv7: "volatile",
  uuid_generate_v1: "volatile",
  uuid_generate_v1mc: "volatile",
  uuid_generate_v4: "volatile",
  clock_timestamp: "volatile",
  timeofday: "volatile",
  nextval: "volatile",
  setval: "volatile",
  txid_current: "volatile",
  pg_current_xact_id: "volatile",
  gen_random_bytes: "volatile",
  // stable
  now: "stable",
  transaction_timestamp: "stable",
  statement_timestamp: "stable",
  current_setting: "stable",
  current_database: "stable",
  current_schema: "stable",
  to_char: "stable",
  to_timestamp: "stable",
  to_date: "stable",
  date_trunc: "stable",
  timezone: "stable",
  currval: "volatile",
  // immutable
  lower: "immutable",
  upper: "immutable",
  md5: "immutable",
  concat: "stable",
  coalesce: "immutable",
  abs: "immutable",
  round: "immutable",
  length: "immutable",
  trim: "immutable",
  btrim: "immutable",
  jsonb_build_object: "stable",
  json_build_object: "stable",
  jsonb_build_array: "stable",
  json_build_array: "stable",
  array_fill: "immutable",
  make_date: "immutable",
  make_interval: "immutable",
  uuid_nil: "immutable",
  uuid_ns_url: "immutable",
  uuid_generate_v5: "immutable",
  uuid_generate_v3: "immutable",
  gen_salt: "volatile",
};

/** How volatile a function is, from the table; `lookup` (pg_proc, when connected) wins. */
export function volatilityOf(name: string, lookup?: ReadonlyMap<string, Volatility>): Volatility {
  const lower = name.toLowerCase().replace(/^pg_catalog\./, "");
  const bare = lower.slice(lower.lastIndexOf(".") + 1);
  // A schema-qualified call is a user's function, even when its name matches a built-in one.
  const builtIn = lower.includes(".") ? undefined : KNOWN[bare];
  return lookup?.get(lower) ?? lookup?.get(bare) ?? builtIn ?? "unknown";
}

/** pg_proc.provolatile ("i", "s", "v") as a Volatility. */
export function fromProvolatile(code: string): Volatility {
  return code === "i" ? "immutable" : code === "s" ? "stable" : code === "v" ? "volatile" : "unknown";
}
