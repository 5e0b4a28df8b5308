//! User rows and their API representation.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::serde_fmt::datetime;
use crate::schema::{user_profiles, users};

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: i64,
    pub password: String,
    pub last_login: Option<DateTime<Utc>>,
    pub is_superuser: bool,
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub is_staff: bool,
    pub is_active: bool,
    pub date_joined: DateTime<Utc>,
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = user_profiles)]
pub struct ProfileRow {
    pub id: i64,
    pub user_id: i64,
    pub slack_id: Option<String>,
    pub role: String,
}

#[derive(Serialize, Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub id: i64,
    pub slack_id: Option<String>,
    /// One of support, developer, manager, sqs, jenkins, beatbox.
    #[schema(value_type = crate::auth::Role)]
    pub role: String,
    pub user: i64,
}

/// A user as every client sees it (`password` is never returned).
#[derive(Serialize, Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct User {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub username: String,
    pub email: String,
    pub is_active: bool,
    pub is_staff: bool,
    pub is_superuser: bool,
    #[serde(serialize_with = "datetime::option::serialize")]
    pub last_login: Option<DateTime<Utc>>,
    #[serde(serialize_with = "datetime::serialize")]
    pub date_joined: DateTime<Utc>,
    pub profile: Option<Profile>,
}

impl User {
    pub fn from_rows(u: UserRow, p: Option<ProfileRow>) -> Self {
        User {
            id: u.id,
            first_name: u.first_name,
            last_name: u.last_name,
            username: u.username,
            email: u.email,
            is_active: u.is_active,
            is_staff: u.is_staff,
            is_superuser: u.is_superuser,
            last_login: u.last_login,
            date_joined: u.date_joined,
            profile: p.map(|p| Profile {
                id: p.id,
                slack_id: p.slack_id,
                role: p.role,
                user: p.user_id,
            }),
        }
    }
}

#[derive(Deserialize, ToSchema, Debug, Default)]
pub struct ProfileInput {
    #[serde(default)]
    pub slack_id: Option<Option<String>>,
    pub role: Option<String>,
}

/// Body of `POST users/profiles/`.
#[derive(Deserialize, ToSchema, Debug)]
pub struct UserCreate {
    pub username: String,
    pub password: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    pub is_active: Option<bool>,
    pub is_staff: Option<bool>,
    pub is_superuser: Option<bool>,
    pub profile: Option<ProfileInput>,
}

impl crate::api::body::Input for UserCreate {
    const COLUMNS: &'static [(&'static str, &'static str)] = &[
        ("username", "users.username"),
        ("email", "users.email"),
        ("first_name", "users.first_name"),
        ("last_name", "users.last_name"),
        ("profile.slack_id", "user_profiles.slack_id"),
    ];
}

/// Body of `PUT/PATCH users/profiles/{id}/`; absent fields are left unchanged.
#[derive(Deserialize, ToSchema, Debug, Default)]
pub struct UserUpdate {
    pub username: Option<String>,
    /// A new password. Changing it ends every other login session and API token of the user.
    pub password: Option<String>,
    /// Your current password: required to change your own `password`.
    pub current_password: Option<String>,
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub is_active: Option<bool>,
    pub is_staff: Option<bool>,
    pub is_superuser: Option<bool>,
    pub profile: Option<ProfileInput>,
}

impl crate::api::body::Input for UserUpdate {
    const COLUMNS: &'static [(&'static str, &'static str)] = &[
        ("username", "users.username"),
        ("email", "users.email"),
        ("first_name", "users.first_name"),
        ("last_name", "users.last_name"),
        ("profile.slack_id", "user_profiles.slack_id"),
    ];
}

#[derive(Deserialize, ToSchema, Debug)]
pub struct LoginInput {
    pub username: Option<String>,
    pub password: Option<String>,
}

impl crate::api::body::Input for LoginInput {
    const COLUMNS: &'static [(&'static str, &'static str)] = &[("username", "users.username")];
}

/// What login and token refresh answer.
#[derive(Serialize, Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct Session {
    /// Login only: an API token of this login session, for clients that send
    /// `Authorization: Token <token>` and never refresh. Revoked at logout (with the session),
    /// refused after `HDS_SESSION_TOKEN_IDLE_DAYS` (14) without use.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub token: Option<String>,
    /// JWT access token (short-lived).
    pub access: String,
    /// Opaque refresh token; single use, rotated on every refresh.
    pub refresh: String,
    /// Seconds until `access` expires.
    pub expires_in: i64,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub user: Option<User>,
}

/// The `data` of logout and change-password: an empty object.
#[derive(Serialize, Deserialize, ToSchema, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct Empty {}

/// `GET users/csrf/`: a token old clients send back (nothing checks it).
#[derive(Serialize, Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct CsrfToken {
    pub csrftoken: String,
}

/// `POST users/csrf/`.
#[derive(Serialize, Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct CsrfResult {
    pub result: String,
}

#[derive(Deserialize, ToSchema, Debug)]
pub struct RefreshInput {
    pub refresh: Option<String>,
}

impl crate::api::body::Input for RefreshInput {}

#[derive(Deserialize, ToSchema, Debug)]
pub struct LogoutInput {
    pub token: Option<String>,
    pub refresh: Option<String>,
}

impl crate::api::body::Input for LogoutInput {}

#[derive(Deserialize, ToSchema, Debug)]
pub struct ChangePasswordInput {
    pub current_password: Option<String>,
    pub new_password: Option<String>,
}

impl crate::api::body::Input for ChangePasswordInput {}
