import { revision } from "stratum";

export default revision({
  id: "b2d1f6e3c402",
  parents: ["a1c0e5d2b301"],
  message: "measurements asset time index",
  async upgrade(op) {
    // CREATE INDEX CONCURRENTLY cannot run in a transaction. `autocommit` runs the
    // block on its own, after the rest of the step has committed.
    await op.autocommit(async (op) => {
      await op.createIndex("idx_measurements_asset_time", "measurements",
        ["asset_uuid", { column: "recorded_at", order: "DESC" }], { concurrently: true, ifNotExists: true });
      // Raw SQL works too, marked non-transactional:
      await op.execute("CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_assets_name_trgm ON assets USING gin (name gin_trgm_ops)",
        undefined, { nonTransactional: true });
    });
  },
  async downgrade(op) {
    await op.autocommit(async (op) => {
      await op.execute("DROP INDEX CONCURRENTLY IF EXISTS idx_assets_name_trgm", undefined, { nonTransactional: true });
      await op.dropIndex("idx_measurements_asset_time", { concurrently: true, ifExists: true });
    });
  },
});
