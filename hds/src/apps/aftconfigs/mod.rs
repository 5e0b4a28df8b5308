//! Configuration reports: each robot's default configuration and its overlay, around 1 MB each
//! (docs/api-design.md#report-kinds). A harvester's latest is `harvesters/{id}/config/`.

pub mod kind;

use serde_json::Value;

use crate::apps::event::json::Event;

audited! {
/// A configuration report: per robot index its `conf_default` and `overlay_diff`.
pub struct ConfigReport {
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
}
}
