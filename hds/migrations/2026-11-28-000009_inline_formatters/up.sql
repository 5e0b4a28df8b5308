-- to_char is STABLE, so formatters declared IMMUTABLE could not be inlined: every datetime in
-- every representation was a separate SQL-function call. Declared STABLE, they inline.
ALTER FUNCTION hds_ts(TIMESTAMPTZ) STABLE;
ALTER FUNCTION hds_duration(BIGINT) STABLE;
