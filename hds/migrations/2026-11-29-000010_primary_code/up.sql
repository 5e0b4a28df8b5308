-- The code of each report's primary exception, kept on the report: the usual drill-down
-- (`codes=…&primary=true`, mostly with harvesters and a time window) then reads one index of
-- error_reports instead of joining every matching exception. Extraction sets it together with
-- the report's status; the triggers below keep it right when exceptions change any other way.
ALTER TABLE error_reports ADD COLUMN primary_code_id BIGINT;
UPDATE error_reports r SET primary_code_id = x.code_id
    FROM exceptions x WHERE x.report_id = r.id AND x."primary";

DROP INDEX error_reports_harvester_time_idx;
CREATE INDEX error_reports_harvester_time_idx
    ON error_reports (harvester_id, report_time DESC, id) INCLUDE (primary_code_id);
-- Codes first, then harvesters and time: a drill-down on a few codes and harvesters is a few
-- short range scans. Partial, so ingest (the code is still unknown) never writes to it.
CREATE INDEX error_reports_primary_code_idx
    ON error_reports (primary_code_id, harvester_id, report_time DESC, id)
    WHERE primary_code_id IS NOT NULL;

-- An inserted primary exception gives its report a code when it has none yet (extraction has
-- set it already, so this is usually a no-op); updates and deletes recompute the affected
-- reports, the earliest primary exception winning should an edit leave two.
CREATE FUNCTION hds_primary_code_of(report BIGINT) RETURNS BIGINT
LANGUAGE sql STABLE AS $$
    SELECT code_id FROM exceptions WHERE report_id = report AND "primary"
    ORDER BY "timestamp" NULLS LAST, id LIMIT 1
$$;

CREATE FUNCTION hds_sync_primary_code() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE error_reports r SET primary_code_id = n.code_id
        FROM (SELECT DISTINCT ON (report_id) report_id, code_id FROM new_rows
              WHERE "primary" AND code_id IS NOT NULL
              ORDER BY report_id, "timestamp" NULLS LAST, id) n
        WHERE r.id = n.report_id AND r.primary_code_id IS NULL;
    ELSIF TG_OP = 'UPDATE' THEN
        UPDATE error_reports r SET primary_code_id = t.code_id
        FROM (SELECT report_id, hds_primary_code_of(report_id) AS code_id
              FROM (SELECT report_id FROM old_rows UNION SELECT report_id FROM new_rows) a
              WHERE report_id IS NOT NULL) t
        WHERE r.id = t.report_id AND r.primary_code_id IS DISTINCT FROM t.code_id;
    ELSE
        UPDATE error_reports r SET primary_code_id = t.code_id
        FROM (SELECT report_id, hds_primary_code_of(report_id) AS code_id
              FROM (SELECT DISTINCT report_id FROM old_rows WHERE "primary") a
              WHERE report_id IS NOT NULL) t
        WHERE r.id = t.report_id AND r.primary_code_id IS DISTINCT FROM t.code_id;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER exceptions_primary_code_insert AFTER INSERT ON exceptions
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION hds_sync_primary_code();
CREATE TRIGGER exceptions_primary_code_update AFTER UPDATE ON exceptions
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION hds_sync_primary_code();
CREATE TRIGGER exceptions_primary_code_delete AFTER DELETE ON exceptions
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION hds_sync_primary_code();
