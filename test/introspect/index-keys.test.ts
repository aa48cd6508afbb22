import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { introspect } from "../../src/dialects/postgres/introspect.js";
import { createPostgresDatabase, type ScratchDatabase } from "../helpers/databases.js";
import { pgConnection, type CountingConnection } from "./connections.js";

/** Operator classes and key collations are looked up per index key; each must land on its own key. */
describe("PostgreSQL index keys", () => {
  let scratch: ScratchDatabase;
  let connection: CountingConnection;

  beforeAll(async () => {
    scratch = await createPostgresDatabase("stratum_index_keys");
    connection = await pgConnection(scratch.url);
    await connection.exec(`
      CREATE TABLE notes (id integer PRIMARY KEY, title text, body text COLLATE "C", tag varchar(20));
      CREATE INDEX notes_mixed ON notes (title COLLATE "C" text_pattern_ops, body, tag COLLATE "POSIX" DESC);
      CREATE INDEX notes_plain ON notes (title, body COLLATE "C");`);
  });

  afterAll(async () => {
    await connection?.close();
    await scratch?.drop();
  });

  it("reports a non-default operator class and a collation that differs from the column's, key by key", async () => {
    const model = await introspect(connection, { schemas: ["public"], exclude: [] });
    const indexes = model.tables[0]!.indexes;
    expect(indexes.map((i) => i.name)).toEqual(["notes_mixed", "notes_plain"]);
    expect(indexes[0]!.keys).toEqual([
      { column: "title", opclass: "text_pattern_ops", collation: "C" },
      { column: "body" },
      { column: "tag", collation: "POSIX", order: "DESC" },
    ]);
    // The column's own collation is not repeated on the key.
    expect(indexes[1]!.keys).toEqual([{ column: "title" }, { column: "body" }]);
  });
});
