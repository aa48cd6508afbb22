import { describe, expect, it } from "vitest";
import { getDialect } from "../../src/dialects/index.js";
import { DatabaseError } from "../../src/errors.js";
import { guardedVersionChangeStatements, guardFailure } from "../../src/runner/state-tables.js";

const postgres = getDialect("postgresql");
const mysql = getDialect("mysql");
const sqlite = getDialect("sqlite");

describe("timeout statements", () => {
  it("uses SET LOCAL inside a transaction and SET for the session on PostgreSQL", () => {
    expect(postgres.timeoutStatements({ lockTimeoutMs: 2000, statementTimeoutMs: 1.4 })).toEqual([
      "SET LOCAL lock_timeout = '2000ms'",
      "SET LOCAL statement_timeout = '1ms'",
    ]);
    expect(postgres.timeoutStatements({ lockTimeoutMs: 500 }, "session")).toEqual(["SET lock_timeout = '500ms'"]);
    expect(postgres.timeoutStatements({})).toEqual([]);
  });

  it("rounds MySQL's lock_wait_timeout up to whole seconds, at least one", () => {
    expect(mysql.timeoutStatements({ lockTimeoutMs: 1500 }).slice(0, 2)).toEqual([
      "SET SESSION lock_wait_timeout = 2",
      "SET SESSION innodb_lock_wait_timeout = 2",
    ]);
    expect(mysql.timeoutStatements({ lockTimeoutMs: 0 }).slice(0, 2)).toEqual(["SET SESSION lock_wait_timeout = 1", "SET SESSION innodb_lock_wait_timeout = 1"]);
  });

  it("sets MariaDB's max_statement_time in a comment MySQL skips, and the server's default when a step has none", () => {
    expect(mysql.timeoutStatements({ lockTimeoutMs: 1500, statementTimeoutMs: 250 })[2]).toBe(
      "SET @stratum_statement_timeout_ms = 250 /*M!100101 , SESSION max_statement_time = 0.25 */",
    );
    // A step without one must not inherit the previous step's limit on the same session.
    expect(mysql.timeoutStatements({ lockTimeoutMs: 1500 })[2]).toBe("SET @stratum_statement_timeout_ms = NULL /*M!100101 , SESSION max_statement_time = DEFAULT */");
    expect(mysql.timeoutStatements({ statementTimeoutMs: 60_000 })).toEqual([
      "SET @stratum_statement_timeout_ms = 60000 /*M!100101 , SESSION max_statement_time = 60 */",
    ]);
    expect(mysql.timeoutStatements({})).toEqual([]);
  });

  it("sets nothing on SQLite", () => {
    expect(sqlite.timeoutStatements({ lockTimeoutMs: 1000, statementTimeoutMs: 1000 })).toEqual([]);
  });
});

describe("lock timeout errors", () => {
  it("recognises SQLSTATE 55P03 on PostgreSQL and errno 1205 on MySQL, and nothing else", () => {
    expect(postgres.isLockTimeout(new DatabaseError("canceling statement due to lock timeout", { code: "55P03" }))).toBe(true);
    expect(postgres.isLockTimeout(new DatabaseError("deadlock", { code: "40P01" }))).toBe(false);
    expect(postgres.isLockTimeout("55P03")).toBe(false);
    expect(mysql.isLockTimeout(new DatabaseError("Lock wait timeout exceeded", { code: "1205" }))).toBe(true);
    expect(mysql.isLockTimeout({ errno: 1205 })).toBe(true);
    expect(mysql.isLockTimeout(new DatabaseError("other", { code: "1146" }))).toBe(false);
    expect(sqlite.isLockTimeout(new DatabaseError("busy", { code: "SQLITE_BUSY" }))).toBe(false);
  });
});

describe("state table SQL", () => {
  it("creates an Alembic-compatible version table, schema-qualified where given", () => {
    expect(postgres.state.createVersionTable({ version: "alembic_version", history: "h", schema: "ops" })).toEqual([
      'CREATE SCHEMA IF NOT EXISTS "ops"',
      'CREATE TABLE IF NOT EXISTS "ops"."alembic_version" (version_num varchar(32) NOT NULL, CONSTRAINT "alembic_version_pkc" PRIMARY KEY (version_num))',
    ]);
    expect(sqlite.state.tableRef({ version: "v", history: "h", schema: "ignored" }, "v")).toBe('"v"');
    expect(mysql.state.tableRef({ version: "v", history: "h" }, "v")).toBe("`v`");
  });

  it("uses each driver's placeholders", () => {
    expect(postgres.state.param(3)).toBe("$3");
    expect(mysql.state.param(3)).toBe("?");
    expect(sqlite.state.param(3)).toBe("?");
  });
});

describe("version-table changes the server checks", () => {
  const tables = { version: "stratum_version", history: "stratum_history" };
  const changes = [
    { kind: "insert" as const, id: "b1" },
    { kind: "update" as const, from: "m1", to: "a1" },
  ];

  it("wraps an UPDATE or DELETE so that PostgreSQL fails unless it changed one row; an INSERT stays as it is", () => {
    const [insert, update] = guardedVersionChangeStatements(postgres, tables, changes)!;
    expect(insert!.sql).toBe('INSERT INTO "stratum_version" (version_num) VALUES ($1)');
    expect(update!.sql).toBe(
      'WITH changed AS (UPDATE "stratum_version" SET version_num = $1 WHERE version_num = $2 RETURNING 1) ' +
        "SELECT CASE count(*) WHEN 1 THEN 1 ELSE CAST('stratum: version rows changed:1 ' || count(*) AS integer) END FROM changed",
    );
    // SQLite and MySQL check row counts on the client.
    expect(guardedVersionChangeStatements(sqlite, tables, changes)).toBeUndefined();
    expect(guardedVersionChangeStatements(mysql, tables, changes)).toBeUndefined();
  });

  it("turns the guard's failure into the version mismatch error, and leaves other errors alone", () => {
    const statements = guardedVersionChangeStatements(postgres, tables, changes)!;
    const failure = guardFailure(new Error('invalid input syntax for type integer: "stratum: version rows changed:1 0"'), statements, tables);
    expect(failure).toBeInstanceOf(DatabaseError);
    expect(failure!.message).toMatch(/expected to hold one row "m1" for this step, but 0 rows matched/);
    expect(guardFailure(new Error("relation does not exist"), statements, tables)).toBeUndefined();
    expect(guardFailure(new Error("stratum: version rows changed:7 0"), statements, tables)).toBeUndefined();
  });
});
