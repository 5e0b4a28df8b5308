ALTER TABLE refresh_tokens ALTER COLUMN token_hash TYPE CHAR(64);
ALTER TABLE api_tokens ALTER COLUMN key_hash TYPE CHAR(64);
ALTER TABLE error_reports ALTER COLUMN ingest_key TYPE CHAR(64);
