-- Version 7: local differential privacy for production thumbs. A client that randomised its thumb by randomised
-- response before sending it records the epsilon it used; the stored thumb is then noise by design, the row is left
-- out of exports, and the thumbs-up statistic estimates the rate with the unbiased randomised-response estimator.
ALTER TABLE production_feedback ADD COLUMN rr_epsilon DOUBLE PRECISION;
