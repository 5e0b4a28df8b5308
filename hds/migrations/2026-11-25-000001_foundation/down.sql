DROP TABLE tags;
DROP TABLE refresh_tokens;
DROP TABLE auth_sessions;
DROP TABLE api_tokens;
DROP TABLE user_profiles;
DROP TABLE users;
