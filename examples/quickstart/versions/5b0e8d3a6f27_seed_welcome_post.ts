import { revision } from "stratum";

/**
 * A data migration: the admin's address comes from `-x admin=...` and is bound as a
 * parameter, never spliced into the SQL text.
 */
export default revision({
  id: "5b0e8d3a6f27",
  parents: ["d27a5e0f9c18"],
  message: "seed a welcome post",
  async upgrade(op, context) {
    const email = context.args.admin ?? "admin@example.com";
    await op.execute("INSERT INTO users (email) VALUES ($1)", [email]);
    await op.execute(
      "INSERT INTO posts (author_id, title, body) SELECT id, 'Welcome', 'Hello from Stratum' FROM users WHERE email = $1",
      [email],
    );
  },
  async downgrade(op, context) {
    const email = context.args.admin ?? "admin@example.com";
    await op.execute("DELETE FROM users WHERE email = $1", [email]);
  },
});
