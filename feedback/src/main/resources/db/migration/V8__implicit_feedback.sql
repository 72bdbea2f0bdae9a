-- Served responses (logged by serve-model or any application under a response id) and the interaction
-- events tied to them (regenerate, copy, dwell, continued, abandoned, correction), turned into weak labels
-- by ImplicitRules at export time. Replays are idempotent: a response id is stored once, an event once per
-- (token, idempotency key).
CREATE TABLE production_responses (
  id ${id},
  token_id BIGINT NOT NULL REFERENCES api_tokens(id),
  response_id TEXT NOT NULL UNIQUE,
  prompt TEXT NOT NULL,
  response TEXT NOT NULL,
  model TEXT,
  model_version TEXT,
  user_ref TEXT,
  created_at BIGINT NOT NULL
);

CREATE TABLE production_events (
  id ${id},
  token_id BIGINT NOT NULL REFERENCES api_tokens(id),
  response_id TEXT NOT NULL REFERENCES production_responses(response_id),
  kind TEXT NOT NULL CHECK (kind IN ('regenerate', 'copy', 'dwell', 'continued', 'abandoned', 'correction')),
  seconds DOUBLE PRECISION,
  correction TEXT,
  edit_distance DOUBLE PRECISION,
  idempotency_key TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (token_id, idempotency_key)
);

CREATE INDEX production_events_response ON production_events (response_id);
