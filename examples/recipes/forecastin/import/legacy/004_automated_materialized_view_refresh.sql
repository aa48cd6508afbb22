CREATE MATERIALIZED VIEW hierarchy_mv AS
SELECT e.id, e.name, e.path, e.path_depth, nlevel(e.path) AS computed_depth
FROM entities e
WHERE e.is_active = true;

CREATE UNIQUE INDEX hierarchy_mv_id_idx ON hierarchy_mv (id);
CREATE INDEX hierarchy_mv_path_gist_idx ON hierarchy_mv USING gist (path);

CREATE OR REPLACE FUNCTION refresh_hierarchy_mv() RETURNS trigger AS $$
BEGIN
    REFRESH MATERIALIZED VIEW CONCURRENTLY hierarchy_mv;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER entity_hierarchy_refresh
AFTER INSERT OR UPDATE OR DELETE ON entities
FOR EACH STATEMENT EXECUTE FUNCTION refresh_hierarchy_mv();
