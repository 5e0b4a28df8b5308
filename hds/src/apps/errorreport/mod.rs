//! Error reports: ingestion, extraction, filters, notifications from filters (contract §4.3,
//! §5.3; D12, D13, D21, D23).

pub mod batch;
pub mod extract;
pub mod filters;
pub mod handlers;
pub mod harvesters;
pub mod ingest;
pub mod json;
pub mod schema;
pub mod shallow;

use actix_web::http::Method;

use crate::api::openapi::{component, Components};
use crate::api::routes::{ApiBuilder, Doc};
use crate::auth::roles::{perm, Permission};
use crate::auth::{Grants, Rule};

const READ: Rule = Rule::Roles(Grants::SJB);
const ADMIN: Rule = Rule::Roles(Grants::A);

pub const PERMISSIONS: &[Permission] = &[
    perm("errorreport", "list", READ),
    perm("errorreport", "retrieve", READ),
    perm(
        "errorreport",
        "create",
        Rule::Roles(Grants::A.or(Grants::Q)),
    ),
    perm("errorreport", "update", ADMIN),
    perm("errorreport", "partial_update", ADMIN),
    perm("errorreport", "destroy", ADMIN),
    perm(
        "errorreport",
        "get_schema",
        Rule::Roles(Grants::S.or(Grants::J).or(Grants::Q)),
    ),
    perm("errorreport", "create_notification", Rule::Roles(Grants::D)),
    perm(
        "errorreport",
        "ingested",
        Rule::Roles(Grants::A.or(Grants::Q)),
    ),
];

pub fn routes(api: &mut ApiBuilder) {
    let mut r = api.app(PERMISSIONS);
    r.route(
        Method::GET,
        "errorreports/getschema/",
        "errorreport",
        "get_schema",
        handlers::get_schema,
    )
    .summary("The JSON Schema error reports are checked against")
    .doc(Doc::Any);
    r.route(Method::POST, "errorreports/createnotification/", "errorreport", "create_notification", handlers::create_notification)
        .summary("Notify `recipients` about future reports matching this request's filters (harv_ids, locations, fruits, codes, traceback, is_emulator, handled, primary)")
        .request("CreateNotificationInput")
        .doc(Doc::Object("Notification"));
    r.route(
        Method::GET,
        "errorreports/ingested/",
        "errorreport",
        "ingested",
        handlers::ingested,
    )
    .summary(
        "Whether a report was read from the S3 object `object` (`bucket/key@etag`); for forwarders",
    )
    .doc(Doc::Any);
    r.route(Method::GET, "errorreports/", "errorreport", "list", handlers::list)
        .summary("Error reports, newest first. Filters: harv_ids, locations, fruits, codes, primary, handled, traceback, is_emulator, tags, start_time/end_time (+tz), created_after/before, uuid, generic (JSON paths into the report)")
        .doc(Doc::Page("ErrorReportListItem"));
    r.route(Method::POST, "errorreports/", "errorreport", "create", handlers::create)
        .summary("Ingest an error report. Idempotent: the same report (uuid, type, timestamp, harvester) returns the existing row")
        .large_body()
        .doc(Doc::Object("ErrorReport"));
    r.route(
        Method::GET,
        "errorreports/{id}/",
        "errorreport",
        "retrieve",
        handlers::retrieve,
    )
    .doc(Doc::Object("ErrorReport"));
    r.route(
        Method::PUT,
        "errorreports/{id}/",
        "errorreport",
        "update",
        handlers::update,
    )
    .large_body()
    .doc(Doc::Object("ErrorReport"));
    r.route(
        Method::PATCH,
        "errorreports/{id}/",
        "errorreport",
        "partial_update",
        handlers::update,
    )
    .large_body()
    .doc(Doc::Object("ErrorReport"));
    r.route(
        Method::DELETE,
        "errorreports/{id}/",
        "errorreport",
        "destroy",
        handlers::destroy,
    )
    .doc(Doc::NoContent);
}

/// Documentation of the list item.
#[allow(dead_code)]
#[derive(utoipa::ToSchema)]
pub struct ErrorReportListItem {
    id: i64,
    #[schema(rename = "reportTime")]
    report_time: Option<String>,
    harvester: Option<serde_json::Value>,
    location: Option<serde_json::Value>,
    gitbranch: String,
    githash: String,
    /// Event id.
    event: i64,
    exceptions: Vec<serde_json::Value>,
    tags: Vec<String>,
}

/// Documentation of the detail representation.
#[allow(dead_code)]
#[derive(utoipa::ToSchema)]
pub struct ErrorReport {
    id: i64,
    exceptions: Vec<serde_json::Value>,
    tags: Vec<String>,
    #[schema(rename = "reportTime")]
    report_time: Option<String>,
    /// The report as received.
    report: serde_json::Value,
    githash: String,
    gitbranch: String,
    harvester: Option<serde_json::Value>,
    location: Option<serde_json::Value>,
    event: serde_json::Value,
    pick_session: Option<serde_json::Value>,
    /// `pending` until the worker has extracted the exceptions, then `done` (or `failed`).
    extraction_status: String,
}

pub fn schemas(c: &mut Components) {
    component::<ErrorReportListItem>(c);
    component::<ErrorReport>(c);
    component::<handlers::CreateNotificationInput>(c);
}
