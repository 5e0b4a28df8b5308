DO $$
DECLARE t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['error_reports', 'events', 'pick_sessions'] LOOP
        EXECUTE format('DROP TRIGGER %1$s_count_insert ON %1$I', t);
        EXECUTE format('DROP TRIGGER %1$s_count_delete ON %1$I', t);
        EXECUTE format('DROP TRIGGER %1$s_count_truncate ON %1$I', t);
    END LOOP;
END $$;
DROP FUNCTION hds_count_truncated();
DROP FUNCTION hds_count_deleted();
DROP FUNCTION hds_count_inserted();
DROP TABLE row_counts;

DROP INDEX exceptions_report_idx;
CREATE INDEX exceptions_report_idx ON exceptions (report_id);
DROP INDEX exceptions_code_report_idx;
DROP INDEX error_reports_harvester_time_idx;
CREATE INDEX error_reports_harvester_time_idx ON error_reports (harvester_id, report_time DESC);
