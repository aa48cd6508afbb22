import { revision } from "stratum";

/**
 * Rename assets.old_identifier to asset_identifier without breaking the running
 * application: step 1 of 2 (expand). Old code keeps writing old_identifier; a trigger
 * copies it across until the contract step.
 */
export default revision({
  id: "c3e2a7f4d503",
  parents: ["b2d1f6e3c402"],
  message: "expand asset_identifier",
  async upgrade(op) {
    await op.addColumn("assets", { name: "asset_identifier", type: "varchar(100)" });
    await op.execute(`
      CREATE FUNCTION assets_sync_identifier() RETURNS trigger AS $$
      BEGIN
        IF NEW.asset_identifier IS NULL THEN NEW.asset_identifier := NEW.old_identifier; END IF;
        IF NEW.old_identifier IS NULL THEN NEW.old_identifier := NEW.asset_identifier; END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql`);
    await op.execute(`CREATE TRIGGER assets_sync_identifier BEFORE INSERT OR UPDATE ON assets
      FOR EACH ROW EXECUTE FUNCTION assets_sync_identifier()`);
    await op.execute("UPDATE assets SET asset_identifier = old_identifier WHERE asset_identifier IS NULL");
  },
  async downgrade(op) {
    await op.execute("DROP TRIGGER assets_sync_identifier ON assets");
    await op.execute("DROP FUNCTION assets_sync_identifier()");
    await op.dropColumn("assets", "asset_identifier");
  },
});
