DROP INDEX harvester_history_id_date_idx;
DROP INDEX jobs_rollout_idx;
ALTER TABLE jobs DROP COLUMN rollout_wave, DROP COLUMN rollout_id;
DROP TABLE release_rollouts;
