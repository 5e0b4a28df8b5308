//! AFT exception codes, code manifests, extracted exceptions and the pareto (contract §4.4).

mod codes;
pub mod filters;
mod handlers;
pub mod json;
pub mod manifest;
mod pareto;

use actix_web::http::Method;

use crate::api::openapi::{component, Components};
use crate::api::routes::{ApiBuilder, Doc};
use crate::auth::roles::{perm, Permission};
use crate::auth::{Grants, Rule};

const READ: Rule = Rule::Roles(Grants::SJB);
const ADMIN: Rule = Rule::Roles(Grants::A);

pub const PERMISSIONS: &[Permission] = &[
    perm("exceptioncode", "list", READ),
    perm("exceptioncode", "retrieve", READ),
    perm("exceptioncode", "create", ADMIN),
    perm("exceptioncode", "update", ADMIN),
    perm("exceptioncode", "partial_update", ADMIN),
    perm("exceptioncode", "destroy", ADMIN),
    perm("codemanifest", "list", READ),
    perm("codemanifest", "retrieve", READ),
    perm(
        "codemanifest",
        "create",
        Rule::Roles(Grants::A.or(Grants::J)),
    ),
    perm("codemanifest", "update", ADMIN),
    perm("codemanifest", "partial_update", ADMIN),
    perm("codemanifest", "destroy", ADMIN),
    perm("exception", "list", READ),
    perm("exception", "retrieve", READ),
    perm("exception", "create", ADMIN),
    perm("exception", "update", ADMIN),
    perm("exception", "partial_update", ADMIN),
    perm("exception", "destroy", ADMIN),
    perm("exception", "pareto", Rule::Roles(Grants::S)),
];

pub fn routes(api: &mut ApiBuilder) {
    let mut r = api.app(PERMISSIONS);
    crud_routes!(r, "exceptioncodes", "exceptioncode", "ExceptionCode", codes);
    crud_routes!(
        r,
        "exceptioncodemanifests",
        "codemanifest",
        "CodeManifest",
        manifest
    );
    r.route(
        Method::GET,
        "exceptions/pareto/",
        "exception",
        "pareto",
        pareto::pareto,
    )
    .summary(
        "Counts of the filtered exceptions grouped by `aggregate_query` (default `code__code`), \
             largest first; `aggregate_name` renames the `value` key",
    )
    .doc(Doc::Any);
    crud_routes!(r, "exceptions", "exception", "Exception", handlers);
}

pub fn schemas(c: &mut Components) {
    component::<codes::ExceptionCode>(c);
    component::<codes::ExceptionCodeInput>(c);
    component::<manifest::CodeManifest>(c);
    component::<manifest::CodeManifestInput>(c);
    component::<handlers::Exception>(c);
    component::<handlers::ExceptionInput>(c);
}
