-- The S3 object a report was read from (`bucket/key@etag`), so a forwarder that finds an
-- object already gone can tell a redelivered duplicate from a lost object.
ALTER TABLE error_reports ADD COLUMN source_object TEXT;
CREATE INDEX error_reports_source_object_idx ON error_reports (source_object) WHERE source_object IS NOT NULL;
