DROP INDEX exceptions_traceback_trgm_idx;
DROP FUNCTION hds_duration(BIGINT);
DROP FUNCTION hds_ts(TIMESTAMPTZ);
