//! Remote jobs for harvesters (docs/api-design.md#jobs): job types and their versioned payload
//! schemas, jobs sent to the job server by the worker, schedules that create jobs, and the job
//! results harvesters upload (a report kind, docs/api-design.md#report-kinds), which set their
//! job's status. A result is stored whether or not its job is known (docs/compatibility.md#d9).

pub mod dispatch;
pub mod jobs;
pub mod kind;
pub mod payload;
pub mod schedules;
pub mod status;
pub mod types;

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

audited! {
/// A kind of job harvesters run.
pub struct JobType {
    pub id: i64,
    pub name: String,
}
}

audited! {
/// A version of a job type's payload schema.
pub struct JobSchema {
    pub id: i64,
    /// The job type's name.
    pub jobtype: Option<String>,
    /// A JSON Schema the payloads of jobs of this version follow.
    pub schema: Value,
    pub version: String,
    pub comment: String,
}
}

/// How a job's sending went (beyond the original).
#[derive(serde::Serialize, serde::Deserialize, utoipa::ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct Dispatch {
    /// `pending`, `sent` or `failed`; null for jobs the original sent.
    pub status: Option<String>,
    pub attempts: i32,
    pub error: Option<String>,
    /// When the job server took it.
    pub sent: Option<String>,
}

audited! {
/// A job on one harvester.
pub struct Job {
    pub id: i64,
    pub event: Event,
    /// Job schema id.
    pub schema: i64,
    /// Harvester id.
    pub target: i64,
    /// What the harvester runs: the caller's arguments plus `id`, `job_type`, `timeout`.
    pub payload: Value,
    /// `Pending`, `Success`, `Failed`, `Error`, `Failed and errors`, `Failed to send` or
    /// `canceled`.
    pub jobstatus: String,
    /// The job type's name.
    pub jobtype: Option<String>,
    /// The version of the job schema.
    pub schema_version: Option<String>,
    /// The job results' list, filtered to this job.
    pub results: String,
    /// The job's status history.
    pub history: String,
    pub dispatch: Dispatch,
    /// The schedule that created it.
    pub schedule: Option<i64>,
}
}

audited! {
/// Jobs to create on harvesters once or at every time of a cron expression.
pub struct JobSchedule {
    pub id: i64,
    /// Job schema id.
    pub schema: i64,
    pub jobtype: Option<String>,
    pub schema_version: Option<String>,
    /// The harvesters' `harv_id`s.
    pub targets: Vec<i64>,
    pub payload: Value,
    pub cron: Option<String>,
    pub run_at: Option<String>,
    /// The next due time; null once done or cancelled.
    pub next_run: Option<String>,
    pub last_run: Option<String>,
    /// Due times fired so far.
    pub runs: i32,
    pub last_error: Option<String>,
    pub cancelled: Option<String>,
    /// The jobs it created.
    pub jobs: String,
}
}
