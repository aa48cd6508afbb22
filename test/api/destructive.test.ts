import { describe, expect, it } from "vitest";
import { destroyedByDowngrade } from "../../src/api/destructive.js";
import { getDialect } from "../../src/dialects/index.js";
import type { Step } from "../../src/graph/types.js";
import type { Op } from "../../src/ops/op.js";
import type { LoadedRevision } from "../../src/runner/types.js";

function revision(id: string, downgrade: (op: Op) => Promise<void>): LoadedRevision {
  return {
    header: { id, parents: [], message: id, branchLabels: [], dependsOn: [] },
    path: `${id}.ts`,
    kind: "ts",
    checksum: "x",
    load: async () => ({ id, upgrade: async () => {}, downgrade }),
  };
}

const down = (revisionId: string): Step => ({ revision: revisionId, direction: "down", headsBefore: [], headsAfter: [], versionChanges: [] });

async function destroyed(downgrade: (op: Op) => Promise<void>): Promise<string[]> {
  return destroyedByDowngrade([down("r1")], new Map([["r1", revision("r1", downgrade)]]), getDialect("postgresql"), {});
}

describe("destroyedByDowngrade", () => {
  it("finds dropped tables, columns and schemas in operations", async () => {
    expect(
      await destroyed(async (op) => {
        await op.run({ kind: "dropTable", table: { schema: "app", name: "users" } });
        await op.run({ kind: "dropColumn", table: "posts", column: "title" });
        await op.run({ kind: "batch", table: "t", ops: [{ kind: "dropColumn", table: "t", column: "c" }] });
        await op.run({ kind: "dropSchema", name: "old" });
      }),
    ).toEqual(["table app.users", "column posts.title", "column t.c", "schema old"]);
  });

  it("reads drops in raw SQL and ignores drops that destroy no data", async () => {
    expect(
      await destroyed(async (op) => {
        await op.execute('DROP TABLE IF EXISTS "Audit".log; -- DROP TABLE commented_out');
        await op.execute("ALTER TABLE users DROP COLUMN IF EXISTS email");
        await op.execute("ALTER TABLE users DROP CONSTRAINT users_email_key");
        await op.execute("ALTER TABLE users ALTER COLUMN name DROP DEFAULT");
        await op.execute("DROP INDEX users_name_idx");
      }),
    ).toEqual(['table "Audit".log', "column users.email"]);
  });

  it("finds nothing in a downgrade that only removes indexes and rows", async () => {
    expect(
      await destroyed(async (op) => {
        await op.execute("DROP INDEX CONCURRENTLY i");
        await op.execute("DELETE FROM users WHERE id = $1", [1]);
      }),
    ).toEqual([]);
  });

  it("skips upgrade steps and revisions whose downgrade cannot be read ahead", async () => {
    const failing = revision("r2", async (op) => {
      const rows = await op.query<{ name: string }>("SELECT name FROM tables");
      await op.execute(`DROP TABLE ${rows[0]!.name}`);
    });
    const up: Step = { ...down("r1"), direction: "up" };
    const result = await destroyedByDowngrade(
      [up, down("r2")],
      new Map([["r1", revision("r1", async (op) => op.execute("DROP TABLE never"))], ["r2", failing]]),
      getDialect("postgresql"),
      {},
    );
    expect(result).toEqual([]);
  });
});
