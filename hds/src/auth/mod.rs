//! Authentication: who is calling. Authorization (may they?) is `api::acl`.

pub mod cache;
pub mod password;
pub mod revocations;
pub mod roles;
pub mod throttle;
pub mod tokens;

use chrono::{Duration, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::schema::{api_tokens, auth_sessions, user_profiles, users};
pub use roles::{Grants, Role, Rule};

/// How the caller proved who they are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Credential {
    ApiToken { token_id: i64 },
    Jwt { session_id: Uuid },
}

/// The authenticated user of a request.
#[derive(Clone, Debug)]
pub struct Caller {
    pub user_id: i64,
    pub username: String,
    pub is_superuser: bool,
    pub is_staff: bool,
    pub role: Role,
    pub credential: Credential,
}

impl Caller {
    pub fn grants(&self) -> Grants {
        Grants::of(self.role, self.is_superuser)
    }

    pub fn is_manager(&self) -> bool {
        self.grants().intersects(Grants::M)
    }
}

const INVALID_TOKEN: &str = "Invalid token.";

/// Reads the `Authorization` header. `Token <key>` is an API token unless the key is a JWT;
/// `Bearer <jwt>` is a JWT. No header means anonymous; a bad credential is an error (401).
pub async fn authenticate(
    header: Option<&str>,
    conn: &mut DbConn,
    jwt: &tokens::JwtKeys,
) -> AppResult<Option<Caller>> {
    let Some(header) = header else {
        return Ok(None);
    };
    let (scheme, value) = header.trim().split_once(' ').unwrap_or((header.trim(), ""));
    let value = value.trim();
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "token" && scheme != "bearer" {
        return Ok(None);
    }
    if value.is_empty() {
        return Err(AppError::Unauthenticated(
            "Invalid token header. No credentials provided.".into(),
        ));
    }
    // One query per request: the credential joined to its user and role.
    if scheme == "bearer" || tokens::looks_like_jwt(value) {
        let (user_id, session_id) = jwt
            .verify(value)
            .ok_or_else(|| AppError::Unauthenticated(INVALID_TOKEN.into()))?;
        let user: Option<UserRow> = auth_sessions::table
            .inner_join(users::table.left_join(user_profiles::table))
            .filter(auth_sessions::id.eq(session_id))
            .filter(auth_sessions::user_id.eq(user_id))
            .filter(auth_sessions::revoked_at.is_null())
            .select(user_columns())
            .first(conn)
            .await
            .optional()?;
        return caller(user, Credential::Jwt { session_id }).map(Some);
    }
    let hash = tokens::sha256_hex(value);
    let found: Option<(TokenRow, UserRow)> = api_tokens::table
        .inner_join(users::table.left_join(user_profiles::table))
        .filter(api_tokens::key_hash.eq(&hash))
        .filter(api_tokens::revoked_at.is_null())
        .select((
            (
                api_tokens::id,
                api_tokens::last_used_at,
                api_tokens::created,
                api_tokens::idle_timeout_seconds,
            ),
            user_columns(),
        ))
        .first(conn)
        .await
        .optional()?;
    let Some(((token_id, last_used, created, idle_timeout), user)) = found else {
        return Err(AppError::Unauthenticated(INVALID_TOKEN.into()));
    };
    // A login session's token lapses after its idle time (service tokens have none).
    if let Some(idle) = idle_timeout {
        if last_used.unwrap_or(created) < Utc::now() - Duration::seconds(i64::from(idle)) {
            return Err(AppError::Unauthenticated(
                "Token expired: sign in again.".into(),
            ));
        }
    }
    let caller = caller(Some(user), Credential::ApiToken { token_id })?;
    // Record use at most once a minute so authenticating is not a write per request.
    if last_used.is_none_or(|t| t < Utc::now() - Duration::minutes(1)) {
        diesel::update(api_tokens::table.find(token_id))
            .set(api_tokens::last_used_at.eq(Utc::now()))
            .execute(conn)
            .await?;
    }
    Ok(Some(caller))
}

/// `(id, last_used_at, created, idle_timeout_seconds)` of an API token.
type TokenRow = (
    i64,
    Option<chrono::DateTime<Utc>>,
    chrono::DateTime<Utc>,
    Option<i32>,
);

/// `(id, username, is_superuser, is_staff, is_active, role)` of a user.
type UserRow = (i64, String, bool, bool, bool, Option<String>);

#[allow(clippy::type_complexity)]
fn user_columns() -> (
    users::id,
    users::username,
    users::is_superuser,
    users::is_staff,
    users::is_active,
    diesel::dsl::Nullable<user_profiles::role>,
) {
    (
        users::id,
        users::username,
        users::is_superuser,
        users::is_staff,
        users::is_active,
        user_profiles::role.nullable(),
    )
}

fn caller(row: Option<UserRow>, credential: Credential) -> AppResult<Caller> {
    match row {
        Some((user_id, username, is_superuser, is_staff, true, role)) => Ok(Caller {
            user_id,
            username,
            is_superuser,
            is_staff,
            role: role
                .as_deref()
                .and_then(Role::parse)
                .unwrap_or(Role::Support),
            credential,
        }),
        Some(_) => Err(AppError::Unauthenticated(
            "User inactive or deleted.".into(),
        )),
        None => Err(AppError::Unauthenticated(INVALID_TOKEN.into())),
    }
}
