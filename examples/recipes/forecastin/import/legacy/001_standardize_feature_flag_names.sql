BEGIN;
UPDATE feature_flags SET name = lower(replace(name, '-', '_'));
ALTER TABLE feature_flags ADD COLUMN description text;
COMMIT;
