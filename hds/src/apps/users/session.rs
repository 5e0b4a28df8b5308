//! Login, logout, token refresh, CSRF and password change (docs/api-design.md#users with
//! docs/compatibility.md#d24).

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{Duration, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::models::{
    ChangePasswordInput, CsrfResult, CsrfToken, Empty, LoginInput, LogoutInput, RefreshInput,
    Session,
};
use super::repo::{self, Rotation};
use crate::api::body::{Body, Db};
use crate::api::envelope::Ctx;
use crate::api::state::AppState;
use crate::auth::password::{verify_or_dummy, verify_password, Verified, MIN_PASSWORD_LENGTH};
use crate::auth::tokens::{looks_like_jwt, new_refresh_token};
use crate::error::{AppError, AppResult};
use crate::schema::users;

pub(super) async fn verify_blocking(stored: String, candidate: String) -> AppResult<Verified> {
    tokio::task::spawn_blocking(move || verify_password(&stored, &candidate))
        .await
        .map_err(AppError::internal)
}

fn session_tokens(state: &AppState, user_id: i64, session: uuid::Uuid, refresh: String) -> Session {
    let minutes = state.config.access_token_minutes;
    let access = state
        .jwt
        .issue(user_id, session, Utc::now() + Duration::minutes(minutes));
    Session {
        token: None,
        access,
        refresh,
        expires_in: minutes * 60,
        user: None,
    }
}

/// `POST users/login/`. Failed logins are throttled per username and per client
/// (`auth::throttle`), and an unknown username costs the same password check as a known one
/// (`verify_or_dummy`), so neither guessing nor timing tells who has an account.
pub async fn login(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    mut db: Db,
    Body(input): Body<LoginInput>,
) -> AppResult<HttpResponse> {
    let (Some(username), Some(password)) = (input.username, input.password) else {
        return Err(AppError::bad_request("username and password are required"));
    };
    let client = crate::api::proxies::client_ip(&req);
    state
        .logins
        .check(&username, client)
        .map_err(AppError::LoginThrottled)?;
    let invalid = || {
        state.logins.failed(&username, client);
        AppError::bad_request("invalid username or password")
    };
    let user = repo::find_by_username(&mut db, &username).await?;
    let stored = user.as_ref().map(|u| u.password.clone());
    let candidate = password.clone();
    let verdict =
        tokio::task::spawn_blocking(move || verify_or_dummy(stored.as_deref(), &candidate))
            .await
            .map_err(AppError::internal)?;
    let user = match user {
        Some(u) if verdict != Verified::No && u.is_active => u,
        _ => return Err(invalid()),
    };
    state.logins.succeeded(&username);
    if verdict == Verified::YesNeedsRehash {
        repo::set_password(&mut db, user.id, &password).await?;
    }
    diesel::update(users::table.find(user.id))
        .set(users::last_login.eq(Utc::now()))
        .execute(&mut db)
        .await?;
    let (session, refresh) =
        repo::start_session(&mut db, user.id, state.config.refresh_token_days).await?;
    let mut tokens = session_tokens(&state, user.id, session, refresh);
    tokens.token = Some(
        repo::create_session_token(
            &mut db,
            user.id,
            session,
            state.config.session_token_idle_days,
        )
        .await?,
    );
    tokens.user = Some(repo::get(&mut db, user.id).await?);
    Ok(ctx.double("Login successful", tokens))
}

pub async fn refresh(
    ctx: Ctx,
    state: web::Data<AppState>,
    mut db: Db,
    Body(input): Body<RefreshInput>,
) -> AppResult<HttpResponse> {
    let Some(token) = input.refresh else {
        return Err(AppError::validation_field(
            "refresh",
            "This field is required.",
        ));
    };
    match repo::rotate_refresh(&mut db, &token, state.config.refresh_token_days).await? {
        Rotation::Rotated {
            user_id,
            session,
            refresh,
        } => {
            let tokens = session_tokens(&state, user_id, session, refresh);
            Ok(ctx.message("Token refreshed", tokens))
        }
        Rotation::Invalid => Err(AppError::Unauthenticated(
            "Invalid or expired refresh token.".into(),
        )),
    }
}

pub async fn logout(
    ctx: Ctx,
    state: web::Data<AppState>,
    mut db: Db,
    Body(input): Body<LogoutInput>,
) -> AppResult<HttpResponse> {
    if input.token.is_none() && input.refresh.is_none() {
        return Err(AppError::bad_request("token is required"));
    }
    let mut revoked = false;
    if let Some(token) = input.token.as_deref() {
        revoked |= if looks_like_jwt(token) {
            match state.jwt.verify(token) {
                Some((_, session)) => repo::revoke_session(&mut db, session).await?,
                None => false,
            }
        } else {
            repo::revoke_api_token(&mut db, token).await?
        };
    }
    if let Some(refresh) = input.refresh.as_deref() {
        if let Some(session) = repo::session_of_refresh(&mut db, refresh).await? {
            revoked |= repo::revoke_session(&mut db, session).await?;
        }
    }
    if !revoked {
        return Err(AppError::bad_request("invalid token"));
    }
    Ok(ctx.double("Logout successful", Empty {}))
}

/// There are no cookie sessions, so no CSRF; old clients still get the shape they expect.
pub async fn csrf_get(ctx: Ctx) -> HttpResponse {
    ctx.double(
        "CSRF successful",
        CsrfToken {
            csrftoken: new_refresh_token(),
        },
    )
}

pub async fn csrf_post(ctx: Ctx) -> HttpResponse {
    ctx.double(
        "result successful",
        CsrfResult {
            result: "ok".into(),
        },
    )
}

pub async fn change_password(
    ctx: Ctx,
    mut db: Db,
    Body(input): Body<ChangePasswordInput>,
) -> AppResult<HttpResponse> {
    let caller = ctx.caller()?;
    let (Some(current), Some(new)) = (input.current_password, input.new_password) else {
        return Err(AppError::bad_request(
            "current_password and new_password are required",
        ));
    };
    let stored: String = users::table
        .find(caller.user_id)
        .select(users::password)
        .first(&mut db)
        .await?;
    if verify_blocking(stored, current).await? == Verified::No {
        return Err(AppError::bad_request(
            "could not authenticate with given credentials",
        ));
    }
    if new.chars().count() < MIN_PASSWORD_LENGTH {
        return Err(AppError::validation_field(
            "new_password",
            format!("Ensure this field has at least {MIN_PASSWORD_LENGTH} characters."),
        ));
    }
    repo::set_password(&mut db, caller.user_id, &new).await?;
    // Other logins and API tokens of this user end; the credential making the change survives.
    repo::end_other_logins(&mut db, caller.user_id, Some(&caller.credential)).await?;
    Ok(ctx.double("Password changed successful", Empty {}))
}
