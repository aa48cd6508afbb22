/** The rules over structured operations recorded from the real `op` facade. */
import { describe, expect, it } from "vitest";
import { SchemaMemory } from "../../src/lint/check.js";
import { changeAvoidsRewrite } from "../../src/lint/pg-types.js";
import { typeFromText } from "../../src/lint/sql-changes.js";
import { sql } from "../../src/ops/types.js";
import { opRules, sqlFindings, sqlRules } from "./helpers.js";

describe("operation rules", () => {
  it("index builds and drops on existing tables need CONCURRENTLY, outside the transaction", async () => {
    expect(await opRules((op) => op.createIndex("a_idx", "accounts", ["a"]))).toEqual(["index-not-concurrent"]);
    expect(await opRules((op) => op.dropIndex("a_idx"))).toEqual(["index-not-concurrent"]);
    expect(await opRules((op) => op.createIndex("a_idx", "accounts", ["a"], { concurrently: true }))).toEqual(["concurrently-in-transaction"]);
    expect(await opRules((op) => op.autocommit((inner) => inner.createIndex("a_idx", "accounts", ["a"], { concurrently: true })))).toEqual([]);
    expect(await opRules((op) => op.dropIndex("a_idx", { concurrently: true }), { transactional: false })).toEqual([]);
    expect(await opRules((op) => op.execute("CREATE INDEX CONCURRENTLY a_idx ON accounts (a)", undefined, { nonTransactional: true }))).toEqual([]);
  });

  it("tables created earlier in the revision are exempt", async () => {
    const rules = await opRules(async (op) => {
      await op.createTable("orders", [{ name: "id", type: "bigint", primaryKey: true }, { name: "user_id", type: "bigint" }]);
      await op.createIndex("orders_user", "orders", ["user_id"]);
      await op.createForeignKey("orders_user_fk", "orders", "users", ["user_id"], ["id"]);
      await op.createCheckConstraint("orders_ck", "orders", "user_id > 0");
      await op.createUniqueConstraint("orders_uq", "orders", ["user_id"]);
      await op.addColumn("orders", { name: "code", type: "uuid", nullable: false, default: sql`gen_random_uuid()` });
      await op.alterColumn("orders", "user_id", { nullable: false, type: "numeric" });
      await op.dropIndex("orders_user");
    });
    expect(rules).toEqual([]);
  });

  it("constraints need NOT VALID, and VALIDATE belongs in a later transaction", async () => {
    expect(await opRules((op) => op.createForeignKey("fk", "accounts", "users", ["user_id"], ["id"]))).toEqual(["foreign-key-not-valid"]);
    expect(await opRules((op) => op.createCheckConstraint("ck", "accounts", "a > 0"))).toEqual(["check-not-valid"]);
    const sameTransaction = async (op: Parameters<Parameters<typeof opRules>[0]>[0]) => {
      await op.createForeignKey("fk", "accounts", "users", ["user_id"], ["id"], { notValid: true });
      await op.validateConstraint("fk", "accounts");
    };
    expect(await opRules(sameTransaction)).toEqual(["validate-same-transaction"]);
    expect(await opRules(sameTransaction, { transactional: false })).toEqual([]);
    expect(
      await opRules(async (op) => {
        await op.createForeignKey("fk", "accounts", "users", ["user_id"], ["id"], { notValid: true });
        await op.autocommit((inner) => inner.validateConstraint("fk", "accounts"));
      }),
    ).toEqual([]);
  });

  it("SET NOT NULL is fine once a validated IS NOT NULL check covers the column (from an earlier revision)", async () => {
    expect(await opRules((op) => op.alterColumn("accounts", "email", { nullable: false }))).toEqual(["set-not-null"]);
    const memory = new SchemaMemory();
    expect(await opRules((op) => op.createCheckConstraint("email_nn", "accounts", "email IS NOT NULL", { notValid: true }), { memory })).toEqual([]);
    expect(await opRules((op) => op.validateConstraint("email_nn", "accounts"), { memory })).toEqual([]);
    expect(await opRules((op) => op.alterColumn("accounts", "email", { nullable: false }), { memory })).toEqual([]);
    expect(await opRules((op) => op.alterColumn("accounts", "other", { nullable: false }), { memory })).toEqual(["set-not-null"]);
  });

  it("added columns: NOT NULL needs a default; volatile defaults rewrite; now() does not", async () => {
    expect(await opRules((op) => op.addColumn("accounts", { name: "c", type: "int", nullable: false }))).toEqual(["not-null-without-default"]);
    expect(await opRules((op) => op.addColumn("accounts", { name: "c", type: "int", nullable: false, default: 0 }))).toEqual([]);
    expect(await opRules((op) => op.addColumn("accounts", { name: "c", type: "uuid", default: sql`uuid_generate_v4()` }))).toEqual(["volatile-default"]);
    expect(await opRules((op) => op.addColumn("accounts", { name: "c", type: "timestamptz", default: sql`now()` }))).toEqual([]);
    expect(await opRules((op) => op.addColumn("accounts", { name: "c", type: "text", default: sql`my_code()` }))).toEqual(["default-volatility-unknown"]);
    expect(await opRules((op) => op.addColumn("accounts", { name: "c", type: "bigint", identity: { always: true } }))).toEqual(["volatile-default"]);
  });

  it("type changes rewrite unless binary-coercible, judged from the previous type when known", async () => {
    const change = (from: string, to: string) => opRules((op) => op.alterColumn("accounts", "a", { type: to, previous: { type: from } }));
    expect(await change("varchar(50)", "varchar(100)")).toEqual([]);
    expect(await change("character varying(50)", "text")).toEqual([]);
    expect(await change("numeric(10,2)", "numeric(12,2)")).toEqual([]);
    expect(await change("varchar(100)", "varchar(50)")).toEqual(["type-change-rewrite"]);
    expect(await change("integer", "bigint")).toEqual(["type-change-rewrite"]);
    expect(await change("numeric(10,2)", "numeric(12,4)")).toEqual(["type-change-rewrite"]);
    // Without a previous type, a column the run has seen supplies it.
    const memory = new SchemaMemory();
    await opRules((op) => op.createTable("t", [{ name: "a", type: "varchar(20)" }]), { memory });
    expect(await opRules((op) => op.alterColumn("t", "a", { type: "varchar(40)" }), { memory })).toEqual([]);
    expect(await opRules((op) => op.alterColumn("t", "a", { type: "int" }), { memory })).toEqual(["type-change-rewrite"]);
    expect(await opRules((op) => op.alterColumn("unknown", "a", { type: "text" }))).toEqual(["type-change-rewrite"]);
  });

  it("binary-coercible type pairs", async () => {
    const pair = async (from: string, to: string) => changeAvoidsRewrite((await typeFromText(from))!, (await typeFromText(to))!);
    expect(await pair("varchar(10)", "varchar")).toBe(true);
    expect(await pair("varchar", "varchar(10)")).toBe(false);
    expect(await pair("text", "varchar")).toBe(true);
    expect(await pair("cidr", "inet")).toBe(true);
    expect(await pair("int[]", "bigint[]")).toBe(false);
    expect(await pair("numeric(5,0)", "numeric")).toBe(true);
    expect(await pair("timestamp", "timestamptz")).toBe(false);
  });

  it("unique constraints, primary keys, renames, drops, refreshes, enum values and extensions", async () => {
    expect(await opRules((op) => op.createUniqueConstraint("uq", "accounts", ["email"]))).toEqual(["unique-constraint"]);
    expect(await opRules((op) => op.createUniqueConstraint("uq", "accounts", ["email"], { usingIndex: "uq_idx" }))).toEqual([]);
    expect(await opRules((op) => op.createPrimaryKey("pk", "accounts", ["id"]))).toEqual(["primary-key"]);
    expect(await opRules((op) => op.renameTable("accounts", "customers"))).toEqual(["rename-table"]);
    expect(await opRules((op) => op.alterColumn("accounts", "a", { newName: "b" }))).toEqual(["rename-column"]);
    expect(await opRules((op) => op.dropColumn("accounts", "a"))).toEqual(["drop-column"]);
    expect(await opRules((op) => op.dropTable("accounts"))).toEqual(["drop-table"]);
    expect(await opRules((op) => op.dropSchema("app"))).toEqual(["drop-schema"]);
    expect(await opRules((op) => op.refreshMaterializedView("totals"))).toEqual(["refresh-not-concurrent"]);
    expect(await opRules((op) => op.refreshMaterializedView("totals", { concurrently: true }))).toEqual([]);
    expect(await opRules((op) => op.addEnumValue("mood", "meh"))).toEqual(["enum-value-position"]);
    expect(await opRules((op) => op.addEnumValue("mood", "meh", { after: "ok" }))).toEqual([]);
    expect(await opRules((op) => op.createExtension("ltree"))).toEqual(["extension-if-not-exists"]);
    expect(await opRules((op) => op.createExtension("ltree", { ifNotExists: true }))).toEqual([]);
    expect(await opRules((op) => op.createIndex("x".repeat(64), "accounts", ["a"], { concurrently: true }), { transactional: false })).toEqual(["identifier-too-long"]);
  });

  it("style rules over column types", async () => {
    const rules = await opRules((op) =>
      op.createTable("n", [
        { name: "id", type: "serial", primaryKey: true },
        { name: "doc", type: "json" },
        { name: "at", type: "timestamp without time zone" },
        { name: "code", type: "char(2)" },
        { name: "fine", type: "jsonb" },
      ]),
    );
    expect(rules).toEqual(["prefer-identity", "prefer-bigint-pk", "prefer-jsonb", "prefer-timestamptz", "prefer-text"]);
  });

  it("downgrades are checked for destroyed data", async () => {
    const rules = await opRules(
      async (op) => {
        await op.dropIndex("a_idx");
        await op.dropColumn("accounts", "a");
        await op.dropTable("orders");
      },
      { direction: "downgrade" },
    );
    expect(rules).toEqual(["downgrade-drops-data", "downgrade-drops-data"]);
  });

  it("op.execute SQL is parsed statement by statement", async () => {
    expect(await opRules((op) => op.execute("TRUNCATE a CASCADE; VACUUM FULL a; CLUSTER a"))).toEqual(["truncate-cascade", "vacuum-full", "cluster"]);
    expect(await opRules((op) => op.execute("UPDATE a SET b = 1 WHERE"))).toEqual(["sql-not-checked"]);
  });
});

describe("MySQL and MariaDB rules", () => {
  const mysql = { dialect: "mysql" } as const;
  it("ALTERs that force ALGORITHM=COPY", async () => {
    expect(await opRules((op) => op.alterColumn("accounts", "a", { type: "bigint" }), mysql)).toEqual(["mysql-algorithm-copy"]);
    expect(await opRules((op) => op.createPrimaryKey("pk", "accounts", ["id"]), mysql)).toEqual(["mysql-algorithm-copy"]);
    expect(await opRules((op) => op.dropConstraint("PRIMARY", "accounts", { type: "primaryKey" }), mysql)).toEqual(["mysql-algorithm-copy"]);
    // Asking for INPLACE makes the server refuse rather than copy.
    expect(await opRules((op) => op.run({ kind: "alterColumn", table: "accounts", column: "a", type: "varchar(200)", algorithm: "INPLACE", lock: "NONE" }), mysql)).toEqual([]);
  });

  it("missing LOCK=NONE where an online change is possible", async () => {
    expect(await opRules((op) => op.createIndex("a_idx", "accounts", ["a"]), mysql)).toEqual(["mysql-lock-none"]);
    expect(await opRules((op) => op.run({ kind: "createIndex", name: "a_idx", table: "accounts", keys: ["a"], lock: "NONE", algorithm: "INPLACE" }), mysql)).toEqual([]);
    expect(await opRules((op) => op.addColumn("accounts", { name: "c", type: "int" }), mysql)).toEqual(["mysql-lock-none"]);
    expect(await opRules((op) => op.run({ kind: "addColumn", table: "accounts", column: { name: "c", type: "int" }, algorithm: "INSTANT" }), mysql)).toEqual([]);
    expect(await opRules((op) => op.dropColumn("accounts", "c"), mysql)).toEqual(["drop-column", "mysql-lock-none"]);
    expect(await opRules((op) => op.createTable("t", [{ name: "id", type: "int" }]).then(() => op.createIndex("t_idx", "t", ["id"])), mysql)).toEqual([]);
  });

  it("PostgreSQL rules stay out of MySQL findings", async () => {
    expect(await opRules((op) => op.createForeignKey("fk", "accounts", "users", ["user_id"], ["id"]), mysql)).toEqual([]);
  });
});

describe("function volatility", () => {
  it("knows built-ins by name only when unqualified, and prefers pg_proc when given", async () => {
    const { volatilityOf } = await import("../../src/lint/volatility.js");
    expect(volatilityOf("now")).toBe("stable");
    expect(volatilityOf("pg_catalog.random")).toBe("volatile");
    expect(volatilityOf("app.random")).toBe("unknown");
    expect(volatilityOf("app.random", new Map([["random", "immutable"]]))).toBe("immutable");
    expect(volatilityOf("my_func")).toBe("unknown");
  });
});

describe("MySQL and MariaDB raw SQL", () => {
  const mysql = { dialect: "mysql" } as const;
  it("finds ALTERs that copy the table", async () => {
    expect(await sqlRules("ALTER TABLE accounts MODIFY COLUMN a BIGINT NOT NULL", mysql)).toEqual(["mysql-algorithm-copy"]);
    expect(await sqlRules("ALTER TABLE `accounts` CHANGE a b BIGINT", mysql)).toEqual(["mysql-algorithm-copy"]);
    expect(await sqlRules("ALTER TABLE accounts ADD PRIMARY KEY (id)", mysql)).toEqual(["mysql-algorithm-copy"]);
    expect(await sqlRules("ALTER TABLE accounts DROP PRIMARY KEY, ADD CONSTRAINT pk PRIMARY KEY (id, org)", mysql)).toEqual(["mysql-algorithm-copy", "mysql-algorithm-copy"]);
    expect(await sqlRules("ALTER TABLE accounts MODIFY a VARCHAR(200), ALGORITHM=INPLACE, LOCK=NONE", mysql)).toEqual([]);
  });

  it("finds online changes that do not ask for LOCK=NONE", async () => {
    expect(await sqlRules("ALTER TABLE accounts ADD COLUMN c INT", mysql)).toEqual(["mysql-lock-none"]);
    expect(await sqlRules("ALTER TABLE accounts ADD COLUMN c INT, ALGORITHM=INSTANT", mysql)).toEqual([]);
    expect(await sqlRules("ALTER TABLE accounts ADD INDEX a_idx (a), ALGORITHM=INPLACE, LOCK=NONE", mysql)).toEqual([]);
    expect(await sqlRules("ALTER TABLE accounts ADD INDEX a_idx (a)", mysql)).toEqual(["mysql-lock-none"]);
    expect(await sqlRules("CREATE INDEX a_idx ON accounts (a)", mysql)).toEqual(["mysql-lock-none"]);
    expect(await sqlRules("CREATE INDEX a_idx ON accounts (a) ALGORITHM=INPLACE LOCK=NONE", mysql)).toEqual([]);
    expect(await sqlRules("DROP INDEX a_idx ON accounts", mysql)).toEqual(["mysql-lock-none"]);
    expect(await sqlRules("ALTER TABLE accounts DROP COLUMN c, LOCK=NONE", mysql)).toEqual(["drop-column"]);
    expect(await sqlRules("ALTER TABLE accounts RENAME COLUMN a TO b", mysql)).toEqual(["rename-column", "mysql-lock-none"]);
  });

  it("drops and renames, and tables created in the revision, with the statement's line", async () => {
    expect(await sqlRules("DROP TABLE IF EXISTS accounts; RENAME TABLE a TO b; DROP DATABASE app", mysql)).toEqual(["drop-table", "rename-table", "drop-database"]);
    expect(await sqlRules("CREATE TABLE t (id INT); ALTER TABLE t ADD COLUMN c INT; CREATE INDEX t_c ON t (c)", mysql)).toEqual([]);
    const [finding] = await sqlFindings("SELECT 1;\n# note\nALTER TABLE accounts\n  MODIFY a BIGINT;", mysql);
    expect(finding).toMatchObject({ rule: "mysql-algorithm-copy", line: 3, statement: "ALTER TABLE accounts\n  MODIFY a BIGINT" });
    expect(finding?.message).toBe("changing the type of accounts.a to a new type copies the table");
  });
});

describe("rules by database", () => {
  it("a NOT NULL column without a default fails on PostgreSQL and SQLite, not on MySQL", async () => {
    const add = (op: Parameters<Parameters<typeof opRules>[0]>[0]) => op.addColumn("accounts", { name: "c", type: "int", nullable: false });
    expect(await opRules(add, { dialect: "sqlite" })).toEqual(["not-null-without-default"]);
    expect(await opRules(add, { dialect: "mysql" })).toEqual(["mysql-lock-none"]);
  });
});
