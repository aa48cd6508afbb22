import { revision } from "stratum";

const RENAMES = "CASE role WHEN 'admin' THEN 'tenant_admin' WHEN 'client' THEN 'user' ELSE role END";

/**
 * A batched data migration. `transactional: false` commits each statement on its own, so
 * every batch releases its row locks at once and a failure keeps the batches already done.
 * Keyset batches (WHERE id > last ORDER BY id LIMIT n) stay fast where OFFSET slows down,
 * and `role_new IS NULL` makes a re-run continue where the last one stopped. The swap of
 * the two columns is the next revision, in one transaction.
 */
export default revision({
  id: "007",
  parents: ["006"],
  message: "migrate user roles",
  transactional: false,
  async upgrade(op, context) {
    const batchSize = Number(context.args.batch_size ?? 1000);
    await op.execute("ALTER TABLE users ADD COLUMN IF NOT EXISTS role_new text");
    if (!op.offline) {
      let last = 0;
      for (;;) {
        const rows = await op.query<{ last: string | null }>(
          `WITH batch AS (
             SELECT id FROM users WHERE id > $1 AND role_new IS NULL ORDER BY id LIMIT $2
           ), done AS (
             UPDATE users u SET role_new = ${RENAMES} FROM batch WHERE u.id = batch.id RETURNING u.id
           )
           SELECT max(id)::text AS last FROM done`,
          [last, batchSize],
        );
        if (rows[0]?.last == null) break;
        last = Number(rows[0].last);
      }
    }
  },
  async downgrade(op) {
    await op.execute("ALTER TABLE users DROP COLUMN role_new");
  },
});
