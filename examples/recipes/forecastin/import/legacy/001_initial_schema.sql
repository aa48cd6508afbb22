-- Initial schema with LTREE hierarchy (run by hand in 2023-Q2)
CREATE EXTENSION IF NOT EXISTS ltree;

CREATE TABLE entities (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL,
    entity_type text NOT NULL,
    path ltree NOT NULL,
    path_depth integer NOT NULL DEFAULT 0,
    confidence_score real,
    is_active boolean NOT NULL DEFAULT true
);

CREATE INDEX entities_path_gist_idx ON entities USING gist (path);

CREATE TABLE feature_flags (
    name text PRIMARY KEY,
    enabled boolean NOT NULL DEFAULT false
);
