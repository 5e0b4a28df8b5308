//! Autodiagnostics: grippers' self-test reports and the runs the worker extracts from them
//! (docs/api-design.md#report-kinds).

pub mod kind;
pub mod runs;

use serde_json::Value;

use crate::apps::event::json::{Event, PickSession};
use crate::apps::json::NestedHarvester;

audited! {
/// One self-test run of a gripper, extracted from an autodiagnostics report.
pub struct AutodiagnosticsRun {
    pub id: i64,
    /// The report (id).
    pub report: i64,
    /// The gripper asset (id).
    pub gripper: i64,
    pub robot_id: i32,
    pub run_timestamp: String,
    pub ball_found_result: bool,
    pub result: bool,
    pub template_match_result: Option<bool>,
    pub min_vac: Option<f64>,
    pub finger_open_value: Option<f64>,
    pub finger_closed_value: Option<f64>,
    pub finger_delta: Option<f64>,
    pub nominal_touch_force: Option<f64>,
    pub max_touch_force: Option<f64>,
    pub template_match_y_error: Option<f64>,
    /// Sensor traces per state: `{state: [[ts, {vac, touch, finger}], …]}`.
    pub sensors: Value,
}
}

audited! {
/// An autodiagnostics report; `run_data` is null until the worker has extracted the run.
pub struct AutodiagnosticsReport {
    pub id: i64,
    pub run_data: Option<AutodiagnosticsRun>,
    pub tags: Vec<String>,
    #[serde(rename = "reportTime")]
    pub report_time: Option<String>,
    /// The report as received.
    pub report: Value,
    /// Whether the gripper passed.
    pub result: bool,
    pub robot: i32,
    pub gripper_sn: i64,
    /// Location id.
    pub location: Option<i64>,
    pub harvester: Option<NestedHarvester>,
    pub event: Event,
    pub pick_session: Option<PickSession>,
}
}
