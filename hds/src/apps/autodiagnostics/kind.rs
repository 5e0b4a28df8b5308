//! Autodiagnostics reports as a report kind: `result`, `robot` and `gripper_sn` read from the
//! body (required), event and pick session linked, the run extracted by the worker. Reports of
//! the magic gripper 1297 (a test fixture on the harvesters) are acknowledged and not stored.

use serde_json::{json, Value};

use crate::api::filters::{Param, ParamType, Query};
use crate::api::sql::{Bind, Where};
use crate::error::{AppError, AppResult};
use crate::reports::json::{common, nested_event, nested_harvester, nested_pick_session};
use crate::reports::read::text_of;
use crate::reports::schema::{LazySchema, Schema};
use crate::reports::{Column, Depth, Extraction, Kind, Related, ReportKind};

/// The gripper whose reports are ignored.
pub const MAGIC_GRIPPER: i64 = 1297;

pub const AUTODIAGNOSTICS: ReportKind = ReportKind {
    name: "autodiagnostics",
    schema_name: "autodiagnostics",
    model: "AutodiagnosticsReport",
    key_prefix: "autodiagnostics",
    table: "autodiagnostics_reports",
    tags: ("autodiagnostics_report_tags", "autodiagnostics_report_id"),
    schema: Some(schema),
    harvester_context: &[],
    event_tag: Some("AutodiagnosticsReport"),
    pick_session_tag: Some("AutodiagnosticsReport"),
    aux_events: true,
    owns_pick_session: true,
    session_span: None,
    absorbs_repeats: false,
    ignore: Some(magic_gripper),
    columns: &[
        Column {
            name: "result",
            sql_type: "boolean",
            read: result,
            required: true,
        },
        Column {
            name: "robot",
            sql_type: "integer",
            read: robot,
            required: true,
        },
        Column {
            name: "gripper_sn",
            sql_type: "bigint",
            read: gripper_sn,
            required: true,
        },
    ],
    members: all,
    details_sql,
    representation,
    filters,
    after_create: None,
    extract: Some(Extraction {
        task: "extract_autodiag_run",
        run: super::runs::extract,
    }),
    related: Some(Related {
        route: "/autodiagnostics/",
        label: "Autodiagnostics Report",
    }),
};

pub struct Autodiagnostics;
impl Kind for Autodiagnostics {
    const KIND: &'static ReportKind = &AUTODIAGNOSTICS;
}

/// The kind's own list filters.
pub const FILTERS: &[Param] = &[
    Param::new(
        "harv_id",
        ParamType::Int,
        "From the harvester with this number.",
    ),
    Param::new("ranch", ParamType::Text, "At this ranch."),
    Param::new("result", ParamType::Bool, "Passed or not."),
    Param::new("robot", ParamType::Int, "Of this robot."),
    Param::new(
        "gripper_sn",
        ParamType::Int,
        "Of the gripper with this serial number.",
    ),
];

fn all(_: &str) -> Depth {
    Depth::All
}

fn details_sql() -> String {
    AUTODIAGNOSTICS.plain_details_sql()
}

pub fn representation(r: &str, report: &str) -> String {
    let u = format!("{r}_u");
    format!(
        "json_build_object({common}, 'run_data', (SELECT {run} FROM autodiagnostics_runs {u} WHERE {u}.report_id = {r}.id), \
         'result', {r}.result, 'robot', {r}.robot, 'gripper_sn', {r}.gripper_sn, \
         'location', {r}.location_id, 'harvester', {h}, 'event', {e}, 'pick_session', {p})",
        common = common(&AUTODIAGNOSTICS, r, report),
        run = super::runs::representation(&u),
        h = nested_harvester(r),
        e = nested_event(r),
        p = nested_pick_session(r),
    )
}

fn data_field<'a>(body: &'a Value, key: &str) -> Option<&'a Value> {
    body.get("data").and_then(|d| d.get(key))
}

fn result(body: &Value) -> Option<String> {
    data_field(body, "passed_autodiag")
        .and_then(Value::as_bool)
        .map(|b| b.to_string())
}

fn whole(v: Option<&Value>) -> Option<String> {
    let v = v?;
    v.as_i64()
        .or_else(|| v.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64))
        .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
        .map(|n| n.to_string())
}

fn robot(body: &Value) -> Option<String> {
    whole(data_field(body, "robot_id")).filter(|n| n.parse::<i32>().is_ok())
}

fn gripper_sn(body: &Value) -> Option<String> {
    whole(data_field(body, "serial_no"))
}

/// The magic gripper's reports: 200 "Magic gripper 1297 ignored.", nothing stored. A report
/// without `data.serial_no` is refused.
fn magic_gripper(body: &Value) -> AppResult<Option<String>> {
    let serial = data_field(body, "serial_no").ok_or_else(|| {
        AppError::validation_field("serial_no", "This field is required (in `data`).")
    })?;
    let serial = text_of(Some(serial)).and_then(|s| s.parse::<i64>().ok());
    Ok((serial == Some(MAGIC_GRIPPER)).then(|| format!("Magic gripper {MAGIC_GRIPPER} ignored.")))
}

fn filters(q: &Query, w: &mut Where) -> AppResult<()> {
    if let Some(harv_id) = q.int("harv_id")? {
        w.add(
            "r.harvester_id = ANY(ARRAY(SELECT id FROM harvesters WHERE harv_id = ?))",
            [Bind::Int(harv_id)],
        );
    }
    if let Some(ranch) = q.get("ranch") {
        w.add(
            "r.location_id = ANY(ARRAY(SELECT id FROM locations WHERE ranch = ?))",
            [Bind::Text(ranch.to_string())],
        );
    }
    if let Some(v) = q.bool("result")? {
        w.add("r.result = ?", [Bind::Bool(v)]);
    }
    if let Some(v) = q.int("robot")? {
        w.add("r.robot = ?", [Bind::Int(v)]);
    }
    if let Some(v) = q.int("gripper_sn")? {
        w.add("r.gripper_sn = ?", [Bind::Int(v)]);
    }
    Ok(())
}

pub fn schema() -> &'static Schema {
    static SCHEMA: LazySchema = LazySchema::new();
    SCHEMA.get(|| {
        json!({
            "type": "object",
            "properties": {
                "data": {
                    "type": "object",
                    "properties": {
                        "serial_no": { "type": ["integer", "string"] },
                        "robot_id": { "type": ["integer", "string"] },
                        "ts": { "type": "number" },
                        "passed_autodiag": { "type": "boolean" },
                        "passed_autodiag_ball_found": { "type": "boolean" },
                        "passed_autodiag_template_match": { "type": ["boolean", "null"] },
                        "min_vac": { "type": ["number", "null"] },
                        "finger_open_value": { "type": ["number", "null"] },
                        "finger_closed_value": { "type": ["number", "null"] },
                        "delta_fing": { "type": ["number", "null"] },
                        "no_touch_force": { "type": ["number", "null"] },
                        "max_touch_val": { "type": ["number", "null"] },
                        "tm_y_error": { "type": ["number", "null"] },
                        "sensors": { "type": "object" }
                    },
                    "required": ["serial_no", "robot_id", "ts", "passed_autodiag", "passed_autodiag_ball_found"]
                },
                "uuid": { "type": "string" },
                "pick_session_uuid": { "type": "string" },
                "timestamp": { "type": "number" },
                "type": { "type": "string" },
                "serial_number": { "type": ["string", "number"] }
            },
            "required": ["data", "timestamp", "serial_number"]
        })
    })
}
