//! User queries and commands, shared by the API handlers and the CLI.

use chrono::{Duration, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::models::{ProfileRow, User, UserRow};
use crate::auth::password::hash_password;
use crate::auth::tokens::{new_api_key, new_refresh_token, sha256_hex};
use crate::auth::Role;
use crate::error::{AppError, AppResult};
use crate::schema::{api_tokens, auth_sessions, refresh_tokens, user_profiles, users};

pub async fn find(conn: &mut AsyncPgConnection, id: i64) -> AppResult<Option<User>> {
    let row: Option<(UserRow, Option<ProfileRow>)> = users::table
        .left_join(user_profiles::table)
        .filter(users::id.eq(id))
        .select((UserRow::as_select(), Option::<ProfileRow>::as_select()))
        .first(conn)
        .await
        .optional()?;
    Ok(row.map(|(u, p)| User::from_rows(u, p)))
}

pub async fn get(conn: &mut AsyncPgConnection, id: i64) -> AppResult<User> {
    find(conn, id)
        .await?
        .ok_or_else(|| AppError::not_found("User"))
}

/// The stored password hash of a user.
pub async fn stored_password(conn: &mut AsyncPgConnection, id: i64) -> AppResult<String> {
    Ok(users::table
        .find(id)
        .select(users::password)
        .first(conn)
        .await?)
}

diesel::define_sql_function!(fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text);

/// The user whose name is `username` in any case: names are unique case-insensitively
/// (`users_username_lower_key`, docs/compatibility.md#d124), and this reads that index.
pub async fn find_by_username(
    conn: &mut AsyncPgConnection,
    username: &str,
) -> AppResult<Option<UserRow>> {
    Ok(users::table
        .filter(lower(users::username).eq(lower(username)))
        .select(UserRow::as_select())
        .first(conn)
        .await
        .optional()?)
}

/// One page of users in id order, and the total count: two queries whatever the page size.
pub async fn page(
    conn: &mut AsyncPgConnection,
    limit: i64,
    offset: i64,
) -> AppResult<(i64, Vec<User>)> {
    let count: i64 = users::table.count().get_result(conn).await?;
    let rows: Vec<(UserRow, Option<ProfileRow>)> = users::table
        .left_join(user_profiles::table)
        .order(users::id.asc())
        .limit(limit)
        .offset(offset)
        .select((UserRow::as_select(), Option::<ProfileRow>::as_select()))
        .load(conn)
        .await?;
    Ok((
        count,
        rows.into_iter()
            .map(|(u, p)| User::from_rows(u, p))
            .collect(),
    ))
}

pub struct NewUser<'a> {
    pub username: &'a str,
    /// Already hashed (or an unusable marker).
    pub password_hash: String,
    pub email: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub is_active: bool,
    pub is_staff: bool,
    pub is_superuser: bool,
    pub role: Role,
    pub slack_id: Option<&'a str>,
}

impl<'a> NewUser<'a> {
    /// An active user with a role and no password (it cannot log in with one until it is
    /// set): service accounts, and users whose password is set afterwards. Superusers are
    /// staff.
    pub fn without_password(username: &'a str, role: Role, superuser: bool) -> Self {
        NewUser {
            username,
            password_hash: crate::auth::password::UNUSABLE_PASSWORD.into(),
            email: "",
            first_name: "",
            last_name: "",
            is_active: true,
            is_staff: superuser,
            is_superuser: superuser,
            role,
            slack_id: None,
        }
    }
}

/// Creates a user and its profile in one transaction (every user has a profile, D2).
pub async fn create(conn: &mut AsyncPgConnection, new: NewUser<'_>) -> AppResult<i64> {
    if find_by_username(conn, new.username).await?.is_some() {
        return Err(AppError::validation_field(
            "username",
            "A user with that username already exists.",
        ));
    }
    let id = conn
        .transaction::<i64, AppError, _>(async move |conn| {
            let id: i64 = diesel::insert_into(users::table)
                .values((
                    users::username.eq(new.username),
                    users::password.eq(&new.password_hash),
                    users::email.eq(new.email),
                    users::first_name.eq(new.first_name),
                    users::last_name.eq(new.last_name),
                    users::is_active.eq(new.is_active),
                    users::is_staff.eq(new.is_staff),
                    users::is_superuser.eq(new.is_superuser),
                ))
                .returning(users::id)
                .get_result(conn)
                .await?;
            diesel::insert_into(user_profiles::table)
                .values((
                    user_profiles::user_id.eq(id),
                    user_profiles::role.eq(new.role.as_str()),
                    user_profiles::slack_id.eq(new.slack_id),
                ))
                .execute(conn)
                .await?;
            Ok(id)
        })
        .await?;
    Ok(id)
}

/// Creates the profile if missing and sets the role.
pub async fn set_role(conn: &mut AsyncPgConnection, user_id: i64, role: Role) -> AppResult<()> {
    diesel::insert_into(user_profiles::table)
        .values((
            user_profiles::user_id.eq(user_id),
            user_profiles::role.eq(role.as_str()),
        ))
        .on_conflict(user_profiles::user_id)
        .do_update()
        .set(user_profiles::role.eq(role.as_str()))
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_password(
    conn: &mut AsyncPgConnection,
    user_id: i64,
    password: &str,
) -> AppResult<()> {
    let hash = hash_password_blocking(password.to_string()).await?;
    diesel::update(users::table.find(user_id))
        .set(users::password.eq(hash))
        .execute(conn)
        .await?;
    Ok(())
}

/// Argon2 is deliberately slow: keep it off the async workers.
pub async fn hash_password_blocking(password: String) -> AppResult<String> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::Internal)
}

/// Issues a new API token for the user and returns the key (shown once; only its hash is kept).
pub async fn create_api_token(
    conn: &mut AsyncPgConnection,
    user_id: i64,
    name: &str,
) -> AppResult<String> {
    let key = new_api_key();
    insert_api_token(conn, user_id, &key, name).await?;
    Ok(key)
}

/// Stores a known key (fixtures, or a key handed in by an operator). Idempotent.
pub async fn insert_api_token(
    conn: &mut AsyncPgConnection,
    user_id: i64,
    key: &str,
    name: &str,
) -> AppResult<()> {
    diesel::insert_into(api_tokens::table)
        .values((
            api_tokens::user_id.eq(user_id),
            api_tokens::key_hash.eq(sha256_hex(key)),
            api_tokens::key_prefix.eq(&key[..key.len().min(8)]),
            api_tokens::name.eq(name),
        ))
        .on_conflict(api_tokens::key_hash)
        .do_update()
        .set((
            api_tokens::user_id.eq(user_id),
            api_tokens::revoked_at.eq(None::<chrono::DateTime<Utc>>),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn revoke_api_token(conn: &mut AsyncPgConnection, key: &str) -> AppResult<bool> {
    let revoked: Vec<Option<Uuid>> = diesel::update(
        api_tokens::table
            .filter(api_tokens::key_hash.eq(sha256_hex(key)))
            .filter(api_tokens::revoked_at.is_null()),
    )
    .set(api_tokens::revoked_at.eq(Utc::now()))
    .returning(api_tokens::session_id)
    .get_results(conn)
    .await?;
    // A login session's token ends its session (and so its refresh tokens) too.
    for session in revoked.iter().flatten() {
        revoke_session(conn, *session).await?;
    }
    crate::auth::cache::accounts_changed();
    Ok(!revoked.is_empty())
}

/// An API token belonging to login session `session`: revoked with it, and refused after
/// `idle_days` without use (docs/compatibility.md#d2).
pub async fn create_session_token(
    conn: &mut AsyncPgConnection,
    user_id: i64,
    session: Uuid,
    idle_days: i64,
) -> AppResult<String> {
    let key = new_api_key();
    let idle = i32::try_from(idle_days.saturating_mul(86_400)).unwrap_or(i32::MAX);
    diesel::insert_into(api_tokens::table)
        .values((
            api_tokens::user_id.eq(user_id),
            api_tokens::key_hash.eq(sha256_hex(&key)),
            api_tokens::key_prefix.eq(&key[..key.len().min(8)]),
            api_tokens::name.eq("login session"),
            api_tokens::session_id.eq(session),
            api_tokens::idle_timeout_seconds.eq(idle),
        ))
        .execute(conn)
        .await?;
    Ok(key)
}

/// Starts a login session and returns its id with the first refresh token.
pub async fn start_session(
    conn: &mut AsyncPgConnection,
    user_id: i64,
    days: i64,
) -> AppResult<(Uuid, String)> {
    let session = Uuid::new_v4();
    diesel::insert_into(auth_sessions::table)
        .values((
            auth_sessions::id.eq(session),
            auth_sessions::user_id.eq(user_id),
        ))
        .execute(conn)
        .await?;
    let refresh = issue_refresh(conn, session, days).await?;
    Ok((session, refresh))
}

async fn issue_refresh(
    conn: &mut AsyncPgConnection,
    session: Uuid,
    days: i64,
) -> AppResult<String> {
    let token = new_refresh_token();
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::session_id.eq(session),
            refresh_tokens::token_hash.eq(sha256_hex(&token)),
            refresh_tokens::expires_at.eq(Utc::now() + Duration::days(days)),
        ))
        .execute(conn)
        .await?;
    Ok(token)
}

pub enum Rotation {
    Rotated {
        user_id: i64,
        session: Uuid,
        refresh: String,
    },
    Invalid,
}

/// Spends a refresh token and issues its successor. Presenting a spent token again means it
/// leaked: the whole session is revoked.
pub async fn rotate_refresh(
    conn: &mut AsyncPgConnection,
    token: &str,
    days: i64,
) -> AppResult<Rotation> {
    let hash = sha256_hex(token);
    let spent: Option<(Uuid, chrono::DateTime<Utc>)> = diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::token_hash.eq(&hash))
            .filter(refresh_tokens::used_at.is_null()),
    )
    .set(refresh_tokens::used_at.eq(Utc::now()))
    .returning((refresh_tokens::session_id, refresh_tokens::expires_at))
    .get_result(conn)
    .await
    .optional()?;
    let Some((session, expires_at)) = spent else {
        let reused: Option<Uuid> = refresh_tokens::table
            .filter(refresh_tokens::token_hash.eq(&hash))
            .select(refresh_tokens::session_id)
            .first(conn)
            .await
            .optional()?;
        if let Some(session) = reused {
            revoke_session(conn, session).await?;
            tracing::warn!(%session, "refresh token reused; session revoked");
        }
        return Ok(Rotation::Invalid);
    };
    let live: Option<i64> = auth_sessions::table
        .inner_join(users::table)
        .filter(auth_sessions::id.eq(session))
        .filter(auth_sessions::revoked_at.is_null())
        .filter(users::is_active.eq(true))
        .select(auth_sessions::user_id)
        .first(conn)
        .await
        .optional()?;
    match live {
        Some(user_id) if expires_at > Utc::now() => {
            let refresh = issue_refresh(conn, session, days).await?;
            Ok(Rotation::Rotated {
                user_id,
                session,
                refresh,
            })
        }
        _ => Ok(Rotation::Invalid),
    }
}

pub async fn revoke_session(conn: &mut AsyncPgConnection, session: Uuid) -> AppResult<bool> {
    let n = diesel::update(
        auth_sessions::table
            .filter(auth_sessions::id.eq(session))
            .filter(auth_sessions::revoked_at.is_null()),
    )
    .set(auth_sessions::revoked_at.eq(Utc::now()))
    .execute(conn)
    .await?;
    revoke_session_tokens(conn, &[session]).await?;
    Ok(n > 0)
}

/// Revokes the API tokens of these login sessions.
async fn revoke_session_tokens(conn: &mut AsyncPgConnection, sessions: &[Uuid]) -> AppResult<()> {
    let n = diesel::update(
        api_tokens::table
            .filter(api_tokens::session_id.eq_any(sessions))
            .filter(api_tokens::revoked_at.is_null()),
    )
    .set(api_tokens::revoked_at.eq(Utc::now()))
    .execute(conn)
    .await?;
    if n > 0 {
        crate::auth::cache::accounts_changed();
    }
    Ok(())
}

/// After a password change: every login session and every API token of the user ends, except
/// the credential making the change (`keep`, with the login session it belongs to). A token
/// stolen before the change must not outlive it (docs/compatibility.md#d117).
pub async fn end_other_logins(
    conn: &mut AsyncPgConnection,
    user_id: i64,
    keep: Option<&crate::auth::Credential>,
) -> AppResult<()> {
    use crate::auth::Credential;
    let (keep_session, keep_token) = match keep {
        Some(Credential::Jwt { session_id }) => (Some(*session_id), None),
        Some(Credential::ApiToken { token_id }) => {
            let session: Option<Uuid> = api_tokens::table
                .find(token_id)
                .select(api_tokens::session_id)
                .first(conn)
                .await
                .optional()?
                .flatten();
            (session, Some(*token_id))
        }
        None => (None, None),
    };
    let now = Utc::now();
    let mut sessions = diesel::update(auth_sessions::table)
        .filter(auth_sessions::user_id.eq(user_id))
        .filter(auth_sessions::revoked_at.is_null())
        .into_boxed();
    if let Some(s) = keep_session {
        sessions = sessions.filter(auth_sessions::id.ne(s));
    }
    sessions
        .set(auth_sessions::revoked_at.eq(now))
        .execute(conn)
        .await?;
    let mut tokens = diesel::update(api_tokens::table)
        .filter(api_tokens::user_id.eq(user_id))
        .filter(api_tokens::revoked_at.is_null())
        .into_boxed();
    if let Some(t) = keep_token {
        tokens = tokens.filter(api_tokens::id.ne(t));
    }
    if let Some(s) = keep_session {
        tokens = tokens.filter(
            api_tokens::session_id
                .ne(s)
                .or(api_tokens::session_id.is_null()),
        );
    }
    tokens
        .set(api_tokens::revoked_at.eq(now))
        .execute(conn)
        .await?;
    crate::auth::cache::accounts_changed();
    Ok(())
}

/// The session a refresh token belongs to, if the token is known.
pub async fn session_of_refresh(
    conn: &mut AsyncPgConnection,
    token: &str,
) -> AppResult<Option<Uuid>> {
    Ok(refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(sha256_hex(token)))
        .select(refresh_tokens::session_id)
        .first(conn)
        .await
        .optional()?)
}
