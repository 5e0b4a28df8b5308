//! Users, login, tokens (docs/api-design.md#users, docs/api-design.md#tests;
//! docs/compatibility.md#d1, docs/compatibility.md#d2, docs/compatibility.md#d24).

use actix_web::http::{Method, StatusCode};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde_json::json;

use crate::support::{set_password, spawn, spawn_with, Who};

#[actix_web::test]
async fn only_managers_create_users_and_profiles_are_always_created() {
    let app = spawn().await;
    let body = json!({"username": "new_user", "password": "pw12345", "email": "n@example.org",
                      "first_name": "New", "profile": {"role": "developer", "slack_id": "U123"}});
    let r = app
        .post(Who::Developer, "/api/v1/users/profiles/", body.clone())
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "D1: create needs manager");
    let r = app
        .post(Who::Manager, "/api/v1/users/profiles/", body.clone())
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["message"], "user created successfully");
    let user = &r.body["data"];
    assert_eq!(user["email"], "n@example.org");
    assert_eq!(user["profile"]["role"], "developer");
    assert_eq!(user["profile"]["slack_id"], "U123");
    assert!(user.get("password").is_none(), "password is write-only");
    let r = app
        .post(Who::Manager, "/api/v1/users/profiles/", body)
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        r.body["errors"]["detail"]["username"][0],
        "A user with that username already exists."
    );
    // Without a profile in the body the role defaults to support (D2).
    let r = app
        .post(
            Who::Admin,
            "/api/v1/users/profiles/",
            json!({"username": "plain", "password": "pw12345"}),
        )
        .await;
    assert_eq!(r.body["data"]["profile"]["role"], "support");
    // Only superusers create superusers.
    let r = app
        .post(
            Who::Manager,
            "/api/v1/users/profiles/",
            json!({"username": "boss", "password": "pw12345", "is_superuser": true}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[actix_web::test]
async fn reading_users_needs_support_or_self() {
    let app = spawn().await;
    let support = app.users.id(Who::Support);
    let r = app
        .get(Who::Support, &format!("/api/v1/users/profiles/{support}/"))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["data"]["first_name"], "");
    assert_eq!(r.body["data"]["username"], "support");
    let beatbox = app.users.id(Who::Beatbox);
    let r = app
        .get(Who::Beatbox, &format!("/api/v1/users/profiles/{beatbox}/"))
        .await;
    assert_eq!(r.status, StatusCode::OK, "a service account reads itself");
    let r = app
        .get(Who::Beatbox, &format!("/api/v1/users/profiles/{support}/"))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "but not others");
    let r = app
        .get(Who::Anon, &format!("/api/v1/users/profiles/{support}/"))
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "D1: no anonymous reads");
    let r = app.get(Who::Jenkins, "/api/v1/users/me/").await;
    assert_eq!(r.body["data"]["username"], "jenkins");
    assert_eq!(r.body["data"]["profile"]["role"], "jenkins");
}

#[actix_web::test]
async fn users_edit_themselves_but_never_their_role() {
    let app = spawn().await;
    let support = app.users.id(Who::Support);
    let developer = app.users.id(Who::Developer);
    let me = format!("/api/v1/users/profiles/{support}/");
    let r = app
        .patch(
            Who::Support,
            &me,
            json!({"first_name": "Sam", "profile": {"slack_id": "U9"}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["data"]["first_name"], "Sam");
    assert_eq!(r.body["data"]["profile"]["slack_id"], "U9");
    let r = app
        .patch(Who::Support, &me, json!({"profile": {"role": "manager"}}))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "D1: no self-promotion");
    let r = app
        .patch(Who::Support, &me, json!({"is_superuser": true}))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app.get(Who::Support, "/api/v1/users/me/").await;
    assert_eq!(r.body["data"]["profile"]["role"], "support");
    assert_eq!(r.body["data"]["is_superuser"], false);
    let r = app
        .patch(
            Who::Support,
            &format!("/api/v1/users/profiles/{developer}/"),
            json!({"first_name": "X"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "others are off limits");
}

#[actix_web::test]
async fn managers_change_roles_and_deactivate() {
    let app = spawn().await;
    let support = app.users.id(Who::Support);
    let path = format!("/api/v1/users/profiles/{support}/");
    let r = app
        .patch(
            Who::Manager,
            &path,
            json!({"last_name": "Lee", "profile": {"role": "developer"}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = app.get(Who::Manager, &path).await;
    assert_eq!(r.body["data"]["last_name"], "Lee");
    assert_eq!(r.body["data"]["profile"]["role"], "developer");
    let r = app
        .patch(Who::Manager, &path, json!({"profile": {"role": "emperor"}}))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = app.get(Who::Support, "/api/v1/users/me/").await;
    assert_eq!(r.status, StatusCode::OK, "authenticated (and remembered)");
    let r = app
        .patch(Who::Manager, &path, json!({"is_active": false}))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = app.get(Who::Support, "/api/v1/users/me/").await;
    assert_eq!(
        r.status,
        StatusCode::UNAUTHORIZED,
        "a deactivated user's token stops working"
    );
    assert_eq!(r.body["errors"]["detail"], "User inactive or deleted.");
    let admin = app.users.id(Who::Admin);
    let r = app
        .patch(
            Who::Manager,
            &format!("/api/v1/users/profiles/{admin}/"),
            json!({"first_name": "x"}),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "managers do not edit superusers"
    );
}

#[actix_web::test]
async fn delete_needs_a_manager() {
    let app = spawn().await;
    let jenkins = app.users.id(Who::Jenkins);
    let path = format!("/api/v1/users/profiles/{jenkins}/");
    let r = app.call(Who::Anon, Method::DELETE, &path, None).await;
    assert_eq!(
        r.status,
        StatusCode::UNAUTHORIZED,
        "D1: the reference let anyone delete users"
    );
    let r = app.call(Who::Developer, Method::DELETE, &path, None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app.call(Who::Manager, Method::DELETE, &path, None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert!(r.text.is_empty());
    let r = app.get(Who::Manager, &path).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

async fn login(
    app: &crate::support::TestApp<
        impl actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
            Error = actix_web::Error,
        >,
    >,
    user: &str,
    pw: &str,
) -> crate::support::Resp {
    app.post(
        Who::Anon,
        "/api/v1/users/login/",
        json!({"username": user, "password": pw}),
    )
    .await
}

#[actix_web::test]
async fn login_returns_the_double_envelope_and_a_working_jwt() {
    let app = spawn().await;
    set_password(&app.db, app.users.id(Who::Developer), "devpass1").await;
    let r = login(&app, "developer", "wrong").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        r.body["errors"]["exception"],
        "invalid username or password"
    );
    let r = app
        .post(
            Who::Anon,
            "/api/v1/users/login/",
            json!({"username": "developer"}),
        )
        .await;
    assert_eq!(
        r.body["errors"]["exception"],
        "username and password are required"
    );
    let r = login(&app, "developer", "devpass1").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["message"], " created successfully");
    assert_eq!(r.body["data"]["status"], "success");
    assert_eq!(r.body["data"]["message"], "Login successful");
    let inner = &r.body["data"]["data"];
    // `token` is the login session's API token (old clients send it as `Token …` and never
    // refresh); `access` the short-lived JWT our web app sends and refreshes.
    let token = inner["token"].as_str().unwrap();
    let access = inner["access"].as_str().unwrap();
    assert_ne!(token, access);
    assert_eq!(inner["user"]["username"], "developer");
    assert_eq!(inner["user"]["profile"]["role"], "developer");
    assert!(inner["user"]["last_login"].is_string());
    for auth in [
        format!("Token {token}"),
        format!("Bearer {access}"),
        format!("Token {access}"),
    ] {
        let r = app
            .with_auth(&auth, Method::GET, "/api/v1/users/me/", None)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{auth}");
        assert_eq!(r.body["data"]["username"], "developer");
    }
}

#[actix_web::test]
async fn refresh_tokens_rotate_and_reuse_revokes_the_session() {
    let app = spawn().await;
    set_password(&app.db, app.users.id(Who::Support), "suppass1").await;
    let r = login(&app, "support", "suppass1").await;
    let access = r.body["data"]["data"]["access"]
        .as_str()
        .unwrap()
        .to_string();
    let refresh1 = r.body["data"]["data"]["refresh"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app
        .post(
            Who::Anon,
            "/api/v1/users/token/refresh/",
            json!({"refresh": refresh1}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["message"], "Token refreshed");
    let refresh2 = r.body["data"]["refresh"].as_str().unwrap().to_string();
    assert_ne!(refresh1, refresh2);
    let access2 = r.body["data"]["access"].as_str().unwrap().to_string();
    let r = app
        .with_auth(
            &format!("Bearer {access2}"),
            Method::GET,
            "/api/v1/users/me/",
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    // Replaying the spent token: refused, and the whole session is revoked.
    let r = app
        .post(
            Who::Anon,
            "/api/v1/users/token/refresh/",
            json!({"refresh": refresh1}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = app
        .post(
            Who::Anon,
            "/api/v1/users/token/refresh/",
            json!({"refresh": refresh2}),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNAUTHORIZED,
        "the successor dies with the session"
    );
    let r = app
        .with_auth(
            &format!("Bearer {access}"),
            Method::GET,
            "/api/v1/users/me/",
            None,
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNAUTHORIZED,
        "access tokens of a revoked session stop working"
    );
}

#[actix_web::test]
async fn logout_revokes_jwt_sessions_and_api_tokens() {
    let app = spawn().await;
    set_password(&app.db, app.users.id(Who::Support), "suppass1").await;
    let r = login(&app, "support", "suppass1").await;
    let token = r.body["data"]["data"]["token"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app
        .post(Who::Anon, "/api/v1/users/logout/", json!({}))
        .await;
    assert_eq!(r.body["errors"]["exception"], "token is required");
    let r = app
        .post(Who::Anon, "/api/v1/users/logout/", json!({"token": "nope"}))
        .await;
    assert_eq!(r.body["errors"]["exception"], "invalid token");
    let r = app
        .post(Who::Anon, "/api/v1/users/logout/", json!({"token": token}))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["data"]["message"], "Logout successful");
    let r = app
        .with_auth(
            &format!("Token {token}"),
            Method::GET,
            "/api/v1/users/me/",
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let key = app.users.token(Who::Jenkins).unwrap().to_string();
    let r = app.get(Who::Jenkins, "/api/v1/users/me/").await;
    assert_eq!(r.status, StatusCode::OK, "authenticated (and remembered)");
    let r = app
        .post(Who::Anon, "/api/v1/users/logout/", json!({"token": key}))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = app.get(Who::Jenkins, "/api/v1/users/me/").await;
    assert_eq!(
        r.status,
        StatusCode::UNAUTHORIZED,
        "a revoked API token is refused"
    );
}

#[actix_web::test]
async fn change_password_checks_the_current_one() {
    let app = spawn().await;
    set_password(&app.db, app.users.id(Who::Support), "oldpass1").await;
    let r = app
        .post(
            Who::Support,
            "/api/v1/users/change/password/",
            json!({"current_password": "oldpass1"}),
        )
        .await;
    assert_eq!(
        r.body["errors"]["exception"],
        "current_password and new_password are required"
    );
    let r = app
        .post(
            Who::Support,
            "/api/v1/users/change/password/",
            json!({"current_password": "bad", "new_password": "newpass1"}),
        )
        .await;
    assert_eq!(
        r.body["errors"]["exception"],
        "could not authenticate with given credentials"
    );
    let r = app
        .post(
            Who::Support,
            "/api/v1/users/change/password/",
            json!({"current_password": "oldpass1", "new_password": "newpass1"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["data"]["message"], "Password changed successful");
    assert_eq!(
        login(&app, "support", "newpass1").await.status,
        StatusCode::OK
    );
    assert_eq!(
        login(&app, "support", "oldpass1").await.status,
        StatusCode::BAD_REQUEST
    );
    let r = app
        .post(Who::Anon, "/api/v1/users/change/password/", json!({}))
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[actix_web::test]
async fn csrf_answers_in_the_reference_shape() {
    let app = spawn().await;
    let r = app.get(Who::Anon, "/api/v1/users/csrf/").await;
    assert_eq!(r.body["message"], " retrieved successfully");
    assert_eq!(r.body["data"]["message"], "CSRF successful");
    assert!(r.body["data"]["data"]["csrftoken"].is_string());
    let r = app.post(Who::Anon, "/api/v1/users/csrf/", json!({})).await;
    assert_eq!(r.body["data"]["data"], json!({"result": "ok"}));
}

#[actix_web::test]
async fn api_tokens_are_stored_hashed_and_record_last_use() {
    use hds::schema::api_tokens;
    let app = spawn().await;
    let key = app.users.token(Who::Sqs).unwrap().to_string();
    let mut conn = app.db.conn().await;
    let stored: Vec<(String, Option<chrono::DateTime<chrono::Utc>>)> = api_tokens::table
        .filter(api_tokens::user_id.eq(app.users.id(Who::Sqs)))
        .select((api_tokens::key_hash, api_tokens::last_used_at))
        .load(&mut conn)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0].0, key, "never stored in plain text");
    assert!(stored[0].1.is_none());
    app.get(Who::Sqs, "/api/v1/users/me/").await;
    let used: Option<chrono::DateTime<chrono::Utc>> = api_tokens::table
        .filter(api_tokens::user_id.eq(app.users.id(Who::Sqs)))
        .select(api_tokens::last_used_at)
        .first(&mut conn)
        .await
        .unwrap();
    assert!(used.is_some());
}

/// The original web app keeps login's `token` and never refreshes: it is an API token of the
/// login session, alive long past the JWT's 15 minutes, ended by logout (with its session, so
/// its refresh token dies too) or by `HDS_SESSION_TOKEN_IDLE_DAYS` without use.
#[actix_web::test]
async fn the_login_token_is_a_session_api_token_revoked_at_logout_and_after_idle_days() {
    let app = spawn_with(|c| c.access_token_minutes = -1).await;
    set_password(&app.db, app.users.id(Who::Support), "suppass1").await;
    let r = login(&app, "support", "suppass1").await;
    let inner = &r.body["data"]["data"];
    let token = format!("Token {}", inner["token"].as_str().unwrap());
    let access = format!("Bearer {}", inner["access"].as_str().unwrap());
    let refresh = inner["refresh"].as_str().unwrap().to_string();
    // The JWT has expired (a minute ago); the session token still works.
    let r = app
        .with_auth(&access, Method::GET, "/api/v1/users/me/", None)
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = app
        .with_auth(&token, Method::GET, "/api/v1/users/me/", None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    // Logout with the token (what the old app sends) ends the token and its session.
    let key = token.trim_start_matches("Token ").to_string();
    let r = app
        .post(Who::Anon, "/api/v1/users/logout/", json!({"token": key}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = app
        .with_auth(&token, Method::GET, "/api/v1/users/me/", None)
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = app
        .post(
            Who::Anon,
            "/api/v1/users/token/refresh/",
            json!({"refresh": refresh}),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNAUTHORIZED,
        "the session's refresh token died too"
    );

    // Idle: a token unused for longer than its idle time is refused.
    let r = login(&app, "support", "suppass1").await;
    let token = format!(
        "Token {}",
        r.body["data"]["data"]["token"].as_str().unwrap()
    );
    diesel::sql_query(
        "UPDATE api_tokens SET last_used_at = now() - interval '15 days', \
         created = now() - interval '30 days' WHERE session_id IS NOT NULL AND revoked_at IS NULL",
    )
    .execute(&mut app.db.conn().await)
    .await
    .unwrap();
    let r = app
        .with_auth(&token, Method::GET, "/api/v1/users/me/", None)
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNAUTHORIZED,
        "idle for 15 days: {}",
        r.text
    );

    // A logout through our web app (JWT and refresh) ends the session's API token as well.
    let r = login(&app, "support", "suppass1").await;
    let inner = &r.body["data"]["data"];
    let token = format!("Token {}", inner["token"].as_str().unwrap());
    let refresh = inner["refresh"].as_str().unwrap().to_string();
    let r = app
        .post(
            Who::Anon,
            "/api/v1/users/logout/",
            json!({"refresh": refresh}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = app
        .with_auth(&token, Method::GET, "/api/v1/users/me/", None)
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

/// Your own password changes only with the current one (through `PATCH users/profiles/{self}/`
/// as through `users/change/password/`), and any password change ends every other login
/// session and API token of the user: a stolen access token cannot become the account, and a
/// token stolen before the change dies with it (docs/compatibility.md#d117).
#[actix_web::test]
async fn a_password_change_needs_the_current_one_and_ends_every_other_login() {
    let app = spawn().await;
    let me = app.users.id(Who::Support);
    set_password(&app.db, me, "suppass1").await;
    let first = login(&app, "support", "suppass1").await;
    let first_access = format!(
        "Bearer {}",
        first.body["data"]["data"]["access"].as_str().unwrap()
    );
    let first_token = format!(
        "Token {}",
        first.body["data"]["data"]["token"].as_str().unwrap()
    );
    let second = login(&app, "support", "suppass1").await;
    let access = format!(
        "Bearer {}",
        second.body["data"]["data"]["access"].as_str().unwrap()
    );
    let path = format!("/api/v1/users/profiles/{me}/");
    for body in [
        json!({"password": "taken-over"}),
        json!({"password": "taken-over", "current_password": "wrong"}),
    ] {
        let r = app
            .with_auth(&access, Method::PATCH, &path, Some(body))
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
        assert!(
            r.body["errors"]["detail"]["current_password"].is_array(),
            "{}",
            r.text
        );
    }
    assert_eq!(
        login(&app, "support", "suppass1").await.status,
        StatusCode::OK
    );
    let r = app
        .with_auth(
            &access,
            Method::PATCH,
            &path,
            Some(json!({"password": "newpass1", "current_password": "suppass1"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    // The session that made the change goes on; every other login and API token has ended,
    // the test harness's own token of this user included.
    let r = app
        .with_auth(&access, Method::GET, "/api/v1/users/me/", None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    for other in [&first_access, &first_token] {
        let r = app
            .with_auth(other, Method::GET, "/api/v1/users/me/", None)
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{other}: {}", r.text);
    }
    assert_eq!(
        app.get(Who::Support, "/api/v1/users/me/").await.status,
        StatusCode::UNAUTHORIZED
    );

    // A manager resetting someone's password needs no current password, and ends all of
    // that user's logins.
    let third = login(&app, "support", "newpass1").await;
    let third_access = format!(
        "Bearer {}",
        third.body["data"]["data"]["access"].as_str().unwrap()
    );
    let r = app
        .patch(Who::Manager, &path, json!({"password": "resetpass1"}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    for ended in [&access, &third_access] {
        let r = app
            .with_auth(ended, Method::GET, "/api/v1/users/me/", None)
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);
    }
    assert_eq!(
        login(&app, "support", "resetpass1").await.status,
        StatusCode::OK
    );
}

/// Authentications are cached (docs/api-design.md#authentication), JWT sessions as API tokens;
/// a revocation made outside this server (another server, the CLI, psql) still ends them as it
/// commits: PostgreSQL announces it and the listener empties the cache. Without the listener
/// the cached answers would live 5 s, past this test's 2 s.
#[actix_web::test]
async fn revocations_made_elsewhere_end_cached_authentications_at_once() {
    let app = spawn().await;
    tokio::spawn(hds::auth::revocations::listen(app.db.url.clone()));
    let started = std::time::Instant::now();
    while !hds::auth::cache::is_listening() {
        assert!(
            started.elapsed().as_secs() < 10,
            "the listener never connected"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    set_password(&app.db, app.users.id(Who::Support), "suppass1").await;
    let r = login(&app, "support", "suppass1").await;
    let inner = &r.body["data"]["data"];
    let access = format!("Bearer {}", inner["access"].as_str().unwrap());
    let token = format!("Token {}", inner["token"].as_str().unwrap());
    for credential in [&access, &token] {
        // Twice: the second answer comes from the cache.
        for _ in 0..2 {
            let r = app
                .with_auth(credential, Method::GET, "/api/v1/users/me/", None)
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        }
    }
    // As an operator would, straight in the database.
    diesel::sql_query("UPDATE auth_sessions SET revoked_at = now() WHERE revoked_at IS NULL")
        .execute(&mut app.db.conn().await)
        .await
        .unwrap();
    diesel::sql_query("UPDATE api_tokens SET revoked_at = now() WHERE session_id IS NOT NULL")
        .execute(&mut app.db.conn().await)
        .await
        .unwrap();
    for credential in [&access, &token] {
        let since = std::time::Instant::now();
        loop {
            let r = app
                .with_auth(credential, Method::GET, "/api/v1/users/me/", None)
                .await;
            if r.status == StatusCode::UNAUTHORIZED {
                break;
            }
            assert!(
                since.elapsed().as_millis() < 2000,
                "still accepted after 2 s: {credential:.12}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
    }
}

/// Usernames are unique whatever their case and login matches them in any case
/// (docs/compatibility.md#d124); a clash is a 400 naming `username`.
#[actix_web::test]
async fn usernames_are_unique_whatever_their_case() {
    let app = spawn().await;
    let r = app
        .post(
            Who::Manager,
            "/api/v1/users/profiles/",
            json!({"username": "Jane.Doe", "password": "pw12345"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let jane = r.body["data"]["id"].as_i64().unwrap();
    for clash in ["jane.doe", "JANE.DOE", "Jane.Doe"] {
        let r = app
            .post(
                Who::Manager,
                "/api/v1/users/profiles/",
                json!({"username": clash, "password": "pw12345"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{clash}: {}", r.text);
        assert_eq!(
            r.body["errors"]["detail"]["username"][0],
            "A user with that username already exists."
        );
    }
    let developer = app.users.id(Who::Developer);
    let r = app
        .patch(
            Who::Manager,
            &format!("/api/v1/users/profiles/{developer}/"),
            json!({"username": "JANE.doe"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert!(r.body["errors"]["detail"]["username"].is_array());
    // Changing the case of your own name is no clash.
    let r = app
        .patch(
            Who::Manager,
            &format!("/api/v1/users/profiles/{jane}/"),
            json!({"username": "jane.doe"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["data"]["username"], "jane.doe");
    // The database holds the line too (two requests racing past the check).
    let mut conn = app.db.conn().await;
    let err = diesel::sql_query(format!(
        "UPDATE users SET username = 'JANE.DOE' WHERE id = {developer}"
    ))
    .execute(&mut conn)
    .await
    .unwrap_err();
    assert!(
        err.to_string().contains("users_username_lower_key"),
        "{err}"
    );
    let as_answer = hds::error::AppError::from(err);
    assert!(as_answer.to_string().contains("validation"), "{as_answer}");
    set_password(&app.db, jane, "janepass1").await;
    for spelled in ["jane.doe", "Jane.Doe", "JANE.DOE"] {
        let r = login(&app, spelled, "janepass1").await;
        assert_eq!(r.status, StatusCode::OK, "{spelled}: {}", r.text);
    }
}

/// A `slack_id` is a member id or a handle, never a broadcast or markup
/// (docs/api-design.md#users): it is written into messages as `<@id>`.
#[actix_web::test]
async fn slack_ids_that_would_broadcast_or_inject_markup_are_refused() {
    let app = spawn().await;
    let support = app.users.id(Who::Support);
    let me = format!("/api/v1/users/profiles/{support}/");
    for bad in [
        "@channel",
        "@here",
        "<!channel>",
        "here",
        "Everyone",
        "U1> <!everyone",
        "a|b",
        " U123",
    ] {
        let r = app
            .patch(Who::Support, &me, json!({"profile": {"slack_id": bad}}))
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}: {}", r.text);
        assert!(
            r.body["errors"]["detail"]["profile"]["slack_id"].is_array(),
            "{bad}: {}",
            r.text
        );
        let r = app
            .post(
                Who::Manager,
                "/api/v1/users/profiles/",
                json!({"username": "someone", "password": "pw12345", "profile": {"slack_id": bad}}),
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}: {}", r.text);
    }
    for good in ["U0AFT0001", "slack@aft.aft", "jane.doe"] {
        let r = app
            .patch(Who::Support, &me, json!({"profile": {"slack_id": good}}))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{good}: {}", r.text);
        assert_eq!(r.body["data"]["profile"]["slack_id"], good);
    }
    let r = app
        .patch(Who::Support, &me, json!({"profile": {"slack_id": null}}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "null clears it: {}", r.text);
}

fn login_from(
    peer: &str,
    forwarded_for: Option<&str>,
    user: &str,
    pw: &str,
) -> actix_web::test::TestRequest {
    let mut req = actix_web::test::TestRequest::post()
        .uri("/api/v1/users/login/")
        .peer_addr(peer.parse().unwrap())
        .set_json(json!({"username": user, "password": pw}));
    if let Some(xff) = forwarded_for {
        req = req.insert_header(("X-Forwarded-For", xff));
    }
    req
}

/// Failed logins are throttled per username (any case) and per client address — the peer, or
/// the client a trusted proxy names — with 429 and `Retry-After` in the error shape; a
/// correct password does not get through a throttled username either.
#[actix_web::test]
async fn failed_logins_are_throttled_per_username_and_per_client() {
    let app = spawn_with(|c| {
        c.login_user_failures = 3;
        c.login_client_failures = 5;
        c.login_window_secs = 120;
        c.trusted_proxies = hds::api::proxies::TrustedProxies::parse("10.0.0.0/8").unwrap();
    })
    .await;
    set_password(&app.db, app.users.id(Who::Developer), "devpass1").await;
    set_password(&app.db, app.users.id(Who::Support), "suppass1").await;
    for _ in 0..3 {
        let r = login(&app, "developer", "wrong").await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    }
    for (user, pw) in [("developer", "devpass1"), ("DEVELOPER", "wrong")] {
        let r = login(&app, user, pw).await;
        assert_eq!(
            r.status,
            StatusCode::TOO_MANY_REQUESTS,
            "{user}: {}",
            r.text
        );
        let wait: u64 = r.header("retry-after").parse().unwrap();
        assert!((1..=120).contains(&wait), "{wait}");
        assert_eq!(r.body["errors"]["retry_after"], wait);
        assert!(r.body["errors"]["detail"]
            .as_str()
            .unwrap()
            .contains("failed logins"));
    }
    assert_eq!(
        login(&app, "support", "suppass1").await.status,
        StatusCode::OK,
        "another username is not held back"
    );
    // Per client: five failures from 192.0.2.7, whatever the usernames, hold it back.
    for i in 0..5 {
        let r = app
            .send(login_from(
                "192.0.2.7:4000",
                None,
                &format!("nobody{i}"),
                "x",
            ))
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    }
    let r = app
        .send(login_from("192.0.2.7:4001", None, "support", "suppass1"))
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.text);
    let r = app
        .send(login_from("192.0.2.8:4000", None, "support", "suppass1"))
        .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "another client is not: {}",
        r.text
    );
    // Behind a trusted proxy the client is the one it names; an untrusted peer's header is
    // not believed.
    let r = app
        .send(login_from(
            "10.0.0.2:5000",
            Some("192.0.2.7"),
            "support",
            "suppass1",
        ))
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.text);
    let r = app
        .send(login_from(
            "10.0.0.2:5000",
            Some("192.0.2.7, 192.0.2.9"),
            "support",
            "suppass1",
        ))
        .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "the nearest untrusted hop counts: {}",
        r.text
    );
    let r = app
        .send(login_from(
            "192.0.2.9:5000",
            Some("192.0.2.200"),
            "support",
            "suppass1",
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = app
        .send(login_from(
            "192.0.2.7:5000",
            Some("192.0.2.200"),
            "support",
            "suppass1",
        ))
        .await;
    assert_eq!(
        r.status,
        StatusCode::TOO_MANY_REQUESTS,
        "a direct client cannot launder itself through X-Forwarded-For: {}",
        r.text
    );
}

/// An unknown username costs the same password check as a known one with a wrong password:
/// how long login takes does not tell whether the account exists.
#[actix_web::test]
async fn an_unknown_username_takes_as_long_as_a_wrong_password() {
    let app = spawn().await;
    set_password(&app.db, app.users.id(Who::Developer), "devpass1").await;
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for i in 0..4 {
        let t = std::time::Instant::now();
        assert_eq!(
            login(&app, "developer", "wrong").await.status,
            StatusCode::BAD_REQUEST
        );
        known.push(t.elapsed());
        let t = std::time::Instant::now();
        let r = login(&app, &format!("no-such-user-{i}"), "wrong").await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            r.body["errors"]["exception"],
            "invalid username or password"
        );
        unknown.push(t.elapsed());
    }
    known.sort();
    unknown.sort();
    // Medians; a password check is tens of milliseconds, a missing row a fraction of one.
    let (k, u) = (known[2], unknown[2]);
    assert!(u * 2 >= k, "unknown {u:?} vs known {k:?}");
}
