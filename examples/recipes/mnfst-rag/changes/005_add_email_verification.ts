import { revision } from "stratum";

/**
 * Zero-downtime column add. Since PostgreSQL 11 a column added with a constant default is
 * a catalog change: no table rewrite, no backfill. Existing users read `true` (they were
 * verified before this feature existed); then the default becomes `false` for new users.
 */
export default revision({
  id: "005",
  parents: ["003"],
  message: "add email verification",
  branchLabels: ["email_verification"],
  async upgrade(op) {
    await op.addColumn("users", { name: "email_verified", type: "boolean", nullable: false, default: true });
    await op.alterColumn("users", "email_verified", { default: false });
  },
  async downgrade(op) {
    await op.dropColumn("users", "email_verified");
  },
});
