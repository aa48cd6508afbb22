import { revision } from "stratum";

export default revision({
  id: "201",
  parents: ["200"],
  message: "unique email",
  async upgrade(op) {
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
