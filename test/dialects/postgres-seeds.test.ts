/**
 * The users' own migrations (Forecastin, the AGI tracker, MNFST-RAG) written with `op` and as SQL,
 * run on PGlite the way a runner runs a revision, then rolled back.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { splitStatements } from "../../src/dialects/postgres/split.js";
import { sql } from "../../src/ops/types.js";
import { applyRevision, catalogSnapshot, openPglite, runInTransactions, type Engine } from "../ops/engines.js";

let engine: Engine;
let empty: Record<string, unknown>[];

beforeAll(async () => {
  engine = await openPglite();
  empty = await catalogSnapshot(engine.query);
});
afterAll(async () => {
  await engine?.close();
});

describe("Forecastin: entities with ltree, GiST indexes and a refreshed materialized view", () => {
  it("upgrades with op", async () => {
    await applyRevision(engine, async (op) => {
      await op.createExtension("ltree", { ifNotExists: true });
      await op.createTable("entities", [
        { name: "id", type: "uuid", primaryKey: true, default: sql`gen_random_uuid()` },
        { name: "name", type: "text", nullable: false },
        { name: "entity_type", type: "text", nullable: false },
        { name: "path", type: "ltree", nullable: false },
        { name: "path_depth", type: "integer", nullable: false, default: 0 },
        { name: "is_active", type: "boolean", nullable: false, default: true },
      ]);
      await op.createIndex("entities_path_gist_idx", "entities", ["path"], { method: "gist" });
      await op.bulkInsert("entities", [
        { name: "World", entity_type: "region", path: "world", path_depth: 1 },
        { name: "Europe", entity_type: "region", path: "world.europe", path_depth: 2 },
        { name: "France", entity_type: "country", path: "world.europe.france", path_depth: 3 },
        { name: "Atlantis", entity_type: "country", path: "world.atlantis", path_depth: 2, is_active: false },
      ]);
    });
    expect(await engine.query("SELECT name FROM entities WHERE path <@ 'world.europe' ORDER BY path")).toEqual([{ name: "Europe" }, { name: "France" }]);
    expect(await engine.query("SELECT indexdef FROM pg_indexes WHERE indexname = 'entities_path_gist_idx'")).toEqual([
      { indexdef: "CREATE INDEX entities_path_gist_idx ON public.entities USING gist (path)" },
    ]);
  });

  it("runs the seed's materialized view file, split by the parser", async () => {
    const file = `-- 004_automated_materialized_view_refresh.sql
CREATE MATERIALIZED VIEW hierarchy_mv AS
SELECT
    e.id,
    e.name,
    e.path,
    e.path_depth,
    nlevel(e.path) as computed_depth,
    (SELECT COUNT(*) FROM entities WHERE path <@ e.path) as descendant_count
FROM entities e
WHERE e.is_active = true;

-- Create indexes on materialized view
CREATE UNIQUE INDEX hierarchy_mv_id_idx ON hierarchy_mv (id);
CREATE INDEX hierarchy_mv_path_gist_idx ON hierarchy_mv USING GIST (path);
CREATE INDEX hierarchy_mv_depth_idx ON hierarchy_mv (path_depth);

-- Function to refresh materialized view
CREATE OR REPLACE FUNCTION refresh_hierarchy_mv()
RETURNS TRIGGER AS $$
BEGIN
    REFRESH MATERIALIZED VIEW CONCURRENTLY hierarchy_mv;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- Trigger on entity changes
CREATE TRIGGER entity_hierarchy_refresh
AFTER INSERT OR UPDATE OR DELETE ON entities
FOR EACH STATEMENT
EXECUTE FUNCTION refresh_hierarchy_mv();
`;
    const statements = await splitStatements(file, "004_automated_materialized_view_refresh.sql");
    expect(statements.map((s) => s.line)).toEqual([2, 14, 15, 16, 19, 28]);
    expect(statements.every((s) => !s.nonTransactional)).toBe(true);
    await runInTransactions(engine, statements.map((s) => ({ sql: s.sql, transactional: !s.nonTransactional })));
    expect(await engine.query("SELECT name, computed_depth, descendant_count::int AS n FROM hierarchy_mv ORDER BY path")).toEqual([
      { name: "World", computed_depth: 1, n: 4 },
      { name: "Europe", computed_depth: 2, n: 2 },
      { name: "France", computed_depth: 3, n: 1 },
    ]);
    // The trigger refreshes the view concurrently on every change.
    await engine.query("INSERT INTO entities (name, entity_type, path) VALUES ('Paris', 'city', 'world.europe.france.paris')");
    expect(await engine.query("SELECT descendant_count::int AS n FROM hierarchy_mv WHERE name = 'Europe'")).toEqual([{ n: 3 }]);
  });

  it("refreshes the view with op and downgrades to an empty schema", async () => {
    await applyRevision(engine, async (op) => {
      await op.refreshMaterializedView("hierarchy_mv", { concurrently: true });
    });
    await applyRevision(engine, async (op) => {
      await op.execute("DROP TRIGGER IF EXISTS entity_hierarchy_refresh ON entities");
      await op.execute("DROP FUNCTION IF EXISTS refresh_hierarchy_mv()");
      await op.dropMaterializedView("hierarchy_mv");
      await op.dropTable("entities");
      await op.dropExtension("ltree", { ifExists: true, cascade: true });
    });
    expect(await catalogSnapshot(engine.query)).toEqual(empty);
  });
});

describe("AGI tracker: CHECK constraints, partial and GIN full-text indexes (migration 022)", () => {
  it("upgrades, with the indexes built concurrently outside the transaction", async () => {
    await applyRevision(engine, async (op) => {
      await op.createTable("events", [
        { name: "id", type: "serial", primaryKey: true },
        { name: "title", type: "text", nullable: false },
        { name: "summary", type: "text" },
        { name: "retracted", type: "boolean", nullable: false, default: false },
        { name: "published_at", type: "timestamptz", nullable: false, default: sql`now()` },
      ]);
      await op.createTable("event_signpost_links", [
        { name: "event_id", type: "integer", nullable: false, references: { table: "events", column: "id", onDelete: "CASCADE" } },
        { name: "signpost_id", type: "integer", nullable: false },
        { name: "confidence", type: "numeric(3,2)" },
      ]);
      await op.createTable(
        "index_snapshots",
        [
          { name: "id", type: "serial", primaryKey: true },
          { name: "preset", type: "text", nullable: false },
          { name: "as_of_date", type: "date", nullable: false },
        ],
        { uniques: [{ name: "index_snapshots_as_of_date_key", columns: ["as_of_date"] }] },
      );
    });
    const statements = await applyRevision(engine, async (op) => {
      await op.createCheckConstraint("ck_links_confidence_range", "event_signpost_links", "confidence >= 0 AND confidence <= 1");
      await op.createIndex("idx_events_title_fts", "events", [{ expression: "to_tsvector('english', title)" }], { method: "gin", concurrently: true });
      await op.createIndex("idx_events_summary_fts", "events", [{ expression: "to_tsvector('english', coalesce(summary, ''))" }], {
        method: "gin",
        concurrently: true,
      });
      await op.createIndex("idx_events_active_published", "events", [{ column: "published_at", order: "DESC" }], {
        where: "NOT retracted",
        concurrently: true,
        ifNotExists: true,
      });
      await op.createIndex("idx_links_event", "event_signpost_links", ["event_id"], { concurrently: true });
      await op.dropConstraint("index_snapshots_as_of_date_key", "index_snapshots", { type: "unique" });
      await op.createUniqueConstraint("uq_index_snapshots_preset_date", "index_snapshots", ["preset", "as_of_date"]);
    });
    expect(statements.map((s) => s.transactional)).toEqual([true, false, false, false, false, true, true]);

    await engine.query("INSERT INTO events (title, summary) VALUES ('GPT-5 released', 'A new model'), ('Old news', NULL)");
    await engine.query("UPDATE events SET retracted = true WHERE title = 'Old news'");
    expect(await engine.query("SELECT title FROM events WHERE to_tsvector('english', title) @@ to_tsquery('english', 'release')")).toEqual([
      { title: "GPT-5 released" },
    ]);
    await expect(engine.query("INSERT INTO event_signpost_links VALUES (1, 1, 1.5)")).rejects.toThrow(/ck_links_confidence_range/);
    await engine.query("INSERT INTO index_snapshots (preset, as_of_date) VALUES ('a', '2024-01-01'), ('b', '2024-01-01')");
    await expect(engine.query("INSERT INTO index_snapshots (preset, as_of_date) VALUES ('a', '2024-01-01')")).rejects.toThrow(
      /uq_index_snapshots_preset_date/,
    );
    const indexes = await engine.query("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'events' AND indexname LIKE 'idx_%' ORDER BY 1");
    expect(indexes).toEqual([
      { indexname: "idx_events_active_published", indexdef: "CREATE INDEX idx_events_active_published ON public.events USING btree (published_at DESC) WHERE (NOT retracted)" },
      { indexname: "idx_events_summary_fts", indexdef: "CREATE INDEX idx_events_summary_fts ON public.events USING gin (to_tsvector('english'::regconfig, COALESCE(summary, ''::text)))" },
      { indexname: "idx_events_title_fts", indexdef: "CREATE INDEX idx_events_title_fts ON public.events USING gin (to_tsvector('english'::regconfig, title))" },
    ]);
  });

  it("downgrades to an empty schema", async () => {
    await applyRevision(engine, async (op) => {
      await op.dropIndex("idx_events_title_fts", { concurrently: true });
      await op.dropTable("event_signpost_links");
      await op.dropTable("events");
      await op.dropTable("index_snapshots");
    });
    expect(await catalogSnapshot(engine.query)).toEqual(empty);
  });
});

describe("MNFST-RAG: user preferences and the audit trail trigger", () => {
  const audited = ["users", "documents"];

  it("upgrades 004_add_user_preferences and 005_add_audit_trail", async () => {
    await applyRevision(engine, async (op) => {
      for (const table of audited)
        await op.createTable(table, [
          { name: "id", type: "uuid", primaryKey: true, default: sql`gen_random_uuid()` },
          { name: "tenant_id", type: "uuid" },
          { name: "status", type: "text", nullable: false, default: "active" },
          { name: "created_at", type: "timestamptz", nullable: false, default: sql`now()` },
        ]);
      await op.createTable(
        "user_preferences",
        [
          { name: "id", type: "uuid", nullable: false, default: sql`gen_random_uuid()` },
          { name: "user_id", type: "uuid", nullable: false },
          { name: "theme", type: "varchar(20)", default: "light" },
          { name: "settings", type: "jsonb", nullable: false, default: sql`'{}'::jsonb` },
        ],
        {
          primaryKey: { columns: ["id"] },
          foreignKeys: [{ name: "fk_user_preferences_user", columns: ["user_id"], refTable: "users", refColumns: ["id"], onDelete: "CASCADE" }],
        },
      );
      await op.createIndex("idx_user_preferences_user_id", "user_preferences", ["user_id"]);
    });

    await applyRevision(engine, async (op) => {
      await op.createTable(
        "audit_logs",
        [
          { name: "id", type: "uuid", nullable: false, default: sql`gen_random_uuid()` },
          { name: "table_name", type: "varchar", nullable: false },
          { name: "operation", type: "varchar", nullable: false },
          { name: "user_id", type: "uuid" },
          { name: "tenant_id", type: "uuid" },
          { name: "old_values", type: "jsonb" },
          { name: "new_values", type: "jsonb" },
          { name: "timestamp", type: "timestamptz", nullable: false },
        ],
        { primaryKey: { columns: ["id"] } },
      );
      await op.createIndex("idx_audit_logs_table_timestamp", "audit_logs", ["table_name", "timestamp"]);
      await op.createIndex("idx_audit_logs_user_timestamp", "audit_logs", ["user_id", "timestamp"]);
      await op.execute(`
        CREATE OR REPLACE FUNCTION audit_trigger_function()
        RETURNS TRIGGER AS $$
        BEGIN
            INSERT INTO audit_logs (
                table_name, operation, user_id, tenant_id,
                old_values, new_values, timestamp
            ) VALUES (
                TG_TABLE_NAME, TG_OP,
                current_setting('app.current_user_id', true)::uuid,
                current_setting('app.current_tenant_id', true)::uuid,
                CASE WHEN TG_OP IN ('UPDATE', 'DELETE') THEN row_to_json(OLD) ELSE NULL END,
                CASE WHEN TG_OP IN ('INSERT', 'UPDATE') THEN row_to_json(NEW) ELSE NULL END,
                NOW()
            );
            RETURN COALESCE(NEW, OLD);
        END;
        $$ LANGUAGE plpgsql SECURITY DEFINER;
      `);
      for (const table of audited)
        await op.execute(`
            CREATE TRIGGER audit_${table}_trigger
                AFTER INSERT OR UPDATE OR DELETE ON ${table}
                FOR EACH ROW EXECUTE FUNCTION audit_trigger_function();
        `);
    });

    await engine.query("INSERT INTO users (status) VALUES ('active')");
    await engine.query("UPDATE users SET status = 'suspended'");
    const log = await engine.query("SELECT table_name, operation, new_values->>'status' AS status FROM audit_logs ORDER BY operation");
    expect(log).toEqual([
      { table_name: "users", operation: "INSERT", status: "active" },
      { table_name: "users", operation: "UPDATE", status: "suspended" },
    ]);
  });

  it("008: a CONCURRENTLY index written as raw SQL runs outside the transaction", async () => {
    const statements = await applyRevision(engine, async (op) => {
      await op.execute(`
        CREATE INDEX CONCURRENTLY idx_documents_tenant_status_created
        ON documents (tenant_id, status, created_at DESC)
      `);
    });
    expect(statements.map((s) => s.transactional)).toEqual([false]);
    expect(await engine.query("SELECT indisvalid FROM pg_index WHERE indexrelid = 'idx_documents_tenant_status_created'::regclass")).toEqual([
      { indisvalid: true },
    ]);
  });

  it("downgrades to an empty schema", async () => {
    await applyRevision(engine, async (op) => {
      await op.dropIndex("idx_documents_tenant_status_created", { table: "documents" });
      for (const table of audited) await op.execute(`DROP TRIGGER IF EXISTS audit_${table}_trigger ON ${table}`);
      await op.execute("DROP FUNCTION IF EXISTS audit_trigger_function()");
      await op.dropIndex("idx_audit_logs_user_timestamp", { table: "audit_logs" });
      await op.dropIndex("idx_audit_logs_table_timestamp", { table: "audit_logs" });
      await op.dropTable("audit_logs");
      await op.dropTable("user_preferences");
      for (const table of audited) await op.dropTable(table);
    });
    expect(await catalogSnapshot(engine.query)).toEqual(empty);
  });
});
