//! One module per HDS app. Adding an app: write its permission table, handlers and
//! `routes()`/`schemas()`, then list it here.

/// Registers the six standard CRUD routes of a resource: handlers from a module (`list`,
/// `create`, `retrieve`, `update`, `destroy`) or the name-only implementation (`named<T>`).
macro_rules! crud_routes {
    ($r:expr, $path:literal, $base:literal, $schema:literal, named < $t:ty >) => {
        crud_routes!(@all $r, $path, $base, $schema, "NameInput",
            crate::apps::named::list::<$t>, crate::apps::named::create::<$t>, crate::apps::named::retrieve::<$t>,
            crate::apps::named::update::<$t>, crate::apps::named::destroy::<$t>)
    };
    ($r:expr, $path:literal, $base:literal, $schema:literal, $m:ident) => {
        crud_routes!(@all $r, $path, $base, $schema, concat!($schema, "Input"),
            $m::list, $m::create, $m::retrieve, $m::update, $m::destroy)
    };
    (@all $r:expr, $path:literal, $base:literal, $schema:literal, $input:expr,
     $list:expr, $create:expr, $retrieve:expr, $update:expr, $destroy:expr) => {{
        use actix_web::http::Method;
        use crate::api::routes::Doc;
        $r.route(Method::GET, concat!($path, "/"), $base, "list", $list).doc(Doc::Page($schema));
        $r.route(Method::POST, concat!($path, "/"), $base, "create", $create).request($input).doc(Doc::Object($schema));
        $r.route(Method::GET, concat!($path, "/{id}/"), $base, "retrieve", $retrieve).doc(Doc::Object($schema));
        $r.route(Method::PUT, concat!($path, "/{id}/"), $base, "update", $update).request($input).doc(Doc::Object($schema));
        $r.route(Method::PATCH, concat!($path, "/{id}/"), $base, "partial_update", $update).request($input).doc(Doc::Object($schema));
        $r.route(Method::DELETE, concat!($path, "/{id}/"), $base, "destroy", $destroy).doc(Doc::NoContent);
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
