-- stratum:revision id=100 parents= message="create accounts"
-- stratum:up
CREATE TABLE accounts (id bigint PRIMARY KEY AUTO_INCREMENT, email varchar(255) NOT NULL);
-- stratum:down
DROP TABLE accounts;
