import { revision } from "stratum";

export default revision({
  id: "8f4b2c6d1e93",
  parents: ["3c9e1a7b2d40"],
  message: "create posts",
  async upgrade(op) {
    await op.execute(`
      CREATE TABLE posts (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        author_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        title text NOT NULL,
        body text NOT NULL DEFAULT '',
        published_at timestamptz
      )`);
  },
  async downgrade(op) {
    await op.execute("DROP TABLE posts");
  },
});
