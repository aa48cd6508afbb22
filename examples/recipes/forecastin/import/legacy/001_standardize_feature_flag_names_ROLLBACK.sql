BEGIN;
ALTER TABLE feature_flags DROP COLUMN description;
COMMIT;
