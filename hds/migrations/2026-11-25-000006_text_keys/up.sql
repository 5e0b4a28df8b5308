-- Hash and idempotency keys as TEXT: parameters arrive as text, and a CHAR(n) column compared
-- with text is cast, which bypasses its unique index (a sequential scan per ingest/login).
ALTER TABLE error_reports ALTER COLUMN ingest_key TYPE TEXT;
ALTER TABLE api_tokens ALTER COLUMN key_hash TYPE TEXT;
ALTER TABLE refresh_tokens ALTER COLUMN token_hash TYPE TEXT;
