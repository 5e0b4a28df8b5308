-- Files announced by S3 events, session clips, and the failed-ingest log.

CREATE TABLE s3_files (
    id BIGSERIAL PRIMARY KEY,
    event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE RESTRICT,
    bucket VARCHAR(255) NOT NULL DEFAULT '',
    "key" VARCHAR(1024) NOT NULL,
    etag VARCHAR(255) NOT NULL DEFAULT '',
    size_bytes BIGINT,
    filetype VARCHAR(255) NOT NULL,
    deleted BOOLEAN NOT NULL DEFAULT FALSE,
    creator_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    modified_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_modified TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- D23: one row per object version (bucket, key, ETag).
    CONSTRAINT s3_files_object_uniq UNIQUE (bucket, "key", etag)
);
CREATE INDEX s3_files_event_idx ON s3_files (event_id);
CREATE INDEX s3_files_created_idx ON s3_files (created DESC);

CREATE TABLE sess_clips (
    id BIGSERIAL PRIMARY KEY,
    file_id BIGINT NOT NULL UNIQUE REFERENCES s3_files (id) ON DELETE CASCADE
);

-- Messages that were received but could not be ingested (beyond the reference).
CREATE TABLE failed_ingests (
    id BIGSERIAL PRIMARY KEY,
    queue VARCHAR(64) NOT NULL,
    message_id VARCHAR(255) NOT NULL,
    bucket VARCHAR(255),
    "key" VARCHAR(1024),
    http_status INTEGER,
    reason VARCHAR(64) NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    body_excerpt TEXT NOT NULL DEFAULT '',
    -- The raw SQS message, so a redrive can send it again.
    message JSONB,
    receive_count INTEGER NOT NULL DEFAULT 1,
    first_seen TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen TIMESTAMPTZ NOT NULL DEFAULT now(),
    resolved_at TIMESTAMPTZ,
    resolved_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    redriven_at TIMESTAMPTZ,
    redrive_count INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT failed_ingests_message_uniq UNIQUE (queue, message_id)
);
CREATE INDEX failed_ingests_last_seen_idx ON failed_ingests (last_seen DESC);
CREATE INDEX failed_ingests_open_idx ON failed_ingests (id) WHERE resolved_at IS NULL;

