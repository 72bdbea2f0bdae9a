-- Version 5: personal data (feedback/README.md, "Personal data"). Each project has a PII policy: pii_action
-- off | detect | redact | reject, pii_mode mask | hash | drop (for redact) and a random secret salt for hash
-- pseudonyms. An API token may be bound to a project, whose policy then screens its production feedback, and the
-- feedback row records the project. pii_findings counts what the screening found, by type: never the values.
ALTER TABLE projects ADD COLUMN pii_action TEXT NOT NULL DEFAULT 'off' CHECK (pii_action IN ('off', 'detect', 'redact', 'reject'));
ALTER TABLE projects ADD COLUMN pii_mode TEXT NOT NULL DEFAULT 'mask' CHECK (pii_mode IN ('mask', 'hash', 'drop'));
ALTER TABLE projects ADD COLUMN pii_salt TEXT;
ALTER TABLE api_tokens ADD COLUMN project_id BIGINT REFERENCES projects(id);
ALTER TABLE production_feedback ADD COLUMN project_id BIGINT REFERENCES projects(id);
CREATE TABLE pii_findings (
  id ${id},
  project_id BIGINT REFERENCES projects(id),
  source TEXT NOT NULL CHECK (source IN ('items', 'import', 'production', 'export')),
  pii_type TEXT NOT NULL,
  verdict TEXT NOT NULL CHECK (verdict IN ('flagged', 'redacted', 'dropped', 'rejected')),
  findings INTEGER NOT NULL,
  records INTEGER NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX pii_findings_project ON pii_findings (project_id, source);
