-- Version 6: differentially private releases of aggregate statistics (feedback/README.md, "Differential privacy").
-- Each dataset ('project:<id>', or 'production' for feedback through tokens bound to no project) has a privacy
-- budget; every release is charged to it in privacy_charges, so restarts and other server processes see the same
-- spent budget. A dataset without a row in privacy_budgets refuses every release.
CREATE TABLE privacy_budgets (
  dataset TEXT PRIMARY KEY,
  epsilon DOUBLE PRECISION NOT NULL,
  delta DOUBLE PRECISION NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE privacy_charges (
  id ${id},
  dataset TEXT NOT NULL,
  query TEXT NOT NULL,
  epsilon DOUBLE PRECISION NOT NULL,
  delta DOUBLE PRECISION NOT NULL,
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL
);
CREATE INDEX privacy_charges_dataset ON privacy_charges (dataset, id);
