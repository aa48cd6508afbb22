import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/drivers/index.js";
import type { Database } from "../../src/drivers/types.js";
import { DatabaseError, UsageError } from "../../src/errors.js";
import { createMysqlDatabase, createPostgresDatabase, MYSQL_SERVER_URL, PG_SERVER_URL, tempDir, type ScratchDatabase } from "../helpers/databases.js";

async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof Error)) throw new Error("expected a failure");
  return error;
}

describe("openDatabase URL handling", () => {
  it("rejects an unknown scheme, naming it and the supported ones", async () => {
    const error = await failure(openDatabase({ url: "oracle://scott:tiger@db/orcl" }));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe(
      'The database URL scheme "oracle:" is not supported; supported: postgres://, postgresql://, pglite:PATH, pglite:memory, sqlite:PATH, sqlite:memory, mysql://, mariadb://.',
    );
  });

  it("rejects a URL without a scheme", async () => {
    const error = await failure(openDatabase({ url: "just-a-name" }));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toMatch(/^The database URL "just-a-name" has no scheme; supported: /);
  });

  it("rejects a server URL that does not parse, such as one with a bad port", async () => {
    const error = await failure(openDatabase({ url: "postgres://postgres:hunter2@127.0.0.1:notaport/db" }));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe("The database URL postgres://postgres:***@127.0.0.1:notaport/db is not a valid URL; check the host, port and database name.");
    const mysqlError = await failure(openDatabase({ url: "mysql://root@127.0.0.1:99999/db" }));
    expect(mysqlError.message).toBe("The database URL mysql://root@127.0.0.1:99999/db is not a valid URL; check the host, port and database name.");
  });

  it("rejects pglite: and sqlite: without a location", async () => {
    expect((await failure(openDatabase({ url: "pglite:" }))).message).toBe('The URL pglite: needs a path or "memory" after "pglite:".');
    expect((await failure(openDatabase({ url: "sqlite:" }))).message).toBe('The URL sqlite: needs a file path or "memory" after "sqlite:".');
  });
});

describe("connection failures", () => {
  it("reports a refused PostgreSQL connection without the password", async () => {
    const error = await failure(openDatabase({ url: "postgres://postgres:hunter2@127.0.0.1:1/db" }));
    expect(error).toBeInstanceOf(DatabaseError);
    expect(error.message).toBe("Cannot connect to postgres://postgres:***@127.0.0.1:1/db: the connection was refused (is the server running?).");
    expect((error as DatabaseError).exitCode).toBe(3);
  });

  it("reports a PostgreSQL database that does not exist", async () => {
    const error = await failure(openDatabase({ url: `${PG_SERVER_URL.replace("postgres@", "postgres:hunter2@")}/no_such_db_here` }));
    expect(error.message).toMatch(/^Cannot connect to postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:5432\/no_such_db_here: the database does not exist: database "no_such_db_here" does not exist\.$/);
    expect((error as DatabaseError).code).toBe("3D000");
    expect(error.message).not.toContain("hunter2");
  });

  it("reports a host that cannot be resolved", async () => {
    const error = await failure(openDatabase({ url: "postgresql://u:hunter2@no-such-host.invalid:5432/db" }));
    expect(error.message).toBe("Cannot connect to postgresql://u:***@no-such-host.invalid:5432/db: the host name could not be resolved.");
  });

  it("reports failed MySQL authentication and a missing MySQL database", async () => {
    const auth = await failure(openDatabase({ url: "mysql://nobody:hunter2@127.0.0.1:3306/x" }));
    expect(auth).toBeInstanceOf(DatabaseError);
    expect(auth.message).toMatch(/^Cannot connect to mysql:\/\/nobody:\*\*\*@127\.0\.0\.1:3306\/x: authentication failed: Access denied for user 'nobody'/);
    expect(auth.message).not.toContain("hunter2");
    const missing = await failure(openDatabase({ url: `${MYSQL_SERVER_URL}/no_such_db_here` }));
    expect(missing.message).toMatch(/the database does not exist: Unknown database 'no_such_db_here'\.$/);
    expect((missing as DatabaseError).code).toBe("1049");
  });

  it("reports a refused MySQL connection", async () => {
    const error = await failure(openDatabase({ url: "mariadb://root:hunter2@127.0.0.1:1/db" }));
    expect(error.message).toBe("Cannot connect to mariadb://root:***@127.0.0.1:1/db: the connection was refused (is the server running?).");
  });

  it("reports a SQLite file that cannot be opened", async () => {
    const error = await failure(openDatabase({ url: "sqlite:/no/such/dir/x.db" }));
    expect(error).toBeInstanceOf(DatabaseError);
    expect(error.message).toMatch(/^Cannot connect to sqlite:\/no\/such\/dir\/x\.db: /);
  });
});

interface Case {
  name: string;
  open(): Promise<{ db: Database; cleanup(): Promise<void> | void }>;
  p: (n: number) => string;
  missingTableCode: string;
}

const dir = tempDir();
const cases: Case[] = [
  {
    name: "pg",
    open: async () => {
      const scratch: ScratchDatabase = await createPostgresDatabase("stratum_drivers");
      return { db: await openDatabase({ url: scratch.url }), cleanup: () => scratch.drop() };
    },
    p: (n) => `$${n}`,
    missingTableCode: "42P01",
  },
  {
    name: "pglite",
    open: async () => ({ db: await openDatabase({ url: `pglite:${join(dir.path, "pgdata")}` }), cleanup: () => {} }),
    p: (n) => `$${n}`,
    missingTableCode: "42P01",
  },
  {
    name: "mysql2",
    open: async () => {
      const scratch = await createMysqlDatabase("stratum_drivers");
      return { db: await openDatabase({ url: scratch.url.replace(/^mysql:/, "mariadb:") }), cleanup: () => scratch.drop() };
    },
    p: () => "?",
    missingTableCode: "1146",
  },
  {
    name: "better-sqlite3",
    open: async () => ({ db: await openDatabase({ url: `sqlite:${join(dir.path, "x.db")}` }), cleanup: () => {} }),
    p: () => "?",
    missingTableCode: "SQLITE_ERROR",
  },
];

describe.each(cases)("driver $name", (c) => {
  let db: Database;
  let cleanup: () => Promise<void> | void;
  beforeAll(async () => {
    ({ db, cleanup } = await c.open());
  });
  afterAll(async () => {
    await db?.close();
    await cleanup?.();
  });

  it("names its driver and binds parameters with the dialect's placeholders", async () => {
    expect(db.driver).toBe(c.name);
    await db.main.query("CREATE TABLE t (id integer PRIMARY KEY, name varchar(20), flag boolean)");
    const insert = await db.main.query(`INSERT INTO t (id, name, flag) VALUES (${c.p(1)}, ${c.p(2)}, ${c.p(3)}), (${c.p(4)}, ${c.p(5)}, ${c.p(6)})`, [1, "o'brien", true, 2, "x", false]);
    expect(insert.rowCount).toBe(2);
    const select = await db.main.query<{ id: unknown; name: unknown; flag: unknown }>(`SELECT id, name, flag FROM t WHERE name = ${c.p(1)}`, ["o'brien"]);
    expect(select.rows.map((r) => [Number(r.id), r.name, Boolean(Number(r.flag)) || r.flag === true])).toEqual([[1, "o'brien", true]]);
    expect(select.rowCount).toBe(0);
    const update = await db.main.query(`UPDATE t SET name = ${c.p(1)} WHERE id > ${c.p(2)}`, ["y", 0]);
    expect(update.rowCount).toBe(2);
  });

  it("turns a failed statement into a DatabaseError with the database's code and message", async () => {
    const error = await failure(db.main.query("SELECT * FROM missing_table_xyz"));
    expect(error).toBeInstanceOf(DatabaseError);
    expect((error as DatabaseError).code).toBe(c.missingTableCode);
    expect(error.message).toContain("missing_table_xyz");
    expect(error.stack ?? "").not.toBe("");
  });

  it("opens a second session where the database has more than one connection", async () => {
    const session = await db.openSession();
    if (c.name === "pg" || c.name === "mysql2") {
      expect(session).not.toBeNull();
      const { rows } = await session!.query<{ one: unknown }>("SELECT 1 AS one");
      expect(Number(rows[0]?.one)).toBe(1);
      await session!.close();
    } else {
      expect(session).toBeNull();
    }
  });

  if (c.name === "pg" || c.name === "pglite") {
    it("runs several statements in one text, and batches with one result each", async () => {
      const result = await db.main.query("CREATE TABLE m (v integer); INSERT INTO m VALUES (1), (2); SELECT sum(v) AS s FROM m");
      expect(Number(result.rows[0]?.s)).toBe(3);
      const batch = await db.main.batch!(["UPDATE m SET v = v + 1", "DELETE FROM m WHERE v = 3", "SELECT count(*) AS n FROM m"]);
      expect(batch.map((r) => r.rowCount)).toEqual([2, 1, 0]);
      expect(Number(batch[2]?.rows[0]?.n)).toBe(1);
      // A statement's trailing comment or semicolon must not swallow or shift the next one.
      const commented = await db.main.batch!(["SELECT 1 AS a -- note", "SELECT 2 AS b;", "SELECT 3 AS c"]);
      expect(commented.map((r) => r.rows)).toEqual([[{ a: 1 }], [{ b: 2 }], [{ c: 3 }]]);
    });

    it("passes server notices to the listener until it is removed", async () => {
      const notices: string[] = [];
      db.main.onNotice!((message) => notices.push(message));
      await db.main.query("DO $$ BEGIN RAISE NOTICE 'first'; END $$");
      await db.main.query("SELECT $1::int AS x", [1]);
      db.main.onNotice!(undefined);
      await db.main.query("DO $$ BEGIN RAISE NOTICE 'second'; END $$");
      expect(notices).toEqual(["first"]);
    });
  }

  if (c.name === "better-sqlite3") {
    it("runs several statements in one text, but refuses parameters there", async () => {
      await db.main.query("CREATE TABLE m (v integer); INSERT INTO m VALUES (1), (2)");
      expect((await db.main.query("SELECT count(*) AS n FROM m")).rows).toEqual([{ n: 2 }]);
      const error = await failure(db.main.query("INSERT INTO m VALUES (?); INSERT INTO m VALUES (?)", [1, 2]));
      expect(error).toBeInstanceOf(UsageError);
    });
  }

  if (c.name === "pg") {
    it("puts a target's schema first on the search path", async () => {
      await db.main.query('CREATE SCHEMA "Tenant 1"');
      const url = (await db.main.query<{ db: string }>("SELECT current_database() AS db")).rows[0]!.db;
      const scoped = await openDatabase({ url: `${PG_SERVER_URL}/${url}`, schema: "Tenant 1" });
      try {
        await scoped.main.query("CREATE TABLE scoped_t (id integer)");
        const { rows } = await db.main.query("SELECT schemaname FROM pg_tables WHERE tablename = 'scoped_t'");
        expect(rows).toEqual([{ schemaname: "Tenant 1" }]);
      } finally {
        await scoped.close();
      }
    });
  }

  if (c.name === "pglite") {
    it("loads the contrib extensions PGlite ships so that CREATE EXTENSION works", async () => {
      for (const ext of ["ltree", "pg_trgm", '"uuid-ossp"', "hstore", "citext", "btree_gist", "cube", "earthdistance", "fuzzystrmatch"]) {
        await db.main.query(`CREATE EXTENSION IF NOT EXISTS ${ext}`);
      }
      const { rows } = await db.main.query<{ depth: number }>("SELECT nlevel('a.b.c'::ltree) AS depth");
      expect(rows).toEqual([{ depth: 3 }]);
    });

    it("keeps a pglite:PATH database across reopening", async () => {
      await db.main.query("CREATE TABLE kept (v integer); INSERT INTO kept VALUES (7)");
      await db.close();
      db = await openDatabase({ url: `pglite:${join(dir.path, "pgdata")}` });
      expect((await db.main.query("SELECT v FROM kept")).rows).toEqual([{ v: 7 }]);
    });
  }
});

afterAll(() => dir.remove());
