//! Every route of the API, in one place: method, path as a client writes it (under
//! `/api/v1/`), `basename.action`, who may call it, the handler, and the declared request and
//! answer types. The permission tables, the OpenAPI document, the role-matrix test and the
//! response-shape check of the test suite are all derived from this list
//! (docs/api-design.md#one-source-of-truth). Each area's routes are in a file of its own,
//! added in the order of [`table`].
//!
//! Order matters where paths overlap: a fixed segment (`events/tags/`) comes before `{id}`.
//! `{id}` matches digits only.

use actix_web::http::Method;

use crate::api::routes::RouteTable;
use crate::apps::errorreport::{self, handlers as reports, kind::ErrorReports};
use crate::apps::event::handlers::UuidTable;
use crate::apps::event::{handlers as events, Events, PickSessions, UuidInput};
use crate::apps::exceptions::{codes, handlers as exceptions, manifest, pareto};
use crate::apps::failedingest::handlers as failed;
use crate::apps::harvester::{harvesters, history};
use crate::apps::hdsmigrations::{
    handlers as hdsmigrations, MigrationLog, MigrationQueued, SchemaMigration,
};
use crate::apps::healthcheck;
use crate::apps::json::Fruit;
use crate::apps::location::{locations, Distributor, Location, LocationInput};
use crate::apps::named::{self, Distributors, Fruits, NameInput};
use crate::apps::notifications::{handlers as notifications, Notification};
use crate::apps::s3file::{handlers as s3files, S3File};
use crate::apps::tags::TagNames;
use crate::apps::users::{handlers as users, models, session};
use crate::auth::{Grants, Rule};

const GET: Method = Method::GET;
const POST: Method = Method::POST;
const PUT: Method = Method::PUT;
const PATCH: Method = Method::PATCH;
const DELETE: Method = Method::DELETE;

/// Anyone, signed in or not.
const OPEN: Rule = Rule::Open;
/// Any signed-in user, service accounts included.
const SIGNED_IN: Rule = Rule::Authenticated;
/// The usual read permission: support and above, jenkins, beatbox.
const READ: Rule = Rule::Roles(Grants::SJB);
/// Support and above (human users only).
const SUPPORT: Rule = Rule::Roles(Grants::S);
/// Developer and above.
const DEVELOPER: Rule = Rule::Roles(Grants::D);
/// Manager and above.
const MANAGER: Rule = Rule::Roles(Grants::M);
/// Superusers only.
const SUPERUSER: Rule = Rule::Roles(Grants::A);
/// What forwarders post: superusers and the `sqs` service account.
const INGEST: Rule = Rule::Roles(Grants::A.or(Grants::Q));
/// Support and above, or the `jenkins` service account.
const SUPPORT_OR_CI: Rule = Rule::Roles(Grants::S.or(Grants::J));
/// Who may read a report kind's schema: support and above, jenkins and the `sqs` account.
const SCHEMA_READERS: Rule = Rule::Roles(Grants::S.or(Grants::J).or(Grants::Q));

/// The routes of a report kind (docs/api-design.md#report-kinds): `getschema/`, list (the report
/// filters plus those given), ingest, detail, re-read (PUT/PATCH) and delete.
macro_rules! report_kind {
    ($t:ident, $path:literal, $basename:literal, $kind:ty, $detail:ty, $what:literal, [$($filters:expr),*]) => {{
        use crate::reports::{handlers as ingest, views};
        $t.add(GET, concat!($path, "getschema/"), concat!($basename, ".get_schema"), SCHEMA_READERS, views::get_schema::<$kind>)
            .summary(concat!("The JSON Schema ", $what, " are checked against"))
            .free_form();
        $t.add(GET, $path, concat!($basename, ".list"), READ, views::list::<$kind>)
            .filters(views::REPORT_FILTERS)
            $(.filters($filters))*
            .orderings(views::ORDERINGS)
            .summary(concat!($what, ", newest first"))
            .page::<$detail>();
        $t.add(POST, $path, concat!($basename, ".create"), INGEST, ingest::create::<$kind>)
            .summary(concat!("Ingest one of the ", $what, ". Idempotent: the same report (uuid or content, timestamp, harvester) returns the existing row"))
            .large_body()
            .ingested::<$detail>();
        $t.add(GET, concat!($path, "{id}/"), concat!($basename, ".retrieve"), READ, views::retrieve::<$kind>)
            .object::<$detail>();
        $t.add(PUT, concat!($path, "{id}/"), concat!($basename, ".update"), SUPERUSER, ingest::update::<$kind>)
            .summary("Re-read a corrected report body")
            .large_body()
            .object::<$detail>();
        $t.add(PATCH, concat!($path, "{id}/"), concat!($basename, ".partial_update"), SUPERUSER, ingest::update::<$kind>)
            .summary("Re-read a corrected report body")
            .large_body()
            .object::<$detail>();
        $t.add(DELETE, concat!($path, "{id}/"), concat!($basename, ".destroy"), SUPERUSER, views::destroy::<$kind>)
            .no_content();
    }};
}

// After the macro, so that the parts can use it.
mod events_and_exceptions;
mod files_and_notifications;
mod fleet;
mod jobs;
mod logs;
mod releases;
mod report_routes;
mod service_and_users;

pub fn table() -> RouteTable {
    let mut t = RouteTable::default();
    service_and_users::add(&mut t);
    fleet::add(&mut t);
    events_and_exceptions::add(&mut t);
    report_routes::add(&mut t);
    releases::add(&mut t);
    jobs::add(&mut t);
    files_and_notifications::add(&mut t);
    logs::add(&mut t);
    t
}
