/**
 * The schema bench/introspect.mjs measures, one table at a time: 10 columns (id, parent_id and 8
 * more), a primary key, 2 indexes and a foreign key to the previous table. The parse-tree tests
 * check the same shape against PostgreSQL.
 */
export function tableSql(i) {
  const parent = i === 0 ? "" : ` REFERENCES t${i - 1} (id)`;
  return `CREATE TABLE t${i} (
  id integer PRIMARY KEY,
  parent_id integer${parent},
  name varchar(100) NOT NULL,
  code text,
  amount numeric(12,2) DEFAULT 0,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  payload jsonb,
  ratio double precision,
  note varchar(255)
);
CREATE INDEX t${i}_name_idx ON t${i} (name);
CREATE INDEX t${i}_parent_idx ON t${i} (parent_id);
`;
}
