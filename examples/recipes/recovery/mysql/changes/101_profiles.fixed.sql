-- stratum:revision id=101 parents=100 message="profiles and plan"
-- stratum:up
CREATE TABLE profiles (account_id bigint PRIMARY KEY, bio text);
ALTER TABLE accounts ADD COLUMN plan varchar(20) NOT NULL DEFAULT 'free';
ALTER TABLE accounts ADD INDEX idx_accounts_plan (plan);
-- stratum:down
ALTER TABLE accounts DROP INDEX idx_accounts_plan;
ALTER TABLE accounts DROP COLUMN plan;
DROP TABLE profiles;
