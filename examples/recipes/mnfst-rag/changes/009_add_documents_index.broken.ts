import { revision } from "stratum";

export default revision({
  id: "009",
  parents: ["008"],
  message: "add documents index",
  async upgrade(op) {
    await op.autocommit(async (op) => {
      await op.createIndex("idx_documents_tenant_status_created", "documents",
        ["tenant_id", "state", { column: "created_at", order: "DESC" }], { concurrently: true, ifNotExists: true });
    });
  },
  async downgrade(op) {
    await op.autocommit(async (op) => {
      await op.dropIndex("idx_documents_tenant_status_created", { concurrently: true, ifExists: true });
    });
  },
});
