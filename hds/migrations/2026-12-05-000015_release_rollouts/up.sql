-- Staged rollouts of a code release (docs/api-design.md#release-rollouts): install jobs in
-- waves, the next wave only when the harvesters already on the release do not report errors
-- markedly more often than they did on their previous release.
CREATE TABLE release_rollouts (
    id BIGSERIAL PRIMARY KEY,
    release_id BIGINT NOT NULL REFERENCES harvester_code_releases (id) ON DELETE CASCADE,
    -- The install_release schema the jobs follow (its latest version when the rollout began).
    schema_id BIGINT NOT NULL REFERENCES job_schemas (id) ON DELETE CASCADE,
    -- The harvesters in wave order, and how many of them the waves cover (cumulative).
    target_ids BIGINT[] NOT NULL,
    wave_ends INTEGER[] NOT NULL,
    -- Waves started so far (0: none yet).
    current_wave INTEGER NOT NULL DEFAULT 0,
    status VARCHAR(10) NOT NULL DEFAULT 'running'
        CHECK (status IN ('running', 'halted', 'done', 'cancelled')),
    -- Halt when the updated harvesters' error reports exceed this many times their count over
    -- the same length of time on their previous release, and at least `min_reports` of them.
    halt_ratio DOUBLE PRECISION NOT NULL DEFAULT 1.5,
    min_reports INTEGER NOT NULL DEFAULT 5,
    -- How long a wave is watched after its installs before the next one starts.
    wave_minutes INTEGER NOT NULL DEFAULT 60,
    wave_started_at TIMESTAMPTZ,
    halt_reason TEXT,
    -- The last comparison of error reports (what the halt rule saw).
    evaluation JSONB,
    creator_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    modified_by_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_modified TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX release_rollouts_release_idx ON release_rollouts (release_id);
CREATE INDEX release_rollouts_running_idx ON release_rollouts (id) WHERE status = 'running';

ALTER TABLE jobs
    ADD COLUMN rollout_id BIGINT REFERENCES release_rollouts (id) ON DELETE SET NULL,
    ADD COLUMN rollout_wave INTEGER;
CREATE INDEX jobs_rollout_idx ON jobs (rollout_id, rollout_wave) WHERE rollout_id IS NOT NULL;
-- Release periods of harvesters (per-release pareto, the halt rule) read their history by
-- harvester and time.
CREATE INDEX harvester_history_id_date_idx ON harvester_history (id, history_date);
