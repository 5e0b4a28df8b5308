-- Login answers `token` as an API token of the login session (for clients that send
-- `Authorization: Token …` and have no refresh logic): revoked with its session, and expiring
-- after an idle time. Service tokens have neither.
ALTER TABLE api_tokens
    ADD COLUMN session_id uuid NULL REFERENCES auth_sessions (id) ON DELETE CASCADE,
    ADD COLUMN idle_timeout_seconds integer NULL CHECK (idle_timeout_seconds > 0);
CREATE INDEX api_tokens_session_id ON api_tokens (session_id) WHERE session_id IS NOT NULL;
