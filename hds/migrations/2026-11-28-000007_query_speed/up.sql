-- Indexes shaped by the list, filter and pareto queries (EXPLAIN on 100,000 reports /
-- 300,000 exceptions), and exact row counts that do not scan the table.

-- Harvester + time window answered from the index alone (the id feeds the exception semi-join).
DROP INDEX error_reports_harvester_time_idx;
CREATE INDEX error_reports_harvester_time_idx ON error_reports (harvester_id, report_time DESC, id);

-- Report filters on exceptions (codes, primary) read report ids straight from this index.
-- (The narrow `exceptions_code_idx (code_id)` stays: deduplicated it is a tenth of the size, and
-- pareto by code counts from it.)
CREATE INDEX exceptions_code_report_idx ON exceptions (code_id, "primary", report_id);

-- Per-report probes (handled, primary, codes) without heap fetches.
DROP INDEX exceptions_report_idx;
CREATE INDEX exceptions_report_idx ON exceptions (report_id) INCLUDE (code_id, "primary", handled);

-- Exact row counts of the big tables for unfiltered list pages. Each connection adds to its own
-- slot (backend pid modulo 256), so concurrent writers rarely wait on one another.
CREATE TABLE row_counts (
    table_name TEXT NOT NULL,
    slot SMALLINT NOT NULL,
    n BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (table_name, slot)
);

CREATE FUNCTION hds_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO row_counts (table_name, slot, n)
    SELECT TG_TABLE_NAME, pg_backend_pid() % 256, count(*) FROM inserted_rows HAVING count(*) > 0
    ON CONFLICT (table_name, slot) DO UPDATE SET n = row_counts.n + EXCLUDED.n;
    RETURN NULL;
END $$;

CREATE FUNCTION hds_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO row_counts (table_name, slot, n)
    SELECT TG_TABLE_NAME, pg_backend_pid() % 256, -count(*) FROM deleted_rows HAVING count(*) > 0
    ON CONFLICT (table_name, slot) DO UPDATE SET n = row_counts.n + EXCLUDED.n;
    RETURN NULL;
END $$;

CREATE FUNCTION hds_count_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM row_counts WHERE table_name = TG_TABLE_NAME;
    RETURN NULL;
END $$;

DO $$
DECLARE t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['error_reports', 'events', 'pick_sessions'] LOOP
        EXECUTE format('CREATE TRIGGER %1$s_count_insert AFTER INSERT ON %1$I
            REFERENCING NEW TABLE AS inserted_rows FOR EACH STATEMENT EXECUTE FUNCTION hds_count_inserted()', t);
        EXECUTE format('CREATE TRIGGER %1$s_count_delete AFTER DELETE ON %1$I
            REFERENCING OLD TABLE AS deleted_rows FOR EACH STATEMENT EXECUTE FUNCTION hds_count_deleted()', t);
        EXECUTE format('CREATE TRIGGER %1$s_count_truncate AFTER TRUNCATE ON %1$I
            FOR EACH STATEMENT EXECUTE FUNCTION hds_count_truncated()', t);
        EXECUTE format('INSERT INTO row_counts (table_name, slot, n) SELECT %L, 0, count(*) FROM %I', t, t);
    END LOOP;
END $$;
