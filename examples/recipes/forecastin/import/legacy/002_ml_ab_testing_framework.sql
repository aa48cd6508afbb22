CREATE TABLE ml_experiments (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE,
    variant text NOT NULL,
    started_at timestamptz NOT NULL DEFAULT now()
);
