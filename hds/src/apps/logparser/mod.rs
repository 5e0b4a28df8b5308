//! Log sessions (contract §4.15, docs/api-design.md#log-sessions): a session-clip zip uploaded
//! by a person, stored in S3 as it streams in (D19), checked from its central directory, then
//! extracted by the worker into log files, one row per log entry (read by the viewer in windows,
//! `logsessions/{id}/entries/`), and videos converted to MP4.

pub mod entries;
pub mod extract;
pub mod handlers;
mod load;
pub mod names;
pub mod parse;
pub mod upload;
mod videos;
pub mod zipcheck;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

/// Extraction state of a session (`log_sessions.status`).
pub const PENDING: &str = "pending";
pub const EXTRACTING: &str = "extracting";
pub const DONE: &str = "done";
pub const FAILED: &str = "failed";

/// How far extraction is: `done` of `total` members (log files and videos).
#[derive(Serialize, Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct Progress {
    pub done: i32,
    pub total: i32,
}

/// A log file of the session, as listed in `logs.services`.
#[derive(Serialize, Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct ServiceRef {
    pub id: i64,
    pub service: String,
    pub robot: Option<i32>,
}

/// A video of the session, as listed in `logs.videos`.
#[derive(Serialize, Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct VideoRef {
    pub id: i64,
    pub category: String,
    pub robot: Option<i32>,
}

/// What the session holds (§4.15's `logs`).
#[derive(Serialize, Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct LogsSummary {
    pub harv_id: Option<i32>,
    /// Distinct robots of the log files, ascending.
    pub robots: Vec<i32>,
    pub services: Vec<ServiceRef>,
    pub videos: Vec<VideoRef>,
}

audited! {
/// A log session (`handlers::session_repr`).
pub struct LogSession {
    pub id: i64,
    pub name: String,
    /// From the first file name in the zip (US/Pacific), null when it has none.
    pub date_time: Option<String>,
    /// The harvester's id (the first `_NNN` group of the first file name), null when unknown.
    pub harv: Option<i64>,
    /// The session clip (`sessclip/{id}/`) holding the uploaded zip, once extraction recorded it.
    #[serde(rename = "_zip_file")]
    pub zip_file: Option<i64>,
    pub tags: Vec<String>,
    pub logs: LogsSummary,
    /// `pending`, `extracting`, `done` or `failed`.
    pub status: String,
    pub progress: Progress,
    /// Why extraction failed (status `failed`).
    pub failure_reason: Option<String>,
}
}

audited! {
/// A log file of a session, with its session nested. Its lines are read through
/// `logsessions/{id}/entries/` (docs/compatibility.md#d19), not as a `content` array.
pub struct LogFile {
    pub id: i64,
    pub file_name: String,
    pub service: String,
    pub robot: Option<i32>,
    /// The file's extension: `log` or `dump`.
    pub logfile_type: String,
    /// Entries (a line with its continuation lines) stored for the file.
    pub line_count: i64,
    pub log_session: LogSession,
}
}

audited! {
/// A video of a session: the MP4 made from its `.avi` member and the `.json` member's lines.
pub struct LogVideo {
    pub id: i64,
    pub file_name: String,
    pub robot: Option<i32>,
    pub category: String,
    /// The metadata lines (JSON lines), each parsed.
    pub meta: Value,
    pub log_session: i64,
    /// Presigned download link of the MP4 (15 minutes), null when there is none.
    pub video_avi: Option<String>,
}
}

/// One log entry of the merged timeline.
#[derive(Serialize, Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct LogEntry {
    /// Position in the session (unique; with `ts`, the window key).
    pub seq: i64,
    /// Seconds since the epoch.
    pub ts: f64,
    /// The entry's US/Pacific time as written in the file (`2023-01-31 13:12:50.181000-08:00`).
    pub log_date: String,
    /// The log file (`logfiles/{id}/`).
    pub file: i64,
    pub service: String,
    pub robot: Option<i32>,
    /// `log` or `dump`.
    pub logfile_type: String,
    /// `INFO`, `DEBUG`, … when the line names one.
    pub level: Option<String>,
    /// The entry's text, continuation lines joined with `\n`.
    pub message: String,
}

/// Where a window starts or ends: pass as `after_ts`/`after_seq` or `before_ts`/`before_seq`.
#[derive(Serialize, Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct Position {
    pub ts: f64,
    pub seq: i64,
}

/// A window of the merged timeline, oldest first.
#[derive(Serialize, Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct LogWindow {
    pub results: Vec<LogEntry>,
    /// The first and last entry's positions (null when the window is empty).
    pub first: Option<Position>,
    pub last: Option<Position>,
    /// Whether entries matching the filters exist before `first` / after `last`.
    pub more_before: bool,
    pub more_after: bool,
}

/// The upload form of `POST logsessions/` (multipart/form-data).
#[derive(Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct ZipUpload {
    /// The session-clip zip.
    #[schema(value_type = String, format = Binary)]
    pub zip_upload: String,
}

impl crate::api::body::Input for ZipUpload {}
