import { revision } from "stratum";

export default revision({
  id: "1f0c2a9d4e01",
  parents: [],
  message: "create users and predictions",
  async upgrade(op) {
    await op.createTable("users", [
      { name: "id", type: "bigint", nullable: false, identity: { always: true } },
      { name: "email", type: "varchar(255)", nullable: false },
      { name: "is_active", type: "boolean", nullable: false, default: true },
    ], { primaryKey: { columns: ["id"] }, uniques: [{ name: "users_email_key", columns: ["email"] }] });
    await op.createTable("predictions", [
      { name: "id", type: "bigint", nullable: false, identity: { always: true } },
      { name: "user_id", type: "bigint", nullable: false },
      { name: "date", type: "date", nullable: false },
      { name: "value", type: "numeric(12,4)", nullable: false },
    ], {
      primaryKey: { columns: ["id"] },
      foreignKeys: [{ name: "predictions_user_id_fkey", columns: ["user_id"], refTable: "users", refColumns: ["id"] }],
    });
  },
  async downgrade(op) {
    await op.dropTable("predictions");
    await op.dropTable("users");
  },
});
