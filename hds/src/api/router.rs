//! Every route of the API, in one place: method, path as a client writes it (under
//! `/api/v1/`), `basename.action`, who may call it, the handler, and the declared request and
//! answer types. The permission tables, the OpenAPI document, the role-matrix test and the
//! response-shape check of the test suite are all derived from this list
//! (docs/api-design.md#one-source-of-truth).
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

pub fn table() -> RouteTable {
    let mut t = RouteTable::default();

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

    // ── distributors and locations ───────────────────────────────────────────────────────
    t.add(
        GET,
        "distributors/",
        "distributor.list",
        READ,
        named::list::<Distributors>,
    )
    .filters(named::FILTERS)
    .orderings(named::ORDERINGS)
    .page::<Distributor>();
    t.add(
        POST,
        "distributors/",
        "distributor.create",
        DEVELOPER,
        named::create::<Distributors>,
    )
    .input::<NameInput>()
    .object::<Distributor>();
    t.add(
        GET,
        "distributors/{id}/",
        "distributor.retrieve",
        READ,
        named::retrieve::<Distributors>,
    )
    .object::<Distributor>();
    t.add(
        PUT,
        "distributors/{id}/",
        "distributor.update",
        DEVELOPER,
        named::update::<Distributors>,
    )
    .input::<NameInput>()
    .object::<Distributor>();
    t.add(
        PATCH,
        "distributors/{id}/",
        "distributor.partial_update",
        SUPERUSER,
        named::update::<Distributors>,
    )
    .input::<NameInput>()
    .object::<Distributor>();
    t.add(
        DELETE,
        "distributors/{id}/",
        "distributor.destroy",
        MANAGER,
        named::destroy::<Distributors>,
    )
    .no_content();
    t.add(GET, "locations/", "location.list", READ, locations::list)
        .filters(locations::FILTERS)
        .orderings(locations::ORDERINGS)
        .summary("Locations; filter `ranch`")
        .page::<Location>();
    t.add(
        POST,
        "locations/",
        "location.create",
        DEVELOPER,
        locations::create,
    )
    .input::<LocationInput>()
    .object::<Location>();
    t.add(
        GET,
        "locations/{id}/",
        "location.retrieve",
        READ,
        locations::retrieve,
    )
    .object::<Location>();
    t.add(
        PUT,
        "locations/{id}/",
        "location.update",
        DEVELOPER,
        locations::update,
    )
    .input::<LocationInput>()
    .object::<Location>();
    t.add(
        PATCH,
        "locations/{id}/",
        "location.partial_update",
        SUPERUSER,
        locations::update,
    )
    .input::<LocationInput>()
    .object::<Location>();
    t.add(
        DELETE,
        "locations/{id}/",
        "location.destroy",
        MANAGER,
        locations::destroy,
    )
    .no_content();

    // ── fruits, harvesters and their history (D8: PUT and PATCH need developer) ──────────
    t.add(GET, "fruits/", "fruit.list", READ, named::list::<Fruits>)
        .filters(named::FILTERS)
        .orderings(named::ORDERINGS)
        .page::<Fruit>();
    t.add(
        POST,
        "fruits/",
        "fruit.create",
        DEVELOPER,
        named::create::<Fruits>,
    )
    .input::<NameInput>()
    .object::<Fruit>();
    t.add(
        GET,
        "fruits/{id}/",
        "fruit.retrieve",
        READ,
        named::retrieve::<Fruits>,
    )
    .object::<Fruit>();
    t.add(
        PUT,
        "fruits/{id}/",
        "fruit.update",
        DEVELOPER,
        named::update::<Fruits>,
    )
    .input::<NameInput>()
    .object::<Fruit>();
    t.add(
        PATCH,
        "fruits/{id}/",
        "fruit.partial_update",
        SUPERUSER,
        named::update::<Fruits>,
    )
    .input::<NameInput>()
    .object::<Fruit>();
    t.add(
        DELETE,
        "fruits/{id}/",
        "fruit.destroy",
        MANAGER,
        named::destroy::<Fruits>,
    )
    .no_content();
    t.add(GET, "harvesters/", "harvester.list", READ, harvesters::list)
        .filters(harvesters::FILTERS)
        .orderings(harvesters::ORDERINGS)
        .summary("Harvesters. Filters: harv_id, fruit, location, is_emulator, name")
        .page::<harvesters::Harvester>();
    t.add(
        POST,
        "harvesters/",
        "harvester.create",
        DEVELOPER,
        harvesters::create,
    )
    .input::<harvesters::HarvesterInput>()
    .object::<harvesters::Harvester>();
    t.add(
        GET,
        "harvesters/{id}/",
        "harvester.retrieve",
        READ,
        harvesters::retrieve,
    )
    .object::<harvesters::Harvester>();
    t.add(
        PUT,
        "harvesters/{id}/",
        "harvester.update",
        DEVELOPER,
        harvesters::update,
    )
    .input::<harvesters::HarvesterInput>()
    .object::<harvesters::Harvester>();
    t.add(
        PATCH,
        "harvesters/{id}/",
        "harvester.partial_update",
        DEVELOPER,
        harvesters::update,
    )
    .input::<harvesters::HarvesterInput>()
    .object::<harvesters::Harvester>();
    t.add(
        DELETE,
        "harvesters/{id}/",
        "harvester.destroy",
        DEVELOPER,
        harvesters::destroy,
    )
    .no_content();
    t.add(
        GET,
        "harvesters/{id}/versions/",
        "harvester.version_history",
        SUPPORT,
        harvesters::versions,
    )
    .summary("Version reports of this harvester (paginated), newest first")
    .page::<crate::apps::harvdeploy::VersionReport>();
    t.add(
        GET,
        "harvesters/{id}/assets/",
        "harvester.get_assets",
        SUPPORT,
        harvesters::assets,
    )
    .summary("Physical assets currently on this harvester")
    .list::<crate::apps::harvassets::Asset>();
    t.add(
        GET,
        "harvesters/{id}/config/",
        "harvester.latest_config",
        SUPPORT,
        harvesters::config,
    )
    .summary("The latest configuration report of this harvester (400 when it has none)")
    .object::<crate::apps::aftconfigs::ConfigReport>();
    t.add(
        GET,
        "harvesterhistory/",
        "historicalharvester.list",
        READ,
        history::list,
    )
    .filters(history::FILTERS)
    .orderings(history::ORDERINGS)
    .summary("Every create/update/delete of a harvester, newest first; filter `harv_id`")
    .page::<history::HarvesterHistory>();
    t.add(
        GET,
        "harvesterhistory/{id}/",
        "historicalharvester.retrieve",
        READ,
        history::retrieve,
    )
    .object::<history::HarvesterHistory>();
    t.add(
        PUT,
        "harvesterhistory/{id}/",
        "historicalharvester.update",
        SUPERUSER,
        history::update,
    )
    .summary("Set the reason of a recorded change")
    .input::<history::HistoryInput>()
    .object::<history::HarvesterHistory>();
    t.add(
        PATCH,
        "harvesterhistory/{id}/",
        "historicalharvester.partial_update",
        SUPERUSER,
        history::update,
    )
    .summary("Set the reason of a recorded change")
    .input::<history::HistoryInput>()
    .object::<history::HarvesterHistory>();
    t.add(
        DELETE,
        "harvesterhistory/{id}/",
        "historicalharvester.destroy",
        SUPERUSER,
        history::destroy,
    )
    .no_content();

    // ── events and pick sessions ─────────────────────────────────────────────────────────
    t.add(
        GET,
        "events/tags/",
        "event.get_tags",
        SUPPORT_OR_CI,
        events::event_tags,
    )
    .summary("Every tag used on events")
    .object::<TagNames>();
    t.add(GET, "events/", "event.list", READ, events::list::<Events>)
        .filters(<Events as UuidTable>::FILTERS)
        .orderings(<Events as UuidTable>::ORDERINGS)
        .summary("Events, newest first. Filters: UUID/uuid, tags, created_after/before")
        .page::<crate::apps::event::json::Event>();
    t.add(
        POST,
        "events/",
        "event.create",
        SUPERUSER,
        events::create::<Events>,
    )
    .input::<UuidInput>()
    .object::<crate::apps::event::json::Event>();
    t.add(
        GET,
        "events/{id}/",
        "event.retrieve",
        READ,
        events::retrieve::<Events>,
    )
    .object::<crate::apps::event::json::Event>();
    t.add(
        PUT,
        "events/{id}/",
        "event.update",
        SUPERUSER,
        events::update::<Events>,
    )
    .input::<UuidInput>()
    .object::<crate::apps::event::json::Event>();
    t.add(
        PATCH,
        "events/{id}/",
        "event.partial_update",
        SUPERUSER,
        events::update::<Events>,
    )
    .input::<UuidInput>()
    .object::<crate::apps::event::json::Event>();
    t.add(
        DELETE,
        "events/{id}/",
        "event.destroy",
        SUPERUSER,
        events::destroy::<Events>,
    )
    .no_content();
    t.add(
        GET,
        "picksessions/tags/",
        "picksession.get_tags",
        SUPPORT_OR_CI,
        events::picksession_tags,
    )
    .summary("Every tag used on pick sessions")
    .object::<TagNames>();
    t.add(GET, "picksessions/", "picksession.list", READ, events::list::<PickSessions>)
        .filters(<PickSessions as UuidTable>::FILTERS)
        .orderings(<PickSessions as UuidTable>::ORDERINGS)
        .summary("Pick sessions, newest first. Filters: UUID/uuid, tags, harv_ids, locations, start_time/end_time, created_after/before")
        .page::<crate::apps::event::json::PickSession>();
    t.add(
        POST,
        "picksessions/",
        "picksession.create",
        SUPERUSER,
        events::create::<PickSessions>,
    )
    .input::<UuidInput>()
    .object::<crate::apps::event::json::PickSession>();
    t.add(
        GET,
        "picksessions/{id}/",
        "picksession.retrieve",
        READ,
        events::retrieve::<PickSessions>,
    )
    .object::<crate::apps::event::json::PickSession>();
    t.add(
        PUT,
        "picksessions/{id}/",
        "picksession.update",
        SUPERUSER,
        events::update::<PickSessions>,
    )
    .input::<UuidInput>()
    .object::<crate::apps::event::json::PickSession>();
    t.add(
        PATCH,
        "picksessions/{id}/",
        "picksession.partial_update",
        SUPERUSER,
        events::update::<PickSessions>,
    )
    .input::<UuidInput>()
    .object::<crate::apps::event::json::PickSession>();
    t.add(
        DELETE,
        "picksessions/{id}/",
        "picksession.destroy",
        SUPERUSER,
        events::destroy::<PickSessions>,
    )
    .no_content();

    // ── exception codes, manifests, exceptions ───────────────────────────────────────────
    t.add(
        GET,
        "exceptioncodes/",
        "exceptioncode.list",
        READ,
        codes::list,
    )
    .filters(codes::FILTERS)
    .orderings(codes::ORDERINGS)
    .page::<codes::ExceptionCode>();
    t.add(
        POST,
        "exceptioncodes/",
        "exceptioncode.create",
        SUPERUSER,
        codes::create,
    )
    .input::<codes::ExceptionCodeInput>()
    .object::<codes::ExceptionCode>();
    t.add(
        GET,
        "exceptioncodes/{id}/",
        "exceptioncode.retrieve",
        READ,
        codes::retrieve,
    )
    .object::<codes::ExceptionCode>();
    t.add(
        PUT,
        "exceptioncodes/{id}/",
        "exceptioncode.update",
        SUPERUSER,
        codes::update,
    )
    .input::<codes::ExceptionCodeInput>()
    .object::<codes::ExceptionCode>();
    t.add(
        PATCH,
        "exceptioncodes/{id}/",
        "exceptioncode.partial_update",
        SUPERUSER,
        codes::update,
    )
    .input::<codes::ExceptionCodeInput>()
    .object::<codes::ExceptionCode>();
    t.add(
        DELETE,
        "exceptioncodes/{id}/",
        "exceptioncode.destroy",
        SUPERUSER,
        codes::destroy,
    )
    .no_content();
    t.add(
        GET,
        "exceptioncodemanifests/",
        "codemanifest.list",
        READ,
        manifest::list,
    )
    .filters(manifest::FILTERS)
    .orderings(manifest::ORDERINGS)
    .page::<manifest::CodeManifest>();
    t.add(POST, "exceptioncodemanifests/", "codemanifest.create", Rule::Roles(Grants::A.or(Grants::J)), manifest::create)
        .summary("Posted by CI: the exception codes of a release; new codes are created, changed ones updated")
        .input::<manifest::CodeManifestInput>()
        .object::<manifest::CodeManifest>();
    t.add(
        GET,
        "exceptioncodemanifests/{id}/",
        "codemanifest.retrieve",
        READ,
        manifest::retrieve,
    )
    .object::<manifest::CodeManifest>();
    t.add(
        PUT,
        "exceptioncodemanifests/{id}/",
        "codemanifest.update",
        SUPERUSER,
        manifest::update,
    )
    .input::<manifest::CodeManifestInput>()
    .object::<manifest::CodeManifest>();
    t.add(
        PATCH,
        "exceptioncodemanifests/{id}/",
        "codemanifest.partial_update",
        SUPERUSER,
        manifest::update,
    )
    .input::<manifest::CodeManifestInput>()
    .object::<manifest::CodeManifest>();
    t.add(
        DELETE,
        "exceptioncodemanifests/{id}/",
        "codemanifest.destroy",
        SUPERUSER,
        manifest::destroy,
    )
    .no_content();
    t.add(GET, "exceptions/pareto/", "exception.pareto", SUPPORT, pareto::pareto)
        .filters(exceptions::FILTERS)
        .filters(pareto::GROUPING)
        .summary("Counts of the filtered exceptions grouped by `aggregate_query` (default `code__code`), largest first; `aggregate_name` renames the `value` key")
        .list::<pareto::ParetoBar>();
    t.add(GET, "exceptions/", "exception.list", READ, exceptions::list)
        .filters(exceptions::FILTERS)
        .orderings(exceptions::ORDERINGS)
        .page::<exceptions::Exception>();
    t.add(
        POST,
        "exceptions/",
        "exception.create",
        SUPERUSER,
        exceptions::create,
    )
    .input::<exceptions::ExceptionInput>()
    .object::<exceptions::Exception>();
    t.add(
        GET,
        "exceptions/{id}/",
        "exception.retrieve",
        READ,
        exceptions::retrieve,
    )
    .object::<exceptions::Exception>();
    t.add(
        PUT,
        "exceptions/{id}/",
        "exception.update",
        SUPERUSER,
        exceptions::update,
    )
    .input::<exceptions::ExceptionInput>()
    .object::<exceptions::Exception>();
    t.add(
        PATCH,
        "exceptions/{id}/",
        "exception.partial_update",
        SUPERUSER,
        exceptions::update,
    )
    .input::<exceptions::ExceptionInput>()
    .object::<exceptions::Exception>();
    t.add(
        DELETE,
        "exceptions/{id}/",
        "exception.destroy",
        SUPERUSER,
        exceptions::destroy,
    )
    .no_content();

    // ── error reports ────────────────────────────────────────────────────────────────────
    t.add(
        GET,
        "errorreports/getschema/",
        "errorreport.get_schema",
        Rule::Roles(Grants::S.or(Grants::J).or(Grants::Q)),
        reports::get_schema,
    )
    .summary("The JSON Schema error reports are checked against")
    .free_form();
    t.add(POST, "errorreports/createnotification/", "errorreport.create_notification", DEVELOPER, reports::create_notification)
        .summary("Notify `recipients` about future reports matching this request's filters (harv_ids, locations, fruits, codes, traceback, is_emulator, handled, primary)")
        .input::<reports::CreateNotificationInput>()
        .object::<Notification>();
    t.add(
        GET,
        "errorreports/ingested/",
        "errorreport.ingested",
        INGEST,
        reports::ingested,
    )
    .summary(
        "Whether a report was read from the S3 object `object` (`bucket/key@etag`); for forwarders",
    )
    .object::<reports::IngestedLookup>();
    t.add(GET, "errorreports/", "errorreport.list", READ, reports::list)
        .filters(reports::FILTERS)
        .orderings(reports::ORDERINGS)
        .summary("Error reports, newest first. Filters: harv_ids, locations, fruits, codes, primary, handled, traceback, is_emulator, tags, start_time/end_time (+tz), created_after/before, uuid, generic (JSON paths into the report)")
        .page::<errorreport::ErrorReportListItem>();
    t.add(POST, "errorreports/", "errorreport.create", INGEST, crate::reports::handlers::create::<ErrorReports>)
        .summary("Ingest an error report. Idempotent: the same report (uuid, type, timestamp, harvester) returns the existing row")
        .large_body()
        .object::<errorreport::ErrorReport>();
    t.add(
        GET,
        "errorreports/{id}/",
        "errorreport.retrieve",
        READ,
        reports::retrieve,
    )
    .object::<errorreport::ErrorReport>();
    t.add(
        PUT,
        "errorreports/{id}/",
        "errorreport.update",
        SUPERUSER,
        crate::reports::handlers::update::<ErrorReports>,
    )
    .large_body()
    .object::<errorreport::ErrorReport>();
    t.add(
        PATCH,
        "errorreports/{id}/",
        "errorreport.partial_update",
        SUPERUSER,
        crate::reports::handlers::update::<ErrorReports>,
    )
    .large_body()
    .object::<errorreport::ErrorReport>();
    t.add(
        DELETE,
        "errorreports/{id}/",
        "errorreport.destroy",
        SUPERUSER,
        reports::destroy,
    )
    .no_content();

    // ── releases ─────────────────────────────────────────────────────────────────────────
    {
        use crate::apps::harvdeploy::{releases, Release};
        const CI: Rule = Rule::Roles(Grants::A.or(Grants::J));
        t.add(
            GET,
            "release/tags/",
            "harvcoderelease.tags_view",
            SUPPORT,
            releases::tags_view,
        )
        .summary("Every tag used on a release")
        .object::<TagNames>();
        t.add(GET, "release/", "harvcoderelease.list", READ, releases::list)
            .filters(releases::FILTERS)
            .orderings(releases::ORDERINGS)
            .summary("Code releases, newest first. Filters: fruit (name), tags (all of them), created_after/before")
            .page::<Release>();
        t.add(POST, "release/", "harvcoderelease.create", CI, releases::create)
            .summary("Record a release from its manifest (CI): `version`, `project` (the fruit), optional `tags`; the rest is kept as `release`. A second release of a version for a fruit is a 400")
            .object::<Release>();
        t.add(
            GET,
            "release/{id}/",
            "harvcoderelease.retrieve",
            READ,
            releases::retrieve,
        )
        .object::<Release>();
        t.add(
            PUT,
            "release/{id}/",
            "harvcoderelease.update",
            DEVELOPER,
            releases::update,
        )
        .summary("Replace a release from a corrected manifest")
        .object::<Release>();
        t.add(
            PATCH,
            "release/{id}/",
            "harvcoderelease.partial_update",
            SUPERUSER,
            releases::update,
        )
        .summary("Replace a release from a corrected manifest")
        .object::<Release>();
        t.add(
            DELETE,
            "release/{id}/",
            "harvcoderelease.destroy",
            MANAGER,
            releases::destroy,
        )
        .no_content();
        t.add(
            POST,
            "release/{id}/update_tags/",
            "harvcoderelease.update_tags",
            DEVELOPER,
            releases::update_tags,
        )
        .summary("Replace the release's tags (saved: D5)")
        .input::<releases::TagsInput>()
        .object::<Release>();
        t.add(
            PATCH,
            "release/{id}/update_tags/",
            "harvcoderelease.update_tags",
            DEVELOPER,
            releases::update_tags,
        )
        .summary("Replace the release's tags (saved: D5)")
        .input::<releases::TagsInput>()
        .object::<Release>();
        t.add(
            GET,
            "release/{id}/harvesters/",
            "harvcoderelease.harvester_view",
            SUPPORT,
            releases::harvesters,
        )
        .summary("Harvesters set to run this release")
        .page::<crate::apps::harvester::harvesters::Harvester>();
    }

    // ── the other report kinds ───────────────────────────────────────────────────────────
    {
        use crate::apps::aftconfigs::{kind::ConfigReports, ConfigReport};
        use crate::apps::autodiagnostics::{kind::Autodiagnostics, AutodiagnosticsReport};
        use crate::apps::gripreport::{kind::GripReports, GripReport};
        use crate::apps::harvassets::{kind::AssetReports, AssetReport};
        use crate::apps::harvdeploy::{kind::VersionReports, VersionReport};
        use crate::apps::harvjobs::{kind::JobResultsKind, JobResults};
        use crate::reports::views::{EVENT_FILTERS, EXACT_FILTERS};
        report_kind!(
            t,
            "harvversion/",
            "harvcodeversion",
            VersionReports,
            VersionReport,
            "Version reports",
            [crate::apps::harvdeploy::kind::FILTERS]
        );
        report_kind!(
            t,
            "jobresults/",
            "jobresults",
            JobResultsKind,
            JobResults,
            "Job results",
            [EVENT_FILTERS]
        );
        report_kind!(
            t,
            "autodiagnostics/",
            "autodiagnostics",
            Autodiagnostics,
            AutodiagnosticsReport,
            "Autodiagnostics reports",
            [EVENT_FILTERS, crate::apps::autodiagnostics::kind::FILTERS]
        );
        report_kind!(
            t,
            "gripreports/",
            "gripreports",
            GripReports,
            GripReport,
            "Grip reports",
            [EVENT_FILTERS, EXACT_FILTERS]
        );
        report_kind!(
            t,
            "aftconfigs/",
            "configreports",
            ConfigReports,
            ConfigReport,
            "Configuration reports",
            [EVENT_FILTERS, EXACT_FILTERS]
        );
        report_kind!(
            t,
            "harvassetreport/",
            "harvassetreport",
            AssetReports,
            AssetReport,
            "Asset reports",
            [EVENT_FILTERS]
        );
    }
    {
        use crate::apps::autodiagnostics::{runs, AutodiagnosticsRun};
        t.add(
            GET,
            "autodiagnosticsruns/",
            "autodiagnosticsrun.list",
            READ,
            runs::list,
        )
        .filters(runs::FILTERS)
        .orderings(runs::ORDERINGS)
        .summary("Gripper self-test runs extracted from autodiagnostics reports")
        .page::<AutodiagnosticsRun>();
        t.add(
            GET,
            "autodiagnosticsruns/{id}/",
            "autodiagnosticsrun.retrieve",
            READ,
            runs::retrieve,
        )
        .object::<AutodiagnosticsRun>();
        t.add(
            DELETE,
            "autodiagnosticsruns/{id}/",
            "autodiagnosticsrun.destroy",
            SUPERUSER,
            runs::destroy,
        )
        .no_content();
    }
    {
        use crate::apps::harvassets::{assets, Asset};
        t.add(GET, "harvassets/", "harvassets.list", READ, assets::list)
            .filters(assets::FILTERS)
            .orderings(assets::ORDERINGS)
            .summary("Physical assets and the harvester each is on")
            .page::<Asset>();
        t.add(
            GET,
            "harvassets/{id}/",
            "harvassets.retrieve",
            READ,
            assets::retrieve,
        )
        .object::<Asset>();
        t.add(
            GET,
            "harvassets/{id}/history/",
            "harvassets.history",
            READ,
            assets::history,
        )
        .summary("Every state the asset was in (harvester, index, version), newest first")
        .page::<assets::AssetState>();
        t.add(
            PUT,
            "harvassets/{id}/",
            "harvassets.update",
            SUPERUSER,
            assets::update,
        )
        .summary("Correct an asset (the fields given change)")
        .input::<assets::AssetInput>()
        .object::<Asset>();
        t.add(
            PATCH,
            "harvassets/{id}/",
            "harvassets.partial_update",
            SUPERUSER,
            assets::update,
        )
        .summary("Correct an asset (the fields given change)")
        .input::<assets::AssetInput>()
        .object::<Asset>();
        t.add(
            DELETE,
            "harvassets/{id}/",
            "harvassets.destroy",
            SUPERUSER,
            assets::destroy,
        )
        .no_content();
    }

    // ── notifications ────────────────────────────────────────────────────────────────────
    t.add(
        GET,
        "notifications/",
        "notification.list",
        READ,
        notifications::list,
    )
    .filters(notifications::FILTERS)
    .orderings(notifications::ORDERINGS)
    .summary("Notifications; `category=created` (mine) or `is_recipient` (I am a recipient)")
    .page::<Notification>();
    t.add(
        GET,
        "notifications/{id}/",
        "notification.retrieve",
        READ,
        notifications::retrieve,
    )
    .object::<Notification>();
    t.add(
        DELETE,
        "notifications/{id}/",
        "notification.destroy",
        DEVELOPER,
        notifications::destroy,
    )
    .no_content();

    // ── files announced by S3 events ─────────────────────────────────────────────────────
    t.add(GET, "s3files/", "s3file.list", READ, s3files::list)
        .filters(s3files::FILTERS)
        .orderings(s3files::ORDERINGS)
        .summary("Files; `deleted=true` lists the deleted ones. Filters: key, filetype, tags, uuid, created_after/before")
        .page::<S3File>();
    t.add(POST, "s3files/", "s3file.create", INGEST, s3files::create)
        .summary("Record a file from the raw SQS message of its S3 event (`Body` holds the event). Idempotent per bucket/key/ETag")
        .object::<S3File>();
    t.add(
        GET,
        "s3files/{id}/",
        "s3file.retrieve",
        READ,
        s3files::retrieve,
    )
    .object::<S3File>();
    t.add(
        DELETE,
        "s3files/{id}/",
        "s3file.destroy",
        DEVELOPER,
        s3files::destroy,
    )
    .summary("Soft delete: marks the file deleted and deletes the object")
    .text();
    t.add(GET, "sessclip/", "sessclip.list", READ, s3files::list)
        .filters(s3files::FILTERS)
        .orderings(s3files::ORDERINGS)
        .summary("Session clips; `deleted=true` lists the deleted ones. Filters: key, filetype, tags, uuid, created_after/before")
        .page::<S3File>();
    t.add(POST, "sessclip/", "sessclip.create", INGEST, s3files::create)
        .summary("Record a file from the raw SQS message of its S3 event (`Body` holds the event). Idempotent per bucket/key/ETag")
        .object::<S3File>();
    t.add(
        GET,
        "sessclip/{id}/",
        "sessclip.retrieve",
        READ,
        s3files::retrieve,
    )
    .object::<S3File>();
    t.add(
        DELETE,
        "sessclip/{id}/",
        "sessclip.destroy",
        DEVELOPER,
        s3files::destroy,
    )
    .summary("Soft delete: marks the file deleted and deletes the object")
    .text();

    // ── the failed-ingest log ────────────────────────────────────────────────────────────
    t.add(
        POST,
        "failedingests/redrive/",
        "failedingest.redrive",
        MANAGER,
        failed::redrive_many,
    )
    .summary("Send the stored messages `ids` to their queues again")
    .input::<failed::IdsInput>()
    .object::<failed::RedriveOutcome>();
    t.add(GET, "failedingests/", "failedingest.list", SUPPORT, failed::list)
        .filters(failed::FILTERS)
        .orderings(failed::ORDERINGS)
        .summary("Messages that could not be ingested, newest first. Filters: queue, reason, resolved, since, until")
        .page::<failed::FailedIngest>();
    t.add(
        POST,
        "failedingests/",
        "failedingest.create",
        INGEST,
        failed::create,
    )
    .summary("Record a failure (forwarders); the same queue + message id updates the row")
    .input::<failed::FailedIngestInput>()
    .object::<failed::FailedIngest>();
    t.add(
        GET,
        "failedingests/{id}/",
        "failedingest.retrieve",
        SUPPORT,
        failed::retrieve,
    )
    .object::<failed::FailedIngest>();
    t.add(
        POST,
        "failedingests/{id}/redrive/",
        "failedingest.redrive",
        MANAGER,
        failed::redrive_one,
    )
    .summary("Send the stored message to its queue again")
    .object::<failed::FailedIngest>();
    t.add(
        POST,
        "failedingests/{id}/resolve/",
        "failedingest.resolve",
        MANAGER,
        failed::resolve,
    )
    .summary("Mark as handled")
    .object::<failed::FailedIngest>();

    t
}
