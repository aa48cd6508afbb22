/**
 * A revision-like sequence that uses every operation kind, with the exact PostgreSQL each one
 * renders to and a catalog check that proves it took effect. Shared by the renderer's snapshot
 * tests and the execution tests on PGlite and PostgreSQL.
 */
import { expect } from "vitest";
import type { Operation } from "../../src/ops/types.js";
import { sql } from "../../src/ops/types.js";

export type Query = (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

export interface Step {
  title: string;
  op: Operation;
  sql: string[];
  /** Which rendered statements run outside a transaction (default: none). */
  nonTransactional?: boolean[];
  check?: (q: Query) => Promise<void>;
}

const users = { schema: "app", name: "users" };
const bookings = { schema: "app", name: "bookings" };
const tags = { schema: "app", name: "tags" };

async function one(q: Query, text: string, params?: unknown[]): Promise<unknown> {
  const rows = await q(text, params);
  return rows[0] ? Object.values(rows[0])[0] : undefined;
}

async function columnOf(q: Query, table: string, column: string) {
  const rows = await q(
    `SELECT format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull, pg_get_expr(d.adbin, d.adrelid) AS default,
            a.attidentity AS identity, col_description(a.attrelid, a.attnum) AS comment
       FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE a.attrelid = $1::regclass AND a.attname = $2 AND NOT a.attisdropped`,
    [table, column],
  );
  return rows[0];
}

async function constraintDef(q: Query, table: string, name: string) {
  const rows = await q(
    "SELECT pg_get_constraintdef(oid) AS def, convalidated AS valid FROM pg_constraint WHERE conrelid = $1::regclass AND conname = $2",
    [table, name],
  );
  return rows[0] as { def: string; valid: boolean } | undefined;
}

async function indexDef(q: Query, name: string): Promise<string | undefined> {
  return (await one(q, "SELECT indexdef FROM pg_indexes WHERE schemaname = 'app' AND indexname = $1", [name])) as string | undefined;
}

const createBookings: Operation = {
  kind: "createTable",
  table: bookings,
  columns: [
    { name: "id", type: "integer", nullable: false },
    { name: "room", type: "integer", nullable: false },
    { name: "during", type: "tsrange", nullable: false },
    { name: "user_id", type: "bigint", references: { table: users, column: "id", onDelete: "CASCADE" } },
    { name: "ticket", type: "bigint", default: sql`nextval('app.ticket_seq')` },
  ],
  primaryKey: { name: "bookings_pkey", columns: ["id"] },
  uniques: [{ name: "bookings_ticket_key", columns: ["ticket"] }],
  checks: [{ name: "bookings_id_positive", expression: "id > 0" }],
  foreignKeys: [],
};

export const steps: Step[] = [
  {
    title: "createSchema",
    op: { kind: "createSchema", name: "app" },
    sql: ['CREATE SCHEMA "app"'],
    check: async (q) => expect(await one(q, "SELECT count(*)::int FROM pg_namespace WHERE nspname = 'app'")).toBe(1),
  },
  {
    title: "createExtension",
    op: { kind: "createExtension", name: "btree_gist", ifNotExists: true },
    sql: ['CREATE EXTENSION IF NOT EXISTS "btree_gist"'],
    check: async (q) => expect(await one(q, "SELECT count(*)::int FROM pg_extension WHERE extname = 'btree_gist'")).toBe(1),
  },
  {
    title: "createEnum",
    op: { kind: "createEnum", name: "mood", schema: "app", values: ["sad", "ok"] },
    sql: [`CREATE TYPE "app"."mood" AS ENUM ('sad', 'ok')`],
    check: async (q) => expect(await one(q, "SELECT enum_range(NULL::app.mood)::text")).toBe("{sad,ok}"),
  },
  {
    title: "addEnumValue",
    op: { kind: "addEnumValue", name: "mood", schema: "app", value: "happy", after: "ok" },
    sql: [`ALTER TYPE "app"."mood" ADD VALUE 'happy' AFTER 'ok'`],
    check: async (q) => expect(await one(q, "SELECT enum_range(NULL::app.mood)::text")).toBe("{sad,ok,happy}"),
  },
  {
    title: "renameEnumValue",
    op: { kind: "renameEnumValue", name: "mood", schema: "app", from: "sad", to: "unhappy" },
    sql: [`ALTER TYPE "app"."mood" RENAME VALUE 'sad' TO 'unhappy'`],
    check: async (q) => expect(await one(q, "SELECT enum_range(NULL::app.mood)::text")).toBe("{unhappy,ok,happy}"),
  },
  {
    title: "createSequence",
    op: { kind: "createSequence", name: "ticket_seq", schema: "app", start: 100, increment: 5, minValue: 1, maxValue: 1000000, cycle: true },
    sql: ['CREATE SEQUENCE "app"."ticket_seq" INCREMENT BY 5 MINVALUE 1 MAXVALUE 1000000 START WITH 100 CYCLE'],
    check: async (q) => {
      const rows = await q("SELECT start_value::int AS s, increment_by::int AS i, cycle FROM pg_sequences WHERE schemaname = 'app' AND sequencename = 'ticket_seq'");
      expect(rows).toEqual([{ s: 100, i: 5, cycle: true }]);
    },
  },
  {
    title: "createTable with identity, defaults, checks, comments",
    op: {
      kind: "createTable",
      table: users,
      columns: [
        { name: "id", type: "bigint", identity: { always: true, start: 10 }, primaryKey: true },
        { name: "email", type: "text", nullable: false, unique: true, comment: "login address" },
        { name: "mood", type: "app.mood", default: "ok" },
        { name: "created_at", type: "timestamptz", nullable: false, default: sql`now()` },
        { name: "email_lower", type: "text", generated: sql`lower(email)` },
      ],
      checks: [{ name: "users_email_not_empty", expression: "email <> ''" }],
      comment: "people who sign in",
    },
    sql: [
      'CREATE TABLE "app"."users" (\n' +
        '  "id" bigint GENERATED ALWAYS AS IDENTITY (START WITH 10) PRIMARY KEY,\n' +
        '  "email" text NOT NULL UNIQUE,\n' +
        `  "mood" app.mood DEFAULT 'ok',\n` +
        '  "created_at" timestamptz DEFAULT now() NOT NULL,\n' +
        '  "email_lower" text GENERATED ALWAYS AS (lower(email)) STORED,\n' +
        `  CONSTRAINT "users_email_not_empty" CHECK (email <> '')\n` +
        ")",
      `COMMENT ON TABLE "app"."users" IS 'people who sign in'`,
      `COMMENT ON COLUMN "app"."users"."email" IS 'login address'`,
    ],
    check: async (q) => {
      expect(await columnOf(q, "app.users", "id")).toMatchObject({ type: "bigint", notnull: true, identity: "a" });
      expect(await columnOf(q, "app.users", "email")).toMatchObject({ notnull: true, comment: "login address" });
      expect(await columnOf(q, "app.users", "mood")).toMatchObject({ type: "app.mood", default: "'ok'::app.mood" });
      expect(await one(q, "SELECT obj_description('app.users'::regclass, 'pg_class')")).toBe("people who sign in");
      expect((await constraintDef(q, "app.users", "users_email_not_empty"))?.def).toBe("CHECK ((email <> ''::text))");
    },
  },
  {
    title: "createTable with primary key, unique, check and inline reference",
    op: createBookings,
    sql: [
      'CREATE TABLE "app"."bookings" (\n' +
        '  "id" integer NOT NULL,\n' +
        '  "room" integer NOT NULL,\n' +
        '  "during" tsrange NOT NULL,\n' +
        '  "user_id" bigint REFERENCES "app"."users" ("id") ON DELETE CASCADE,\n' +
        `  "ticket" bigint DEFAULT nextval('app.ticket_seq'),\n` +
        '  CONSTRAINT "bookings_pkey" PRIMARY KEY ("id"),\n' +
        '  CONSTRAINT "bookings_ticket_key" UNIQUE ("ticket"),\n' +
        '  CONSTRAINT "bookings_id_positive" CHECK (id > 0)\n' +
        ")",
    ],
    check: async (q) => {
      expect((await constraintDef(q, "app.bookings", "bookings_pkey"))?.def).toBe("PRIMARY KEY (id)");
      expect((await constraintDef(q, "app.bookings", "bookings_ticket_key"))?.def).toBe("UNIQUE (ticket)");
      expect((await constraintDef(q, "app.bookings", "bookings_user_id_fkey"))?.def).toBe(
        "FOREIGN KEY (user_id) REFERENCES app.users(id) ON DELETE CASCADE",
      );
    },
  },
  {
    title: "addColumn with comment",
    op: { kind: "addColumn", table: users, column: { name: "nickname", type: "varchar(50)", comment: "shown to others" } },
    sql: ['ALTER TABLE "app"."users" ADD COLUMN "nickname" varchar(50)', `COMMENT ON COLUMN "app"."users"."nickname" IS 'shown to others'`],
    check: async (q) => expect(await columnOf(q, "app.users", "nickname")).toMatchObject({ type: "character varying(50)", comment: "shown to others" }),
  },
  {
    title: "alterColumn type with using, default, nullable",
    op: {
      kind: "alterColumn",
      table: users,
      column: "nickname",
      type: "varchar(100)",
      using: "nickname::varchar(100)",
      default: "anon",
      nullable: false,
      previous: { type: "varchar(50)", default: undefined, nullable: true },
    },
    sql: [
      `ALTER TABLE "app"."users" ALTER COLUMN "nickname" TYPE varchar(100) USING nickname::varchar(100), ALTER COLUMN "nickname" SET DEFAULT 'anon', ALTER COLUMN "nickname" SET NOT NULL`,
    ],
    check: async (q) =>
      expect(await columnOf(q, "app.users", "nickname")).toMatchObject({
        type: "character varying(100)",
        notnull: true,
        default: "'anon'::character varying",
      }),
  },
  {
    title: "alterColumn rename and comment",
    op: { kind: "alterColumn", table: users, column: "nickname", newName: "handle", comment: "public name", previous: { comment: "shown to others" } },
    sql: [
      'ALTER TABLE "app"."users" RENAME COLUMN "nickname" TO "handle"',
      `COMMENT ON COLUMN "app"."users"."handle" IS 'public name'`,
    ],
    check: async (q) => expect(await columnOf(q, "app.users", "handle")).toMatchObject({ comment: "public name" }),
  },
  {
    title: "alterColumn identity",
    op: { kind: "alterColumn", table: bookings, column: "id", identity: { always: false, increment: 2 }, previous: { identity: undefined } },
    sql: ['ALTER TABLE "app"."bookings" ALTER COLUMN "id" ADD GENERATED BY DEFAULT AS IDENTITY (INCREMENT BY 2)'],
    check: async (q) => expect(await columnOf(q, "app.bookings", "id")).toMatchObject({ identity: "d" }),
  },
  {
    title: "addColumn then dropColumn with previous",
    op: { kind: "addColumn", table: users, column: { name: "legacy", type: "integer", default: 0, nullable: false } },
    sql: ['ALTER TABLE "app"."users" ADD COLUMN "legacy" integer DEFAULT 0 NOT NULL'],
    check: async (q) => expect(await columnOf(q, "app.users", "legacy")).toMatchObject({ type: "integer", default: "0" }),
  },
  {
    title: "dropColumn",
    op: { kind: "dropColumn", table: users, column: "legacy", ifExists: true, previous: { name: "legacy", type: "integer", default: 0, nullable: false } },
    sql: ['ALTER TABLE "app"."users" DROP COLUMN IF EXISTS "legacy"'],
    check: async (q) => expect(await columnOf(q, "app.users", "legacy")).toBeUndefined(),
  },
  {
    title: "createIndex on an expression, unique",
    op: { kind: "createIndex", name: "users_email_lower_idx", table: users, keys: [{ expression: "lower(email)" }], unique: true },
    sql: ['CREATE UNIQUE INDEX "users_email_lower_idx" ON "app"."users" ((lower(email)))'],
    check: async (q) => expect(await indexDef(q, "users_email_lower_idx")).toBe("CREATE UNIQUE INDEX users_email_lower_idx ON app.users USING btree (lower(email))"),
  },
  {
    title: "createIndex partial with include, order and nulls",
    op: {
      kind: "createIndex",
      name: "users_recent_idx",
      table: users,
      keys: [{ column: "created_at", order: "DESC", nulls: "LAST" }],
      method: "btree",
      include: ["email"],
      where: "mood <> 'unhappy'",
      ifNotExists: true,
    },
    sql: [`CREATE INDEX IF NOT EXISTS "users_recent_idx" ON "app"."users" USING btree ("created_at" DESC NULLS LAST) INCLUDE ("email") WHERE mood <> 'unhappy'`],
    check: async (q) =>
      expect(await indexDef(q, "users_recent_idx")).toBe(
        "CREATE INDEX users_recent_idx ON app.users USING btree (created_at DESC NULLS LAST) INCLUDE (email) WHERE (mood <> 'unhappy'::app.mood)",
      ),
  },
  {
    title: "createIndex concurrently (outside the transaction)",
    op: { kind: "createIndex", name: "bookings_user_idx", table: bookings, keys: ["user_id"], concurrently: true },
    sql: ['CREATE INDEX CONCURRENTLY "bookings_user_idx" ON "app"."bookings" ("user_id")'],
    nonTransactional: [true],
    check: async (q) => expect(await indexDef(q, "bookings_user_idx")).toContain("USING btree (user_id)"),
  },
  {
    title: "createIndex with opclass and gist",
    op: { kind: "createIndex", name: "bookings_during_idx", table: bookings, keys: [{ column: "during", opclass: "range_ops" }], method: "gist" },
    sql: ['CREATE INDEX "bookings_during_idx" ON "app"."bookings" USING gist ("during" range_ops)'],
    check: async (q) => expect(await indexDef(q, "bookings_during_idx")).toContain("USING gist (during)"),
  },
  {
    title: "dropIndex concurrently with previous",
    op: {
      kind: "dropIndex",
      name: "bookings_during_idx",
      table: bookings,
      concurrently: true,
      ifExists: true,
      previous: { kind: "createIndex", name: "bookings_during_idx", table: bookings, keys: [{ column: "during", opclass: "range_ops" }], method: "gist" },
    },
    sql: ['DROP INDEX CONCURRENTLY IF EXISTS "app"."bookings_during_idx"'],
    nonTransactional: [true],
    check: async (q) => expect(await indexDef(q, "bookings_during_idx")).toBeUndefined(),
  },
  {
    title: "createTable without a primary key",
    op: { kind: "createTable", table: tags, columns: [{ name: "id", type: "integer", nullable: false }, { name: "name", type: "text" }], ifNotExists: true },
    sql: ['CREATE TABLE IF NOT EXISTS "app"."tags" (\n  "id" integer NOT NULL,\n  "name" text\n)'],
  },
  {
    title: "createPrimaryKey",
    op: { kind: "createPrimaryKey", table: tags, name: "tags_pk", columns: ["id"] },
    sql: ['ALTER TABLE "app"."tags" ADD CONSTRAINT "tags_pk" PRIMARY KEY ("id")'],
    check: async (q) => expect((await constraintDef(q, "app.tags", "tags_pk"))?.def).toBe("PRIMARY KEY (id)"),
  },
  {
    title: "createUniqueConstraint nulls not distinct",
    op: { kind: "createUniqueConstraint", table: tags, name: "tags_name_key", columns: ["name"], nullsNotDistinct: true },
    sql: ['ALTER TABLE "app"."tags" ADD CONSTRAINT "tags_name_key" UNIQUE NULLS NOT DISTINCT ("name")'],
    check: async (q) => expect((await constraintDef(q, "app.tags", "tags_name_key"))?.def).toBe("UNIQUE NULLS NOT DISTINCT (name)"),
  },
  {
    title: "createForeignKey not valid, deferrable",
    op: {
      kind: "createForeignKey",
      table: bookings,
      name: "bookings_user_fk",
      columns: ["user_id"],
      refTable: users,
      refColumns: ["id"],
      onDelete: "SET NULL",
      onUpdate: "CASCADE",
      deferrable: true,
      initiallyDeferred: true,
      notValid: true,
    },
    sql: [
      'ALTER TABLE "app"."bookings" ADD CONSTRAINT "bookings_user_fk" FOREIGN KEY ("user_id") REFERENCES "app"."users" ("id") ON DELETE SET NULL ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED NOT VALID',
    ],
    check: async (q) => expect(await constraintDef(q, "app.bookings", "bookings_user_fk")).toMatchObject({ valid: false }),
  },
  {
    title: "validateConstraint",
    op: { kind: "validateConstraint", table: bookings, name: "bookings_user_fk" },
    sql: ['ALTER TABLE "app"."bookings" VALIDATE CONSTRAINT "bookings_user_fk"'],
    check: async (q) => expect(await constraintDef(q, "app.bookings", "bookings_user_fk")).toMatchObject({ valid: true }),
  },
  {
    title: "createCheckConstraint not valid",
    op: { kind: "createCheckConstraint", table: bookings, name: "bookings_room_positive", expression: "room > 0", notValid: true },
    sql: ['ALTER TABLE "app"."bookings" ADD CONSTRAINT "bookings_room_positive" CHECK (room > 0) NOT VALID'],
    check: async (q) => expect(await constraintDef(q, "app.bookings", "bookings_room_positive")).toEqual({ def: "CHECK ((room > 0)) NOT VALID", valid: false }),
  },
  {
    title: "createExcludeConstraint",
    op: {
      kind: "createExcludeConstraint",
      table: bookings,
      name: "bookings_no_overlap",
      method: "gist",
      elements: [
        { expression: "room", operator: "=" },
        { expression: "during", operator: "&&" },
      ],
      where: "room < 1000",
    },
    sql: ['ALTER TABLE "app"."bookings" ADD CONSTRAINT "bookings_no_overlap" EXCLUDE USING gist ("room" WITH =, "during" WITH &&) WHERE (room < 1000)'],
    check: async (q) =>
      expect((await constraintDef(q, "app.bookings", "bookings_no_overlap"))?.def).toBe("EXCLUDE USING gist (room WITH =, during WITH &&) WHERE ((room < 1000))"),
  },
  {
    title: "dropConstraint with previous",
    op: {
      kind: "dropConstraint",
      table: bookings,
      name: "bookings_id_positive",
      type: "check",
      previous: { kind: "createCheckConstraint", table: bookings, name: "bookings_id_positive", expression: "id > 0" },
    },
    sql: ['ALTER TABLE "app"."bookings" DROP CONSTRAINT "bookings_id_positive"'],
    check: async (q) => expect(await constraintDef(q, "app.bookings", "bookings_id_positive")).toBeUndefined(),
  },
  {
    title: "bulkInsert with parameters",
    op: {
      kind: "bulkInsert",
      table: users,
      rows: [
        { email: "a@example.com", handle: "o'brien", mood: "happy" },
        { email: "b@example.com", handle: "bob" },
      ],
    },
    sql: [`INSERT INTO "app"."users" ("email", "handle", "mood") VALUES ($1, $2, $3), ($4, $5, DEFAULT)`],
    check: async (q) =>
      expect(await q("SELECT email, handle, mood::text FROM app.users ORDER BY email")).toEqual([
        { email: "a@example.com", handle: "o'brien", mood: "happy" },
        { email: "b@example.com", handle: "bob", mood: "ok" },
      ]),
  },
  {
    title: "execute with parameters",
    op: { kind: "execute", sql: "UPDATE app.users SET handle = $1 WHERE email = $2", params: ["robert", "b@example.com"] },
    sql: ["UPDATE app.users SET handle = $1 WHERE email = $2"],
    check: async (q) => expect(await one(q, "SELECT handle FROM app.users WHERE email = 'b@example.com'")).toBe("robert"),
  },
  {
    title: "createView",
    op: { kind: "createView", name: "happy_users", schema: "app", definition: "SELECT id, email FROM app.users WHERE mood = 'happy';" },
    sql: [`CREATE VIEW "app"."happy_users" AS SELECT id, email FROM app.users WHERE mood = 'happy'`],
    check: async (q) => expect(await q("SELECT email FROM app.happy_users")).toEqual([{ email: "a@example.com" }]),
  },
  {
    title: "create materialized view",
    op: { kind: "createView", name: "mood_counts", schema: "app", materialized: true, definition: "SELECT mood, count(*) AS n FROM app.users GROUP BY mood" },
    sql: ['CREATE MATERIALIZED VIEW "app"."mood_counts" AS SELECT mood, count(*) AS n FROM app.users GROUP BY mood'],
    check: async (q) => expect(await one(q, "SELECT count(*)::int FROM pg_matviews WHERE schemaname = 'app' AND matviewname = 'mood_counts'")).toBe(1),
  },
  {
    title: "unique index on the materialized view",
    op: { kind: "createIndex", name: "mood_counts_mood_idx", table: { schema: "app", name: "mood_counts" }, keys: ["mood"], unique: true },
    sql: ['CREATE UNIQUE INDEX "mood_counts_mood_idx" ON "app"."mood_counts" ("mood")'],
  },
  {
    title: "refreshMaterializedView concurrently",
    op: { kind: "refreshMaterializedView", name: "mood_counts", schema: "app", concurrently: true },
    sql: ['REFRESH MATERIALIZED VIEW CONCURRENTLY "app"."mood_counts"'],
    check: async (q) => expect(await q("SELECT mood::text, n::int FROM app.mood_counts ORDER BY mood")).toEqual([{ mood: "happy", n: 1 }, { mood: "ok", n: 1 }]),
  },
  {
    title: "setComment on a materialized view",
    op: { kind: "setComment", target: { type: "materializedView", name: "mood_counts", schema: "app" }, comment: "refreshed nightly", previous: null },
    sql: [`COMMENT ON MATERIALIZED VIEW "app"."mood_counts" IS 'refreshed nightly'`],
    check: async (q) => expect(await one(q, "SELECT obj_description('app.mood_counts'::regclass, 'pg_class')")).toBe("refreshed nightly"),
  },
  {
    title: "setComment on a constraint",
    op: { kind: "setComment", target: { type: "constraint", name: "tags_pk", table: tags }, comment: "one row per tag", previous: null },
    sql: [`COMMENT ON CONSTRAINT "tags_pk" ON "app"."tags" IS 'one row per tag'`],
    check: async (q) =>
      expect(await one(q, "SELECT obj_description(oid, 'pg_constraint') FROM pg_constraint WHERE conname = 'tags_pk'")).toBe("one row per tag"),
  },
  {
    title: "setComment on a type",
    op: { kind: "setComment", target: { type: "type", name: "mood", schema: "app" }, comment: "how it went", previous: null },
    sql: [`COMMENT ON TYPE "app"."mood" IS 'how it went'`],
    check: async (q) => expect(await one(q, "SELECT obj_description('app.mood'::regtype, 'pg_type')")).toBe("how it went"),
  },
  {
    title: "setTableComment",
    op: { kind: "setTableComment", table: users, comment: "accounts", previous: "people who sign in" },
    sql: [`COMMENT ON TABLE "app"."users" IS 'accounts'`],
    check: async (q) => expect(await one(q, "SELECT obj_description('app.users'::regclass, 'pg_class')")).toBe("accounts"),
  },
  {
    title: "renameTable",
    op: { kind: "renameTable", table: tags, newName: "labels" },
    sql: ['ALTER TABLE "app"."tags" RENAME TO "labels"'],
    check: async (q) => expect(await one(q, "SELECT to_regclass('app.labels') IS NOT NULL")).toBe(true),
  },
  {
    title: "createTable to drop",
    op: { kind: "createTable", table: { schema: "app", name: "scratch" }, columns: [{ name: "id", type: "integer" }] },
    sql: ['CREATE TABLE "app"."scratch" (\n  "id" integer\n)'],
  },
  {
    title: "dropTable with previous",
    op: {
      kind: "dropTable",
      table: { schema: "app", name: "scratch" },
      ifExists: true,
      cascade: true,
      previous: { kind: "createTable", table: { schema: "app", name: "scratch" }, columns: [{ name: "id", type: "integer" }] },
    },
    sql: ['DROP TABLE IF EXISTS "app"."scratch" CASCADE'],
    check: async (q) => expect(await one(q, "SELECT to_regclass('app.scratch') IS NULL")).toBe(true),
  },
  {
    title: "dropEnum with previous",
    op: { kind: "dropEnum", name: "mood", schema: "app", ifExists: true, previous: { kind: "createEnum", name: "mood", schema: "app", values: [] } },
    sql: ['DROP TYPE IF EXISTS "app"."mood"'],
    // The type is still used by app.users, so this step only renders; it is not executed.
  },
  {
    title: "dropSequence with previous",
    op: { kind: "dropSequence", name: "ticket_seq", schema: "app", previous: { kind: "createSequence", name: "ticket_seq", schema: "app" } },
    sql: ['DROP SEQUENCE "app"."ticket_seq"'],
  },
  {
    title: "dropView with previous",
    op: {
      kind: "dropView",
      name: "happy_users",
      schema: "app",
      previous: { kind: "createView", name: "happy_users", schema: "app", definition: "SELECT id, email FROM app.users WHERE mood = 'happy'" },
    },
    sql: ['DROP VIEW "app"."happy_users"'],
    check: async (q) => expect(await one(q, "SELECT to_regclass('app.happy_users') IS NULL")).toBe(true),
  },
  {
    title: "batch renders its operations",
    op: {
      kind: "batch",
      table: users,
      ops: [
        { kind: "addColumn", table: users, column: { name: "age", type: "integer" } },
        { kind: "createCheckConstraint", table: users, name: "users_age_adult", expression: "age >= 18" },
      ],
    },
    sql: ['ALTER TABLE "app"."users" ADD COLUMN "age" integer', 'ALTER TABLE "app"."users" ADD CONSTRAINT "users_age_adult" CHECK (age >= 18)'],
    check: async (q) => expect((await constraintDef(q, "app.users", "users_age_adult"))?.def).toBe("CHECK ((age >= 18))"),
  },
  {
    title: "autocommit marks its statements non-transactional",
    op: { kind: "autocommit", ops: [{ kind: "createIndex", name: "users_age_idx", table: users, keys: ["age"] }] },
    sql: ['CREATE INDEX "users_age_idx" ON "app"."users" ("age")'],
    nonTransactional: [true],
    check: async (q) => expect(await indexDef(q, "users_age_idx")).toContain("(age)"),
  },
];

/** Steps that only render: executing them would fail for reasons unrelated to rendering. */
export const renderOnly = new Set(["dropEnum with previous", "dropSequence with previous"]);
