import { revision, sql } from "stratum";

/**
 * A batched data migration: the new column is added (and committed), then `op.backfill`
 * updates the rows in batches, each in a short transaction of its own, paging on the primary
 * key. `where` skips the rows already done, so a run that stops halfway resumes where it
 * stopped. Swapping the two columns is the next revision, in one transaction.
 */
export default revision({
  id: "007",
  parents: ["006"],
  message: "migrate user roles",
  async upgrade(op, context) {
    await op.addColumn("users", { name: "role_new", type: "text" });
    await op.backfill({
      table: "users",
      set: { role_new: sql`CASE role WHEN 'admin' THEN 'tenant_admin' WHEN 'client' THEN 'user' ELSE role END` },
      where: "role_new IS NULL",
      batchSize: Number(context.args.batch_size ?? 1000),
    });
  },
  async downgrade(op) {
    await op.dropColumn("users", "role_new");
  },
});
