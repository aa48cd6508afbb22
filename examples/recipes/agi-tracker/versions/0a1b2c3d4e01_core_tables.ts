import { revision } from "stratum";

export default revision({
  id: "0a1b2c3d4e01",
  parents: [],
  message: "core tables",
  async upgrade(op) {
    await op.execute(`
      CREATE TABLE signposts (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        code text NOT NULL UNIQUE,
        name text NOT NULL
      )`);
    await op.execute(`
      CREATE TABLE events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        title text NOT NULL,
        summary text,
        published_at timestamptz NOT NULL,
        retracted boolean NOT NULL DEFAULT false
      )`);
    await op.execute(`
      CREATE TABLE event_signpost_links (
        event_id bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
        signpost_id bigint NOT NULL REFERENCES signposts (id) ON DELETE CASCADE,
        confidence numeric(3,2) NOT NULL,
        PRIMARY KEY (event_id, signpost_id)
      )`);
    await op.execute(`
      CREATE TABLE index_snapshots (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        preset text NOT NULL DEFAULT 'equal',
        as_of_date date NOT NULL CONSTRAINT index_snapshots_as_of_date_key UNIQUE,
        value numeric NOT NULL
      )`);
  },
  async downgrade(op) {
    await op.execute("DROP TABLE index_snapshots, event_signpost_links, events, signposts");
  },
});
