-- Production thumbs may name the served response they judge (serve-model's chatcmpl-/cmpl- id), so that
-- explicit feedback counts towards that response's model version in A/B tests, beside the implicit signals.
ALTER TABLE production_feedback ADD COLUMN response_id TEXT;
CREATE INDEX production_feedback_response ON production_feedback (response_id);
