//! Report kinds: the one ingestion path every JSON report a harvester uploads goes through
//! (docs/api-design.md#how-to-add-a-report-kind).
//!
//! A kind is a declaration ([`ReportKind`]): its table, JSON Schema, where the harvester is
//! named, which links it makes (event, pick session, secondary events), the columns it reads
//! from the body, how deep the body must be parsed, and the background work a new report
//! queues. Everything else is shared: the body is kept as the text it arrived as and parsed
//! once ([`shallow`]), checked and read ([`read`]), keyed for idempotency, handed to the
//! kind's batched writers ([`batch`]) and answered with its detail ([`handlers`]).

pub mod batch;
pub mod extraction;
pub mod handlers;
pub mod harvesters;
pub mod json;
pub mod read;
pub mod schema;
pub mod shallow;
mod statements;
mod store;
pub mod views;

use chrono::{DateTime, Utc};
use diesel_async::AsyncPgConnection;
use futures_util::future::BoxFuture;
use serde_json::Value;

use crate::api::filters::Query;
use crate::api::sql::Where;
use crate::error::AppResult;
use crate::jobs::Job;
pub use shallow::Depth;

/// A column of a kind's table read from the report body. Values travel as text and are cast
/// to `sql_type` by the insert.
pub struct Column {
    pub name: &'static str,
    /// A PostgreSQL type name (`text`, `boolean`, `bigint`, …).
    pub sql_type: &'static str,
    pub read: fn(&Value) -> Option<String>,
    /// A report without it is refused: 400 `{"<name>": ["This field may not be null."]}`.
    pub required: bool,
}

/// A kind's background work on one new report, run by the worker inside a transaction that
/// holds the report's row (docs/api-design.md#report-kinds).
/// A kind's background work on one claimed report (read with its claim, so the work starts
/// with what it needs).
pub type Extract = for<'a> fn(
    &'a mut AsyncPgConnection,
    &'a extraction::StoredReport,
) -> BoxFuture<'a, AppResult<()>>;

/// Reads a pick session's start and end from a report.
pub type SessionSpan = fn(&Value) -> AppResult<(DateTime<Utc>, DateTime<Utc>)>;

/// Says why a report is acknowledged but not stored (`Some(note)`), or lets it through.
pub type Ignore = fn(&Value) -> AppResult<Option<String>>;

/// Background work of a kind whose table keeps `extraction_status`.
pub struct Extraction {
    /// The task's name in metrics (`extract_assets`).
    pub task: &'static str,
    pub run: Extract,
}

/// Where a kind's reports appear in an event's or pick session's `related_objects`.
pub struct Related {
    /// The web app's route (`/autodiagnostics/`); the id and a slash are appended.
    pub route: &'static str,
    pub label: &'static str,
}

/// Everything that makes one kind of report different from another.
pub struct ReportKind {
    /// The routes' basename (`errorreport`).
    pub name: &'static str,
    /// `getschema/` answers "`<schema_name>` schema retrieved".
    pub schema_name: &'static str,
    /// The model in messages (`ErrorReport`).
    pub model: &'static str,
    /// The first part of every ingest key. Never change it for a kind that has data: the keys
    /// of stored reports would no longer match their redeliveries.
    pub key_prefix: &'static str,
    /// Its table: the common columns (`location_id`, `harvester_id`, `report_time`, `report`,
    /// `ingest_key`, `creator_id`, `source_object`, the audit columns, `event_id` /
    /// `pick_session_id` when linked) and [`columns`](Self::columns).
    pub table: &'static str,
    /// The tag join table and its foreign key.
    pub tags: (&'static str, &'static str),
    /// The JSON Schema a body is checked against; a mismatch is ingested anyway, tagged
    /// `invalid schema`.
    pub schema: Option<fn() -> &'static schema::Schema>,
    /// The members (a path from the top) that hold `is_emulator`/`fruit` for the harvester
    /// lookup; required when not empty. Empty: the top level, optional.
    pub harvester_context: &'static [&'static str],
    /// The tag of the event linked by the report's `uuid`; `None` for kinds without events.
    pub event_tag: Option<&'static str>,
    /// The tag of the pick session linked by `pick_session_uuid`; `None` for kinds without.
    pub pick_session_tag: Option<&'static str>,
    /// Whether `aux_uuids` become secondary events of the report's event.
    pub aux_events: bool,
    /// Whether the report fills its pick session's harvester and location when they are empty.
    pub owns_pick_session: bool,
    /// The pick session's start and end read from the report (grip reports).
    pub session_span: Option<SessionSpan>,
    /// A report whose `data` equals the harvester's previous one (by report time) is not stored
    /// again: the previous row is touched and answered (version reports).
    pub absorbs_repeats: bool,
    /// Reports answered 200 with this message as `data` and not stored (the magic gripper).
    pub ignore: Option<Ignore>,
    /// Further columns, read from the body.
    pub columns: &'static [Column],
    /// How deep each top-level member must be parsed (the rest is only type-checked).
    pub members: fn(&str) -> Depth,
    /// SQL of the create answers: columns `id`, `data` for the reports whose ids are in `$1`,
    /// with `report` null (the answer splices in the text it received).
    pub details_sql: fn() -> String,
    /// The detail representation of row `r` with `report` rendered from the expression given.
    pub representation: fn(r: &str, report: &str) -> String,
    /// The kind's own list filters on `<table> r` (the report filters are applied for all).
    pub filters: fn(&Query, &mut Where) -> AppResult<()>,
    /// Background work a new report queues after its commit.
    pub after_create: Option<fn(i64) -> Job>,
    /// The work itself for kinds whose table keeps `extraction_status` (queued as
    /// [`Job::Extract`] and run by [`extraction::run`]); error reports have their own.
    pub extract: Option<Extraction>,
    /// Where its reports appear among an event's and a pick session's related objects.
    pub related: Option<Related>,
}

impl ReportKind {
    /// `SELECT id, data` of the reports whose ids are in `$1`, `report` left null: the create
    /// answers of kinds without a batched rendering of their own.
    pub fn plain_details_sql(&self) -> String {
        format!(
            "SELECT r.id, {} AS data FROM {} r WHERE r.id = ANY($1)",
            (self.representation)("r", "NULL::jsonb"),
            self.table
        )
    }
}

/// A type standing for one kind, so handlers can be generic over it (`create::<ErrorReports>`).
pub trait Kind: 'static {
    const KIND: &'static ReportKind;
}

/// Every kind of report, for the writers, the worker's sweep and related objects.
pub fn kinds() -> [&'static ReportKind; 7] {
    use crate::apps::*;
    [
        &errorreport::kind::ERROR_REPORTS,
        &harvdeploy::kind::VERSION_REPORTS,
        &harvjobs::kind::JOB_RESULTS,
        &autodiagnostics::kind::AUTODIAGNOSTICS,
        &gripreport::kind::GRIP_REPORTS,
        &aftconfigs::kind::CONFIG_REPORTS,
        &harvassets::kind::ASSET_REPORTS,
    ]
}

/// The kind named `name` (its basename).
pub fn kind(name: &str) -> Option<&'static ReportKind> {
    kinds().into_iter().find(|k| k.name == name)
}

/// No filters beyond the report filters.
pub fn no_filters(_: &Query, _: &mut Where) -> AppResult<()> {
    Ok(())
}
