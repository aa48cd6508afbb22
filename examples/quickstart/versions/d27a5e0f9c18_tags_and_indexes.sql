-- stratum:revision id=d27a5e0f9c18 parents=8f4b2c6d1e93 message="tags and indexes"
-- stratum:up
CREATE TABLE tags (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL UNIQUE
);

CREATE TABLE post_tags (
  post_id bigint NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  tag_id bigint NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
  PRIMARY KEY (post_id, tag_id)
);

CREATE INDEX post_tags_tag_id_idx ON post_tags (tag_id);

-- stratum:down
DROP INDEX post_tags_tag_id_idx;
DROP TABLE post_tags;
DROP TABLE tags;
