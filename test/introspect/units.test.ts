import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseRenames } from "../../src/api/schema.js";
import { describeOperation } from "../../src/api/schema-describe.js";
import { expandSchemaGlobs, globToRegExp } from "../../src/api/schema-files.js";
import { filterModel } from "../../src/schema/filter.js";
import { extensionsCreatedBy } from "../../src/api/schema-pglite.js";
import { UsageError } from "../../src/errors.js";
import { emptySchema, emptyTable, type SchemaModel, type TableModel } from "../../src/schema/model.js";
import { tempDir } from "../helpers/databases.js";

function tableModel(name: string, schema = "public"): TableModel {
  return emptyTable(schema, name, [{ name: "id", type: "integer", nullable: false }]);
}

function model(...tables: TableModel[]): SchemaModel {
  return { ...emptySchema("postgresql"), tables };
}

describe("schema file globs", () => {
  const dir = tempDir();
  afterAll(() => dir.remove());
  mkdirSync(join(dir.path, "schema", "nested"), { recursive: true });
  for (const file of ["schema/b.sql", "schema/a.sql", "schema/notes.txt", "schema/nested/c.sql"]) writeFileSync(join(dir.path, file), "");

  it("expands *, ** and folders, sorted, and finds nothing for a glob that matches nothing", () => {
    expect(expandSchemaGlobs(["schema/*.sql"], dir.path).map((p) => p.slice(dir.path.length + 1))).toEqual(["schema/a.sql", "schema/b.sql"]);
    expect(expandSchemaGlobs(["schema/**/*.sql"], dir.path).map((p) => p.slice(dir.path.length + 1))).toEqual([
      "schema/a.sql",
      "schema/b.sql",
      "schema/nested/c.sql",
    ]);
    expect(expandSchemaGlobs(["schema"], dir.path)).toHaveLength(3);
    expect(expandSchemaGlobs(["missing/*.sql", "schema/none.sql"], dir.path)).toEqual([]);
  });

  it("translates a glob without letting regular-expression characters through", () => {
    expect(globToRegExp("a+b?.sql").test("a+bc.sql")).toBe(true);
    expect(globToRegExp("a+b?.sql").test("aab1xsql")).toBe(false);
  });
});

describe("--rename answers", () => {
  const live = model(tableModel("users"), tableModel("orders"));

  it("reads table.column=new as a column and old=new as a table", () => {
    expect(parseRenames(["users.fullname=full_name", "orders=purchases", "app.items=goods"], live)).toEqual({
      tables: { orders: "purchases", "app.items": "goods" },
      columns: { "users.fullname": "full_name" },
    });
  });

  it("rejects an answer that is not OLD=NEW", () => {
    expect(() => parseRenames(["users.fullname"], live)).toThrow(UsageError);
    expect(() => parseRenames(["a=b=c"], live)).toThrow(/not OLD=NEW/);
  });
});

describe("filters", () => {
  it("applies includeName and includeObject to every kind of object", () => {
    const filtered = filterModel(model(tableModel("users"), tableModel("legacy_data"), tableModel("audit", "archive")), {
      includeName: (type, name) => !(type === "table" && name.startsWith("legacy_")),
      includeObject: (item) => !(item.type === "table" && item.object.schema === "archive"),
    });
    expect(filtered.tables.map((t) => t.name)).toEqual(["users"]);
  });
});

describe("readable differences", () => {
  it("describes operations in one line each", () => {
    expect(describeOperation({ kind: "addColumn", table: "users", column: { name: "age", type: "integer", nullable: false } })).toBe(
      "+ column users.age integer NOT NULL",
    );
    expect(describeOperation({ kind: "alterColumn", table: { schema: "app", name: "users" }, column: "age", type: "bigint", previous: { type: "integer" } })).toBe(
      "~ column app.users.age: type integer -> bigint",
    );
    expect(describeOperation({ kind: "dropIndex", name: "users_age_idx", schema: "app" })).toBe("- index app.users_age_idx");
  });
});

describe("extensions a schema file needs", () => {
  it("finds every CREATE EXTENSION, quoted or not", () => {
    expect(extensionsCreatedBy('create extension if not exists ltree;\nCREATE EXTENSION "uuid-ossp";\n-- nothing else')).toEqual(["ltree", "uuid-ossp"]);
  });
});

describe("SQL schema files that need an extension PGlite lacks", () => {
  it("says which extension, before starting anything", async () => {
    const { sqlFilesToModel } = await import("../../src/api/schema-sql.js");
    await expect(sqlFilesToModel([{ path: "schema/geo.sql", text: "CREATE EXTENSION postgis;" }])).rejects.toThrow(
      /extension "postgis" is not available in the embedded PostgreSQL/,
    );
  });
});
