-- stratum:revision id=200 parents= message="users"
-- stratum:up
CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL);
INSERT INTO users (email) VALUES ('a@example.com'), ('A@example.com');
-- stratum:down
DROP TABLE users;
