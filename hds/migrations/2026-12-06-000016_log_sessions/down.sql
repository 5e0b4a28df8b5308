DROP TABLE log_videos;
DROP TABLE log_entries;
DROP TABLE log_files;
DROP TABLE log_session_tags;
DROP TABLE log_sessions;
