-- Version 3 (SQLite): the task kinds become rows of task_kinds, which projects.kind references, instead of a CHECK
-- constraint; adding a kind is then one INSERT (feedback/README.md, "Adding a task kind"). SQLite cannot alter a
-- constraint, so projects is rebuilt (SQLite's documented procedure; foreign keys are checked before the commit).
CREATE TABLE task_kinds (name TEXT PRIMARY KEY);
INSERT INTO task_kinds (name) VALUES ('pairwise');
INSERT INTO task_kinds (name) VALUES ('ranking');
INSERT INTO task_kinds (name) VALUES ('rating');
CREATE TABLE projects_v3 (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  kind TEXT NOT NULL REFERENCES task_kinds(name),
  ratings_per_item INTEGER NOT NULL,
  gold_rate DOUBLE PRECISION NOT NULL,
  allow_tie INTEGER NOT NULL,
  strength_levels INTEGER NOT NULL,
  created_at BIGINT NOT NULL
);
INSERT INTO projects_v3 (id, name, kind, ratings_per_item, gold_rate, allow_tie, strength_levels, created_at)
  SELECT id, name, kind, ratings_per_item, gold_rate, allow_tie, strength_levels, created_at FROM projects;
DROP TABLE projects;
ALTER TABLE projects_v3 RENAME TO projects;
