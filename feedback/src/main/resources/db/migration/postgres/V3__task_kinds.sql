-- Version 3 (PostgreSQL): the task kinds become rows of task_kinds, which projects.kind references, instead of a
-- CHECK constraint; adding a kind is then one INSERT (feedback/README.md, "Adding a task kind").
CREATE TABLE task_kinds (name TEXT PRIMARY KEY);
INSERT INTO task_kinds (name) VALUES ('pairwise');
INSERT INTO task_kinds (name) VALUES ('ranking');
INSERT INTO task_kinds (name) VALUES ('rating');
ALTER TABLE projects DROP CONSTRAINT projects_kind_check;
ALTER TABLE projects ADD CONSTRAINT projects_kind_fkey FOREIGN KEY (kind) REFERENCES task_kinds(name);
