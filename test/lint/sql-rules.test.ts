/** Each rule over raw SQL parsed by the PostgreSQL parser: it fires on the unsafe form and not on the safe one. */
import { describe, expect, it } from "vitest";
import { sqlFindings, sqlRules } from "./helpers.js";

interface Case {
  rule: string;
  unsafe: string;
  safe: string;
  /** Run the safe form outside a transaction (transactional=false). */
  safeOutside?: boolean;
}

const T = "ALTER TABLE accounts";
const CASES: Case[] = [
  { rule: "index-not-concurrent", unsafe: "CREATE INDEX i ON accounts (a)", safe: "CREATE INDEX CONCURRENTLY i ON accounts (a)", safeOutside: true },
  { rule: "index-not-concurrent", unsafe: "DROP INDEX i", safe: "DROP INDEX CONCURRENTLY i", safeOutside: true },
  { rule: "concurrently-in-transaction", unsafe: "CREATE INDEX CONCURRENTLY i ON accounts (a)", safe: "CREATE INDEX CONCURRENTLY i ON accounts (a)", safeOutside: true },
  { rule: "concurrently-in-transaction", unsafe: "REINDEX INDEX CONCURRENTLY i", safe: "REINDEX INDEX CONCURRENTLY i", safeOutside: true },
  { rule: "foreign-key-not-valid", unsafe: `${T} ADD CONSTRAINT f FOREIGN KEY (u) REFERENCES users (id)`, safe: `${T} ADD CONSTRAINT f FOREIGN KEY (u) REFERENCES users (id) NOT VALID` },
  { rule: "check-not-valid", unsafe: `${T} ADD CONSTRAINT c CHECK (a > 0)`, safe: `${T} ADD CONSTRAINT c CHECK (a > 0) NOT VALID` },
  {
    rule: "validate-same-transaction",
    unsafe: `${T} ADD CONSTRAINT c CHECK (a > 0) NOT VALID; ${T} VALIDATE CONSTRAINT c`,
    safe: `${T} ADD CONSTRAINT c CHECK (a > 0) NOT VALID; ${T} VALIDATE CONSTRAINT c`,
    safeOutside: true,
  },
  {
    rule: "set-not-null",
    unsafe: `${T} ALTER COLUMN a SET NOT NULL`,
    safe: `${T} ADD CONSTRAINT a_nn CHECK (a IS NOT NULL) NOT VALID; ${T} VALIDATE CONSTRAINT a_nn; ${T} ALTER COLUMN a SET NOT NULL; ${T} DROP CONSTRAINT a_nn`,
    safeOutside: true,
  },
  { rule: "not-null-without-default", unsafe: `${T} ADD COLUMN c int NOT NULL`, safe: `${T} ADD COLUMN c int NOT NULL DEFAULT 0` },
  { rule: "volatile-default", unsafe: `${T} ADD COLUMN c uuid DEFAULT gen_random_uuid()`, safe: `${T} ADD COLUMN c timestamptz DEFAULT now()` },
  { rule: "volatile-default", unsafe: `${T} ADD COLUMN c timestamptz DEFAULT clock_timestamp()`, safe: `${T} ADD COLUMN c timestamptz DEFAULT current_timestamp` },
  { rule: "volatile-default", unsafe: `${T} ADD COLUMN c bigserial`, safe: `${T} ADD COLUMN c bigint` },
  { rule: "default-volatility-unknown", unsafe: `${T} ADD COLUMN c text DEFAULT app.make_code()`, safe: `${T} ADD COLUMN c text DEFAULT lower('X')` },
  { rule: "type-change-rewrite", unsafe: `${T} ALTER COLUMN a TYPE bigint`, safe: `CREATE TABLE fresh (a int); ALTER TABLE fresh ALTER COLUMN a TYPE bigint` },
  { rule: "unique-constraint", unsafe: `${T} ADD CONSTRAINT u UNIQUE (a)`, safe: `${T} ADD CONSTRAINT u UNIQUE USING INDEX u_idx` },
  { rule: "unique-constraint", unsafe: `${T} ADD COLUMN c int UNIQUE`, safe: `${T} ADD COLUMN c int` },
  { rule: "primary-key", unsafe: `${T} ADD PRIMARY KEY (id)`, safe: `${T} ADD CONSTRAINT pk PRIMARY KEY USING INDEX pk_idx` },
  { rule: "rename-column", unsafe: `${T} RENAME COLUMN a TO b`, safe: "CREATE TABLE fresh (a int); ALTER TABLE fresh RENAME COLUMN a TO b" },
  { rule: "rename-table", unsafe: `${T} RENAME TO customers`, safe: "CREATE TABLE fresh (a int); ALTER TABLE fresh RENAME TO fresher" },
  { rule: "drop-column", unsafe: `${T} DROP COLUMN a`, safe: "CREATE TABLE fresh (a int, b int); ALTER TABLE fresh DROP COLUMN b" },
  { rule: "drop-table", unsafe: "DROP TABLE accounts", safe: "CREATE TABLE scratch (a int); DROP TABLE scratch" },
  { rule: "drop-schema", unsafe: "DROP SCHEMA app CASCADE", safe: "CREATE SCHEMA IF NOT EXISTS app" },
  { rule: "drop-database", unsafe: "DROP DATABASE app", safe: "CREATE DATABASE app" },
  { rule: "truncate-cascade", unsafe: "TRUNCATE accounts CASCADE", safe: "TRUNCATE accounts" },
  { rule: "vacuum-full", unsafe: "VACUUM FULL accounts", safe: "VACUUM accounts" },
  { rule: "cluster", unsafe: "CLUSTER accounts USING accounts_pkey", safe: "ANALYZE accounts" },
  { rule: "refresh-not-concurrent", unsafe: "REFRESH MATERIALIZED VIEW totals", safe: "REFRESH MATERIALIZED VIEW CONCURRENTLY totals" },
  { rule: "enum-value-position", unsafe: "ALTER TYPE mood ADD VALUE 'meh'", safe: "ALTER TYPE mood ADD VALUE 'meh' AFTER 'ok'" },
  { rule: "prefer-jsonb", unsafe: "CREATE TABLE n (id bigint, doc json)", safe: "CREATE TABLE n (id bigint, doc jsonb)" },
  { rule: "prefer-timestamptz", unsafe: `${T} ADD COLUMN seen timestamp`, safe: `${T} ADD COLUMN seen timestamptz` },
  { rule: "prefer-text", unsafe: "CREATE TABLE n (code char(3))", safe: "CREATE TABLE n (code varchar(3))" },
  { rule: "prefer-identity", unsafe: "CREATE TABLE n (id serial PRIMARY KEY)", safe: "CREATE TABLE n (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY)" },
  { rule: "prefer-bigint-pk", unsafe: "CREATE TABLE n (id integer PRIMARY KEY)", safe: "CREATE TABLE n (id bigint PRIMARY KEY)" },
  { rule: "prefer-bigint-pk", unsafe: "CREATE TABLE n (id int4, PRIMARY KEY (id))", safe: "CREATE TABLE n (id int8, PRIMARY KEY (id))" },
  { rule: "identifier-too-long", unsafe: `CREATE INDEX CONCURRENTLY ${"i".repeat(64)} ON accounts (a)`, safe: `CREATE INDEX CONCURRENTLY ${"i".repeat(63)} ON accounts (a)`, safeOutside: true },
  { rule: "extension-if-not-exists", unsafe: "CREATE EXTENSION pg_trgm", safe: "CREATE EXTENSION IF NOT EXISTS pg_trgm" },
  { rule: "sql-not-checked", unsafe: "CREATE TABLE (oops", safe: "CREATE TABLE ok (id bigint)" },
];

describe("SQL rules", () => {
  for (const c of CASES) {
    it(`${c.rule} fires on: ${c.unsafe.slice(0, 70)}`, async () => {
      expect(await sqlRules(c.unsafe)).toContain(c.rule);
    });
    it(`${c.rule} stays quiet on: ${c.safe.slice(0, 70)}`, async () => {
      expect(await sqlRules(c.safe, { transactional: c.safeOutside !== true })).not.toContain(c.rule);
    });
  }

  it("a table created earlier in the revision is empty: no CONCURRENTLY or NOT VALID findings for it", async () => {
    const sql = `
      CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, user_id bigint, total numeric(10,2));
      CREATE INDEX orders_user ON orders (user_id);
      ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);
      ALTER TABLE orders ADD CONSTRAINT orders_total CHECK (total >= 0);
      ALTER TABLE orders ADD CONSTRAINT orders_once UNIQUE (user_id);
      ALTER TABLE orders ALTER COLUMN user_id SET NOT NULL;
      ALTER TABLE orders ADD COLUMN code uuid NOT NULL DEFAULT gen_random_uuid();`;
    expect(await sqlRules(sql)).toEqual([]);
    // The same statements on a table that already exists are all flagged.
    const existing = sql.replace(/CREATE TABLE orders[^;]*;/, "");
    expect(await sqlRules(existing)).toEqual([
      "index-not-concurrent",
      "foreign-key-not-valid",
      "check-not-valid",
      "unique-constraint",
      "set-not-null",
      "volatile-default",
    ]);
  });

  it("reports the statement's line, text and a message naming the table", async () => {
    const findings = await sqlFindings("SELECT 1;\n\n-- build it\nCREATE INDEX accounts_email\n  ON accounts (email);\n");
    expect(findings).toEqual([
      { rule: "index-not-concurrent", line: 4, statement: "CREATE INDEX accounts_email\n  ON accounts (email)", message: expect.stringContaining("existing table accounts") },
    ]);
  });

  it("classifies defaults by function volatility, and a pg_proc lookup settles unknown functions", async () => {
    const sql = "ALTER TABLE accounts ADD COLUMN c text DEFAULT app.make_code()";
    expect(await sqlRules(sql)).toEqual(["default-volatility-unknown"]);
    expect(await sqlRules(sql, { volatility: new Map([["app.make_code", "volatile"]]) })).toEqual(["volatile-default"]);
    expect(await sqlRules(sql, { volatility: new Map([["app.make_code", "stable"]]) })).toEqual([]);
    // now() is stable, so the default is stored in the catalog; random() is volatile.
    expect(await sqlRules("ALTER TABLE accounts ADD COLUMN c float8 DEFAULT random() * 10")).toEqual(["volatile-default"]);
    expect(await sqlRules("ALTER TABLE accounts ADD COLUMN c date DEFAULT (now() AT TIME ZONE 'utc')::date")).toEqual([]);
  });

  it("a downgrade is checked for destroyed data (a warning), not for locks", async () => {
    const sql = "DROP INDEX accounts_email; ALTER TABLE accounts DROP COLUMN email; DROP TABLE orders; TRUNCATE audit";
    expect(await sqlRules(sql, { direction: "downgrade" })).toEqual(["downgrade-drops-data", "downgrade-drops-data", "downgrade-drops-data"]);
  });

  it("an unparseable statement is reported as not checked, with the parser's reason", async () => {
    const [finding] = await sqlFindings("CREATE INDEX ON accounts (a;");
    expect(finding?.rule).toBe("sql-not-checked");
    expect(finding?.message).toMatch(/^SQL not checked: syntax error/);
  });

  it("only NOT VALID constraints added in the same transaction count against VALIDATE", async () => {
    expect(await sqlRules("ALTER TABLE accounts VALIDATE CONSTRAINT c")).toEqual([]);
    // A CONCURRENTLY statement in between commits the transaction first.
    const sql = "ALTER TABLE accounts ADD CONSTRAINT c CHECK (a > 0) NOT VALID; CREATE INDEX CONCURRENTLY i ON accounts (a); ALTER TABLE accounts VALIDATE CONSTRAINT c";
    expect(await sqlRules(sql)).toEqual(["concurrently-in-transaction"]);
  });

  it("style rules and PostgreSQL lock rules do not apply to other dialects", async () => {
    expect(await sqlRules("CREATE INDEX i ON accounts (a)", { dialect: "mysql" })).toEqual(["mysql-lock-none"]);
    expect(await sqlRules("CREATE INDEX i ON accounts (a); ALTER TABLE accounts ALTER COLUMN a SET NOT NULL", { dialect: "sqlite" })).toEqual([]);
  });
});

describe("lint failure for upgrade", () => {
  it("is a CheckFailed (exit 1) naming the first error, and nothing without errors", async () => {
    const { lintFailure } = await import("../../src/lint/index.js");
    const finding = { rule: "drop-table", severity: "error", revision: "abc", direction: "upgrade", file: "m/abc.sql", line: 4, statement: "DROP TABLE t", message: "drops table t", why: "", fix: "" } as const;
    const error = lintFailure({ findings: [{ ...finding, severity: "warn" }, finding], revisions: ["abc"], errors: 1, warnings: 1 });
    expect(error?.exitCode).toBe(1);
    expect(error?.message).toBe("lint found 1 error(s); the first is drop-table in revision abc (m/abc.sql:4): drops table t.");
    expect(lintFailure({ findings: [{ ...finding, severity: "warn" }], revisions: ["abc"], errors: 0, warnings: 1 })).toBeUndefined();
  });
});
