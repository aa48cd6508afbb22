CREATE TABLE rss_items (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    url text NOT NULL UNIQUE,
    fetched_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE rss_entity_mentions (
    rss_item_id bigint NOT NULL REFERENCES rss_items (id) ON DELETE CASCADE,
    entity_id uuid NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    PRIMARY KEY (rss_item_id, entity_id)
);
