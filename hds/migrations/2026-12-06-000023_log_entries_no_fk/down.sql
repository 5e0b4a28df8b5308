DROP TRIGGER log_files_delete_entries ON log_files;
DROP FUNCTION log_files_delete_entries();
DELETE FROM log_entries WHERE file_id NOT IN (SELECT id FROM log_files);
ALTER TABLE log_entries ADD CONSTRAINT log_entries_file_id_fkey
    FOREIGN KEY (file_id) REFERENCES log_files (id) ON DELETE CASCADE;
