import { revision } from "stratum";

/**
 * Reconciles production with the models: removes the embedding placeholders, adds the
 * indexes the disabled revisions meant to add, adds CHECK constraints, and widens the
 * index_snapshots unique constraint to (preset, as_of_date).
 */
export default revision({
  id: "0a1b2c3d4e05",
  parents: ["0a1b2c3d4e22"],
  message: "production baseline",
  async upgrade(op) {
    // Reviewed: the placeholders never held data.
    // stratum-disable-next-line drop-column
    await op.dropColumn("events", "embedding");
    // stratum-disable-next-line drop-column
    await op.dropColumn("signposts", "embedding");

    // CHECK constraints: added NOT VALID (no scan under the exclusive lock), validated later.
    await op.createCheckConstraint("event_signpost_links_confidence_range", "event_signpost_links",
      "confidence >= 0.00 AND confidence <= 1.00", { notValid: true });

    await op.autocommit(async (op) => {
      await op.validateConstraint("event_signpost_links_confidence_range", "event_signpost_links");
      // The new unique constraint's index, built without blocking writes.
      await op.createIndex("index_snapshots_preset_as_of_date_key", "index_snapshots", ["preset", "as_of_date"],
        { unique: true, concurrently: true, ifNotExists: true });
      // Partial index: only live events are queried by date.
      await op.createIndex("idx_events_published_live", "events", [{ column: "published_at", order: "DESC" }],
        { where: "NOT retracted", concurrently: true, ifNotExists: true });
      // GIN full-text index over title and summary.
      await op.createIndex("idx_events_fulltext", "events",
        [{ expression: "to_tsvector('english', title || ' ' || coalesce(summary, ''))" }],
        { method: "gin", concurrently: true, ifNotExists: true });
    });

    // Swapping the constraints is quick now that the index exists.
    await op.dropConstraint("index_snapshots_as_of_date_key", "index_snapshots", { type: "unique" });
    await op.createUniqueConstraint("index_snapshots_preset_as_of_date_key", "index_snapshots", [],
      { usingIndex: "index_snapshots_preset_as_of_date_key" });
  },
  async downgrade(op) {
    await op.autocommit(async (op) => {
      await op.dropIndex("idx_events_fulltext", { concurrently: true, ifExists: true });
      await op.dropIndex("idx_events_published_live", { concurrently: true, ifExists: true });
    });
    await op.dropConstraint("index_snapshots_preset_as_of_date_key", "index_snapshots", { type: "unique" });
    await op.createUniqueConstraint("index_snapshots_as_of_date_key", "index_snapshots", ["as_of_date"]);
    await op.dropConstraint("event_signpost_links_confidence_range", "event_signpost_links", { type: "check" });
    await op.addColumn("signposts", { name: "embedding", type: "real[]" });
    await op.addColumn("events", { name: "embedding", type: "real[]" });
  },
});
