//! One module per HDS app. Adding an app: write its permission table, handlers and
//! `routes()`/`schemas()`, then list it here.

/// Registers the six standard CRUD routes of a resource.
macro_rules! crud_routes {
    ($r:expr, $path:literal, $base:literal, $schema:literal, named < $t:ty >) => {{
        use crate::apps::named;
        $r.route(
            actix_web::http::Method::GET,
            concat!($path, "/"),
            $base,
            "list",
            named::list::<$t>,
        )
        .doc(crate::api::routes::Doc::Page($schema));
        $r.route(
            actix_web::http::Method::POST,
            concat!($path, "/"),
            $base,
            "create",
            named::create::<$t>,
        )
        .request("NameInput")
        .doc(crate::api::routes::Doc::Object($schema));
        $r.route(
            actix_web::http::Method::GET,
            concat!($path, "/{id}/"),
            $base,
            "retrieve",
            named::retrieve::<$t>,
        )
        .doc(crate::api::routes::Doc::Object($schema));
        $r.route(
            actix_web::http::Method::PUT,
            concat!($path, "/{id}/"),
            $base,
            "update",
            named::update::<$t>,
        )
        .request("NameInput")
        .doc(crate::api::routes::Doc::Object($schema));
        $r.route(
            actix_web::http::Method::PATCH,
            concat!($path, "/{id}/"),
            $base,
            "partial_update",
            named::update::<$t>,
        )
        .request("NameInput")
        .doc(crate::api::routes::Doc::Object($schema));
        $r.route(
            actix_web::http::Method::DELETE,
            concat!($path, "/{id}/"),
            $base,
            "destroy",
            named::destroy::<$t>,
        )
        .doc(crate::api::routes::Doc::NoContent);
    }};
    ($r:expr, $path:literal, $base:literal, $schema:literal, $m:ident) => {{
        $r.route(
            actix_web::http::Method::GET,
            concat!($path, "/"),
            $base,
            "list",
            $m::list,
        )
        .doc(crate::api::routes::Doc::Page($schema));
        $r.route(
            actix_web::http::Method::POST,
            concat!($path, "/"),
            $base,
            "create",
            $m::create,
        )
        .request(concat!($schema, "Input"))
        .doc(crate::api::routes::Doc::Object($schema));
        $r.route(
            actix_web::http::Method::GET,
            concat!($path, "/{id}/"),
            $base,
            "retrieve",
            $m::retrieve,
        )
        .doc(crate::api::routes::Doc::Object($schema));
        $r.route(
            actix_web::http::Method::PUT,
            concat!($path, "/{id}/"),
            $base,
            "update",
            $m::update,
        )
        .request(concat!($schema, "Input"))
        .doc(crate::api::routes::Doc::Object($schema));
        $r.route(
            actix_web::http::Method::PATCH,
            concat!($path, "/{id}/"),
            $base,
            "partial_update",
            $m::update,
        )
        .request(concat!($schema, "Input"))
        .doc(crate::api::routes::Doc::Object($schema));
        $r.route(
            actix_web::http::Method::DELETE,
            concat!($path, "/{id}/"),
            $base,
            "destroy",
            $m::destroy,
        )
        .doc(crate::api::routes::Doc::NoContent);
    }};
}

pub mod errorreport;
pub mod event;
pub mod exceptions;
pub mod failedingest;
pub mod harvester;
pub mod healthcheck;
pub mod json;
pub mod location;
pub mod named;
pub mod notifications;
pub mod s3file;
pub mod tags;
pub mod users;

use crate::api::openapi::Components;
use crate::api::routes::ApiBuilder;
use crate::auth::roles::Permission;

pub fn routes(api: &mut ApiBuilder) {
    healthcheck::routes(api);
    location::routes(api);
    harvester::routes(api);
    event::routes(api);
    exceptions::routes(api);
    errorreport::routes(api);
    notifications::routes(api);
    s3file::routes(api);
    failedingest::routes(api);
    users::routes(api);
}

/// Every app's permission table (the role-matrix test checks each row has a route).
pub fn permission_tables() -> Vec<&'static [Permission]> {
    vec![
        healthcheck::PERMISSIONS,
        users::permissions::PERMISSIONS,
        location::PERMISSIONS,
        harvester::PERMISSIONS,
        event::PERMISSIONS,
        exceptions::PERMISSIONS,
        errorreport::PERMISSIONS,
        notifications::PERMISSIONS,
        s3file::PERMISSIONS,
        failedingest::PERMISSIONS,
    ]
}

pub fn schemas(c: &mut Components) {
    users::schemas(c);
    location::schemas(c);
    harvester::schemas(c);
    event::schemas(c);
    exceptions::schemas(c);
    errorreport::schemas(c);
    notifications::schemas(c);
    s3file::schemas(c);
    failedingest::schemas(c);
}

/// A foreign key that points nowhere is the client's mistake: name the field (DRF's wording).
pub fn fk_field(err: diesel::result::Error, field: &str) -> crate::error::AppError {
    use diesel::result::{DatabaseErrorKind, Error};
    match err {
        Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => {
            crate::error::AppError::validation_field(field, "Invalid pk - object does not exist.")
        }
        other => other.into(),
    }
}

pub fn required<T>(v: Option<T>, field: &str) -> crate::error::AppResult<T> {
    v.ok_or_else(|| crate::error::AppError::validation_field(field, "This field is required."))
}

pub fn not_blank(v: &str, field: &str) -> crate::error::AppResult<()> {
    if v.trim().is_empty() {
        Err(crate::error::AppError::validation_field(
            field,
            "This field may not be blank.",
        ))
    } else {
        Ok(())
    }
}
