DROP TRIGGER exceptions_primary_code_delete ON exceptions;
DROP TRIGGER exceptions_primary_code_update ON exceptions;
DROP TRIGGER exceptions_primary_code_insert ON exceptions;
DROP FUNCTION hds_sync_primary_code();
DROP FUNCTION hds_primary_code_of(BIGINT);
DROP INDEX error_reports_primary_code_idx;
DROP INDEX error_reports_harvester_time_idx;
CREATE INDEX error_reports_harvester_time_idx ON error_reports (harvester_id, report_time DESC, id);
ALTER TABLE error_reports DROP COLUMN primary_code_id;
