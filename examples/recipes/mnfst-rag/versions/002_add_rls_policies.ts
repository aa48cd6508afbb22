import { revision } from "stratum";

/** Each tenant sees only its own documents: the application sets app.current_tenant_id per request. */
export default revision({
  id: "002",
  parents: ["001"],
  message: "add rls policies",
  async upgrade(op) {
    await op.execute("ALTER TABLE documents ENABLE ROW LEVEL SECURITY");
    await op.execute(`
      CREATE POLICY tenant_isolation ON documents
        USING (tenant_id = current_setting('app.current_tenant_id', true)::uuid)
        WITH CHECK (tenant_id = current_setting('app.current_tenant_id', true)::uuid)`);
  },
  async downgrade(op) {
    await op.execute("DROP POLICY tenant_isolation ON documents");
    await op.execute("ALTER TABLE documents DISABLE ROW LEVEL SECURITY");
  },
});
