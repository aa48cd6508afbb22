/**
 * The model read from parse trees must be the model PostgreSQL itself produces for the same files,
 * and everything it cannot be sure of must be left to PostgreSQL. Checked against PGlite: random
 * schemas in the supported subset, the constructs outside it, and files PostgreSQL rejects.
 */
import type { PGlite } from "@electric-sql/pglite";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scratchConnection, startScratchPGlite } from "../../src/api/schema-pglite.js";
import { sqlFilesOnServer } from "../../src/api/schema-sql-server.js";
import { applySqlFiles, introspectApplied, sqlFilesToModel } from "../../src/api/schema-sql.js";
import { validateConfig } from "../../src/config/validate.js";
import { modelFromParseTrees, type ParseModelResult } from "../../src/dialects/postgres/parse-model.js";
import type { Database } from "../../src/drivers/types.js";
import type { SchemaModel } from "../../src/schema/model.js";
import { normalizeModel } from "../../src/schema/normalize.js";

let db: PGlite;

beforeAll(async () => {
  db = await startScratchPGlite([]);
}, 60_000);
afterAll(async () => {
  await db.close();
});

/** What PGlite makes of the files, normalized as the direct model is; an Error when it rejects them. */
async function throughPostgres(text: string, options: { schemas?: string[]; exclude?: string[] } = {}): Promise<SchemaModel | Error> {
  await db.exec("DROP SCHEMA IF EXISTS public CASCADE; DROP SCHEMA IF EXISTS side CASCADE; CREATE SCHEMA public;");
  try {
    await applySqlFiles((sql) => db.exec(sql), [{ path: "schema.sql", text }]);
  } catch (error) {
    return error as Error;
  }
  return normalizeModel(await introspectApplied(scratchConnection(db), { exclude: options.exclude ?? [], ...(options.schemas ? { schemas: options.schemas } : {}) }));
}

const direct = (text: string, options: { schemas?: string[]; exclude?: string[] } = {}): Promise<ParseModelResult> =>
  modelFromParseTrees([{ path: "schema.sql", text }], options);

async function expectSameModel(text: string, options: { schemas?: string[]; exclude?: string[] } = {}): Promise<SchemaModel> {
  const result = await direct(text, options);
  if (!("model" in result)) throw new Error(`expected the direct path to take this file, but: ${result.unsupported} (line ${result.line})\n${text}`);
  const expected = await throughPostgres(text, options);
  if (expected instanceof Error) throw new Error(`the direct path took a file PostgreSQL rejects: ${expected.message}\n${text}`);
  expect(result.model).toStrictEqual(expected);
  return result.model;
}

async function expectLeftToPostgres(text: string, reason: RegExp, line?: number): Promise<void> {
  const result = await direct(text);
  if ("model" in result) throw new Error(`expected the direct path to decline:\n${text}`);
  expect(result.unsupported).toMatch(reason);
  expect(result.file).toBe("schema.sql");
  if (line !== undefined) expect(result.line).toBe(line);
}

describe("the model read from parse trees", () => {
  it("equals PostgreSQL's for the benchmark's table shape, foreign-key chain included", async () => {
    const tables = Array.from({ length: 6 }, (_, i) => `CREATE TABLE t${i} (
  id integer PRIMARY KEY,
  parent_id integer${i === 0 ? "" : ` REFERENCES t${i - 1} (id)`},
  name varchar(100) NOT NULL,
  code text,
  amount numeric(12,2) DEFAULT 0,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  payload jsonb,
  ratio double precision,
  note varchar(255)
);
CREATE INDEX t${i}_name_idx ON t${i} (name);
CREATE INDEX t${i}_parent_idx ON t${i} (parent_id);
`);
    const model = await expectSameModel(tables.join("\n"));
    expect(model.tables).toHaveLength(6);
    expect(model.tables[1]!.foreignKeys[0]).toMatchObject({ name: "t1_parent_id_fkey", refTable: "t0", refColumns: ["id"] });
  });

  it("equals PostgreSQL's for serials, enums, arrays, schemas, comments, generated names and ALTER TABLE keys", async () => {
    await expectSameModel(`
CREATE SCHEMA side;
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TYPE side.level AS ENUM ('low', 'high');
CREATE TABLE accounts (
  id bigserial PRIMARY KEY,
  email varchar(200) NOT NULL UNIQUE,
  handle text DEFAULT 'it''s',
  feeling mood NOT NULL DEFAULT 'ok',
  tags text[],
  balance numeric(10,2) DEFAULT -1.5,
  score double precision DEFAULT 0,
  small smallint DEFAULT -3,
  settings jsonb NOT NULL DEFAULT '{}'::jsonb,
  token uuid DEFAULT gen_random_uuid(),
  seen timestamptz(3) DEFAULT CURRENT_TIMESTAMP,
  born date DEFAULT CURRENT_DATE,
  raw bytea
);
CREATE TABLE side.items (
  owner_id bigint NOT NULL,
  position integer NOT NULL,
  level side.level DEFAULT 'high',
  label character varying(20) DEFAULT 'x'::character varying,
  PRIMARY KEY (owner_id, position),
  UNIQUE (label, level),
  FOREIGN KEY (owner_id) REFERENCES accounts ON DELETE CASCADE ON UPDATE SET NULL DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE "Links" ("From" bigint, "to" bigint, CONSTRAINT links_pk PRIMARY KEY ("From", "to"));
ALTER TABLE ONLY "Links" ADD CONSTRAINT links_from FOREIGN KEY ("From") REFERENCES accounts (id);
ALTER TABLE "Links" ADD FOREIGN KEY ("to") REFERENCES accounts (id) ON DELETE RESTRICT;
CREATE UNIQUE INDEX ON accounts (handle DESC NULLS LAST, score) INCLUDE (tags);
CREATE INDEX accounts_seen ON accounts (seen NULLS FIRST, born DESC);
CREATE INDEX ON side.items (level);
COMMENT ON TABLE accounts IS 'who signs in';
COMMENT ON COLUMN accounts.email IS 'unique';
COMMENT ON COLUMN side.items.label IS 'short';
COMMENT ON TABLE side.items IS NULL;
`);
  });

  it("shortens long generated names as PostgreSQL does", async () => {
    const long = "a_rather_long_table_name_that_goes_on_and_on_for_a_while";
    await expectSameModel(`
CREATE TABLE ${long} (id integer PRIMARY KEY, another_quite_long_column_name integer UNIQUE, parent integer REFERENCES ${long});
CREATE INDEX ON ${long} (another_quite_long_column_name, parent);
`);
  });

  it("takes names over 63 bytes as the parser shortens them, which is what PostgreSQL stores", async () => {
    await expectSameModel(`CREATE TABLE ${"x".repeat(70)} (id int PRIMARY KEY, ${"y".repeat(66)} int UNIQUE);`);
  });

  it("keeps only the schemas asked for and leaves excluded tables out", async () => {
    const text = "CREATE SCHEMA side; CREATE TABLE side.a (id int PRIMARY KEY); CREATE TABLE b (id int); CREATE TABLE stratum_version (version_num varchar(32) NOT NULL);";
    await expectSameModel(text, { exclude: ["stratum_version"] });
    await expectSameModel(text, { schemas: ["side"] });
  });

  it("equals PostgreSQL's for random schemas in the subset it takes", async () => {
    let taken = 0;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(randomSchema, async (text) => {
        runs++;
        const result = await direct(text);
        if (!("model" in result)) return;
        taken++;
        const expected = await throughPostgres(text);
        if (expected instanceof Error) throw new Error(`the direct path took a file PostgreSQL rejects: ${expected.message}\n${text}`);
        expect(result.model).toStrictEqual(expected);
      }),
      { numRuns: Number(process.env.PARSE_MODEL_RUNS ?? 60) },
    );
    // A generator whose schemas the path always declines would prove nothing.
    expect(taken).toBeGreaterThan(runs * 0.6);
  }, 120_000);
});

describe("what the direct path leaves to PostgreSQL", () => {
  const outside: [string, string, RegExp][] = [
    ["a CHECK", "CREATE TABLE a (n int CHECK (n > 0));", /CONSTR_CHECK/],
    ["a view", "CREATE TABLE a (n int);\nCREATE VIEW v AS SELECT n FROM a;", /ViewStmt/],
    ["a function", "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';", /CreateFunctionStmt/],
    ["an extension", "CREATE EXTENSION pg_trgm;", /CreateExtensionStmt/],
    ["a SET", "SET search_path = side;", /VariableSetStmt/],
    ["an identity column", "CREATE TABLE a (id int GENERATED ALWAYS AS IDENTITY);", /IDENTITY/],
    ["a partial index", "CREATE TABLE a (n int);\nCREATE INDEX ON a (n) WHERE n > 0;", /index with options/],
    ["an expression index", "CREATE TABLE a (n text);\nCREATE INDEX ON a (lower(n));", /expression/],
    ["a GIN index", "CREATE TABLE a (d jsonb);\nCREATE INDEX ON a USING gin (d);", /gin index/],
    ["an unknown type", "CREATE TABLE a (p point);", /type point/],
    ["an expression default", "CREATE TABLE a (n int DEFAULT 1 + 1);", /default of a.n/],
    ["now() on a timestamp without zone", "CREATE TABLE a (t timestamp DEFAULT now());", /default now\(\) of a.t/],
    ["a jsonb default PostgreSQL reformats", `CREATE TABLE a (d jsonb DEFAULT '{"a":1}');`, /reformats/],
    ["a string with a backslash", String.raw`CREATE TABLE a (s text DEFAULT 'a\b');`, /escapes/],
    ["IF NOT EXISTS", "CREATE TABLE IF NOT EXISTS a (n int);", /IF NOT EXISTS/],
    ["an unlogged table", "CREATE UNLOGGED TABLE a (n int);", /unlogged/],
    ["a collation", `CREATE TABLE a (s text COLLATE "C");`, /COLLATE/],
    ["a generated name already taken", "CREATE TABLE a (n int);\nCREATE INDEX ON a (n);\nCREATE INDEX ON a (n);", /a_n_idx, which is taken/],
    ["a repeated key, which PostgreSQL drops quietly", "CREATE TABLE a (n int UNIQUE, UNIQUE (n));", /a_n_key/],
    ["a reference between different types", "CREATE TABLE b (id bigint PRIMARY KEY);\nCREATE TABLE a (b_id int REFERENCES b);", /different types/],
    ["a default longer than its column", "CREATE TABLE a (s varchar(2) DEFAULT 'abc');", /longer than the column/],
  ];
  for (const [what, text, reason] of outside) {
    it(`declines ${what}`, async () => {
      await expectLeftToPostgres(text, reason);
    });
  }

  it("names the line of the statement it declines", async () => {
    await expectLeftToPostgres("-- tables\nCREATE TABLE a (n int);\n\n/* checked */\nCREATE TABLE b (n int CHECK (n > 0));\n", /CONSTR_CHECK/, 5);
  });

  // PostgreSQL rejects each of these; declining them lets it say so, with its own message.
  const rejected: [string, string, RegExp][] = [
    ["a reference to a table created later", "CREATE TABLE a (b_id int REFERENCES b);\nCREATE TABLE b (id int PRIMARY KEY);", /does not exist yet/],
    ["a reference to a column that is not a key", "CREATE TABLE b (id int PRIMARY KEY, n int);\nCREATE TABLE a (n int REFERENCES b (n));", /not a key/],
    ["a reference to a table with no primary key", "CREATE TABLE b (id int);\nCREATE TABLE a (b_id int REFERENCES b);", /no primary key/],
    ["a table created twice", "CREATE TABLE a (n int);\nCREATE TABLE a (n int);", /used twice/],
    ["a table named like a type", "CREATE TYPE a AS ENUM ('x');\nCREATE TABLE a (n int);", /type name a/],
    ["a column declared twice", "CREATE TABLE a (n int, n text);", /declared twice/],
    ["an index on a missing column", "CREATE TABLE a (n int);\nCREATE INDEX ON a (m);", /does not have/],
    ["a default that is not an enum value", "CREATE TYPE e AS ENUM ('x');\nCREATE TABLE a (v e DEFAULT 'y');", /not a value of e/],
    ["an integer default on a boolean", "CREATE TABLE a (b boolean DEFAULT 1);", /integer default/],
    ["two primary keys", "CREATE TABLE a (n int PRIMARY KEY, m int, PRIMARY KEY (m));", /second primary key/],
    ["a table in a schema not created", "CREATE TABLE nowhere.a (n int);", /schema nowhere/],
    ["a syntax error", "CREATE TABLE a (n int,);", /does not parse/],
    ["an index name taken by a table", "CREATE TABLE a (n int);\nCREATE INDEX a ON a (n);", /used twice/],
  ];
  for (const [what, text, reason] of rejected) {
    it(`declines ${what}, which PostgreSQL rejects`, async () => {
      await expectLeftToPostgres(text, reason);
      expect(await throughPostgres(text)).toBeInstanceOf(Error);
    });
  }
});

describe("SQL schema files through sqlFilesToModel", () => {
  let starts = 0;
  const counting = async (extensions: readonly string[]): Promise<PGlite> => {
    starts++;
    return startScratchPGlite(extensions);
  };

  it("starts no scratch database for files the direct path takes, and one for the rest", async () => {
    starts = 0;
    const plain = await sqlFilesToModel([{ path: "a.sql", text: "CREATE TABLE a (id int PRIMARY KEY);" }], { cache: false }, counting);
    expect(starts).toBe(0);
    expect(plain.tables.map((t) => t.name)).toEqual(["a"]);

    const checked = await sqlFilesToModel([{ path: "a.sql", text: "CREATE TABLE a (id int PRIMARY KEY CHECK (id > 0));" }], { cache: false }, counting);
    expect(starts).toBe(1);
    expect(checked.tables[0]!.checks).toHaveLength(1);

    await sqlFilesToModel([{ path: "a.sql", text: "CREATE TABLE a (id int PRIMARY KEY);" }], { cache: false, direct: false }, counting);
    expect(starts).toBe(2);

    process.env.STRATUM_NO_SCHEMA_PARSE = "1";
    try {
      await sqlFilesToModel([{ path: "a.sql", text: "CREATE TABLE a (id int PRIMARY KEY);" }], { cache: false }, counting);
    } finally {
      delete process.env.STRATUM_NO_SCHEMA_PARSE;
    }
    expect(starts).toBe(3);
  }, 60_000);

  it("needs no temporary database on the server for files the direct path takes", async () => {
    // Any use of this database or URL fails, so only the direct path can answer.
    const unusable = new Proxy({} as Database, {
      get() {
        throw new Error("the server was used");
      },
    });
    const url = "postgres://127.0.0.1:1/nowhere";
    const model = await sqlFilesOnServer(unusable, url, [{ path: "a.sql", text: "CREATE TABLE a (id int PRIMARY KEY);" }], {});
    expect(model.tables.map((t) => t.name)).toEqual(["a"]);
    await expect(sqlFilesOnServer(unusable, url, [{ path: "a.sql", text: "CREATE VIEW v AS SELECT 1;" }], {})).rejects.toThrow(/the server was used/);
  });

  it("accepts schemaParse in the config as true or false only", () => {
    expect(validateConfig({ schemaParse: false }, "stratum.config.ts")).toEqual({ schemaParse: false });
    expect(() => validateConfig({ schemaParse: "no" }, "stratum.config.ts")).toThrow(/schemaParse must be true or false/);
  });

  it("reports PostgreSQL's own error, with file and line, for a file the direct path declines", async () => {
    const files = [{ path: "schema/app.sql", text: "CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (a_id int REFERENCES missing);\n" }];
    await expect(sqlFilesToModel(files, { cache: false }, counting)).rejects.toThrow(/schema\/app\.sql:2.*relation "missing" does not exist/);
  }, 60_000);
});

// --- random schemas in the supported subset ---

interface ColumnKind {
  type: string;
  defaults: string[];
  /** May be a key or indexed. */
  keyable: boolean;
}

const columnKinds: ColumnKind[] = [
  { type: "integer", defaults: ["0", "7", "-2"], keyable: true },
  { type: "bigint", defaults: ["1", "-9"], keyable: true },
  { type: "smallint", defaults: ["3"], keyable: true },
  { type: "text", defaults: ["'x'", "'o''k'", "''", "'x'::text"], keyable: true },
  { type: "varchar(30)", defaults: ["'short'", "'x'::character varying"], keyable: true },
  { type: "numeric(8,3)", defaults: ["0", "2.5", "-0.75"], keyable: true },
  { type: "numeric", defaults: ["10"], keyable: true },
  { type: "double precision", defaults: ["1.25", "0"], keyable: true },
  { type: "real", defaults: ["4"], keyable: true },
  { type: "boolean", defaults: ["true", "false"], keyable: true },
  { type: "timestamptz", defaults: ["now()", "CURRENT_TIMESTAMP"], keyable: true },
  { type: "timestamp(2)", defaults: [], keyable: true },
  { type: "date", defaults: ["CURRENT_DATE"], keyable: true },
  { type: "uuid", defaults: ["gen_random_uuid()"], keyable: true },
  { type: "jsonb", defaults: ["'{}'", "'[]'::jsonb"], keyable: true },
  { type: "text[]", defaults: [], keyable: true },
  { type: "bytea", defaults: [], keyable: true },
  { type: "palette", defaults: ["'red'", "'blue'"], keyable: true },
];

const columnArb = fc.record({
  kind: fc.integer({ min: 0, max: columnKinds.length - 1 }),
  notNull: fc.boolean(),
  withDefault: fc.boolean(),
  defaultPick: fc.nat(),
  unique: fc.integer({ min: 0, max: 9 }),
  comment: fc.option(fc.constantFrom("plain", "it's"), { nil: undefined }),
});

const tableArb = fc.record({
  inSide: fc.boolean(),
  serialKey: fc.boolean(),
  columns: fc.array(columnArb, { minLength: 1, maxLength: 5 }),
  parent: fc.option(fc.nat(), { nil: undefined }),
  onDelete: fc.constantFrom("", " ON DELETE CASCADE", " ON DELETE SET NULL", " ON UPDATE RESTRICT"),
  deferrable: fc.boolean(),
  alterLater: fc.boolean(),
  indexes: fc.array(
    fc.record({ columns: fc.uniqueArray(fc.nat({ max: 4 }), { minLength: 1, maxLength: 3 }), named: fc.boolean(), unique: fc.boolean(), desc: fc.boolean(), include: fc.boolean() }),
    { maxLength: 2 },
  ),
  comment: fc.boolean(),
});

const randomSchema: fc.Arbitrary<string> = fc.array(tableArb, { minLength: 1, maxLength: 4 }).map((tables) => {
  const out = ["CREATE SCHEMA side;", "CREATE TYPE palette AS ENUM ('red', 'green', 'blue');"];
  const later: string[] = [];
  const names: string[] = [];
  tables.forEach((shape, t) => {
    const name = `${shape.inSide ? "side." : ""}t${t}`;
    const bare = `t${t}`;
    const lines = [`  id ${shape.serialKey ? "serial" : "integer"} PRIMARY KEY`];
    const columns = shape.columns.map((c, i) => {
      const kind = columnKinds[c.kind]!;
      let line = `  c${i} ${kind.type}`;
      if (c.notNull) line += " NOT NULL";
      if (c.withDefault && kind.defaults.length > 0) line += ` DEFAULT ${kind.defaults[c.defaultPick % kind.defaults.length]}`;
      if (c.unique === 0 && kind.keyable) line += " UNIQUE";
      lines.push(line);
      return `c${i}`;
    });
    const parent = shape.parent === undefined || t === 0 ? undefined : names[shape.parent % t];
    if (parent !== undefined) {
      const reference = `FOREIGN KEY (parent_id) REFERENCES ${parent}${shape.onDelete}${shape.deferrable ? " DEFERRABLE" : ""}`;
      lines.push("  parent_id integer");
      if (shape.alterLater) later.push(`ALTER TABLE ${name} ADD ${reference};`);
      else lines.push(`  ${reference}`);
    }
    out.push(`CREATE TABLE ${name} (\n${lines.join(",\n")}\n);`);
    names.push(name);
    shape.indexes.forEach((ix, i) => {
      const keys = ix.columns.filter((k) => k < columns.length).map((k) => `${columns[k]}${ix.desc && k % 2 === 0 ? " DESC" : ""}`);
      if (keys.length === 0) return;
      const include = ix.include && !ix.unique ? " INCLUDE (id)" : "";
      out.push(`CREATE ${ix.unique ? "UNIQUE " : ""}INDEX ${ix.named ? `${bare}_ix${i} ` : ""}ON ${name} (${keys.join(", ")})${include};`);
    });
    if (shape.comment) out.push(`COMMENT ON TABLE ${name} IS 'table ${t}';`);
    shape.columns.forEach((c, i) => {
      if (c.comment !== undefined) out.push(`COMMENT ON COLUMN ${name}.c${i} IS '${c.comment.replace(/'/g, "''")}';`);
    });
  });
  return [...out, ...later].join("\n");
});
