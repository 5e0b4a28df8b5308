//! Grip reports as a report kind: event and pick session linked, the pick session's start
//! (`pick_session_start_time`) and length (to the report's `timestamp`) set, no schema.

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::error::AppResult;
use crate::reports::json::{common, nested_event, nested_pick_session};
use crate::reports::read::{epoch, report_time};
use crate::reports::views::exact_filters;
use crate::reports::{Depth, Kind, Related, ReportKind};

pub const GRIP_REPORTS: ReportKind = ReportKind {
    name: "gripreports",
    schema_name: "gripreports",
    model: "GripReport",
    key_prefix: "grip",
    table: "grip_reports",
    tags: ("grip_report_tags", "grip_report_id"),
    schema: Some(schema),
    harvester_context: &[],
    event_tag: Some("GripReport"),
    pick_session_tag: Some("GripReport"),
    aux_events: true,
    owns_pick_session: true,
    session_span: Some(span),
    absorbs_repeats: false,
    ignore: None,
    columns: &[],
    members,
    details_sql,
    representation,
    filters: exact_filters,
    after_create: None,
    extract: None,
    related: Some(Related {
        route: "/gripreports/",
        label: "Grip Report",
    }),
};

pub struct GripReports;
impl Kind for GripReports {
    const KIND: &'static ReportKind = &GRIP_REPORTS;
}

/// The candidate and grip lists are stored, not read.
fn members(key: &str) -> Depth {
    match key {
        "data" => Depth::TypeOnly,
        _ => Depth::All,
    }
}

fn details_sql() -> String {
    GRIP_REPORTS.plain_details_sql()
}

pub fn representation(r: &str, report: &str) -> String {
    format!(
        "json_build_object({common}, 'location', {r}.location_id, 'harvester', {r}.harvester_id, \
         'event', {e}, 'pick_session', {p})",
        common = common(&GRIP_REPORTS, r, report),
        e = nested_event(r),
        p = nested_pick_session(r),
    )
}

/// `pick_session_start_time` (required) to `timestamp`.
fn span(body: &Value) -> AppResult<(DateTime<Utc>, DateTime<Utc>)> {
    let start = epoch(
        body.get("pick_session_start_time").unwrap_or(&Value::Null),
        "pick_session_start_time",
    )?;
    let end = report_time(body.get("timestamp").unwrap_or(&Value::Null))?;
    Ok((start, end))
}

/// The original checks no schema for grip reports; this one states what ingestion reads.
fn schema() -> &'static crate::reports::schema::Schema {
    use crate::reports::schema::LazySchema;
    static SCHEMA: LazySchema = LazySchema::new();
    SCHEMA.get(|| {
        serde_json::json!({
            "type": "object",
            "properties": {
                "data": { "type": "object" },
                "pick_session_start_time": { "type": "number" },
                "uuid": { "type": "string" },
                "pick_session_uuid": { "type": "string" },
                "timestamp": { "type": "number" },
                "type": { "type": "string" },
                "serial_number": { "type": ["string", "number"] }
            },
            "required": ["data", "timestamp", "serial_number", "pick_session_start_time"]
        })
    })
}
