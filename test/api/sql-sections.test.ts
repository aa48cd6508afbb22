import { describe, expect, it } from "vitest";
import { sqlDefinition } from "../../src/api/revisions.js";
import { getDialect } from "../../src/dialects/index.js";
import { RecordingExecutor } from "../../src/ops/executor.js";
import { Op } from "../../src/ops/op.js";

const context = { revision: "d1", dialect: "postgresql" as const, args: {}, offline: true };
const TEXT = '-- stratum:revision id=d1 message="x"\n-- stratum:up\nCREATE TABLE t (id int);\n-- stratum:down\nDROP TABLE t;\n\nDRO oops;\n';

describe("SQL revision sections", () => {
  it("leave the down section unparsed until it runs, then report its bad statement at its line", async () => {
    const definition = await sqlDefinition("v/d.sql", TEXT, getDialect("postgresql"));
    const recorder = new RecordingExecutor("postgresql");
    await definition.upgrade(new Op(recorder), context);
    expect(recorder.operations).toEqual([{ kind: "execute", sql: "CREATE TABLE t (id int)" }]);
    await expect(definition.downgrade!(new Op(new RecordingExecutor("postgresql")), context)).rejects.toThrow(/v\/d\.sql:7: SQL syntax error/);
  });

  it("run the down section again with the same statements", async () => {
    const text = TEXT.replace("\nDRO oops;\n", "\n");
    const definition = await sqlDefinition("v/d.sql", text, getDialect("postgresql"));
    for (let i = 0; i < 2; i++) {
      const recorder = new RecordingExecutor("postgresql");
      await definition.downgrade!(new Op(recorder), context);
      expect(recorder.operations).toEqual([{ kind: "execute", sql: "DROP TABLE t" }]);
    }
  });
});
