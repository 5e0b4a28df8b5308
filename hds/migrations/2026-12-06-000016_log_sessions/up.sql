-- Log sessions (contract §4.15, docs/api-design.md#log-sessions): an uploaded session-clip zip,
-- the log files and videos extracted from it by the worker, and every log line as a row so the
-- viewer reads windows of 500 lines server-side instead of one JSON document per file.

CREATE TABLE log_sessions (
    id BIGSERIAL PRIMARY KEY,
    -- `<uploaded file name>-<uuid4>`.
    name VARCHAR(255) NOT NULL UNIQUE,
    -- From the first file name in the zip (14 digits, US/Pacific).
    date_time TIMESTAMPTZ,
    harvester_id BIGINT REFERENCES harvesters (id) ON DELETE SET NULL,
    -- The uploaded zip, as a session clip once extraction recorded it.
    zip_file_id BIGINT UNIQUE REFERENCES sess_clips (id) ON DELETE CASCADE,
    -- Where the upload was stored (D19): the worker reads it from there.
    upload_bucket VARCHAR(255) NOT NULL,
    upload_key VARCHAR(1024) NOT NULL,
    upload_size BIGINT NOT NULL,
    -- The event the session's files (zip, videos) belong to.
    uuid VARCHAR(255) NOT NULL,
    status VARCHAR(16) NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'extracting', 'done', 'failed')),
    progress_done INTEGER NOT NULL DEFAULT 0,
    progress_total INTEGER NOT NULL DEFAULT 0,
    failure_reason TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    -- An extraction in progress holds the session until then; past it, another worker may.
    lease_until TIMESTAMPTZ,
    notified_at TIMESTAMPTZ,
    creator_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    modified_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_modified TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX log_sessions_created_idx ON log_sessions (created DESC, id DESC);
CREATE INDEX log_sessions_harvester_idx ON log_sessions (harvester_id);
CREATE INDEX log_sessions_pending_idx ON log_sessions (created)
    WHERE status IN ('pending', 'extracting');

CREATE TABLE log_session_tags (
    log_session_id BIGINT NOT NULL REFERENCES log_sessions (id) ON DELETE CASCADE,
    tag_id BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (log_session_id, tag_id)
);
CREATE INDEX log_session_tags_tag_idx ON log_session_tags (tag_id, log_session_id);

CREATE TABLE log_files (
    id BIGSERIAL PRIMARY KEY,
    log_session_id BIGINT NOT NULL REFERENCES log_sessions (id) ON DELETE CASCADE,
    file_name VARCHAR(100) NOT NULL,
    service VARCHAR(50) NOT NULL DEFAULT '',
    robot INTEGER,
    -- The extension: `log` or `dump`.
    logfile_type VARCHAR(16) NOT NULL,
    line_count BIGINT NOT NULL DEFAULT 0,
    creator_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    modified_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_modified TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX log_files_session_idx ON log_files (log_session_id, service, robot);

-- One row per log entry (a line and its continuation lines). `seq` is unique within the
-- session (files are numbered one after another), so (ts, seq) orders the merged timeline
-- totally; the viewer's windows walk (file_id, ts, seq) per selected file and merge
-- (docs/api-design.md#log-sessions). No primary key: rows are written by COPY and only ever
-- read through that index or deleted with their file.
CREATE TABLE log_entries (
    file_id BIGINT NOT NULL REFERENCES log_files (id) ON DELETE CASCADE,
    seq BIGINT NOT NULL,
    -- Seconds since the epoch (the line's US/Pacific time).
    ts DOUBLE PRECISION NOT NULL,
    level VARCHAR(16),
    message TEXT NOT NULL
);
CREATE INDEX log_entries_window_idx ON log_entries (file_id, ts, seq);

CREATE TABLE log_videos (
    id BIGSERIAL PRIMARY KEY,
    log_session_id BIGINT NOT NULL REFERENCES log_sessions (id) ON DELETE CASCADE,
    file_name VARCHAR(100) NOT NULL,
    robot INTEGER,
    category VARCHAR(100) NOT NULL DEFAULT '',
    -- The `.json` member's lines, each parsed.
    meta JSONB NOT NULL DEFAULT '[]',
    -- The MP4 made from the `.avi` member.
    video_file_id BIGINT UNIQUE REFERENCES s3_files (id) ON DELETE CASCADE,
    creator_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    modified_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_modified TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX log_videos_session_idx ON log_videos (log_session_id, category, robot);
