-- Version 4: account management. Users can be deactivated; API tokens expire and can be revoked (legacy tokens
-- keep no expiry until revoked); the CSRF token is derived from the session token instead of being stored.
ALTER TABLE users ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT;
ALTER TABLE api_tokens ADD COLUMN revoked_at BIGINT;
ALTER TABLE sessions DROP COLUMN csrf;
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);
