import { revision } from "stratum";

/**
 * Step 2 of 2 (contract), deployed once no running code reads old_identifier.
 */
export default revision({
  id: "d4f3b8a5e604",
  parents: ["c3e2a7f4d503"],
  message: "contract old_identifier",
  async upgrade(op) {
    await op.execute("DROP TRIGGER assets_sync_identifier ON assets");
    await op.execute("DROP FUNCTION assets_sync_identifier()");
    // SET NOT NULL without a full-table scan under an exclusive lock: a NOT VALID check,
    // validated in a later transaction (under a weaker lock), lets PostgreSQL skip the scan.
    await op.createCheckConstraint("assets_asset_identifier_not_null", "assets", "asset_identifier IS NOT NULL", { notValid: true });
    await op.autocommit(async (op) => {
      await op.validateConstraint("assets_asset_identifier_not_null", "assets");
    });
    // stratum-disable-next-line set-not-null
    await op.alterColumn("assets", "asset_identifier", { nullable: false });
    await op.dropConstraint("assets_asset_identifier_not_null", "assets");
    // Reviewed: no deployed code reads old_identifier since the expand step shipped.
    // stratum-disable-next-line drop-column
    await op.dropColumn("assets", "old_identifier");
  },
  async downgrade(op) {
    await op.addColumn("assets", { name: "old_identifier", type: "varchar(100)" });
    await op.execute("UPDATE assets SET old_identifier = asset_identifier");
    await op.alterColumn("assets", "old_identifier", { nullable: false });
    await op.alterColumn("assets", "asset_identifier", { nullable: true });
    await op.execute(`
      CREATE FUNCTION assets_sync_identifier() RETURNS trigger AS $$
      BEGIN
        IF NEW.asset_identifier IS NULL THEN NEW.asset_identifier := NEW.old_identifier; END IF;
        IF NEW.old_identifier IS NULL THEN NEW.old_identifier := NEW.asset_identifier; END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql`);
    await op.execute(`CREATE TRIGGER assets_sync_identifier BEFORE INSERT OR UPDATE ON assets
      FOR EACH ROW EXECUTE FUNCTION assets_sync_identifier()`);
  },
});
