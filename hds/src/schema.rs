//! Diesel table definitions, kept in step with `migrations/` by hand (checked by a test
//! that runs every query against a migrated database).

diesel::table! {
    users (id) {
        id -> Int8,
        password -> Varchar,
        last_login -> Nullable<Timestamptz>,
        is_superuser -> Bool,
        username -> Varchar,
        first_name -> Varchar,
        last_name -> Varchar,
        email -> Varchar,
        is_staff -> Bool,
        is_active -> Bool,
        date_joined -> Timestamptz,
    }
}

diesel::table! {
    user_profiles (id) {
        id -> Int8,
        user_id -> Int8,
        slack_id -> Nullable<Varchar>,
        role -> Varchar,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> Int8,
        user_id -> Int8,
        key_hash -> Bpchar,
        key_prefix -> Varchar,
        name -> Varchar,
        created -> Timestamptz,
        last_used_at -> Nullable<Timestamptz>,
        revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    auth_sessions (id) {
        id -> Uuid,
        user_id -> Int8,
        created -> Timestamptz,
        revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Int8,
        session_id -> Uuid,
        token_hash -> Bpchar,
        created -> Timestamptz,
        expires_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    tags (id) {
        id -> Int8,
        name -> Varchar,
        slug -> Varchar,
    }
}

diesel::joinable!(user_profiles -> users (user_id));
diesel::joinable!(api_tokens -> users (user_id));
diesel::joinable!(auth_sessions -> users (user_id));
diesel::joinable!(refresh_tokens -> auth_sessions (session_id));

diesel::allow_tables_to_appear_in_same_query!(
    users,
    user_profiles,
    api_tokens,
    auth_sessions,
    refresh_tokens,
    tags,
);
