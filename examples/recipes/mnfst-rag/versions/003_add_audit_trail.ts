import { revision } from "stratum";

const AUDITED = ["users", "documents"];

export default revision({
  id: "003",
  parents: ["002"],
  message: "add audit trail",
  async upgrade(op) {
    await op.execute(`
      CREATE TABLE audit_logs (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        table_name text NOT NULL,
        operation text NOT NULL,
        tenant_id uuid,
        old_values jsonb,
        new_values jsonb,
        logged_at timestamptz NOT NULL DEFAULT now()
      )`);
    await op.createIndex("idx_audit_logs_table_time", "audit_logs", ["table_name", "logged_at"]);
    await op.execute(`
      CREATE FUNCTION audit_trigger_function() RETURNS trigger AS $$
      BEGIN
        INSERT INTO audit_logs (table_name, operation, tenant_id, old_values, new_values)
        VALUES (TG_TABLE_NAME, TG_OP,
                current_setting('app.current_tenant_id', true)::uuid,
                CASE WHEN TG_OP IN ('UPDATE', 'DELETE') THEN to_jsonb(OLD) END,
                CASE WHEN TG_OP IN ('INSERT', 'UPDATE') THEN to_jsonb(NEW) END);
        RETURN COALESCE(NEW, OLD);
      END
      $$ LANGUAGE plpgsql`);
    for (const table of AUDITED) {
      // Table names come from the constant above, never from input.
      await op.execute(`CREATE TRIGGER audit_${table}_trigger AFTER INSERT OR UPDATE OR DELETE ON ${table}
        FOR EACH ROW EXECUTE FUNCTION audit_trigger_function()`);
    }
  },
  async downgrade(op) {
    for (const table of AUDITED) await op.execute(`DROP TRIGGER audit_${table}_trigger ON ${table}`);
    await op.execute("DROP FUNCTION audit_trigger_function()");
    await op.dropTable("audit_logs");
  },
});
