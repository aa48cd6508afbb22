import { revision } from "stratum";

export default revision({
  id: "004",
  parents: ["003"],
  message: "add user preferences",
  async upgrade(op) {
    await op.createTable("user_preferences", [
      { name: "user_id", type: "bigint", primaryKey: true, references: { table: "users", column: "id", onDelete: "CASCADE" } },
      { name: "theme", type: "text" },
      { name: "language", type: "text" },
      { name: "timezone", type: "text" },
    ]);
  },
  async downgrade(op) {
    await op.dropTable("user_preferences");
  },
});
