import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { createPostgresDatabase, type ScratchDatabase } from "../helpers/databases.js";
import { definitionKey, expressionKey, normalizeDefault, normalizeModel, normalizeType, triggerKey, viewKey } from "../../src/schema/normalize.js";
import { emptySchema } from "../../src/schema/model.js";

describe("normalizeType", () => {
  it.each([
    ["int4", "integer"],
    ["INT", "integer"],
    ["integer", "integer"],
    ["int8", "bigint"],
    ["serial", "integer"],
    ["bigserial", "bigint"],
    ["int2", "smallint"],
    ["bool", "boolean"],
    ["float8", "double precision"],
    ["float", "double precision"],
    ["float(10)", "real"],
    ["decimal(10, 2)", "numeric(10,2)"],
    ["varchar(50)", "character varying(50)"],
    ["character varying(50)", "character varying(50)"],
    ["varchar", "character varying"],
    ["char(3)", "character(3)"],
    ["char", "character(1)"],
    ["timestamptz", "timestamp with time zone"],
    ["timestamptz(3)", "timestamp(3) with time zone"],
    ["timestamp", "timestamp without time zone"],
    ["timestamp(6) without time zone", "timestamp(6) without time zone"],
    ["time", "time without time zone"],
    ["timetz", "time with time zone"],
    ["text[]", "text[]"],
    ["_int4", "integer[]"],
    ["varchar(20)[]", "character varying(20)[]"],
    ["int[][]", "integer[][]"],
    ["pg_catalog.int4", "integer"],
    ["vector(3)", "vector(3)"],
    ["CITEXT", "citext"],
    ['"Mood"', '"Mood"'],
  ])("postgresql %s → %s", (input, expected) => {
    expect(normalizeType(input, "postgresql")).toBe(expected);
  });

  it.each([
    ["int(11)", "integer"],
    ["bigint(20)", "bigint"],
    ["tinyint(1)", "boolean"],
    ["varchar(255)", "character varying(255)"],
    ["decimal(10,2)", "numeric(10,2)"],
    ["double", "double precision"],
    ["jsonb", "json"],
    ["int(10) unsigned", "integer unsigned"],
    ["timestamptz", "timestamp"],
    ["ENUM('on hold', 'done')", "enum('on hold','done')"],
  ])("mysql %s → %s", (input, expected) => {
    expect(normalizeType(input, "mysql")).toBe(expected);
  });

  it("sqlite keeps unknown declared types and maps aliases", () => {
    expect(normalizeType("INT", "sqlite")).toBe("integer");
    expect(normalizeType("TEXT", "sqlite")).toBe("text");
    expect(normalizeType("varchar(10)", "sqlite")).toBe("character varying(10)");
  });
});

describe("normalizeDefault", () => {
  it.each([
    ["'x'::text", "text", "'x'"],
    ["('x'::character varying)", "character varying(10)", "'x'"],
    ["'it''s'::text", "text", "'it''s'"],
    ["now()", "timestamp with time zone", "now()"],
    ["CURRENT_TIMESTAMP", "timestamp with time zone", "now()"],
    ["current_timestamp()", "timestamp", "now()"],
    ["'-1'::integer", "integer", "-1"],
    ["(-1)", "integer", "-1"],
    ["0", "integer", "0"],
    ["1.50", "numeric(10,2)", "1.5"],
    ["'1.5'::numeric", "numeric", "1.5"],
    ["true", "boolean", "true"],
    ["'t'", "boolean", "true"],
    ["0", "boolean", "false"],
    ["NULL", "text", undefined],
    ["NULL::character varying", "character varying", undefined],
    ["nextval('users_id_seq'::regclass)", "integer", "nextval('users_id_seq')"],
    ["'{\"b\": 1, \"a\": [1, 2]}'::jsonb", "jsonb", "'{\"a\":[1,2],\"b\":1}'"],
    ["'active'::mood", "mood", "'active'"],
    ["'{}'::text[]", "text[]", "'{}'"],
    ["gen_random_uuid()", "uuid", "gen_random_uuid()"],
  ])("%s (%s) → %s", (input, type, expected) => {
    expect(normalizeDefault(input, type)).toBe(expected);
  });

  it("leaves an empty default as none", () => {
    expect(normalizeDefault("  ", "text")).toBeUndefined();
    expect(normalizeDefault(undefined, "text")).toBeUndefined();
  });
});

describe("expressionKey", () => {
  it("ignores outer parentheses, spacing, case and literal casts", () => {
    expect(expressionKey("((price > (0)::numeric))")).toBe(expressionKey("price > 0"));
    expect(expressionKey("(status = ANY (ARRAY['a'::text, 'b'::text]))")).toBe(expressionKey("status = any (array['a', 'b'])"));
    expect(expressionKey("deleted_at IS NULL")).toBe(expressionKey("(deleted_at is null)"));
    expect(expressionKey("name = 'A'")).not.toBe(expressionKey("name = 'a'"));
  });

  it("reads PostgreSQL's stored forms of casts and BETWEEN", () => {
    expect(expressionKey("status = 'open'::alert_status")).toBe(expressionKey("status = 'open'"));
    expect(expressionKey("balance >= 0::numeric")).toBe(expressionKey("balance >= 0"));
    expect(expressionKey("severity >= 1 AND severity <= 5")).toBe(expressionKey("severity BETWEEN 1 AND 5"));
    expect(expressionKey("severity >= 1 AND severity <= 6")).not.toBe(expressionKey("severity BETWEEN 1 AND 5"));
    expect(expressionKey("length(title::text) >= 1 AND length(title::text) <= 200")).toBe(expressionKey("length(title) BETWEEN 1 AND 200"));
  });
});

describe("definition keys", () => {
  it("compares function bodies without dollar-quote tags and spacing", () => {
    const printed = "CREATE OR REPLACE FUNCTION public.touch()\n RETURNS trigger\n LANGUAGE plpgsql\nAS $function$ BEGIN RETURN NEW; END $function$\n";
    expect(definitionKey(printed)).toBe(definitionKey("CREATE OR REPLACE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;"));
    expect(definitionKey(printed)).not.toBe(definitionKey("CREATE OR REPLACE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN OLD; END $$"));
  });

  it("compares triggers without the default schema's qualifier", () => {
    expect(triggerKey("CREATE TRIGGER t BEFORE UPDATE ON public.alerts FOR EACH ROW EXECUTE FUNCTION touch()")).toBe(
      triggerKey("CREATE TRIGGER t BEFORE UPDATE ON alerts FOR EACH ROW EXECUTE PROCEDURE touch();"),
    );
    expect(triggerKey("CREATE TRIGGER t AFTER INSERT OR DELETE OR UPDATE ON public.e FOR EACH STATEMENT EXECUTE FUNCTION f()")).toBe(
      triggerKey("CREATE TRIGGER t AFTER INSERT OR UPDATE OR DELETE ON e FOR EACH STATEMENT EXECUTE FUNCTION f()"),
    );
    expect(triggerKey("CREATE TRIGGER t AFTER UPDATE ON alerts FOR EACH ROW EXECUTE FUNCTION touch()")).not.toBe(
      triggerKey("CREATE TRIGGER t BEFORE UPDATE ON alerts FOR EACH ROW EXECUTE FUNCTION touch()"),
    );
  });

  it("compares a single-table view without the column qualifiers PostgreSQL prints", () => {
    const printed = " SELECT alerts.id,\n    alerts.asset_id\n   FROM alerts\n  WHERE alerts.status = 'open'::alert_status;";
    expect(viewKey(printed)).toBe(viewKey("SELECT id, asset_id FROM alerts WHERE status = 'open'"));
    expect(viewKey(printed)).not.toBe(viewKey("SELECT id FROM alerts WHERE status = 'open'"));
    // With a join the qualifiers matter and are kept.
    const joined = "SELECT a.id FROM alerts a JOIN assets b ON b.id = a.asset_id";
    expect(viewKey(joined)).toBe(definitionKey(joined));
  });
});

describe("normalizeModel", () => {
  it("sorts lists by name, keeps column and enum value order, and normalizes types", () => {
    const model = emptySchema("postgresql");
    model.enums.push({ schema: "public", name: "b", values: ["z", "a"] }, { schema: "public", name: "a", values: ["y"] });
    model.tables.push({
      schema: "public",
      name: "t",
      columns: [
        { name: "z", type: "int4", nullable: true, default: "'5'::integer" },
        { name: "a", type: "varchar(3)", nullable: true },
      ],
      uniques: [],
      foreignKeys: [],
      checks: [],
      excludes: [],
      indexes: [
        { name: "t_b", unique: false, method: "btree", keys: [{ column: "a" }], include: [] },
        { name: "t_a", unique: false, method: "btree", keys: [{ column: "z" }], include: [] },
      ],
      triggers: [],
      rowLevelSecurity: false,
      policies: [],
    });
    const normalized = normalizeModel(model);
    expect(normalized.enums.map((e) => e.name)).toEqual(["a", "b"]);
    expect(normalized.enums[1]!.values).toEqual(["z", "a"]);
    expect(normalized.tables[0]!.columns.map((c) => [c.name, c.type, c.default])).toEqual([
      ["z", "integer", "5"],
      ["a", "character varying(3)", undefined],
    ]);
    expect(normalized.tables[0]!.indexes.map((i) => i.name)).toEqual(["t_a", "t_b"]);
  });
});

describe("agreement with PostgreSQL's catalog", () => {
  let database: ScratchDatabase;
  let client: pg.Client;
  beforeAll(async () => {
    database = await createPostgresDatabase("stratum_normalize");
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });

  const declarations: [string, string, string | null][] = [
    ["a", "int4", "'-1'"],
    ["b", "int8", "5"],
    ["c", "varchar(50)", "'x'"],
    ["d", "timestamptz", "CURRENT_TIMESTAMP"],
    ["e", "timestamptz(3)", "now()"],
    ["f", "bool", "'t'"],
    ["g", "float8", "1.5"],
    ["h", "decimal(10,2)", "0"],
    ["i", "text[]", "'{}'"],
    ["j", "char(2)", "'ab'"],
    ["k", "timestamp", null],
    ["l", "jsonb", `'{"b": 1, "a": 2}'`],
    ["m", "time", null],
    ["n", "smallint", "(-3)"],
    ["o", "uuid", "gen_random_uuid()"],
    ["p", "numeric", "'2.50'"],
    ["q", "varchar(20)[]", null],
    ["r", "float4", null],
    ["s", "text", "'it''s'"],
    ["t", "date", "CURRENT_DATE"],
  ];

  it("normalizes declared types and defaults to what format_type and pg_get_expr print", async () => {
    const columns = declarations.map(([name, type, value]) => `${name} ${type}${value === null ? "" : ` DEFAULT ${value}`}`);
    await client.query(`CREATE TABLE sample (${columns.join(", ")}, z serial)`);
    const { rows } = await client.query<{ name: string; type: string; default: string | null }>(
      `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, pg_get_expr(d.adbin, d.adrelid) AS default
         FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE a.attrelid = 'sample'::regclass AND a.attnum > 0 ORDER BY a.attnum`,
    );
    for (const [name, declaredType, declaredDefault] of declarations) {
      const row = rows.find((r) => r.name === name)!;
      const type = normalizeType(declaredType, "postgresql");
      expect(type, name).toBe(row.type);
      expect(normalizeType(row.type, "postgresql"), name).toBe(row.type);
      expect(normalizeDefault(declaredDefault ?? undefined, type), name).toBe(normalizeDefault(row.default ?? undefined, row.type));
    }
    const serial = rows.find((r) => r.name === "z")!;
    expect(normalizeType("serial", "postgresql")).toBe(serial.type);
    expect(normalizeDefault(serial.default!, serial.type)).toBe("nextval('sample_z_seq')");
  });
});
