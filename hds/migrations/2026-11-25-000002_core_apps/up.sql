-- Core apps: fruits, distributors, locations, harvesters (with history), events and pick
-- sessions, exception codes and manifests, error reports and their exceptions, notifications.
--
-- Every row records its creator and last modifier; deleting a user keeps the data
-- (SET NULL), and deleting something still referenced is refused (RESTRICT) rather than
-- cascading through reports.

CREATE TABLE fruits (
    id BIGSERIAL PRIMARY KEY,
    name VARCHAR(255) NOT NULL,
    creator_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    modified_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_modified TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE distributors (
    id BIGSERIAL PRIMARY KEY,
    name VARCHAR(255) NOT NULL,
    creator_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    modified_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_modified TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE locations (
    id BIGSERIAL PRIMARY KEY,
    distributor_id BIGINT NOT NULL REFERENCES distributors (id) ON DELETE RESTRICT,
    ranch VARCHAR(255),
    country VARCHAR(255),
    region VARCHAR(255),
    site_channel VARCHAR(40) NOT NULL DEFAULT 'harvs-dev',
    creator_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    modified_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_modified TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX locations_ranch_idx ON locations (ranch);

CREATE TABLE harvesters (
    id BIGSERIAL PRIMARY KEY,
    harv_id INTEGER NOT NULL,
    fruit_id BIGINT NOT NULL REFERENCES fruits (id) ON DELETE RESTRICT,
    location_id BIGINT NOT NULL REFERENCES locations (id) ON DELETE RESTRICT,
    name VARCHAR(255),
    is_emulator BOOLEAN NOT NULL DEFAULT FALSE,
    -- The release a harvester should run; the releases table arrives with its app.
    release_id BIGINT,
    thing_name VARCHAR(20),
    creator_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    modified_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_modified TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX harvesters_harv_id_idx ON harvesters (harv_id);
-- D22: harv_id is unique among real harvesters; at most one emulator per fruit.
CREATE UNIQUE INDEX harvesters_harv_id_real_uniq ON harvesters (harv_id) WHERE NOT is_emulator;
CREATE UNIQUE INDEX harvesters_one_emulator_per_fruit ON harvesters (fruit_id) WHERE is_emulator;

CREATE TABLE harvester_history (
    history_id BIGSERIAL PRIMARY KEY,
    id BIGINT NOT NULL,
    harv_id INTEGER NOT NULL,
    fruit_id BIGINT,
    location_id BIGINT,
    name VARCHAR(255),
    is_emulator BOOLEAN NOT NULL,
    release_id BIGINT,
    thing_name VARCHAR(20),
    creator_id BIGINT,
    modified_by_id BIGINT,
    created TIMESTAMPTZ NOT NULL,
    last_modified TIMESTAMPTZ NOT NULL,
    history_date TIMESTAMPTZ NOT NULL DEFAULT now(),
    history_change_reason VARCHAR(100),
    history_type CHAR(1) NOT NULL CHECK (history_type IN ('+', '~', '-')),
    history_user_id BIGINT REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX harvester_history_id_idx ON harvester_history (id);
CREATE INDEX harvester_history_harv_id_idx ON harvester_history (harv_id);
CREATE INDEX harvester_history_date_idx ON harvester_history (history_date DESC);

CREATE TABLE events (
    id BIGSERIAL PRIMARY KEY,
    uuid VARCHAR(40) NOT NULL UNIQUE,
    creator_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    modified_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_modified TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE event_tags (
    event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    tag_id BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, tag_id)
);
CREATE INDEX event_tags_tag_idx ON event_tags (tag_id);
-- Symmetric relation: both directions are stored.
CREATE TABLE event_secondary_events (
    from_event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    to_event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    PRIMARY KEY (from_event_id, to_event_id)
);

CREATE TABLE pick_sessions (
    id BIGSERIAL PRIMARY KEY,
    uuid VARCHAR(40) NOT NULL UNIQUE,
    harvester_id BIGINT REFERENCES harvesters (id) ON DELETE SET NULL,
    location_id BIGINT REFERENCES locations (id) ON DELETE SET NULL,
    start_time TIMESTAMPTZ,
    session_length_us BIGINT,
    creator_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    modified_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_modified TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX pick_sessions_start_time_idx ON pick_sessions (start_time);
CREATE TABLE pick_session_tags (
    pick_session_id BIGINT NOT NULL REFERENCES pick_sessions (id) ON DELETE CASCADE,
    tag_id BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (pick_session_id, tag_id)
);

CREATE TABLE exception_code_manifests (
    id BIGSERIAL PRIMARY KEY,
    version VARCHAR(31) NOT NULL,
    manifest JSONB NOT NULL,
    -- Set once the codes were upserted (durable background work).
    applied_at TIMESTAMPTZ,
    apply_error TEXT,
    creator_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    modified_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_modified TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX exception_code_manifests_pending_idx ON exception_code_manifests (id) WHERE applied_at IS NULL;

CREATE TABLE exception_codes (
    id BIGSERIAL PRIMARY KEY,
    code INTEGER NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE,
    msg TEXT NOT NULL DEFAULT '',
    team TEXT NOT NULL,
    cycle BOOLEAN NOT NULL DEFAULT FALSE,
    operator_msg VARCHAR(255) NOT NULL DEFAULT 'Please cycle the harvester',
    manifest_id BIGINT REFERENCES exception_code_manifests (id) ON DELETE SET NULL,
    creator_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    modified_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_modified TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE error_reports (
    id BIGSERIAL PRIMARY KEY,
    location_id BIGINT REFERENCES locations (id) ON DELETE SET NULL,
    harvester_id BIGINT REFERENCES harvesters (id) ON DELETE RESTRICT,
    report_time TIMESTAMPTZ,
    report JSONB,
    githash TEXT NOT NULL DEFAULT 'unknown',
    gitbranch TEXT NOT NULL DEFAULT 'unknown',
    event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE RESTRICT,
    pick_session_id BIGINT REFERENCES pick_sessions (id) ON DELETE SET NULL,
    -- D23: uuid + type + timestamp + harvester; a replayed report finds its row here.
    ingest_key CHAR(64) UNIQUE,
    -- Durable background work (rule 8): pending until the worker has extracted exceptions.
    extraction_status VARCHAR(16) NOT NULL DEFAULT 'pending'
        CHECK (extraction_status IN ('pending', 'done', 'failed')),
    extraction_attempts INTEGER NOT NULL DEFAULT 0,
    extraction_error TEXT,
    notified_at TIMESTAMPTZ,
    creator_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    modified_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_modified TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX error_reports_report_time_idx ON error_reports (report_time DESC NULLS LAST, id DESC);
CREATE INDEX error_reports_harvester_time_idx ON error_reports (harvester_id, report_time DESC);
CREATE INDEX error_reports_location_idx ON error_reports (location_id);
CREATE INDEX error_reports_event_idx ON error_reports (event_id);
CREATE INDEX error_reports_pick_session_idx ON error_reports (pick_session_id);
CREATE INDEX error_reports_created_idx ON error_reports (created);
CREATE INDEX error_reports_pending_idx ON error_reports (id) WHERE extraction_status = 'pending';
CREATE TABLE error_report_tags (
    error_report_id BIGINT NOT NULL REFERENCES error_reports (id) ON DELETE CASCADE,
    tag_id BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (error_report_id, tag_id)
);
CREATE INDEX error_report_tags_tag_idx ON error_report_tags (tag_id);

CREATE TABLE exceptions (
    id BIGSERIAL PRIMARY KEY,
    code_id BIGINT REFERENCES exception_codes (id) ON DELETE SET NULL,
    service VARCHAR(64),
    node INTEGER,
    robot INTEGER,
    traceback TEXT,
    info TEXT,
    "timestamp" TIMESTAMPTZ,
    report_id BIGINT REFERENCES error_reports (id) ON DELETE CASCADE,
    handled BOOLEAN NOT NULL DEFAULT FALSE,
    "primary" BOOLEAN,
    creator_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    modified_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_modified TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX exceptions_report_idx ON exceptions (report_id);
CREATE INDEX exceptions_code_idx ON exceptions (code_id);
CREATE INDEX exceptions_timestamp_idx ON exceptions ("timestamp");

CREATE TABLE notifications (
    id BIGSERIAL PRIMARY KEY,
    trigger_on TEXT NOT NULL DEFAULT 'ErrorReport',
    criteria JSONB NOT NULL DEFAULT '{}',
    creator_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    modified_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_modified TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE notification_recipients (
    notification_id BIGINT NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (notification_id, user_id)
);
CREATE INDEX notification_recipients_user_idx ON notification_recipients (user_id);
