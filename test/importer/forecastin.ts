/** The Forecastin team's six hand-run SQL files, recreated with plausible contents. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const FORECASTIN_FILES: Record<string, string> = {
  "001_initial_schema.sql": `-- Initial schema, run by hand on every environment.
CREATE EXTENSION IF NOT EXISTS ltree;

CREATE TABLE entities (
  id bigserial PRIMARY KEY,
  name text NOT NULL,
  path ltree NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX entities_path_gist ON entities USING gist (path);

CREATE TABLE feature_flags (
  flag_name text PRIMARY KEY,
  enabled boolean NOT NULL DEFAULT false
);

INSERT INTO feature_flags (flag_name, enabled) VALUES ('ff.map-v2', true), ('ff_geo_search', false);
`,
  "001_standardize_feature_flag_names.sql": `BEGIN;
UPDATE feature_flags SET flag_name = replace(replace(flag_name, 'ff.', 'ff_'), '-', '_');
ALTER TABLE feature_flags ADD CONSTRAINT feature_flags_name_format CHECK (flag_name ~ '^ff_[a-z0-9_]+$');
COMMIT;
`,
  "001_standardize_feature_flag_names_ROLLBACK.sql": `BEGIN;
ALTER TABLE feature_flags DROP CONSTRAINT IF EXISTS feature_flags_name_format;
UPDATE feature_flags SET flag_name = 'ff.map-v2' WHERE flag_name = 'ff_map_v2';
COMMIT;
`,
  "002_ml_ab_testing_framework.sql": `CREATE TABLE IF NOT EXISTS ab_experiments (
  id serial PRIMARY KEY,
  key text UNIQUE NOT NULL,
  variants jsonb NOT NULL DEFAULT '[]'::jsonb,
  started_at timestamptz
);
CREATE TABLE IF NOT EXISTS ab_assignments (
  experiment_id int NOT NULL REFERENCES ab_experiments(id),
  entity_id bigint NOT NULL REFERENCES entities(id),
  variant text NOT NULL,
  PRIMARY KEY (experiment_id, entity_id)
);
`,
  "004_automated_materialized_view_refresh.sql": `CREATE MATERIALIZED VIEW entity_counts AS
  SELECT nlevel(path) AS depth, count(*) AS n FROM entities GROUP BY 1;

CREATE OR REPLACE FUNCTION refresh_entity_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  REFRESH MATERIALIZED VIEW entity_counts; -- a semicolon inside the body must not split it
  RETURN NULL;
END;
$$;
`,
  "004_rss_entity_extraction_schema.sql": `CREATE TABLE rss_items (
  id bigserial PRIMARY KEY,
  url text NOT NULL UNIQUE,
  title text,
  fetched_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE rss_entities (
  item_id bigint NOT NULL REFERENCES rss_items(id) ON DELETE CASCADE,
  entity_id bigint NOT NULL REFERENCES entities(id),
  confidence real NOT NULL CHECK (confidence BETWEEN 0 AND 1)
);
`,
};

export function writeForecastinFolder(dir: string): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(FORECASTIN_FILES)) writeFileSync(join(dir, name), text);
  return dir;
}
