import { revision } from "stratum";

export default revision({
  id: "3c9e1a7b2d40",
  parents: [],
  message: "create users",
  async upgrade(op) {
    await op.execute(`
      CREATE TABLE users (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        email text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  },
  async downgrade(op) {
    await op.execute("DROP TABLE users");
  },
});
