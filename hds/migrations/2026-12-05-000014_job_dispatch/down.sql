DROP TRIGGER jobs_history ON jobs;
DROP FUNCTION hds_job_history();
ALTER TABLE job_results DROP COLUMN notified_at;
DROP INDEX jobs_schedule_firing_key;
ALTER TABLE jobs DROP CONSTRAINT jobs_schedule_fk;
DROP TABLE job_schedules;
DROP INDEX jobs_schema_idx;
DROP INDEX jobs_status_idx;
DROP INDEX jobs_dispatch_pending_idx;
ALTER TABLE jobs DROP COLUMN scheduled_for, DROP COLUMN schedule_id, DROP COLUMN dispatched_at, DROP COLUMN dispatch_lease,
    DROP COLUMN dispatch_error, DROP COLUMN dispatch_attempts, DROP COLUMN dispatch_status;
