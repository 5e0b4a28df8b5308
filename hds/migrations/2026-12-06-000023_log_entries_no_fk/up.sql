-- Log entries lose their foreign key to log_files: its check ran once per COPY'd row (a lookup
-- of the file per entry) and took over half of an extraction's time in PostgreSQL
-- (docs/api-design.md#log-sessions). Entries are only ever written by the worker, with the ids
-- of the files it inserted in the same transaction, so the check guarded nothing; the cascade
-- it gave (entries removed with their file, their session) is kept by a statement trigger that
-- deletes a deleted batch of files' entries in one statement.
ALTER TABLE log_entries DROP CONSTRAINT log_entries_file_id_fkey;

CREATE FUNCTION log_files_delete_entries() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM log_entries WHERE file_id IN (SELECT id FROM gone);
    RETURN NULL;
END
$$;

CREATE TRIGGER log_files_delete_entries AFTER DELETE ON log_files
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION log_files_delete_entries();
