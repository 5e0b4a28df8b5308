//! `users/profiles/` and `users/me/`.

use actix_web::{web, HttpRequest, HttpResponse};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};

use super::models::{UserCreate, UserUpdate};
use super::repo::{self, NewUser};
use crate::api::body::{Body, Db};
use crate::api::envelope::Ctx;
use crate::api::pagination::{page, PageParams};
use crate::auth::password::{Verified, MIN_PASSWORD_LENGTH};
use crate::auth::{Caller, Role};
use crate::error::{AppError, AppResult};
use crate::schema::{user_profiles, users};

pub async fn me(ctx: Ctx, mut db: Db) -> AppResult<HttpResponse> {
    let user = repo::get(&mut db, ctx.caller()?.user_id).await?;
    Ok(ctx.ok(user))
}

pub async fn list(ctx: Ctx, req: HttpRequest, mut db: Db) -> AppResult<HttpResponse> {
    let p = PageParams::from_request(&req)?;
    let (count, users) = repo::page(&mut db, p.limit, p.offset).await?;
    Ok(ctx.ok(page(&req, p, count, users)))
}

pub async fn retrieve(ctx: Ctx, mut db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    Ok(ctx.ok(repo::get(&mut db, *id).await?))
}

fn parse_role(raw: &str) -> AppResult<Role> {
    Role::parse(raw).ok_or_else(|| {
        AppError::Validation(serde_json::json!({
            "profile": { "role": [format!("\"{raw}\" is not a valid choice.")] }
        }))
    })
}

fn check_username(name: &str) -> AppResult<()> {
    let valid = !name.is_empty()
        && name.chars().count() <= 150
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || "@.+-_".contains(c));
    if valid {
        Ok(())
    } else {
        Err(AppError::validation_field(
            "username",
            "Enter a valid username: up to 150 letters, digits and @/./+/-/_ characters.",
        ))
    }
}

/// A `profile.slack_id` that is set must be one Slack cannot read as a broadcast or markup
/// (`slack::check_slack_id`); null or empty clears it.
fn check_slack_id(profile: Option<&super::models::ProfileInput>) -> AppResult<()> {
    match profile
        .and_then(|p| p.slack_id.as_ref())
        .and_then(|s| s.as_deref())
    {
        Some(id) if !id.is_empty() => crate::slack::check_slack_id(id).map_err(|msg| {
            AppError::Validation(serde_json::json!({ "profile": { "slack_id": [msg] } }))
        }),
        _ => Ok(()),
    }
}

fn check_password(pw: &str) -> AppResult<()> {
    if pw.chars().count() < MIN_PASSWORD_LENGTH {
        return Err(AppError::validation_field(
            "password",
            format!("Ensure this field has at least {MIN_PASSWORD_LENGTH} characters."),
        ));
    }
    Ok(())
}

pub async fn create(
    ctx: Ctx,
    mut db: Db,
    Body(input): Body<UserCreate>,
) -> AppResult<HttpResponse> {
    let caller = ctx.caller()?;
    check_username(&input.username)?;
    check_password(&input.password)?;
    check_slack_id(input.profile.as_ref())?;
    if input.is_superuser == Some(true) && !caller.is_superuser {
        return Err(AppError::Forbidden);
    }
    let profile = input.profile.unwrap_or_default();
    let role = match profile.role.as_deref() {
        Some(r) => parse_role(r)?,
        None => Role::Support,
    };
    let slack_id = profile.slack_id.flatten();
    let password_hash = repo::hash_password_blocking(input.password).await?;
    let id = repo::create(
        &mut db,
        NewUser {
            username: &input.username,
            password_hash,
            email: &input.email,
            first_name: &input.first_name,
            last_name: &input.last_name,
            is_active: input.is_active.unwrap_or(true),
            is_staff: input.is_staff.unwrap_or(false),
            is_superuser: input.is_superuser.unwrap_or(false),
            role,
            slack_id: slack_id.as_deref(),
        },
    )
    .await?;
    Ok(ctx.ok(repo::get(&mut db, id).await?))
}

/// Managers may change anything but superuser status (superusers only); anyone else may
/// only change their own names, email, Slack id and password — never their role (D1).
fn authorize_update(
    caller: &Caller,
    target_id: i64,
    target_is_superuser: bool,
    input: &UserUpdate,
) -> AppResult<()> {
    let changes_privileges = input.is_active.is_some()
        || input.is_staff.is_some()
        || input.is_superuser.is_some()
        || input.profile.as_ref().is_some_and(|p| p.role.is_some());
    if !caller.is_manager() {
        if caller.user_id != target_id || changes_privileges {
            return Err(AppError::Forbidden);
        }
        return Ok(());
    }
    if (input.is_superuser.is_some() || target_is_superuser)
        && !caller.is_superuser
        && caller.user_id != target_id
    {
        return Err(AppError::Forbidden);
    }
    if input.is_superuser == Some(true) && !caller.is_superuser {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

pub async fn update(
    ctx: Ctx,
    mut db: Db,
    id: web::Path<i64>,
    Body(input): Body<UserUpdate>,
) -> AppResult<HttpResponse> {
    let caller = ctx.caller()?.clone();
    let id = *id;
    let target = repo::get(&mut db, id).await?;
    authorize_update(&caller, id, target.is_superuser, &input)?;
    check_slack_id(input.profile.as_ref())?;
    if let Some(name) = &input.username {
        check_username(name)?;
        // Unique whatever the case: renaming yourself `jane` → `Jane` is fine, taking another
        // user's name in any case is not (docs/compatibility.md#d124).
        if repo::find_by_username(&mut db, name)
            .await?
            .is_some_and(|other| other.id != id)
        {
            return Err(AppError::validation_field(
                "username",
                "A user with that username already exists.",
            ));
        }
    }
    let role = match input.profile.as_ref().and_then(|p| p.role.as_deref()) {
        Some(r) => Some(parse_role(r)?),
        None => None,
    };
    let password_hash = match &input.password {
        Some(pw) => {
            // Your own password only with the current one: an access token alone (15 minutes
            // in the wrong hands) must not become the account (docs/compatibility.md#d117).
            if caller.user_id == id {
                let current = input.current_password.clone().unwrap_or_default();
                let stored = repo::stored_password(&mut db, id).await?;
                if current.is_empty()
                    || super::session::verify_blocking(stored, current).await? == Verified::No
                {
                    return Err(AppError::validation_field(
                        "current_password",
                        "Your current password is required to change your password, and this is not it.",
                    ));
                }
            }
            check_password(pw)?;
            Some(repo::hash_password_blocking(pw.clone()).await?)
        }
        None => None,
    };
    let password_changed = password_hash.is_some();
    let slack_id = input.profile.as_ref().and_then(|p| p.slack_id.clone());
    let conn: &mut diesel_async::AsyncPgConnection = &mut db;
    conn.transaction::<(), AppError, _>(async move |conn| {
        #[derive(AsChangeset)]
        #[diesel(table_name = users)]
        struct Changes {
            username: Option<String>,
            password: Option<String>,
            email: Option<String>,
            first_name: Option<String>,
            last_name: Option<String>,
            is_active: Option<bool>,
            is_staff: Option<bool>,
            is_superuser: Option<bool>,
        }
        let changes = Changes {
            username: input.username,
            password: password_hash,
            email: input.email,
            first_name: input.first_name,
            last_name: input.last_name,
            is_active: input.is_active,
            is_staff: input.is_staff,
            is_superuser: input.is_superuser,
        };
        let empty = changes.username.is_none()
            && changes.password.is_none()
            && changes.email.is_none()
            && changes.first_name.is_none()
            && changes.last_name.is_none()
            && changes.is_active.is_none()
            && changes.is_staff.is_none()
            && changes.is_superuser.is_none();
        if !empty {
            diesel::update(users::table.find(id))
                .set(&changes)
                .execute(conn)
                .await?;
        }
        if let Some(role) = role {
            repo::set_role(conn, id, role).await?;
        }
        if let Some(slack) = slack_id {
            diesel::update(user_profiles::table.filter(user_profiles::user_id.eq(id)))
                .set(user_profiles::slack_id.eq(slack))
                .execute(conn)
                .await?;
        }
        Ok(())
    })
    .await?;
    if password_changed {
        // Every other login and API token of the user ends; yours survives a change of your
        // own password.
        let keep = (caller.user_id == id).then_some(&caller.credential);
        repo::end_other_logins(&mut db, id, keep).await?;
    }
    Ok(ctx.ok(repo::get(&mut db, id).await?))
}

pub async fn destroy(ctx: Ctx, mut db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    let caller = ctx.caller()?;
    let target = repo::get(&mut db, *id).await?;
    if target.is_superuser && !caller.is_superuser {
        return Err(AppError::Forbidden);
    }
    diesel::delete(users::table.find(*id))
        .execute(&mut db)
        .await?;
    Ok(ctx.deleted())
}
