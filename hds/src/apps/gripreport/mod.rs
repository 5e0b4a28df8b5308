//! Grip reports: the candidates and grips of one pick session (docs/api-design.md#report-kinds).

pub mod kind;

use serde_json::Value;

use crate::apps::event::json::{Event, PickSession};

audited! {
/// A grip report; its pick session's start and length come from the report.
pub struct GripReport {
    pub id: i64,
    pub tags: Vec<String>,
    #[serde(rename = "reportTime")]
    pub report_time: Option<String>,
    /// The report as received.
    pub report: Value,
    /// Location id.
    pub location: Option<i64>,
    /// Harvester id.
    pub harvester: Option<i64>,
    pub event: Event,
    pub pick_session: Option<PickSession>,
}
}
