import { revision, sql } from "stratum";

export default revision({
  id: "a1c0e5d2b301",
  parents: [],
  message: "extensions and measurements",
  async upgrade(op) {
    // IF NOT EXISTS: another project in the same database may have created them already.
    await op.createExtension("pg_trgm", { ifNotExists: true });
    await op.createExtension("btree_gist", { ifNotExists: true });

    await op.createTable("assets", [
      { name: "uuid", type: "uuid", primaryKey: true, default: sql`gen_random_uuid()` },
      { name: "name", type: "varchar(255)", nullable: false },
      { name: "old_identifier", type: "varchar(100)", nullable: false },
    ]);
    await op.createTable("measurements", [
      { name: "asset_uuid", type: "uuid", nullable: false, references: "assets.uuid" },
      { name: "recorded_at", type: "timestamptz", nullable: false },
      { name: "potential_mv", type: "double precision", nullable: false },
    ], { primaryKey: { columns: ["asset_uuid", "recorded_at"] } });

    // Raw SQL for what no operation describes: a TimescaleDB hypertable where the
    // extension is installed (production), a plain table elsewhere (CI, laptops).
    await op.execute(`
      DO $$
      BEGIN
        IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
          PERFORM create_hypertable('measurements', 'recorded_at',
            chunk_time_interval => INTERVAL '1 month', if_not_exists => TRUE);
        END IF;
      END
      $$`);
  },
  async downgrade(op) {
    // A hypertable is dropped like a table.
    await op.dropTable("measurements");
    await op.dropTable("assets");
    // Dropping the extensions keeps the downgrade exact (the stairway test checks it).
    // When other schemas share them, leave them and expect the stairway to report them.
    await op.dropExtension("btree_gist", { ifExists: true });
    await op.dropExtension("pg_trgm", { ifExists: true });
  },
});
