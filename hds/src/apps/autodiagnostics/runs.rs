//! Autodiagnostics runs: extracted from a report by the worker (the gripper recorded as an
//! asset on the report's harvester), listed and filtered by `autodiagnosticsruns/`.

use actix_web::{web, HttpRequest, HttpResponse};
use diesel_async::AsyncPgConnection;
use futures_util::future::BoxFuture;
use futures_util::FutureExt;
use serde_json::Value;

use crate::api::body::Db;
use crate::api::envelope::Ctx;
use crate::api::filters::{
    Param, ParamType, Query, CREATED_AFTER, CREATED_BEFORE, END_TIME, START_TIME, TZ,
};
use crate::api::sql::{cached_rows, list_page, one, Bind, Listing, Sql, Where};
use crate::apps::json::audit;
use crate::error::{AppError, AppResult};
use crate::reports::extraction::StoredReport;

pub fn representation(u: &str) -> String {
    format!(
        "json_build_object('id', {u}.id, {audit}, 'report', {u}.report_id, 'gripper', {u}.gripper_id, \
         'robot_id', {u}.robot_id, 'run_timestamp', hds_ts({u}.run_timestamp), \
         'ball_found_result', {u}.ball_found_result, 'result', {u}.result, \
         'template_match_result', {u}.template_match_result, 'min_vac', {u}.min_vac, \
         'finger_open_value', {u}.finger_open_value, 'finger_closed_value', {u}.finger_closed_value, \
         'finger_delta', {u}.finger_delta, 'nominal_touch_force', {u}.nominal_touch_force, \
         'max_touch_force', {u}.max_touch_force, 'template_match_y_error', {u}.template_match_y_error, \
         'sensors', {u}.sensors)",
        audit = audit(u)
    )
}

#[derive(diesel::QueryableByName)]
struct Id {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    #[allow(dead_code)]
    id: i64,
}

fn number(data: &Value, key: &str) -> Option<String> {
    data.get(key).and_then(Value::as_f64).map(|f| f.to_string())
}

fn flag(data: &Value, key: &str) -> Option<String> {
    data.get(key)
        .and_then(Value::as_bool)
        .map(|b| b.to_string())
}

fn required(v: Option<String>, key: &str) -> AppResult<String> {
    v.ok_or_else(|| AppError::validation_field(key, "This field is required."))
}

/// The run of a claimed report and its gripper (an asset of type `gripper` on the report's
/// harvester at the robot's index, placed by `hds_place_gripper`), in one statement.
/// Idempotent: a report has at most one run.
pub fn extract<'a>(
    conn: &'a mut AsyncPgConnection,
    row: &'a StoredReport,
) -> BoxFuture<'a, AppResult<()>> {
    async move {
        let data = row.report.get("data").unwrap_or(&Value::Null);
        let serial = data
            .get("serial_no")
            .or_else(|| data.get("serial_number"))
            .and_then(|v| crate::reports::read::text_of(Some(v)));
        let serial = required(serial, "serial_no")?;
        let robot = data
            .get("robot_id")
            .and_then(|v| v.as_i64().or_else(|| v.as_str().and_then(|s| s.parse().ok())));
        let robot = required(robot.map(|r| r.to_string()), "robot_id")?;
        let ts = data.get("ts").and_then(Value::as_f64);
        let run_timestamp = required(
            ts.and_then(|t| chrono::DateTime::from_timestamp_micros((t * 1e6).round() as i64))
                .map(|t| t.to_rfc3339()),
            "ts",
        )?;
        let values = vec![
            Some(run_timestamp),
            required(flag(data, "passed_autodiag_ball_found"), "passed_autodiag_ball_found").map(Some)?,
            required(flag(data, "passed_autodiag"), "passed_autodiag").map(Some)?,
            flag(data, "passed_autodiag_template_match"),
            number(data, "min_vac"),
            number(data, "finger_open_value"),
            number(data, "finger_closed_value"),
            number(data, "delta_fing"),
            number(data, "no_touch_force"),
            number(data, "max_touch_val"),
            number(data, "tm_y_error"),
            Some(data.get("sensors").cloned().unwrap_or_else(|| serde_json::json!({})).to_string()),
        ];
        let _: Vec<Id> = cached_rows(
            conn,
            "INSERT INTO autodiagnostics_runs (report_id, gripper_id, robot_id, run_timestamp, \
               ball_found_result, result, template_match_result, min_vac, finger_open_value, \
               finger_closed_value, finger_delta, nominal_touch_force, max_touch_force, \
               template_match_y_error, sensors, creator_id) \
             SELECT $1, hds_place_gripper($2, $3::integer, $4, $6), $3::integer, v[1]::timestamptz, \
               v[2]::boolean, v[3]::boolean, v[4]::boolean, v[5]::float8, v[6]::float8, v[7]::float8, \
               v[8]::float8, v[9]::float8, v[10]::float8, v[11]::float8, v[12]::jsonb, $6 \
             FROM (SELECT $5::text[] AS v) x \
             ON CONFLICT (report_id) DO NOTHING RETURNING id",
            &[
                Bind::Int(row.id),
                Bind::OptInt(row.harvester_id),
                Bind::Text(robot),
                Bind::Text(serial.chars().take(63).collect()),
                Bind::OptTexts(values),
                Bind::OptInt(row.creator_id),
            ],
        )
        .await?;
        Ok(())
    }
    .boxed()
}

/// Filters of `autodiagnosticsruns/`.
pub const FILTERS: &[Param] = &[
    CREATED_AFTER,
    CREATED_BEFORE,
    Param::new(
        "datetime_range",
        ParamType::TimeRange,
        "Run time between `start,end` (either may be empty).",
    ),
    Param::new("start_time", START_TIME.ty, "Run at or after this time."),
    Param::new("end_time", END_TIME.ty, "Run at or before this time."),
    TZ,
    Param::new(
        "gripper_sns",
        ParamType::Texts,
        "Of grippers with these serial numbers.",
    ),
    Param::new(
        "harv_ids",
        ParamType::Ints,
        "Of reports from harvesters with these numbers.",
    ),
    Param::new("result", ParamType::Bool, "Passed or not."),
    Param::new(
        "template_match_result",
        ParamType::Bool,
        "Template match passed or not.",
    ),
    Param::new("ball_found_result", ParamType::Bool, "Ball found or not."),
    Param::new("min_vac_gte", ParamType::Float, "min_vac at least this."),
    Param::new("min_vac_lte", ParamType::Float, "min_vac at most this."),
    Param::new(
        "finger_delta_gte",
        ParamType::Float,
        "finger_delta at least this.",
    ),
    Param::new(
        "template_y_match_error_gte",
        ParamType::Float,
        "template_match_y_error at least this.",
    ),
    Param::new(
        "template_y_match_error_lte",
        ParamType::Float,
        "template_match_y_error at most this.",
    ),
    Param::new(
        "uuid",
        ParamType::Texts,
        "Of reports whose events have these UUIDs.",
    ),
    Param::new("robot_id", ParamType::Int, "Of this robot."),
    Param::new(
        "report__harvester__location__ranch",
        ParamType::Text,
        "Of reports from this ranch.",
    ),
];

/// Names `ordering` accepts.
pub const ORDERINGS: &[(&str, &str)] = &[
    ("id", "u.id"),
    ("run_timestamp", "u.run_timestamp"),
    ("created", "u.created"),
    ("robot_id", "u.robot_id"),
];

fn apply(q: &Query, w: &mut Where) -> AppResult<()> {
    w.created(q, "u")?;
    if let Some((start, end)) = q.datetime_range("datetime_range")? {
        if let Some(t) = start {
            w.add("u.run_timestamp >= ?", [Bind::Time(t)]);
        }
        if let Some(t) = end {
            w.add("u.run_timestamp <= ?", [Bind::Time(t)]);
        }
    }
    if let Some(t) = q.datetime("start_time")? {
        w.add("u.run_timestamp >= ?", [Bind::Time(t)]);
    }
    if let Some(t) = q.datetime("end_time")? {
        w.add("u.run_timestamp <= ?", [Bind::Time(t)]);
    }
    if let Some(sns) = q.str_list("gripper_sns") {
        w.add(
            "u.gripper_id = ANY(ARRAY(SELECT id FROM assets WHERE serial_number = ANY(?)))",
            [Bind::Texts(sns)],
        );
    }
    if let Some(ids) = q.int_list("harv_ids")? {
        w.add(
            "u.report_id IN (SELECT r.id FROM autodiagnostics_reports r WHERE r.harvester_id = ANY(ARRAY(SELECT id FROM harvesters WHERE harv_id = ANY(?))))",
            [Bind::Ints(ids)],
        );
    }
    for (param, column) in [
        ("result", "u.result"),
        ("template_match_result", "u.template_match_result"),
        ("ball_found_result", "u.ball_found_result"),
    ] {
        if let Some(v) = q.bool(param)? {
            w.add(Sql::new(column).then(" = ?"), [Bind::Bool(v)]);
        }
    }
    for (param, clause) in [
        ("min_vac_gte", "u.min_vac >= ?"),
        ("min_vac_lte", "u.min_vac <= ?"),
        ("finger_delta_gte", "u.finger_delta >= ?"),
        (
            "template_y_match_error_gte",
            "u.template_match_y_error >= ?",
        ),
        (
            "template_y_match_error_lte",
            "u.template_match_y_error <= ?",
        ),
    ] {
        if let Some(v) = q.float(param)? {
            w.add(clause, [Bind::Float(v)]);
        }
    }
    if let Some(uuids) = q.str_list("uuid") {
        w.add(
            "u.report_id IN (SELECT r.id FROM autodiagnostics_reports r WHERE r.event_id = ANY(ARRAY(SELECT id FROM events WHERE uuid = ANY(?))))",
            [Bind::Texts(uuids)],
        );
    }
    if let Some(v) = q.int("robot_id")? {
        w.add("u.robot_id = ?", [Bind::Int(v)]);
    }
    if let Some(ranch) = q.get("report__harvester__location__ranch") {
        w.add(
            "u.report_id IN (SELECT r.id FROM autodiagnostics_reports r JOIN harvesters h ON h.id = r.harvester_id \
             JOIN locations l ON l.id = h.location_id WHERE l.ranch = ?)",
            [Bind::Text(ranch.to_string())],
        );
    }
    Ok(())
}

pub async fn list(ctx: Ctx, req: HttpRequest, mut db: Db) -> AppResult<HttpResponse> {
    let q = Query::parse(req.query_string());
    let mut w = Where::default();
    apply(&q, &mut w)?;
    let json = representation("u");
    let l = Listing {
        from: "autodiagnostics_runs u",
        json: &json,
        id: "u.id",
        orderings: ORDERINGS,
        default_order: "u.id",
    };
    Ok(ctx.ok(list_page(&mut db, &req, &l, &w).await?))
}

pub async fn retrieve(ctx: Ctx, mut db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    let json = representation("u");
    let v = one(
        &mut db,
        "autodiagnostics_runs u",
        &json,
        "u.id",
        *id,
        "AutodiagnosticsRun",
    )
    .await?;
    Ok(ctx.ok(v))
}

pub async fn destroy(ctx: Ctx, mut db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    crate::apps::delete_row(&mut db, "autodiagnostics_runs", *id, "AutodiagnosticsRun").await?;
    Ok(ctx.deleted())
}
