import { revision } from "stratum";

export default revision({
  id: "201",
  parents: ["200"],
  message: "unique email",
  async upgrade(op) {
    // Duplicates that differ only in case: keep the oldest account.
    await op.execute("DELETE FROM users a USING users b WHERE lower(a.email) = lower(b.email) AND a.id > b.id");
    await op.autocommit(async (op) => {
      await op.createIndex("users_email_lower_key", "users", [{ expression: "lower(email)" }], { unique: true, concurrently: true });
    });
  },
  async downgrade(op) {
    await op.autocommit(async (op) => {
      await op.dropIndex("users_email_lower_key", { concurrently: true });
    });
  },
});
