DROP INDEX error_reports_source_object_idx;
ALTER TABLE error_reports DROP COLUMN source_object;
