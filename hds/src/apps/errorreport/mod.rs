//! Error reports: ingestion, extraction, filters, notifications from filters
//! (docs/api-design.md#error-reports,
//! docs/api-design.md#reading-a-report; docs/compatibility.md#d12, docs/compatibility.md#d13,
//! docs/compatibility.md#d21, docs/compatibility.md#d23).

pub mod extract;
pub mod filters;
pub mod handlers;
pub mod json;
pub mod kind;
pub mod schema;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::apps::event::json::{Event, PickSession};
use crate::apps::exceptions::handlers::Exception;
use crate::apps::json::{Location, NestedHarvester};

/// An error report in lists: harvester and location nested, exceptions with their codes.
#[derive(Serialize, Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct ErrorReportListItem {
    pub id: i64,
    #[serde(rename = "reportTime")]
    pub report_time: Option<String>,
    pub harvester: Option<NestedHarvester>,
    pub location: Option<Location>,
    pub gitbranch: String,
    pub githash: String,
    /// Event id.
    pub event: i64,
    pub exceptions: Vec<Exception>,
    pub tags: Vec<String>,
}

audited! {
/// An error report in full: the report as received, event and pick session nested.
pub struct ErrorReport {
    pub id: i64,
    pub exceptions: Vec<Exception>,
    pub tags: Vec<String>,
    #[serde(rename = "reportTime")]
    pub report_time: Option<String>,
    /// The report as received.
    pub report: serde_json::Value,
    pub githash: String,
    pub gitbranch: String,
    pub location: Option<Location>,
    pub harvester: Option<NestedHarvester>,
    pub event: Event,
    pub pick_session: Option<PickSession>,
    pub extraction_status: ExtractionStatus,
}
}

/// Where a report's background extraction stands (`error_reports.extraction_status`).
#[derive(Serialize, Deserialize, ToSchema, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ExtractionStatus {
    /// Stored; the worker has not extracted it yet.
    Pending,
    /// Extracted (exceptions created, primary marked).
    Done,
    /// Extraction failed after its retries (tagged `incomplete`; see `extraction_error`).
    Failed,
}

impl ExtractionStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            ExtractionStatus::Pending => "pending",
            ExtractionStatus::Done => "done",
            ExtractionStatus::Failed => "failed",
        }
    }
}
