//! Version reports: what code each host of a harvester runs (docs/api-design.md#report-kinds).
//! Releases arrive with their own app; until then a version report's `conflicts` say so.

pub mod kind;

use serde_json::Value;

audited! {
/// A version report: per host (`master`, `aft-robot01`, …) its version or the error reading it.
pub struct VersionReport {
    pub id: i64,
    pub tags: Vec<String>,
    #[serde(rename = "reportTime")]
    pub report_time: Option<String>,
    /// The report as received.
    pub report: Value,
    /// Some host has uncommitted changes.
    pub is_dirty: bool,
    /// Some host has unexpected files.
    pub has_unexpected: bool,
    /// Location id.
    pub location: Option<i64>,
    /// Harvester id.
    pub harvester: Option<i64>,
    /// `{"error": "No release"}` when the harvester has no release; else the hosts whose
    /// version differs from the release's or that report an error.
    pub conflicts: Value,
}
}
