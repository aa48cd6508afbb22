import { describe, expect, it } from "vitest";
import { StratumError } from "../../src/errors.js";
import { orderSqlFiles, parseOrderList } from "../../src/importer/order.js";
import { decodeUtf8 } from "../../src/importer/decode.js";
import { FORECASTIN_FILES } from "./forecastin.js";

const names = Object.keys(FORECASTIN_FILES);

function errorOf(fn: () => unknown): StratumError {
  try {
    fn();
  } catch (error) {
    if (error instanceof StratumError) return error;
    throw error;
  }
  throw new Error("expected a StratumError");
}

describe("ordering legacy SQL files", () => {
  it("orders by numeric prefix then name, pairs the rollback, reports duplicate prefixes", () => {
    const { files } = orderSqlFiles("legacy", [...names].reverse());
    expect(files.map((f) => f.name)).toEqual([
      "001_initial_schema.sql",
      "001_standardize_feature_flag_names.sql",
      "002_ml_ab_testing_framework.sql",
      "004_automated_materialized_view_refresh.sql",
      "004_rss_entity_extraction_schema.sql",
    ]);
    expect(files[1]!.rollback).toBe("001_standardize_feature_flag_names_ROLLBACK.sql");
    expect(files.filter((f) => f.rollback !== undefined)).toHaveLength(1);
    expect(files[0]!.samePrefix).toEqual(["001_standardize_feature_flag_names.sql"]);
    expect(files[2]!.samePrefix).toEqual([]);
  });

  it("sorts prefixes as numbers and puts unnumbered files last", () => {
    const { files } = orderSqlFiles("d", ["10_b.sql", "9_a.sql", "zz.sql", "readme.md", "2_c.up.sql", "2_c.down.sql", "9_a_down.sql"]);
    expect(files.map((f) => f.name)).toEqual(["2_c.up.sql", "9_a.sql", "10_b.sql", "zz.sql"]);
    expect(files.map((f) => f.rollback)).toEqual(["2_c.down.sql", "9_a_down.sql", undefined, undefined]);
  });

  it("follows an order list and refuses one that misses or invents a file", () => {
    const list = { file: "order.txt", entries: parseOrderList("# run order\n002_b.sql\n\n001_a.sql\n") };
    expect(orderSqlFiles("d", ["001_a.sql", "002_b.sql"], list).files.map((f) => f.name)).toEqual(["002_b.sql", "001_a.sql"]);
    expect(errorOf(() => orderSqlFiles("d", ["001_a.sql", "002_b.sql", "003_c.sql"], list)).message).toBe("order.txt: the order file does not list 003_c.sql");
    const extra = { file: "order.txt", entries: parseOrderList("001_a.sql\n002_b.sql\n005_x.sql") };
    expect(errorOf(() => orderSqlFiles("d", ["001_a.sql", "002_b.sql"], extra)).message).toBe("order.txt:3: 005_x.sql is not a forward .sql file in d");
    const twice = { file: "order.txt", entries: parseOrderList("001_a.sql\n001_a.sql\n002_b.sql") };
    expect(errorOf(() => orderSqlFiles("d", ["001_a.sql", "002_b.sql"], twice)).message).toBe("order.txt:2: 001_a.sql is listed twice");
  });

  it("refuses a folder without .sql files and a rollback without its forward file", () => {
    const empty = errorOf(() => orderSqlFiles("legacy", ["notes.txt"]));
    expect(empty.message).toBe("legacy: the folder holds no .sql files");
    expect(empty.exitCode).toBe(2);
    const orphan = errorOf(() => orderSqlFiles("legacy", ["001_a.sql", "002_b_ROLLBACK.sql"]));
    expect(orphan.message).toBe("legacy/002_b_ROLLBACK.sql: rollback file has no forward file (expected 002_b.sql)");
  });
});

describe("decoding", () => {
  it("accepts UTF-8 (dropping a BOM) and names the line of the first bad byte", () => {
    expect(decodeUtf8(Buffer.from("\uFEFFSELECT 'é';"), "a.sql")).toBe("SELECT 'é';");
    const latin1 = Buffer.concat([Buffer.from("SELECT 1;\n-- caf"), Buffer.from([0xe9]), Buffer.from("\n")]);
    expect(errorOf(() => decodeUtf8(latin1, "legacy/a.sql")).message).toMatch(/^legacy\/a\.sql:2: file is not valid UTF-8 \(byte 0xe9\)/);
    expect(errorOf(() => decodeUtf8(Buffer.from([0xff, 0xfe, 0x53, 0x00]), "b.sql")).message).toBe("b.sql: file is UTF-16 encoded; save it as UTF-8 and import again");
  });
});
