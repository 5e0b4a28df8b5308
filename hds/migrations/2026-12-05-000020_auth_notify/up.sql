-- Every change that can end or alter an authentication is announced on channel `hds_auth`, so
-- each server empties its cache of authenticated callers at once (auth/revocations.rs), whoever
-- made the change: this server, another one, the CLI or an operator with psql. Statement
-- triggers: one announcement per statement, however many rows it touched. Only the columns an
-- authentication reads: an API token's `last_used_at` (written once a minute) announces nothing.
CREATE FUNCTION hds_auth_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('hds_auth', TG_TABLE_NAME);
    RETURN NULL;
END;
$$;

CREATE TRIGGER auth_sessions_changed AFTER UPDATE OF revoked_at, user_id OR DELETE OR TRUNCATE
    ON auth_sessions FOR EACH STATEMENT EXECUTE FUNCTION hds_auth_changed();
CREATE TRIGGER api_tokens_changed AFTER UPDATE OF revoked_at, user_id, key_hash, idle_timeout_seconds
    OR DELETE OR TRUNCATE ON api_tokens FOR EACH STATEMENT EXECUTE FUNCTION hds_auth_changed();
CREATE TRIGGER users_changed AFTER UPDATE OF username, is_superuser, is_staff, is_active, password
    OR DELETE OR TRUNCATE ON users FOR EACH STATEMENT EXECUTE FUNCTION hds_auth_changed();
CREATE TRIGGER user_profiles_changed AFTER INSERT OR UPDATE OF role, user_id OR DELETE OR TRUNCATE
    ON user_profiles FOR EACH STATEMENT EXECUTE FUNCTION hds_auth_changed();
