DROP TRIGGER user_profiles_changed ON user_profiles;
DROP TRIGGER users_changed ON users;
DROP TRIGGER api_tokens_changed ON api_tokens;
DROP TRIGGER auth_sessions_changed ON auth_sessions;
DROP FUNCTION hds_auth_changed();
