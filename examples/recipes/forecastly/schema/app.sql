-- The schema the application's models expect. Edit this file, then run
-- `stratum revision --autogenerate -m "..."` to write the revision that gets there.
CREATE TABLE users (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email varchar(255) NOT NULL CONSTRAINT users_email_key UNIQUE,
  is_active boolean NOT NULL DEFAULT true
);

CREATE TABLE predictions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id bigint NOT NULL CONSTRAINT predictions_user_id_fkey REFERENCES users (id),
  date date NOT NULL,
  value numeric(12,4) NOT NULL
);

CREATE INDEX ix_predictions_date ON predictions (date);
