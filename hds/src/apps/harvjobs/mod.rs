//! Job results: what each host of a harvester reported for a job (docs/api-design.md#report-kinds).
//! The jobs themselves (and the job status a result updates) arrive with their own app; a result
//! is stored whether or not its job is known (docs/compatibility.md#d9).

pub mod kind;

use serde_json::Value;

use crate::apps::event::json::Event;

audited! {
/// One host's result of a job.
pub struct HostResult {
    pub id: i64,
    pub host: String,
    /// `Success`, `Failed`, `Error` or `canceled`.
    pub result: String,
    /// The host's report as sent.
    pub details: Value,
    pub timestamp: Option<String>,
    /// The job results this belongs to.
    pub parent: i64,
}
}

audited! {
/// Job results: per host its status, output and time; the host results are extracted by the
/// worker.
pub struct JobResults {
    pub id: i64,
    pub host_results: Vec<HostResult>,
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
    /// The job (id), once jobs are recorded.
    pub job: Option<i64>,
}
}
