-- Wire formats used when representations are rendered as JSON by PostgreSQL.

-- Datetimes as the reference renders them: UTC, microseconds, `Z`.
CREATE FUNCTION hds_ts(t TIMESTAMPTZ) RETURNS TEXT
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') $$;

-- Durations (stored as microseconds) as `HH:MM:SS.ffffff`.
CREATE FUNCTION hds_duration(us BIGINT) RETURNS TEXT
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT to_char(make_interval(secs => us / 1000000.0), 'HH24:MI:SS.US') $$;

-- Trigram index support for the case-insensitive traceback search.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX exceptions_traceback_trgm_idx ON exceptions USING gin (traceback gin_trgm_ops);
