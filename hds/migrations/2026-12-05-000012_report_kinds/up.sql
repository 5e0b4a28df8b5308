-- The six further report kinds (docs/api-design.md#report-kinds), what the worker extracts
-- from them (autodiagnostics runs, assets, job host results) and the assets' history.
-- Every report table has the common report columns of error_reports; `extraction_status` is
-- the durable record of background work for the kinds that have some.

CREATE TABLE version_reports (
    id BIGSERIAL PRIMARY KEY,
    location_id BIGINT REFERENCES locations (id) ON DELETE SET NULL,
    harvester_id BIGINT REFERENCES harvesters (id) ON DELETE RESTRICT,
    report_time TIMESTAMPTZ,
    report JSONB,
    is_dirty BOOLEAN NOT NULL DEFAULT false,
    has_unexpected BOOLEAN NOT NULL DEFAULT false,
    ingest_key CHAR(64) UNIQUE,
    source_object TEXT,
    creator_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    modified_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_modified TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- A harvester's latest version (its representation, versions/, the repeat check on ingest).
CREATE INDEX version_reports_harvester_time_idx ON version_reports (harvester_id, report_time DESC, id DESC);
CREATE INDEX version_reports_report_time_idx ON version_reports (report_time DESC NULLS LAST, id DESC);
CREATE TABLE version_report_tags (
    version_report_id BIGINT NOT NULL REFERENCES version_reports (id) ON DELETE CASCADE,
    tag_id BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (version_report_id, tag_id)
);

CREATE TABLE job_results (
    id BIGSERIAL PRIMARY KEY,
    location_id BIGINT REFERENCES locations (id) ON DELETE SET NULL,
    harvester_id BIGINT REFERENCES harvesters (id) ON DELETE RESTRICT,
    report_time TIMESTAMPTZ,
    report JSONB,
    event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE RESTRICT,
    -- The job these are results of; jobs arrive with their own app (docs/api-design.md#report-kinds).
    job_id BIGINT,
    ingest_key CHAR(64) UNIQUE,
    source_object TEXT,
    extraction_status VARCHAR(16) NOT NULL DEFAULT 'pending'
        CHECK (extraction_status IN ('pending', 'done', 'failed')),
    extraction_attempts INTEGER NOT NULL DEFAULT 0,
    extraction_error TEXT,
    creator_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    modified_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_modified TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX job_results_report_time_idx ON job_results (report_time DESC NULLS LAST, id DESC);
CREATE INDEX job_results_event_idx ON job_results (event_id);
CREATE INDEX job_results_job_idx ON job_results (job_id);
CREATE INDEX job_results_pending_idx ON job_results (id) WHERE extraction_status = 'pending';
CREATE TABLE job_result_tags (
    job_result_id BIGINT NOT NULL REFERENCES job_results (id) ON DELETE CASCADE,
    tag_id BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (job_result_id, tag_id)
);
CREATE TABLE job_host_results (
    id BIGSERIAL PRIMARY KEY,
    parent_id BIGINT NOT NULL REFERENCES job_results (id) ON DELETE CASCADE,
    host VARCHAR(30) NOT NULL,
    result VARCHAR(30) NOT NULL,
    details JSONB NOT NULL DEFAULT '{}',
    "timestamp" TIMESTAMPTZ,
    creator_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    modified_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_modified TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (parent_id, host)
);

CREATE TABLE autodiagnostics_reports (
    id BIGSERIAL PRIMARY KEY,
    location_id BIGINT REFERENCES locations (id) ON DELETE SET NULL,
    harvester_id BIGINT REFERENCES harvesters (id) ON DELETE RESTRICT,
    report_time TIMESTAMPTZ,
    report JSONB,
    result BOOLEAN NOT NULL,
    robot INTEGER NOT NULL,
    gripper_sn BIGINT NOT NULL,
    event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE RESTRICT,
    pick_session_id BIGINT REFERENCES pick_sessions (id) ON DELETE SET NULL,
    ingest_key CHAR(64) UNIQUE,
    source_object TEXT,
    extraction_status VARCHAR(16) NOT NULL DEFAULT 'pending'
        CHECK (extraction_status IN ('pending', 'done', 'failed')),
    extraction_attempts INTEGER NOT NULL DEFAULT 0,
    extraction_error TEXT,
    creator_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    modified_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_modified TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX autodiagnostics_reports_report_time_idx ON autodiagnostics_reports (report_time DESC NULLS LAST, id DESC);
CREATE INDEX autodiagnostics_reports_harvester_idx ON autodiagnostics_reports (harvester_id, report_time DESC);
CREATE INDEX autodiagnostics_reports_event_idx ON autodiagnostics_reports (event_id);
CREATE INDEX autodiagnostics_reports_pick_session_idx ON autodiagnostics_reports (pick_session_id);
CREATE INDEX autodiagnostics_reports_pending_idx ON autodiagnostics_reports (id) WHERE extraction_status = 'pending';
CREATE TABLE autodiagnostics_report_tags (
    autodiagnostics_report_id BIGINT NOT NULL REFERENCES autodiagnostics_reports (id) ON DELETE CASCADE,
    tag_id BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (autodiagnostics_report_id, tag_id)
);

CREATE TABLE grip_reports (
    id BIGSERIAL PRIMARY KEY,
    location_id BIGINT REFERENCES locations (id) ON DELETE SET NULL,
    harvester_id BIGINT REFERENCES harvesters (id) ON DELETE RESTRICT,
    report_time TIMESTAMPTZ,
    report JSONB,
    event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE RESTRICT,
    pick_session_id BIGINT REFERENCES pick_sessions (id) ON DELETE SET NULL,
    ingest_key CHAR(64) UNIQUE,
    source_object TEXT,
    creator_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    modified_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_modified TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX grip_reports_report_time_idx ON grip_reports (report_time DESC NULLS LAST, id DESC);
CREATE INDEX grip_reports_harvester_idx ON grip_reports (harvester_id, report_time DESC);
CREATE INDEX grip_reports_event_idx ON grip_reports (event_id);
CREATE INDEX grip_reports_pick_session_idx ON grip_reports (pick_session_id);
CREATE TABLE grip_report_tags (
    grip_report_id BIGINT NOT NULL REFERENCES grip_reports (id) ON DELETE CASCADE,
    tag_id BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (grip_report_id, tag_id)
);

CREATE TABLE config_reports (
    id BIGSERIAL PRIMARY KEY,
    location_id BIGINT REFERENCES locations (id) ON DELETE SET NULL,
    harvester_id BIGINT REFERENCES harvesters (id) ON DELETE RESTRICT,
    report_time TIMESTAMPTZ,
    report JSONB,
    event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE RESTRICT,
    ingest_key CHAR(64) UNIQUE,
    source_object TEXT,
    creator_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    modified_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_modified TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- harvesters/{id}/config/: the latest by report time.
CREATE INDEX config_reports_harvester_time_idx ON config_reports (harvester_id, report_time DESC, id DESC);
CREATE INDEX config_reports_report_time_idx ON config_reports (report_time DESC NULLS LAST, id DESC);
CREATE INDEX config_reports_event_idx ON config_reports (event_id);
CREATE TABLE config_report_tags (
    config_report_id BIGINT NOT NULL REFERENCES config_reports (id) ON DELETE CASCADE,
    tag_id BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (config_report_id, tag_id)
);

CREATE TABLE asset_reports (
    id BIGSERIAL PRIMARY KEY,
    location_id BIGINT REFERENCES locations (id) ON DELETE SET NULL,
    harvester_id BIGINT REFERENCES harvesters (id) ON DELETE RESTRICT,
    report_time TIMESTAMPTZ,
    report JSONB,
    event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE RESTRICT,
    ingest_key CHAR(64) UNIQUE,
    source_object TEXT,
    extraction_status VARCHAR(16) NOT NULL DEFAULT 'pending'
        CHECK (extraction_status IN ('pending', 'done', 'failed')),
    extraction_attempts INTEGER NOT NULL DEFAULT 0,
    extraction_error TEXT,
    creator_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    modified_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_modified TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX asset_reports_report_time_idx ON asset_reports (report_time DESC NULLS LAST, id DESC);
CREATE INDEX asset_reports_event_idx ON asset_reports (event_id);
CREATE INDEX asset_reports_pending_idx ON asset_reports (id) WHERE extraction_status = 'pending';
CREATE TABLE asset_report_tags (
    asset_report_id BIGINT NOT NULL REFERENCES asset_reports (id) ON DELETE CASCADE,
    tag_id BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (asset_report_id, tag_id)
);

CREATE TABLE asset_types (
    id BIGSERIAL PRIMARY KEY,
    name VARCHAR(31) NOT NULL UNIQUE,
    creator_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    modified_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_modified TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE assets (
    id BIGSERIAL PRIMARY KEY,
    asset_type_id BIGINT NOT NULL REFERENCES asset_types (id) ON DELETE CASCADE,
    harvester_id BIGINT REFERENCES harvesters (id) ON DELETE SET NULL,
    "index" INTEGER NOT NULL,
    serial_number VARCHAR(63) NOT NULL,
    version VARCHAR(31),
    creator_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    modified_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_modified TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (asset_type_id, serial_number)
);
CREATE INDEX assets_harvester_idx ON assets (harvester_id, asset_type_id, "index");
-- Every state an asset was in (the original's simple-history table): written by a trigger, so
-- no path that changes an asset can forget it.
CREATE TABLE asset_history (
    history_id BIGSERIAL PRIMARY KEY,
    id BIGINT NOT NULL,
    asset_type_id BIGINT,
    harvester_id BIGINT,
    "index" INTEGER,
    serial_number VARCHAR(63),
    version VARCHAR(31),
    creator_id BIGINT,
    modified_by_id BIGINT,
    created TIMESTAMPTZ,
    last_modified TIMESTAMPTZ,
    history_date TIMESTAMPTZ NOT NULL DEFAULT now(),
    history_type CHAR(1) NOT NULL CHECK (history_type IN ('+', '~', '-')),
    history_user_id BIGINT REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX asset_history_asset_idx ON asset_history (id, history_date DESC);

CREATE FUNCTION hds_asset_history() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r assets%ROWTYPE;
BEGIN
    IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
    INSERT INTO asset_history (id, asset_type_id, harvester_id, "index", serial_number, version,
        creator_id, modified_by_id, created, last_modified, history_type, history_user_id)
    VALUES (r.id, r.asset_type_id, r.harvester_id, r."index", r.serial_number, r.version,
        r.creator_id, r.modified_by_id, r.created, r.last_modified,
        CASE TG_OP WHEN 'INSERT' THEN '+' WHEN 'UPDATE' THEN '~' ELSE '-' END,
        COALESCE(r.modified_by_id, r.creator_id));
    RETURN NULL;
END $$;
CREATE TRIGGER assets_history AFTER INSERT OR UPDATE OR DELETE ON assets
    FOR EACH ROW EXECUTE FUNCTION hds_asset_history();

CREATE TABLE autodiagnostics_runs (
    id BIGSERIAL PRIMARY KEY,
    report_id BIGINT NOT NULL UNIQUE REFERENCES autodiagnostics_reports (id) ON DELETE CASCADE,
    gripper_id BIGINT NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    robot_id INTEGER NOT NULL,
    run_timestamp TIMESTAMPTZ NOT NULL,
    ball_found_result BOOLEAN NOT NULL,
    result BOOLEAN NOT NULL,
    template_match_result BOOLEAN,
    min_vac DOUBLE PRECISION,
    finger_open_value DOUBLE PRECISION,
    finger_closed_value DOUBLE PRECISION,
    finger_delta DOUBLE PRECISION,
    nominal_touch_force DOUBLE PRECISION,
    max_touch_force DOUBLE PRECISION,
    template_match_y_error DOUBLE PRECISION,
    sensors JSONB NOT NULL DEFAULT '{}',
    creator_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    modified_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_modified TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX autodiagnostics_runs_gripper_idx ON autodiagnostics_runs (gripper_id);
CREATE INDEX autodiagnostics_runs_timestamp_idx ON autodiagnostics_runs (run_timestamp DESC, id DESC);

-- Version reports grow with every change on every harvester: count them like error reports.
DO $$
DECLARE t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['version_reports'] LOOP
        EXECUTE format('CREATE TRIGGER %1$s_count_insert AFTER INSERT ON %1$I
            REFERENCING NEW TABLE AS inserted_rows FOR EACH STATEMENT EXECUTE FUNCTION hds_count_inserted()', t);
        EXECUTE format('CREATE TRIGGER %1$s_count_delete AFTER DELETE ON %1$I
            REFERENCING OLD TABLE AS deleted_rows FOR EACH STATEMENT EXECUTE FUNCTION hds_count_deleted()', t);
        EXECUTE format('CREATE TRIGGER %1$s_count_truncate AFTER TRUNCATE ON %1$I
            FOR EACH STATEMENT EXECUTE FUNCTION hds_count_truncated()', t);
        EXECUTE format('INSERT INTO row_counts (table_name, slot, n) SELECT %L, 0, count(*) FROM %I', t, t);
    END LOOP;
END $$;
