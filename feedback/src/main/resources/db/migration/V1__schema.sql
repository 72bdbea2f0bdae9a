-- rlhf4j feedback schema, version 1. One schema for SQLite and PostgreSQL:
-- ${id} expands to the dialect's auto-increment primary key; times are epoch milliseconds.
CREATE TABLE users (
  id ${id},
  username TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'rater')),
  created_at BIGINT NOT NULL
);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users(id),
  csrf TEXT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE TABLE api_tokens (
  id ${id},
  token_hash TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  created_by BIGINT NOT NULL REFERENCES users(id),
  created_at BIGINT NOT NULL
);
CREATE TABLE projects (
  id ${id},
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('pairwise', 'ranking', 'rating')),
  ratings_per_item INTEGER NOT NULL,
  gold_rate DOUBLE PRECISION NOT NULL,
  allow_tie INTEGER NOT NULL,
  strength_levels INTEGER NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE guidelines (
  id ${id},
  project_id BIGINT NOT NULL REFERENCES projects(id),
  version INTEGER NOT NULL,
  body TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (project_id, version)
);
CREATE TABLE project_members (
  project_id BIGINT NOT NULL REFERENCES projects(id),
  user_id BIGINT NOT NULL REFERENCES users(id),
  PRIMARY KEY (project_id, user_id)
);
CREATE TABLE items (
  id ${id},
  project_id BIGINT NOT NULL REFERENCES projects(id),
  prompt TEXT NOT NULL,
  responses TEXT NOT NULL,
  gold TEXT,
  uncertainty DOUBLE PRECISION,
  created_at BIGINT NOT NULL
);
CREATE INDEX items_project ON items (project_id, id);
CREATE TABLE assignments (
  id ${id},
  item_id BIGINT NOT NULL REFERENCES items(id),
  rater_id BIGINT NOT NULL REFERENCES users(id),
  project_id BIGINT NOT NULL REFERENCES projects(id),
  display_order TEXT NOT NULL,
  labelled INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  UNIQUE (item_id, rater_id)
);
CREATE INDEX assignments_rater ON assignments (rater_id, project_id, labelled);
CREATE TABLE labels (
  id ${id},
  project_id BIGINT NOT NULL REFERENCES projects(id),
  item_id BIGINT NOT NULL REFERENCES items(id),
  rater_id BIGINT NOT NULL REFERENCES users(id),
  guideline_version INTEGER NOT NULL,
  choice TEXT,
  strength INTEGER,
  ranking TEXT,
  score INTEGER,
  display_order TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (item_id, rater_id),
  UNIQUE (rater_id, idempotency_key)
);
CREATE INDEX labels_project ON labels (project_id, item_id);
CREATE TABLE adjudications (
  item_id BIGINT PRIMARY KEY REFERENCES items(id),
  admin_id BIGINT NOT NULL REFERENCES users(id),
  choice TEXT,
  ranking TEXT,
  score INTEGER,
  note TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE production_feedback (
  id ${id},
  token_id BIGINT NOT NULL REFERENCES api_tokens(id),
  prompt TEXT NOT NULL,
  response TEXT NOT NULL,
  thumb TEXT NOT NULL CHECK (thumb IN ('up', 'down')),
  correction TEXT,
  idempotency_key TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (token_id, idempotency_key)
);
