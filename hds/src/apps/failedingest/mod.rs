//! The failed-ingest log (beyond the reference): every message a forwarder received but could
//! not ingest, with why; managers redrive or resolve them.

mod handlers;

use actix_web::http::Method;

use crate::api::openapi::{component, Components};
use crate::api::routes::{ApiBuilder, Doc};
use crate::auth::roles::{perm, Permission};
use crate::auth::{Grants, Rule};

pub const PERMISSIONS: &[Permission] = &[
    perm("failedingest", "list", Rule::Roles(Grants::S)),
    perm("failedingest", "retrieve", Rule::Roles(Grants::S)),
    perm(
        "failedingest",
        "create",
        Rule::Roles(Grants::A.or(Grants::Q)),
    ),
    perm("failedingest", "redrive", Rule::Roles(Grants::M)),
    perm("failedingest", "resolve", Rule::Roles(Grants::M)),
];

pub fn routes(api: &mut ApiBuilder) {
    let mut r = api.app(PERMISSIONS);
    r.route(
        Method::POST,
        "failedingests/redrive/",
        "failedingest",
        "redrive",
        handlers::redrive_many,
    )
    .summary("Send the stored messages `ids` to their queues again")
    .request("IdsInput")
    .doc(Doc::Any);
    r.route(Method::GET, "failedingests/", "failedingest", "list", handlers::list)
        .summary("Messages that could not be ingested, newest first. Filters: queue, reason, resolved, since, until")
        .doc(Doc::Page("FailedIngest"));
    r.route(
        Method::POST,
        "failedingests/",
        "failedingest",
        "create",
        handlers::create,
    )
    .summary("Record a failure (forwarders); the same queue + message id updates the row")
    .request("FailedIngestInput")
    .doc(Doc::Object("FailedIngest"));
    r.route(
        Method::GET,
        "failedingests/{id}/",
        "failedingest",
        "retrieve",
        handlers::retrieve,
    )
    .doc(Doc::Object("FailedIngest"));
    r.route(
        Method::POST,
        "failedingests/{id}/redrive/",
        "failedingest",
        "redrive",
        handlers::redrive_one,
    )
    .summary("Send the stored message to its queue again")
    .doc(Doc::Object("FailedIngest"));
    r.route(
        Method::POST,
        "failedingests/{id}/resolve/",
        "failedingest",
        "resolve",
        handlers::resolve,
    )
    .summary("Mark as handled")
    .doc(Doc::Object("FailedIngest"));
}

pub fn schemas(c: &mut Components) {
    component::<handlers::FailedIngest>(c);
    component::<handlers::FailedIngestInput>(c);
    component::<handlers::IdsInput>(c);
}
