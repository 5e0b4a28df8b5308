-- Jobs dispatched to harvesters (docs/api-design.md#jobs): PostgreSQL is the record of every
-- dispatch still to do, the queue only starts it sooner; schedules fire jobs exactly once per
-- due time; the job history is written by a trigger so no path can forget it.

-- Dispatch: 'pending' from the job's insert (or a reschedule) until the job server took it
-- ('sent') or every attempt failed ('failed'). NULL for jobs loaded from the original, which
-- dispatched them itself.
ALTER TABLE jobs
    ADD COLUMN dispatch_status VARCHAR(10) CHECK (dispatch_status IN ('pending', 'sent', 'failed')),
    ADD COLUMN dispatch_attempts INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN dispatch_error TEXT,
    ADD COLUMN dispatched_at TIMESTAMPTZ,
    -- A worker sending the job holds it until then, so two workers rarely send it twice.
    ADD COLUMN dispatch_lease TIMESTAMPTZ,
    ADD COLUMN schedule_id BIGINT,
    ADD COLUMN scheduled_for TIMESTAMPTZ;
CREATE INDEX jobs_dispatch_pending_idx ON jobs (id) WHERE dispatch_status = 'pending';
CREATE INDEX jobs_status_idx ON jobs (jobstatus);
CREATE INDEX jobs_schema_idx ON jobs (schema_id);

-- A job to run on a set of harvesters, once at `run_at` or at every time `cron` names. The
-- worker that fires a due time creates one job per target in the same transaction that moves
-- `next_run` on; the unique index below makes a second firing of the same time impossible.
CREATE TABLE job_schedules (
    id BIGSERIAL PRIMARY KEY,
    schema_id BIGINT NOT NULL REFERENCES job_schemas (id) ON DELETE CASCADE,
    payload JSONB NOT NULL DEFAULT '{}',
    target_ids BIGINT[] NOT NULL,
    cron VARCHAR(100),
    run_at TIMESTAMPTZ,
    next_run TIMESTAMPTZ,
    last_run TIMESTAMPTZ,
    runs INTEGER NOT NULL DEFAULT 0,
    -- Why the last due time created no jobs (its schema no longer accepts the payload).
    last_error TEXT,
    cancelled_at TIMESTAMPTZ,
    creator_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    modified_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_modified TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((cron IS NULL) <> (run_at IS NULL))
);
CREATE INDEX job_schedules_due_idx ON job_schedules (next_run) WHERE next_run IS NOT NULL;
ALTER TABLE jobs ADD CONSTRAINT jobs_schedule_fk
    FOREIGN KEY (schedule_id) REFERENCES job_schedules (id) ON DELETE SET NULL;
CREATE UNIQUE INDEX jobs_schedule_firing_key ON jobs (schedule_id, scheduled_for, target_id)
    WHERE schedule_id IS NOT NULL;

-- "Job complete" is posted to Slack at most once per result.
ALTER TABLE job_results ADD COLUMN notified_at TIMESTAMPTZ;

CREATE FUNCTION hds_job_history() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r jobs%ROWTYPE;
BEGIN
    IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
    -- Only the original's columns are history: dispatch bookkeeping alone is not a change.
    IF TG_OP = 'UPDATE' AND (OLD.jobstatus, OLD.payload, OLD.schema_id, OLD.target_id, OLD.event_id)
        IS NOT DISTINCT FROM (NEW.jobstatus, NEW.payload, NEW.schema_id, NEW.target_id, NEW.event_id) THEN
        RETURN NULL;
    END IF;
    INSERT INTO job_history (id, event_id, schema_id, target_id, payload, jobstatus, creator_id,
        modified_by_id, created, last_modified, history_type, history_user_id)
    VALUES (r.id, r.event_id, r.schema_id, r.target_id, r.payload, r.jobstatus, r.creator_id,
        r.modified_by_id, r.created, r.last_modified,
        CASE TG_OP WHEN 'INSERT' THEN '+' WHEN 'UPDATE' THEN '~' ELSE '-' END,
        COALESCE(r.modified_by_id, r.creator_id));
    RETURN NULL;
END $$;
CREATE TRIGGER jobs_history AFTER INSERT OR UPDATE OR DELETE ON jobs
    FOR EACH ROW EXECUTE FUNCTION hds_job_history();
