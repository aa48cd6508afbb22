import { revision } from "stratum";

export default revision({
  id: "001",
  parents: [],
  message: "initial migration",
  async upgrade(op) {
    await op.execute(`
      CREATE TABLE tenants (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL
      )`);
    await op.execute(`
      CREATE TABLE users (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        email text NOT NULL UNIQUE,
        role text NOT NULL DEFAULT 'client'
      )`);
    await op.execute(`
      CREATE TABLE documents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        title text NOT NULL,
        status text NOT NULL DEFAULT 'pending',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  },
  async downgrade(op) {
    await op.execute("DROP TABLE documents, users, tenants");
  },
});
