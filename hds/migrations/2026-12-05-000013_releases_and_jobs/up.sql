-- Code releases and jobs (the original's harvdeploy and harvjobs models): the tables the
-- reference fixtures and job results refer to. Their API is documented in
-- docs/api-design.md#report-kinds (job results) and arrives with the jobs work.

CREATE TABLE harvester_code_releases (
    id BIGSERIAL PRIMARY KEY,
    version VARCHAR(40) NOT NULL,
    release JSONB NOT NULL DEFAULT '{}',
    fruit_id BIGINT NOT NULL REFERENCES fruits (id) ON DELETE CASCADE,
    creator_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    modified_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_modified TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (version, fruit_id)
);
CREATE TABLE release_tags (
    release_id BIGINT NOT NULL REFERENCES harvester_code_releases (id) ON DELETE CASCADE,
    tag_id BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (release_id, tag_id)
);
-- harvesters.release_id (and its history column) existed without a table to point at.
ALTER TABLE harvesters ADD CONSTRAINT harvesters_release_fk
    FOREIGN KEY (release_id) REFERENCES harvester_code_releases (id) ON DELETE SET NULL;
CREATE INDEX harvesters_release_idx ON harvesters (release_id) WHERE release_id IS NOT NULL;

CREATE TABLE job_types (
    id BIGSERIAL PRIMARY KEY,
    name VARCHAR(20) NOT NULL UNIQUE,
    creator_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    modified_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_modified TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE job_schemas (
    id BIGSERIAL PRIMARY KEY,
    job_type_id BIGINT NOT NULL REFERENCES job_types (id) ON DELETE CASCADE,
    schema JSONB NOT NULL DEFAULT '{}',
    version VARCHAR(10) NOT NULL,
    comment VARCHAR(280) NOT NULL DEFAULT '',
    creator_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    modified_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_modified TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (job_type_id, version)
);
CREATE TABLE jobs (
    id BIGSERIAL PRIMARY KEY,
    event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE RESTRICT,
    schema_id BIGINT NOT NULL REFERENCES job_schemas (id) ON DELETE CASCADE,
    target_id BIGINT NOT NULL REFERENCES harvesters (id) ON DELETE CASCADE,
    payload JSONB NOT NULL DEFAULT '{}',
    jobstatus VARCHAR(30) NOT NULL DEFAULT 'Pending',
    creator_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    modified_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_modified TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX jobs_event_idx ON jobs (event_id);
CREATE INDEX jobs_target_idx ON jobs (target_id);
CREATE TABLE job_history (
    history_id BIGSERIAL PRIMARY KEY,
    id BIGINT NOT NULL,
    event_id BIGINT,
    schema_id BIGINT,
    target_id BIGINT,
    payload JSONB,
    jobstatus VARCHAR(30),
    creator_id BIGINT,
    modified_by_id BIGINT,
    created TIMESTAMPTZ,
    last_modified TIMESTAMPTZ,
    history_date TIMESTAMPTZ NOT NULL DEFAULT now(),
    history_change_reason VARCHAR(100),
    history_type CHAR(1) NOT NULL CHECK (history_type IN ('+', '~', '-')),
    history_user_id BIGINT REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX job_history_job_idx ON job_history (id, history_date DESC);

ALTER TABLE job_results ADD CONSTRAINT job_results_job_fk
    FOREIGN KEY (job_id) REFERENCES jobs (id) ON DELETE CASCADE;

-- The assets' history as the original keeps it (a change reason the trigger leaves empty).
ALTER TABLE asset_history ADD COLUMN history_change_reason VARCHAR(100);
