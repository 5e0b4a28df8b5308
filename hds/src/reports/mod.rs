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
pub mod handlers;
pub mod harvesters;
pub mod read;
pub mod schema;
pub mod shallow;
mod statements;
mod store;

use serde_json::Value;

use crate::jobs::Job;
pub use shallow::Depth;

/// A column of a kind's table read from the report body. Values travel as text and are cast
/// to `sql_type` by the insert.
pub struct Column {
    pub name: &'static str,
    /// A PostgreSQL type name (`text`, `boolean`, `bigint`, …).
    pub sql_type: &'static str,
    pub read: fn(&Value) -> Option<String>,
}

/// Everything that makes one kind of report different from another.
pub struct ReportKind {
    /// The routes' basename (`errorreport`).
    pub name: &'static str,
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
    /// Further columns, read from the body.
    pub columns: &'static [Column],
    /// How deep each top-level member must be parsed (the rest is only type-checked).
    pub members: fn(&str) -> Depth,
    /// SQL of the create answers: columns `id`, `data` for the reports whose ids are in `$1`,
    /// with `report` null (the answer splices in the text it received).
    pub details_sql: fn() -> String,
    /// Background work a new report queues after its commit.
    pub after_create: Option<fn(i64) -> Job>,
}

/// A type standing for one kind, so handlers can be generic over it (`create::<ErrorReports>`).
pub trait Kind: 'static {
    const KIND: &'static ReportKind;
}

/// Every kind of report, for the writers and the worker's sweep.
pub fn kinds() -> [&'static ReportKind; 1] {
    [&crate::apps::errorreport::kind::ERROR_REPORTS]
}
