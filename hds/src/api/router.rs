//! Every route of the API, in one place: method, path as a client writes it (under
//! `/api/v1/`), `basename.action`, who may call it, the handler, and the declared request and
//! answer types. The permission tables, the OpenAPI document, the role-matrix test and the
//! response-shape check of the test suite are all derived from this list
//! (docs/api-design.md#one-source-of-truth).
//!
//! Order matters where paths overlap: a fixed segment (`events/tags/`) comes before `{id}`.
//! `{id}` matches digits only.

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

pub fn table() -> RouteTable {
    let mut t = RouteTable::default();

    // ── health and docs ──────────────────────────────────────────────────────────────────
    t.get(
        "healthcheck/",
        "healthcheck.check",
        OPEN,
        healthcheck::check,
    )
    .summary("Liveness: `{\"status\":\"online\"}`; staff also see host and database details")
    .raw();
    t.get("openapi", "openapi.schema", OPEN, crate::api::serve_openapi)
        .summary("This document: YAML by default, JSON with `?format=openapi-json`")
        .raw();
    t.get(
        "openapi/",
        "openapi.schema",
        OPEN,
        crate::api::serve_openapi,
    )
    .summary("Same as `openapi`")
    .raw();

    // ── users and sessions (D1: the original left these open) ────────────────────────────
    t.post("users/login/", "user.login", OPEN, session::login)
        .summary(
            "Log in: returns a JWT access token (also as `token`), a refresh token and the user",
        )
        .input::<models::LoginInput>()
        .double::<models::Session>();
    t.post("users/logout/", "user.logout", OPEN, session::logout)
        .summary(
            "Log out: revokes the session of `token` (JWT) or the API token, and/or of `refresh`",
        )
        .input::<models::LogoutInput>()
        .double::<models::Empty>();
    t.get("users/csrf/", "user.csrf", OPEN, session::csrf_get)
        .summary("Compatibility: there are no cookie sessions, so CSRF tokens are not checked")
        .double::<models::CsrfToken>();
    t.post("users/csrf/", "user.csrf", OPEN, session::csrf_post)
        .summary("Compatibility endpoint")
        .double::<models::CsrfResult>();
    t.post(
        "users/token/refresh/",
        "user.token_refresh",
        OPEN,
        session::refresh,
    )
    .summary("Exchange a refresh token for a new access token and a new refresh token (single use)")
    .input::<models::RefreshInput>()
    .object::<models::Session>();
    t.post(
        "users/change/password/",
        "user.change_password",
        SIGNED_IN,
        session::change_password,
    )
    .summary("Change my password; my other sessions are revoked")
    .input::<models::ChangePasswordInput>()
    .double::<models::Empty>();
    t.get("users/me/", "user.me", SIGNED_IN, users::me)
        .summary("The authenticated user")
        .object::<models::User>();
    t.get("users/profiles/", "user.list", SUPPORT, users::list)
        .summary("List users")
        .page::<models::User>();
    t.post("users/profiles/", "user.create", MANAGER, users::create)
        .summary("Create a user and its profile")
        .input::<models::UserCreate>()
        .object::<models::User>();
    t.get(
        "users/profiles/{id}/",
        "user.retrieve",
        Rule::RolesOrSelf(Grants::S),
        users::retrieve,
    )
    .summary("One user (support and above, or yourself)")
    .object::<models::User>();
    t.put(
        "users/profiles/{id}/",
        "user.update",
        Rule::RolesOrSelf(Grants::M),
        users::update,
    )
    .summary("Update a user; only managers change roles and account status")
    .input::<models::UserUpdate>()
    .object::<models::User>();
    t.patch(
        "users/profiles/{id}/",
        "user.partial_update",
        Rule::RolesOrSelf(Grants::M),
        users::update,
    )
    .summary("Partially update a user; only managers change roles and account status")
    .input::<models::UserUpdate>()
    .object::<models::User>();
    t.delete(
        "users/profiles/{id}/",
        "user.destroy",
        MANAGER,
        users::destroy,
    )
    .summary("Delete a user")
    .no_content();

    // ── distributors and locations ───────────────────────────────────────────────────────
    t.get(
        "distributors/",
        "distributor.list",
        READ,
        named::list::<Distributors>,
    )
    .filters(named::FILTERS)
    .orderings(named::ORDERINGS)
    .page::<Distributor>();
    t.post(
        "distributors/",
        "distributor.create",
        DEVELOPER,
        named::create::<Distributors>,
    )
    .input::<NameInput>()
    .object::<Distributor>();
    t.get(
        "distributors/{id}/",
        "distributor.retrieve",
        READ,
        named::retrieve::<Distributors>,
    )
    .object::<Distributor>();
    t.put(
        "distributors/{id}/",
        "distributor.update",
        DEVELOPER,
        named::update::<Distributors>,
    )
    .input::<NameInput>()
    .object::<Distributor>();
    t.patch(
        "distributors/{id}/",
        "distributor.partial_update",
        SUPERUSER,
        named::update::<Distributors>,
    )
    .input::<NameInput>()
    .object::<Distributor>();
    t.delete(
        "distributors/{id}/",
        "distributor.destroy",
        MANAGER,
        named::destroy::<Distributors>,
    )
    .no_content();
    t.get("locations/", "location.list", READ, locations::list)
        .filters(locations::FILTERS)
        .orderings(locations::ORDERINGS)
        .summary("Locations; filter `ranch`")
        .page::<Location>();
    t.post(
        "locations/",
        "location.create",
        DEVELOPER,
        locations::create,
    )
    .input::<LocationInput>()
    .object::<Location>();
    t.get(
        "locations/{id}/",
        "location.retrieve",
        READ,
        locations::retrieve,
    )
    .object::<Location>();
    t.put(
        "locations/{id}/",
        "location.update",
        DEVELOPER,
        locations::update,
    )
    .input::<LocationInput>()
    .object::<Location>();
    t.patch(
        "locations/{id}/",
        "location.partial_update",
        SUPERUSER,
        locations::update,
    )
    .input::<LocationInput>()
    .object::<Location>();
    t.delete(
        "locations/{id}/",
        "location.destroy",
        MANAGER,
        locations::destroy,
    )
    .no_content();

    // ── fruits, harvesters and their history (D8: PUT and PATCH need developer) ──────────
    t.get("fruits/", "fruit.list", READ, named::list::<Fruits>)
        .filters(named::FILTERS)
        .orderings(named::ORDERINGS)
        .page::<Fruit>();
    t.post(
        "fruits/",
        "fruit.create",
        DEVELOPER,
        named::create::<Fruits>,
    )
    .input::<NameInput>()
    .object::<Fruit>();
    t.get(
        "fruits/{id}/",
        "fruit.retrieve",
        READ,
        named::retrieve::<Fruits>,
    )
    .object::<Fruit>();
    t.put(
        "fruits/{id}/",
        "fruit.update",
        DEVELOPER,
        named::update::<Fruits>,
    )
    .input::<NameInput>()
    .object::<Fruit>();
    t.patch(
        "fruits/{id}/",
        "fruit.partial_update",
        SUPERUSER,
        named::update::<Fruits>,
    )
    .input::<NameInput>()
    .object::<Fruit>();
    t.delete(
        "fruits/{id}/",
        "fruit.destroy",
        MANAGER,
        named::destroy::<Fruits>,
    )
    .no_content();
    t.get("harvesters/", "harvester.list", READ, harvesters::list)
        .filters(harvesters::FILTERS)
        .orderings(harvesters::ORDERINGS)
        .summary("Harvesters. Filters: harv_id, fruit, location, is_emulator, name")
        .page::<harvesters::Harvester>();
    t.post(
        "harvesters/",
        "harvester.create",
        DEVELOPER,
        harvesters::create,
    )
    .input::<harvesters::HarvesterInput>()
    .object::<harvesters::Harvester>();
    t.get(
        "harvesters/{id}/",
        "harvester.retrieve",
        READ,
        harvesters::retrieve,
    )
    .object::<harvesters::Harvester>();
    t.put(
        "harvesters/{id}/",
        "harvester.update",
        DEVELOPER,
        harvesters::update,
    )
    .input::<harvesters::HarvesterInput>()
    .object::<harvesters::Harvester>();
    t.patch(
        "harvesters/{id}/",
        "harvester.partial_update",
        DEVELOPER,
        harvesters::update,
    )
    .input::<harvesters::HarvesterInput>()
    .object::<harvesters::Harvester>();
    t.delete(
        "harvesters/{id}/",
        "harvester.destroy",
        DEVELOPER,
        harvesters::destroy,
    )
    .no_content();
    t.get(
        "harvesters/{id}/versions/",
        "harvester.version_history",
        SUPPORT,
        harvesters::versions,
    )
    .summary("Version reports of this harvester (paginated)")
    .page_free_form();
    t.get(
        "harvesters/{id}/assets/",
        "harvester.get_assets",
        SUPPORT,
        harvesters::assets,
    )
    .summary("Physical assets currently on this harvester")
    .list_free_form();
    t.get(
        "harvesters/{id}/config/",
        "harvester.latest_config",
        SUPPORT,
        harvesters::config,
    )
    .summary("The latest configuration report of this harvester")
    .free_form();
    t.get(
        "harvesterhistory/",
        "historicalharvester.list",
        READ,
        history::list,
    )
    .filters(history::FILTERS)
    .orderings(history::ORDERINGS)
    .summary("Every create/update/delete of a harvester, newest first; filter `harv_id`")
    .page::<history::HarvesterHistory>();
    t.get(
        "harvesterhistory/{id}/",
        "historicalharvester.retrieve",
        READ,
        history::retrieve,
    )
    .object::<history::HarvesterHistory>();

    // ── events and pick sessions ─────────────────────────────────────────────────────────
    t.get(
        "events/tags/",
        "event.get_tags",
        SUPPORT_OR_CI,
        events::event_tags,
    )
    .summary("Every tag used on events")
    .object::<TagNames>();
    t.get("events/", "event.list", READ, events::list::<Events>)
        .filters(<Events as UuidTable>::FILTERS)
        .orderings(<Events as UuidTable>::ORDERINGS)
        .summary("Events, newest first. Filters: UUID/uuid, tags, created_after/before")
        .page::<crate::apps::event::json::Event>();
    t.post(
        "events/",
        "event.create",
        SUPERUSER,
        events::create::<Events>,
    )
    .input::<UuidInput>()
    .object::<crate::apps::event::json::Event>();
    t.get(
        "events/{id}/",
        "event.retrieve",
        READ,
        events::retrieve::<Events>,
    )
    .object::<crate::apps::event::json::Event>();
    t.put(
        "events/{id}/",
        "event.update",
        SUPERUSER,
        events::update::<Events>,
    )
    .input::<UuidInput>()
    .object::<crate::apps::event::json::Event>();
    t.patch(
        "events/{id}/",
        "event.partial_update",
        SUPERUSER,
        events::update::<Events>,
    )
    .input::<UuidInput>()
    .object::<crate::apps::event::json::Event>();
    t.delete(
        "events/{id}/",
        "event.destroy",
        SUPERUSER,
        events::destroy::<Events>,
    )
    .no_content();
    t.get(
        "picksessions/tags/",
        "picksession.get_tags",
        SUPPORT_OR_CI,
        events::picksession_tags,
    )
    .summary("Every tag used on pick sessions")
    .object::<TagNames>();
    t.get("picksessions/", "picksession.list", READ, events::list::<PickSessions>)
        .filters(<PickSessions as UuidTable>::FILTERS)
        .orderings(<PickSessions as UuidTable>::ORDERINGS)
        .summary("Pick sessions, newest first. Filters: UUID/uuid, tags, harv_ids, locations, start_time/end_time, created_after/before")
        .page::<crate::apps::event::json::PickSession>();
    t.post(
        "picksessions/",
        "picksession.create",
        SUPERUSER,
        events::create::<PickSessions>,
    )
    .input::<UuidInput>()
    .object::<crate::apps::event::json::PickSession>();
    t.get(
        "picksessions/{id}/",
        "picksession.retrieve",
        READ,
        events::retrieve::<PickSessions>,
    )
    .object::<crate::apps::event::json::PickSession>();
    t.put(
        "picksessions/{id}/",
        "picksession.update",
        SUPERUSER,
        events::update::<PickSessions>,
    )
    .input::<UuidInput>()
    .object::<crate::apps::event::json::PickSession>();
    t.patch(
        "picksessions/{id}/",
        "picksession.partial_update",
        SUPERUSER,
        events::update::<PickSessions>,
    )
    .input::<UuidInput>()
    .object::<crate::apps::event::json::PickSession>();
    t.delete(
        "picksessions/{id}/",
        "picksession.destroy",
        SUPERUSER,
        events::destroy::<PickSessions>,
    )
    .no_content();

    // ── exception codes, manifests, exceptions ───────────────────────────────────────────
    t.get("exceptioncodes/", "exceptioncode.list", READ, codes::list)
        .filters(codes::FILTERS)
        .orderings(codes::ORDERINGS)
        .page::<codes::ExceptionCode>();
    t.post(
        "exceptioncodes/",
        "exceptioncode.create",
        SUPERUSER,
        codes::create,
    )
    .input::<codes::ExceptionCodeInput>()
    .object::<codes::ExceptionCode>();
    t.get(
        "exceptioncodes/{id}/",
        "exceptioncode.retrieve",
        READ,
        codes::retrieve,
    )
    .object::<codes::ExceptionCode>();
    t.put(
        "exceptioncodes/{id}/",
        "exceptioncode.update",
        SUPERUSER,
        codes::update,
    )
    .input::<codes::ExceptionCodeInput>()
    .object::<codes::ExceptionCode>();
    t.patch(
        "exceptioncodes/{id}/",
        "exceptioncode.partial_update",
        SUPERUSER,
        codes::update,
    )
    .input::<codes::ExceptionCodeInput>()
    .object::<codes::ExceptionCode>();
    t.delete(
        "exceptioncodes/{id}/",
        "exceptioncode.destroy",
        SUPERUSER,
        codes::destroy,
    )
    .no_content();
    t.get(
        "exceptioncodemanifests/",
        "codemanifest.list",
        READ,
        manifest::list,
    )
    .filters(manifest::FILTERS)
    .orderings(manifest::ORDERINGS)
    .page::<manifest::CodeManifest>();
    t.post("exceptioncodemanifests/", "codemanifest.create", Rule::Roles(Grants::A.or(Grants::J)), manifest::create)
        .summary("Posted by CI: the exception codes of a release; new codes are created, changed ones updated")
        .input::<manifest::CodeManifestInput>()
        .object::<manifest::CodeManifest>();
    t.get(
        "exceptioncodemanifests/{id}/",
        "codemanifest.retrieve",
        READ,
        manifest::retrieve,
    )
    .object::<manifest::CodeManifest>();
    t.put(
        "exceptioncodemanifests/{id}/",
        "codemanifest.update",
        SUPERUSER,
        manifest::update,
    )
    .input::<manifest::CodeManifestInput>()
    .object::<manifest::CodeManifest>();
    t.patch(
        "exceptioncodemanifests/{id}/",
        "codemanifest.partial_update",
        SUPERUSER,
        manifest::update,
    )
    .input::<manifest::CodeManifestInput>()
    .object::<manifest::CodeManifest>();
    t.delete(
        "exceptioncodemanifests/{id}/",
        "codemanifest.destroy",
        SUPERUSER,
        manifest::destroy,
    )
    .no_content();
    t.get("exceptions/pareto/", "exception.pareto", SUPPORT, pareto::pareto)
        .filters(exceptions::PARETO_FILTERS)
        .summary("Counts of the filtered exceptions grouped by `aggregate_query` (default `code__code`), largest first; `aggregate_name` renames the `value` key")
        .list::<pareto::ParetoBar>();
    t.get("exceptions/", "exception.list", READ, exceptions::list)
        .filters(exceptions::FILTERS)
        .orderings(exceptions::ORDERINGS)
        .page::<exceptions::Exception>();
    t.post(
        "exceptions/",
        "exception.create",
        SUPERUSER,
        exceptions::create,
    )
    .input::<exceptions::ExceptionInput>()
    .object::<exceptions::Exception>();
    t.get(
        "exceptions/{id}/",
        "exception.retrieve",
        READ,
        exceptions::retrieve,
    )
    .object::<exceptions::Exception>();
    t.put(
        "exceptions/{id}/",
        "exception.update",
        SUPERUSER,
        exceptions::update,
    )
    .input::<exceptions::ExceptionInput>()
    .object::<exceptions::Exception>();
    t.patch(
        "exceptions/{id}/",
        "exception.partial_update",
        SUPERUSER,
        exceptions::update,
    )
    .input::<exceptions::ExceptionInput>()
    .object::<exceptions::Exception>();
    t.delete(
        "exceptions/{id}/",
        "exception.destroy",
        SUPERUSER,
        exceptions::destroy,
    )
    .no_content();

    // ── error reports ────────────────────────────────────────────────────────────────────
    t.get(
        "errorreports/getschema/",
        "errorreport.get_schema",
        Rule::Roles(Grants::S.or(Grants::J).or(Grants::Q)),
        reports::get_schema,
    )
    .summary("The JSON Schema error reports are checked against")
    .free_form();
    t.post("errorreports/createnotification/", "errorreport.create_notification", DEVELOPER, reports::create_notification)
        .summary("Notify `recipients` about future reports matching this request's filters (harv_ids, locations, fruits, codes, traceback, is_emulator, handled, primary)")
        .input::<reports::CreateNotificationInput>()
        .object::<Notification>();
    t.get(
        "errorreports/ingested/",
        "errorreport.ingested",
        INGEST,
        reports::ingested,
    )
    .summary(
        "Whether a report was read from the S3 object `object` (`bucket/key@etag`); for forwarders",
    )
    .object::<reports::IngestedLookup>();
    t.get("errorreports/", "errorreport.list", READ, reports::list)
        .filters(reports::FILTERS)
        .orderings(reports::ORDERINGS)
        .summary("Error reports, newest first. Filters: harv_ids, locations, fruits, codes, primary, handled, traceback, is_emulator, tags, start_time/end_time (+tz), created_after/before, uuid, generic (JSON paths into the report)")
        .page::<errorreport::ErrorReportListItem>();
    t.post("errorreports/", "errorreport.create", INGEST, crate::reports::handlers::create::<ErrorReports>)
        .summary("Ingest an error report. Idempotent: the same report (uuid, type, timestamp, harvester) returns the existing row")
        .large_body()
        .object::<errorreport::ErrorReport>();
    t.get(
        "errorreports/{id}/",
        "errorreport.retrieve",
        READ,
        reports::retrieve,
    )
    .object::<errorreport::ErrorReport>();
    t.put(
        "errorreports/{id}/",
        "errorreport.update",
        SUPERUSER,
        crate::reports::handlers::update::<ErrorReports>,
    )
    .large_body()
    .object::<errorreport::ErrorReport>();
    t.patch(
        "errorreports/{id}/",
        "errorreport.partial_update",
        SUPERUSER,
        crate::reports::handlers::update::<ErrorReports>,
    )
    .large_body()
    .object::<errorreport::ErrorReport>();
    t.delete(
        "errorreports/{id}/",
        "errorreport.destroy",
        SUPERUSER,
        reports::destroy,
    )
    .no_content();

    // ── notifications ────────────────────────────────────────────────────────────────────
    t.get(
        "notifications/",
        "notification.list",
        READ,
        notifications::list,
    )
    .filters(notifications::FILTERS)
    .orderings(notifications::ORDERINGS)
    .summary("Notifications; `category=created` (mine) or `is_recipient` (I am a recipient)")
    .page::<Notification>();
    t.get(
        "notifications/{id}/",
        "notification.retrieve",
        READ,
        notifications::retrieve,
    )
    .object::<Notification>();
    t.delete(
        "notifications/{id}/",
        "notification.destroy",
        DEVELOPER,
        notifications::destroy,
    )
    .no_content();

    // ── files announced by S3 events ─────────────────────────────────────────────────────
    t.get("s3files/", "s3file.list", READ, s3files::list)
        .filters(s3files::FILTERS)
        .orderings(s3files::ORDERINGS)
        .summary("Files; `deleted=true` lists the deleted ones. Filters: key, filetype, tags, uuid, created_after/before")
        .page::<S3File>();
    t.post("s3files/", "s3file.create", INGEST, s3files::create)
        .summary("Record a file from the raw SQS message of its S3 event (`Body` holds the event). Idempotent per bucket/key/ETag")
        .object::<S3File>();
    t.get("s3files/{id}/", "s3file.retrieve", READ, s3files::retrieve)
        .object::<S3File>();
    t.delete(
        "s3files/{id}/",
        "s3file.destroy",
        DEVELOPER,
        s3files::destroy,
    )
    .summary("Soft delete: marks the file deleted and deletes the object")
    .text();
    t.get("sessclip/", "sessclip.list", READ, s3files::list)
        .filters(s3files::FILTERS)
        .orderings(s3files::ORDERINGS)
        .summary("Session clips; `deleted=true` lists the deleted ones. Filters: key, filetype, tags, uuid, created_after/before")
        .page::<S3File>();
    t.post("sessclip/", "sessclip.create", INGEST, s3files::create)
        .summary("Record a file from the raw SQS message of its S3 event (`Body` holds the event). Idempotent per bucket/key/ETag")
        .object::<S3File>();
    t.get(
        "sessclip/{id}/",
        "sessclip.retrieve",
        READ,
        s3files::retrieve,
    )
    .object::<S3File>();
    t.delete(
        "sessclip/{id}/",
        "sessclip.destroy",
        DEVELOPER,
        s3files::destroy,
    )
    .summary("Soft delete: marks the file deleted and deletes the object")
    .text();

    // ── the failed-ingest log ────────────────────────────────────────────────────────────
    t.post(
        "failedingests/redrive/",
        "failedingest.redrive",
        MANAGER,
        failed::redrive_many,
    )
    .summary("Send the stored messages `ids` to their queues again")
    .input::<failed::IdsInput>()
    .object::<failed::RedriveOutcome>();
    t.get("failedingests/", "failedingest.list", SUPPORT, failed::list)
        .filters(failed::FILTERS)
        .orderings(failed::ORDERINGS)
        .summary("Messages that could not be ingested, newest first. Filters: queue, reason, resolved, since, until")
        .page::<failed::FailedIngest>();
    t.post(
        "failedingests/",
        "failedingest.create",
        INGEST,
        failed::create,
    )
    .summary("Record a failure (forwarders); the same queue + message id updates the row")
    .input::<failed::FailedIngestInput>()
    .object::<failed::FailedIngest>();
    t.get(
        "failedingests/{id}/",
        "failedingest.retrieve",
        SUPPORT,
        failed::retrieve,
    )
    .object::<failed::FailedIngest>();
    t.post(
        "failedingests/{id}/redrive/",
        "failedingest.redrive",
        MANAGER,
        failed::redrive_one,
    )
    .summary("Send the stored message to its queue again")
    .object::<failed::FailedIngest>();
    t.post(
        "failedingests/{id}/resolve/",
        "failedingest.resolve",
        MANAGER,
        failed::resolve,
    )
    .summary("Mark as handled")
    .object::<failed::FailedIngest>();

    t
}
