//! Users, profiles, credentials (contract §4.1, deviations D1, D2, D24).

pub mod handlers;
pub mod models;
pub mod permissions;
pub mod repo;
pub mod session;

use actix_web::http::Method;

use crate::api::openapi::{component, Components};
use crate::api::routes::{ApiBuilder, Doc};

pub fn routes(api: &mut ApiBuilder) {
    let mut r = api.app(permissions::PERMISSIONS);
    r.route(
        Method::POST,
        "users/login/",
        "user",
        "login",
        session::login,
    )
    .summary("Log in: returns a JWT access token (also as `token`), a refresh token and the user")
    .request("LoginInput")
    .doc(Doc::Double("Session"));
    r.route(
        Method::POST,
        "users/logout/",
        "user",
        "logout",
        session::logout,
    )
    .summary("Log out: revokes the session of `token` (JWT) or the API token, and/or of `refresh`")
    .request("LogoutInput")
    .doc(Doc::Double("Empty"));
    r.route(
        Method::GET,
        "users/csrf/",
        "user",
        "csrf",
        session::csrf_get,
    )
    .summary("Compatibility: there are no cookie sessions, so CSRF tokens are not checked")
    .doc(Doc::Double("Empty"));
    r.route(
        Method::POST,
        "users/csrf/",
        "user",
        "csrf",
        session::csrf_post,
    )
    .summary("Compatibility endpoint")
    .doc(Doc::Double("Empty"));
    r.route(
        Method::POST,
        "users/token/refresh/",
        "user",
        "token_refresh",
        session::refresh,
    )
    .summary("Exchange a refresh token for a new access token and a new refresh token (single use)")
    .request("RefreshInput")
    .doc(Doc::Object("Session"));
    r.route(
        Method::POST,
        "users/change/password/",
        "user",
        "change_password",
        session::change_password,
    )
    .summary("Change my password; my other sessions are revoked")
    .request("ChangePasswordInput")
    .doc(Doc::Double("Empty"));
    r.route(Method::GET, "users/me/", "user", "me", handlers::me)
        .summary("The authenticated user")
        .doc(Doc::Object("User"));
    r.route(
        Method::GET,
        "users/profiles/",
        "user",
        "list",
        handlers::list,
    )
    .summary("List users")
    .doc(Doc::Page("User"));
    r.route(
        Method::POST,
        "users/profiles/",
        "user",
        "create",
        handlers::create,
    )
    .summary("Create a user and its profile")
    .request("UserCreate")
    .doc(Doc::Object("User"));
    r.route(
        Method::GET,
        "users/profiles/{id}/",
        "user",
        "retrieve",
        handlers::retrieve,
    )
    .summary("One user (support and above, or yourself)")
    .doc(Doc::Object("User"));
    r.route(
        Method::PUT,
        "users/profiles/{id}/",
        "user",
        "update",
        handlers::update,
    )
    .summary("Update a user; only managers change roles and account status")
    .request("UserUpdate")
    .doc(Doc::Object("User"));
    r.route(
        Method::PATCH,
        "users/profiles/{id}/",
        "user",
        "partial_update",
        handlers::update,
    )
    .summary("Partially update a user; only managers change roles and account status")
    .request("UserUpdate")
    .doc(Doc::Object("User"));
    r.route(
        Method::DELETE,
        "users/profiles/{id}/",
        "user",
        "destroy",
        handlers::destroy,
    )
    .summary("Delete a user")
    .doc(Doc::NoContent);
}

pub fn schemas(c: &mut Components) {
    component::<models::User>(c);
    component::<models::Profile>(c);
    component::<models::Session>(c);
    component::<models::UserCreate>(c);
    component::<models::UserUpdate>(c);
    component::<models::ProfileInput>(c);
    component::<models::LoginInput>(c);
    component::<models::LogoutInput>(c);
    component::<models::RefreshInput>(c);
    component::<models::ChangePasswordInput>(c);
}
