//! The health check, the API docs, migrations run from the API, users and sessions.

use super::*;

pub(super) fn add(t: &mut RouteTable) {
    // ── health and docs ──────────────────────────────────────────────────────────────────
    t.add(
        GET,
        "healthcheck/",
        "healthcheck.check",
        OPEN,
        healthcheck::check,
    )
    .summary("Liveness: `{\"status\":\"online\"}`; staff also see host and database details")
    .raw();
    t.add(
        GET,
        "openapi",
        "openapi.schema",
        OPEN,
        crate::api::serve_openapi,
    )
    .summary("This document: YAML by default, JSON with `?format=openapi-json`")
    .raw();
    t.add(
        GET,
        "openapi/",
        "openapi.schema",
        OPEN,
        crate::api::serve_openapi,
    )
    .summary("Same as `openapi`")
    .raw();

    // ── migrations run from the API (§4.16; docs/api-design.md#migrations) ───────────────
    // Reads only: any other method on these paths is 405.
    t.add(
        GET,
        "migrations/migrate/",
        "hdsmigrations.migrate",
        MANAGER,
        hdsmigrations::migrate,
    )
    .summary("Queue a run of the pending schema migrations: 202 with the id of its log")
    .accepted()
    .object::<MigrationQueued>();
    t.add(
        GET,
        "migrations/applied/",
        "hdsmigrations.applied",
        READ,
        hdsmigrations::applied,
    )
    .summary("Every schema migration this build knows, with when it was applied (`null`: pending)")
    .list::<SchemaMigration>();
    t.add(
        GET,
        "migrations/",
        "hdsmigrations.list",
        READ,
        hdsmigrations::list,
    )
    .filters(hdsmigrations::FILTERS)
    .orderings(hdsmigrations::ORDERINGS)
    .summary("Runs of the migrations, newest first. Filters: result, created_after/before")
    .page::<MigrationLog>();
    t.add(
        GET,
        "migrations/{id}/",
        "hdsmigrations.retrieve",
        READ,
        hdsmigrations::retrieve,
    )
    .object::<MigrationLog>();

    // ── users and sessions (D1: the original left these open) ────────────────────────────
    t.add(POST, "users/login/", "user.login", OPEN, session::login)
        .summary(
            "Log in: returns a JWT access token (also as `token`), a refresh token and the user",
        )
        .input::<models::LoginInput>()
        .double::<models::Session>();
    t.add(POST, "users/logout/", "user.logout", OPEN, session::logout)
        .summary(
            "Log out: revokes the session of `token` (JWT) or the API token, and/or of `refresh`",
        )
        .input::<models::LogoutInput>()
        .double::<models::Empty>();
    t.add(GET, "users/csrf/", "user.csrf", OPEN, session::csrf_get)
        .summary("Compatibility: there are no cookie sessions, so CSRF tokens are not checked")
        .double::<models::CsrfToken>();
    t.add(POST, "users/csrf/", "user.csrf", OPEN, session::csrf_post)
        .summary("Compatibility endpoint")
        .double::<models::CsrfResult>();
    t.add(
        POST,
        "users/token/refresh/",
        "user.token_refresh",
        OPEN,
        session::refresh,
    )
    .summary("Exchange a refresh token for a new access token and a new refresh token (single use)")
    .input::<models::RefreshInput>()
    .object::<models::Session>();
    t.add(
        POST,
        "users/change/password/",
        "user.change_password",
        SIGNED_IN,
        session::change_password,
    )
    .summary("Change my password; my other sessions are revoked")
    .input::<models::ChangePasswordInput>()
    .double::<models::Empty>();
    t.add(GET, "users/me/", "user.me", SIGNED_IN, users::me)
        .summary("The authenticated user")
        .object::<models::User>();
    t.add(GET, "users/profiles/", "user.list", SUPPORT, users::list)
        .summary("List users")
        .page::<models::User>();
    t.add(
        POST,
        "users/profiles/",
        "user.create",
        MANAGER,
        users::create,
    )
    .summary("Create a user and its profile")
    .input::<models::UserCreate>()
    .object::<models::User>();
    t.add(
        GET,
        "users/profiles/{id}/",
        "user.retrieve",
        Rule::RolesOrSelf(Grants::S),
        users::retrieve,
    )
    .summary("One user (support and above, or yourself)")
    .object::<models::User>();
    t.add(
        PUT,
        "users/profiles/{id}/",
        "user.update",
        Rule::RolesOrSelf(Grants::M),
        users::update,
    )
    .summary("Update a user; only managers change roles and account status")
    .input::<models::UserUpdate>()
    .object::<models::User>();
    t.add(
        PATCH,
        "users/profiles/{id}/",
        "user.partial_update",
        Rule::RolesOrSelf(Grants::M),
        users::update,
    )
    .summary("Partially update a user; only managers change roles and account status")
    .input::<models::UserUpdate>()
    .object::<models::User>();
    t.add(
        DELETE,
        "users/profiles/{id}/",
        "user.destroy",
        MANAGER,
        users::destroy,
    )
    .summary("Delete a user")
    .no_content();
}
