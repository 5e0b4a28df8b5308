DROP INDEX IF EXISTS api_tokens_session_id;
ALTER TABLE api_tokens DROP COLUMN IF EXISTS idle_timeout_seconds, DROP COLUMN IF EXISTS session_id;
