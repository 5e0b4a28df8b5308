//! Test data: the basic fleet (docs/api-design.md#tests) and error reports built here, in the
//! harvesters' format.

use diesel::sql_types::{BigInt, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde_json::{json, Value};

#[derive(diesel::QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

async fn insert(conn: &mut AsyncPgConnection, sql: &str) -> i64 {
    let row: Id = diesel::sql_query(sql).get_result(conn).await.expect(sql);
    row.id
}

#[allow(dead_code)]
pub struct Basic {
    pub fruit: i64,
    pub distributor: i64,
    pub location: i64,
    pub harvester: i64,
}

/// Fruit `strawberry`, distributor, location `Ranch A`, harvester 11, exception codes 0–3.
pub async fn setup_basic(conn: &mut AsyncPgConnection) -> Basic {
    let fruit = insert(
        conn,
        "INSERT INTO fruits (name) VALUES ('strawberry') RETURNING id",
    )
    .await;
    let distributor = insert(
        conn,
        "INSERT INTO distributors (name) VALUES ('test_distrib') RETURNING id",
    )
    .await;
    let location = insert(
        conn,
        &format!("INSERT INTO locations (distributor_id, ranch, country, region, site_channel) VALUES ({distributor}, 'Ranch A', 'US', 'California', 'ranch-a-ops') RETURNING id"),
    )
    .await;
    let harvester = insert(
        conn,
        &format!("INSERT INTO harvesters (harv_id, fruit_id, location_id, name) VALUES (11, {fruit}, {location}, 'Harvester 1') RETURNING id"),
    )
    .await;
    for (code, name, cycle, msg) in [
        (0, "AFTBaseException", false, "Please cycle the harvester"),
        (1, "TrayException", false, "Check the tray changer"),
        (2, "GripperException", true, "Check the gripper"),
        (3, "MotionException", false, "Check the robot's path"),
    ] {
        diesel::sql_query("INSERT INTO exception_codes (code, name, team, cycle, operator_msg) VALUES ($1, $2, 'aft', $3, $4)")
            .bind::<diesel::sql_types::Integer, _>(code)
            .bind::<Text, _>(name)
            .bind::<diesel::sql_types::Bool, _>(cycle)
            .bind::<Text, _>(msg)
            .execute(conn)
            .await
            .unwrap();
    }
    Basic {
        fruit,
        distributor,
        location,
        harvester,
    }
}

pub async fn add_harvester(
    conn: &mut AsyncPgConnection,
    basic: &Basic,
    harv_id: i32,
    emulator: bool,
) -> i64 {
    insert(
        conn,
        &format!(
            "INSERT INTO harvesters (harv_id, fruit_id, location_id, name, is_emulator) VALUES ({harv_id}, {}, {}, 'H{harv_id}', {emulator}) RETURNING id",
            basic.fruit, basic.location
        ),
    )
    .await
}

/// One error of a sysmon entry: `(key, code, epoch seconds, handled)`.
pub type Err = (&'static str, i32, f64, bool);

/// An error report as a harvester sends it. Three errors on `sysmon.0` by default, the
/// tray changer's being the earliest.
/// A report timestamp (seconds since the epoch) the tests build around.
pub const TS: f64 = 1651526862.789323;

/// `data.count` of a list answer (-1 when absent).
pub fn count(body: &Value) -> i64 {
    body["data"]["count"].as_i64().unwrap_or(-1)
}

pub fn report(serial: &str, uuid: &str, timestamp: f64) -> Value {
    report_with(
        serial,
        uuid,
        timestamp,
        &[
            ("harvester.0", 0, 1641526851.5, false),
            ("masterui.0", 0, 1651526861.5, false),
            ("traychg.0", 0, 1621526841.5, false),
        ],
    )
}

pub fn report_with(serial: &str, uuid: &str, timestamp: f64, errors: &[Err]) -> Value {
    let mut errs = serde_json::Map::new();
    for (key, code, ts, handled) in errors {
        errs.insert(
            key.to_string(),
            json!({
                "ts": ts, "code": code, "handled": handled,
                "value": "traychgunit.1 Error: No tray detected in collection",
                "traceback": format!("Traceback (most recent call last):\n  File \"robot.py\", line 7, in {key}\nRuntimeError: findme {key}"),
                "operator_err_type": "traychg"
            }),
        );
    }
    json!({
        "type": "error",
        "timestamp": timestamp,
        "serial_number": serial,
        "uuid": uuid,
        "pick_session_uuid": format!("ps-{uuid}"),
        "data": {
            "serial_number": serial,
            "githash": "5763793c96",
            "branch_name": null,
            "sysmon_report": {
                "serial_number": serial,
                "sysmon.0": {
                    "index": 0,
                    "robot_index": 0,
                    "version": "+5763793c96",
                    "errors": Value::Object(errs),
                    "services": { "traychg.0": { "PID": 111, "state": "S", "cpu": 0.4, "mem": 0.9 } }
                },
                "sysmon.1": { "index": 1, "robot_index": 1, "errors": {}, "services": { "robot.1": { "PID": 222 } } }
            }
        }
    })
}
