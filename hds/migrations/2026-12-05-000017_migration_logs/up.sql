-- Migrations run from the API (docs/api-design.md#migrations): `GET migrations/migrate/`
-- records a pending log; the worker applies the embedded migrations and records the outcome.
-- The pending row is the record of the work to do (the queue only starts it sooner), so a run
-- the queue lost is found by the worker's sweep.
CREATE TABLE migration_logs (
    id BIGSERIAL PRIMARY KEY,
    result VARCHAR(31) NOT NULL DEFAULT 'pending'
        CHECK (result IN ('failed', 'pending', 'success')),
    start_time TIMESTAMPTZ,
    end_time TIMESTAMPTZ,
    output TEXT,
    -- The commit of the build that queued the run (GITHASH, else the build's, else UNKNOWN).
    githash VARCHAR(40) NOT NULL,
    -- Names of the migrations this run applied (beyond the reference, which kept them only in
    -- `output`).
    applied TEXT[] NOT NULL DEFAULT '{}',
    -- A worker running it holds it until then; a worker that died leaves it to the next.
    lease TIMESTAMPTZ,
    attempts INTEGER NOT NULL DEFAULT 0,
    creator_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    modified_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_modified TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX migration_logs_pending_idx ON migration_logs (id) WHERE result = 'pending';
CREATE INDEX migration_logs_created_idx ON migration_logs (created);
