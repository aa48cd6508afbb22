import { revision } from "stratum";

/**
 * Swaps the migrated roles in, in one transaction: readers see the old column or the new
 * one, never neither. Reviewed: the release shipped with this revision reads the new
 * values, and the deploy runs in the maintenance window the seed describes.
 */
export default revision({
  id: "008",
  parents: ["007"],
  message: "swap role columns",
  async upgrade(op) {
    // stratum-disable-next-line drop-column
    await op.execute("ALTER TABLE users DROP COLUMN role");
    // stratum-disable-next-line rename-column
    await op.execute("ALTER TABLE users RENAME COLUMN role_new TO role");
    await op.execute("ALTER TABLE users ALTER COLUMN role SET DEFAULT 'user'");
    // stratum-disable-next-line set-not-null
    await op.execute("ALTER TABLE users ALTER COLUMN role SET NOT NULL");
  },
  async downgrade(op) {
    await op.execute("ALTER TABLE users ADD COLUMN role_old text");
    await op.execute("UPDATE users SET role_old = CASE role WHEN 'tenant_admin' THEN 'admin' WHEN 'user' THEN 'client' ELSE role END");
    await op.execute("ALTER TABLE users RENAME COLUMN role TO role_new");
    await op.execute("ALTER TABLE users RENAME COLUMN role_old TO role");
    await op.execute("ALTER TABLE users ALTER COLUMN role SET DEFAULT 'client'");
    await op.execute("ALTER TABLE users ALTER COLUMN role SET NOT NULL");
    await op.execute("ALTER TABLE users ALTER COLUMN role_new DROP DEFAULT");
    await op.execute("ALTER TABLE users ALTER COLUMN role_new DROP NOT NULL");
  },
});
