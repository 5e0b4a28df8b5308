//! The six report kinds beyond error reports (docs/api-design.md#report-kinds): ingest, what
//! each reads and links, the worker's extraction, idempotent replays, bad input, and the fleet
//! state they feed (harvester `version`, `versions/`, `assets/`, `config/`, asset gauges).

use actix_web::http::StatusCode;
use serde_json::{json, Value};

use crate::data::{count, report, setup_basic, TS};
use crate::support::{run_worker, spawn, Who};

fn version_report(timestamp: f64, master: &str, dirty: Value) -> Value {
    json!({
        "type": "version_report", "timestamp": timestamp, "serial_number": "011",
        "data": {
            "master": {"version": master, "type": "release", "project": "strawberry",
                       "dirty": dirty, "unexpected": {}},
            "aft-robot01": {"error": "Error running remote cmd: sudo: aft-release: command not found"}
        }
    })
}

fn id_of(body: &Value) -> i64 {
    body["data"]["id"].as_i64().unwrap_or(-1)
}

#[actix_web::test]
async fn version_reports_absorb_unchanged_repeats_and_feed_the_harvester() {
    let app = spawn().await;
    let b = setup_basic(&mut app.db.conn().await).await;
    let first = app
        .post(
            Who::Sqs,
            "/api/v1/harvversion/",
            version_report(TS, "1.0", json!({})),
        )
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    assert_eq!(
        first.body["message"],
        "harvcodeversion created successfully"
    );
    let d = &first.body["data"];
    assert_eq!(
        (d["is_dirty"].clone(), d["has_unexpected"].clone()),
        (json!(false), json!(false))
    );
    assert_eq!(d["conflicts"], json!({"error": "No release"}));
    assert_eq!(d["harvester"], b.harvester);
    assert_eq!(d["tags"], json!([]), "it matches its schema");
    let v1 = id_of(&first.body);

    // The same versions an hour later: the earlier report stands for both.
    let again = app
        .post(
            Who::Sqs,
            "/api/v1/harvversion/",
            version_report(TS + 3600.0, "1.0", json!({})),
        )
        .await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(id_of(&again.body), v1);
    // A change is a new report; going back to 1.0 is another one.
    let dirty = app
        .post(
            Who::Sqs,
            "/api/v1/harvversion/",
            version_report(TS + 7200.0, "1.1", json!({"a.py": "M"})),
        )
        .await;
    let v2 = id_of(&dirty.body);
    assert!(v2 > v1);
    assert_eq!(dirty.body["data"]["is_dirty"], true);
    let back = app
        .post(
            Who::Sqs,
            "/api/v1/harvversion/",
            version_report(TS + 9000.0, "1.0", json!({})),
        )
        .await;
    let v3 = id_of(&back.body);
    assert!(v3 > v2);
    // A late copy of the 1.1 state (timed between 1.1 and the revert) is absorbed into 1.1.
    let late = app
        .post(
            Who::Sqs,
            "/api/v1/harvversion/",
            version_report(TS + 8000.0, "1.1", json!({"a.py": "M"})),
        )
        .await;
    assert_eq!(id_of(&late.body), v2);

    let list = app.get(Who::Support, "/api/v1/harvversion/").await;
    assert_eq!(count(&list.body), 3);
    let list = app
        .get(Who::Support, "/api/v1/harvversion/?harv_id=11")
        .await;
    assert_eq!(count(&list.body), 3);
    let list = app
        .get(Who::Support, "/api/v1/harvversion/?harv_id=12")
        .await;
    assert_eq!(count(&list.body), 0);
    let versions = app
        .get(
            Who::Support,
            &format!("/api/v1/harvesters/{}/versions/", b.harvester),
        )
        .await;
    let ids: Vec<i64> = versions.body["data"]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [v3, v2, v1], "newest first");
    let h = app
        .get(
            Who::Support,
            &format!("/api/v1/harvesters/{}/", b.harvester),
        )
        .await;
    assert_eq!(
        h.body["data"]["version"]["id"], v3,
        "the latest version report"
    );

    // With a release, `conflicts` names the hosts off it: an error, or another version.
    let release: i64 = {
        use diesel::sql_types::BigInt;
        use diesel_async::RunQueryDsl;
        #[derive(diesel::QueryableByName)]
        struct Id {
            #[diesel(sql_type = BigInt)]
            id: i64,
        }
        diesel::sql_query(format!(
            "INSERT INTO harvester_code_releases (version, release, fruit_id) \
             VALUES ('1.0', '{{\"master\": {{\"version\": \"1.0\"}}}}', {}) RETURNING id",
            b.fruit
        ))
        .get_result::<Id>(&mut app.db.conn().await)
        .await
        .unwrap()
        .id
    };
    let r = app
        .patch(
            Who::Admin,
            &format!("/api/v1/harvesters/{}/", b.harvester),
            json!({"release": release}),
        )
        .await;
    assert_eq!(r.body["data"]["release"]["version"], "1.0", "{}", r.text);
    assert_eq!(r.body["data"]["release"]["fruit"]["name"], "strawberry");
    let latest = app
        .get(Who::Support, &format!("/api/v1/harvversion/{v3}/"))
        .await;
    let conflicts = latest.body["data"]["conflicts"].as_object().unwrap();
    assert_eq!(
        conflicts.keys().collect::<Vec<_>>(),
        ["aft-robot01"],
        "master runs 1.0"
    );
    let older = app
        .get(Who::Support, &format!("/api/v1/harvversion/{v2}/"))
        .await;
    assert!(
        older.body["data"]["conflicts"]["master"].is_object(),
        "1.1 is not the release"
    );
    let r = app
        .patch(
            Who::Admin,
            &format!("/api/v1/harvesters/{}/", b.harvester),
            json!({"release": 999_999}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert!(
        r.body["errors"]["detail"]["release"].is_array() || r.text.contains("release"),
        "{}",
        r.text
    );

    // Schema: an unknown host is stored, tagged.
    let mut odd = version_report(TS + 10_000.0, "1.2", json!({}));
    odd["data"]["toaster"] = json!({"error": null});
    let r = app.post(Who::Sqs, "/api/v1/harvversion/", odd).await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.body["data"]["tags"], json!(["invalid schema"]));
    let schema = app.get(Who::Sqs, "/api/v1/harvversion/getschema/").await;
    assert_eq!(schema.body["message"], "version_report schema retrieved");
    assert_eq!(
        schema.body["data"]["properties"]["data"]["additionalProperties"],
        false
    );
}

#[actix_web::test]
async fn job_results_are_stored_without_their_job_and_host_results_extracted() {
    let app = spawn().await;
    setup_basic(&mut app.db.conn().await).await;
    let body = json!({
        "type": "jobresults", "timestamp": TS, "serial_number": "011", "uuid": "job-1",
        "data": {
            "master": {"ts": TS - 5.0, "exit_code": 0, "stdout": "", "stderr": "", "status": "success"},
            "aft-robot01": {"ts": TS - 4.0, "type": "RuntimeError", "value": "boom", "traceback": "tb", "status": "error"},
            "aft-robot02": {"ts": TS - 3.0, "status": "exploded"}
        }
    });
    let r = app
        .post(Who::Sqs, "/api/v1/jobresults/", body.clone())
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let id = id_of(&r.body);
    assert_eq!(
        r.body["data"]["job"],
        Value::Null,
        "D9: no job yet, stored all the same"
    );
    assert_eq!(r.body["data"]["event"]["UUID"], "job-1");
    assert_eq!(r.body["data"]["event"]["tags"], json!(["JobResults"]));
    assert_eq!(
        r.body["data"]["host_results"],
        json!([]),
        "extracted by the worker"
    );
    assert!(run_worker(&app.pool).await >= 1);
    let r = app
        .get(Who::Support, &format!("/api/v1/jobresults/{id}/"))
        .await;
    let hosts: Vec<(String, String)> = r.body["data"]["host_results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["host"].as_str().unwrap().into(),
                h["result"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        hosts,
        [
            ("aft-robot01".to_string(), "Error".to_string()),
            ("aft-robot02".into(), "Error".into()),
            ("master".into(), "Success".into())
        ]
    );
    assert_eq!(
        r.body["data"]["host_results"][1]["details"]["status"], "exploded",
        "raw status kept"
    );
    // A redelivery: the same row, nothing extracted twice.
    let again = app
        .post(Who::Sqs, "/api/v1/jobresults/", body.clone())
        .await;
    assert_eq!(id_of(&again.body), id);
    run_worker(&app.pool).await;
    let r = app
        .get(Who::Support, &format!("/api/v1/jobresults/{id}/"))
        .await;
    assert_eq!(r.body["data"]["host_results"].as_array().unwrap().len(), 3);
    // Results of a job that exists (here one loaded from the original) are linked to it.
    {
        use diesel_async::RunQueryDsl;
        let mut conn = app.db.conn().await;
        diesel::sql_query(
            "WITH t AS (INSERT INTO job_types (name) VALUES ('test') RETURNING id), \
             s AS (INSERT INTO job_schemas (job_type_id, version) SELECT id, '1.0' FROM t RETURNING id), \
             e AS (INSERT INTO events (uuid) VALUES ('job-2') RETURNING id) \
             INSERT INTO jobs (event_id, schema_id, target_id) \
             SELECT e.id, s.id, (SELECT min(id) FROM harvesters) FROM e, s",
        )
        .execute(&mut conn)
        .await
        .unwrap();
    }
    let mut second = body.clone();
    second["uuid"] = json!("job-2");
    let r = app.post(Who::Sqs, "/api/v1/jobresults/", second).await;
    let linked = id_of(&r.body);
    run_worker(&app.pool).await;
    let r = app
        .get(Who::Support, &format!("/api/v1/jobresults/{linked}/"))
        .await;
    assert!(r.body["data"]["job"].is_number(), "{}", r.text);
    let events = app.get(Who::Support, "/api/v1/events/?uuid=job-1").await;
    assert_eq!(
        events.body["data"]["results"][0]["related_objects"],
        json!([{"url": format!("/jobstatus/{id}/"), "object": "Job Status"}])
    );
}

fn autodiag(serial_no: Value, robot: Value) -> Value {
    json!({
        "type": "autodiagnostics", "timestamp": TS, "serial_number": "011",
        "uuid": "ad-1", "pick_session_uuid": "ps-ad-1",
        "data": {
            "serial_no": serial_no, "ts": TS - 1.0, "min_vac": -97.9, "delta_fing": 0.0,
            "no_touch_force": 3.28, "max_touch_val": 19.93, "tm_y_error": 0.0,
            "passed_autodiag_template_match": true, "passed_autodiag_ball_found": true,
            "passed_autodiag": true, "_meta": {"name": "picker"}, "robot_id": robot,
            "finger_open_value": 1.8, "finger_closed_value": 1.84,
            "sensors": {"state_extend": [[TS - 2.0, {"vac": -98.0, "touch": 2.0, "finger": 1.36}]]}
        }
    })
}

#[actix_web::test]
async fn autodiagnostics_runs_and_grippers_come_from_the_worker() {
    let app = spawn().await;
    let b = setup_basic(&mut app.db.conn().await).await;
    let magic = app
        .post(
            Who::Sqs,
            "/api/v1/autodiagnostics/",
            autodiag(json!(1297), json!(1)),
        )
        .await;
    assert_eq!(magic.status, StatusCode::OK, "{}", magic.text);
    assert_eq!(
        magic.body,
        json!({"status": "success", "message": "autodiagnostics created successfully",
               "data": "Magic gripper 1297 ignored."})
    );
    let mut no_serial = autodiag(json!(5), json!(1));
    no_serial["data"]
        .as_object_mut()
        .unwrap()
        .remove("serial_no");
    let r = app
        .post(Who::Sqs, "/api/v1/autodiagnostics/", no_serial)
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = app
        .post(
            Who::Sqs,
            "/api/v1/autodiagnostics/",
            autodiag(json!(1298), Value::Null),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        r.body["errors"]["detail"]["robot"],
        json!(["This field may not be null."])
    );
    let list = app.get(Who::Support, "/api/v1/autodiagnostics/").await;
    assert_eq!(count(&list.body), 0, "nothing stored so far");

    let r = app
        .post(
            Who::Sqs,
            "/api/v1/autodiagnostics/",
            autodiag(json!(1298), json!(2)),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let id = id_of(&r.body);
    let d = &r.body["data"];
    assert_eq!(
        (
            d["result"].clone(),
            d["robot"].clone(),
            d["gripper_sn"].clone()
        ),
        (json!(true), json!(2), json!(1298))
    );
    assert_eq!(d["run_data"], Value::Null);
    assert_eq!(
        d["pick_session"]["harvester"]["id"], b.harvester,
        "the pick session gets its harvester"
    );
    assert_eq!(d["event"]["tags"], json!(["AutodiagnosticsReport"]));

    run_worker(&app.pool).await;
    let r = app
        .get(Who::Support, &format!("/api/v1/autodiagnostics/{id}/"))
        .await;
    let run = &r.body["data"]["run_data"];
    assert_eq!(run["report"], id);
    assert_eq!(run["robot_id"], 2);
    assert_eq!(run["min_vac"], -97.9);
    assert_eq!(run["finger_delta"], 0.0);
    assert_eq!(run["sensors"]["state_extend"][0][1]["vac"], -98.0);
    let assets = app
        .get(
            Who::Support,
            &format!("/api/v1/harvesters/{}/assets/", b.harvester),
        )
        .await;
    let gripper = &assets.body["data"][0];
    assert_eq!(gripper["asset"]["name"], "gripper");
    assert_eq!(
        (gripper["serial_number"].clone(), gripper["index"].clone()),
        (json!("1298"), json!(2))
    );
    assert_eq!(run["gripper"], gripper["id"]);

    let runs = app
        .get(
            Who::Support,
            "/api/v1/autodiagnosticsruns/?gripper_sns=1298&min_vac_lte=-90&harv_ids=11",
        )
        .await;
    assert_eq!(count(&runs.body), 1, "{}", runs.text);
    let runs = app
        .get(Who::Support, "/api/v1/autodiagnosticsruns/?min_vac_gte=0")
        .await;
    assert_eq!(count(&runs.body), 0);
    let filtered = app
        .get(
            Who::Support,
            "/api/v1/autodiagnostics/?gripper_sn=1298&robot=2&result=true&uuid=ad-1",
        )
        .await;
    assert_eq!(count(&filtered.body), 1);
    let ps = app
        .get(Who::Support, "/api/v1/picksessions/?uuid=ps-ad-1")
        .await;
    assert_eq!(
        ps.body["data"]["results"][0]["related_objects"],
        json!([{"url": format!("/autodiagnostics/{id}/"), "object": "Autodiagnostics Report"}])
    );
}

#[actix_web::test]
async fn grip_reports_set_their_pick_session_span() {
    let app = spawn().await;
    let b = setup_basic(&mut app.db.conn().await).await;
    let body = json!({
        "type": "gripreport", "timestamp": TS, "serial_number": "011", "uuid": "grip-1",
        "pick_session_uuid": "ps-grip-1", "pick_session_start_time": TS - 2320.870794,
        "data": {"cand": [{"cand_id": 1, "score": -220.9}], "grip": []}
    });
    let r = app
        .post(Who::Sqs, "/api/v1/gripreports/", body.clone())
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let ps = &r.body["data"]["pick_session"];
    assert_eq!(ps["session_length"], "00:38:40.870794");
    assert_eq!(ps["start_time"], "2022-05-02T20:49:01.918529Z");
    assert_eq!(ps["harvester"]["id"], b.harvester);
    assert_eq!(ps["tags"], json!(["GripReport"]));
    let mut missing = body.clone();
    missing
        .as_object_mut()
        .unwrap()
        .remove("pick_session_start_time");
    missing["uuid"] = json!("grip-2");
    let r = app.post(Who::Sqs, "/api/v1/gripreports/", missing).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body["errors"]["detail"]["pick_session_start_time"].is_array(),
        "{}",
        r.text
    );
    let r = app
        .get(Who::Support, "/api/v1/gripreports/?harvester__harv_id=11&location__ranch=Ranch%20A&event__UUID=grip-1")
        .await;
    assert_eq!(count(&r.body), 1, "{}", r.text);
}

#[actix_web::test]
async fn config_reports_are_kept_whole_and_the_latest_is_the_harvesters() {
    let app = spawn().await;
    let b = setup_basic(&mut app.db.conn().await).await;
    // About a megabyte, as harvesters send them.
    let big: serde_json::Map<String, Value> = (0..4000)
        .map(|i| {
            (
                format!("param_{i}"),
                json!({"value": "x".repeat(200), "n": i}),
            )
        })
        .collect();
    let config = |ts: f64, overlay: &str| {
        json!({"type": "configs", "timestamp": ts, "serial_number": "011",
               "data": {"0": {"conf_default": big.clone(), "overlay_diff": {"speed": overlay}},
                        "1": {"conf_default": {}, "overlay_diff": {}}}})
    };
    let text = config(TS, "fast").to_string();
    assert!(text.len() > 900_000);
    let r = app.post_text(Who::Sqs, "/api/v1/aftconfigs/", text).await;
    assert_eq!(
        r.status,
        StatusCode::CREATED,
        "{}",
        &r.text[..r.text.len().min(300)]
    );
    assert_eq!(
        r.body["data"]["report"]["data"]["0"]["conf_default"]["param_3999"]["n"],
        3999
    );
    assert_eq!(r.body["data"]["event"]["tags"], json!(["ConfigReport"]));
    let r = app
        .post(Who::Sqs, "/api/v1/aftconfigs/", config(TS - 100.0, "slow"))
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let latest = app
        .get(
            Who::Support,
            &format!("/api/v1/harvesters/{}/config/", b.harvester),
        )
        .await;
    assert_eq!(latest.body["message"], "Harvester 11 config");
    assert_eq!(
        latest.body["data"]["report"]["data"]["0"]["overlay_diff"]["speed"], "fast",
        "by report time"
    );
}

fn asset_report(ts: f64, entries: Value) -> Value {
    json!({"type": "asset-tags", "timestamp": ts, "serial_number": "011", "data": entries})
}

#[actix_web::test]
async fn asset_reports_place_assets_and_keep_their_history() {
    let app = spawn().await;
    let b = setup_basic(&mut app.db.conn().await).await;
    let first = asset_report(
        TS,
        json!([
            {"asset": "arm", "index": 1, "asset-tag": "SA-019", "version": null},
            {"asset": "arm", "index": 2, "asset-tag": "SA-040", "version": null},
            {"asset": "gripper", "index": 1, "asset-tag": 13, "version": "B01"},
            {"asset": "gantry", "index": 1}
        ]),
    );
    let r = app.post(Who::Sqs, "/api/v1/harvassetreport/", first).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["data"]["harvester"]["harv_id"], 11);
    run_worker(&app.pool).await;
    let on = |body: &Value| -> Vec<(String, i64, String)> {
        body["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                (
                    a["asset"]["name"].as_str().unwrap().to_string(),
                    a["index"].as_i64().unwrap(),
                    a["serial_number"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let path = format!("/api/v1/harvesters/{}/assets/", b.harvester);
    let assets = app.get(Who::Support, &path).await;
    assert_eq!(
        on(&assets.body),
        [
            ("arm".to_string(), 1, "SA-019".to_string()),
            ("arm".into(), 2, "SA-040".into()),
            ("gripper".into(), 1, "13".into())
        ],
        "the gantry without a serial number is skipped"
    );
    // Arm SA-019 moves to index 2; SA-040 is taken off.
    let second = asset_report(
        TS + 60.0,
        json!([
            {"asset": "arm", "index": 2, "asset-tag": "SA-019", "version": "r2"}
        ]),
    );
    app.post(Who::Sqs, "/api/v1/harvassetreport/", second).await;
    run_worker(&app.pool).await;
    let assets = app.get(Who::Support, &path).await;
    assert_eq!(
        on(&assets.body),
        [
            ("arm".to_string(), 2, "SA-019".to_string()),
            ("gripper".into(), 1, "13".into())
        ]
    );
    let off = app
        .get(Who::Support, "/api/v1/harvassets/?serial_number=SA-040")
        .await;
    assert_eq!(off.body["data"]["results"][0]["harvester"], Value::Null);
    let reports = app.get(Who::Support, "/api/v1/harvassetreport/").await;
    assert_eq!(count(&reports.body), 2, "D14: kept after extraction");
    let history: i64 = {
        use diesel::sql_types::BigInt;
        use diesel_async::RunQueryDsl;
        #[derive(diesel::QueryableByName)]
        struct N {
            #[diesel(sql_type = BigInt)]
            n: i64,
        }
        let mut conn = app.db.conn().await;
        diesel::sql_query("SELECT count(*) AS n FROM asset_history h JOIN assets a ON a.id = h.id WHERE a.serial_number = 'SA-019'")
            .get_result::<N>(&mut conn)
            .await
            .unwrap()
            .n
    };
    assert_eq!(history, 2, "created, then moved");
    let sa019 = app
        .get(Who::Support, "/api/v1/harvassets/?serial_number=SA-019")
        .await;
    let sa019 = sa019.body["data"]["results"][0]["id"].as_i64().unwrap();
    let h = app
        .get(
            Who::Support,
            &format!("/api/v1/harvassets/{sa019}/history/"),
        )
        .await;
    assert_eq!(h.status, StatusCode::OK, "{}", h.text);
    let states: Vec<(String, i64, Value)> = h.body["data"]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["history_type"].as_str().unwrap().to_string(),
                s["index"].as_i64().unwrap(),
                s["version"].clone(),
            )
        })
        .collect();
    assert_eq!(
        states,
        [
            ("~".to_string(), 2, json!("r2")),
            ("+".into(), 1, Value::Null)
        ],
        "newest first"
    );
    let metrics = app.get(Who::Anon, "/metrics").await;
    assert!(
        metrics.text.contains(
            "hds_asset_harvester_id{asset_type=\"arm\",serial_number=\"SA-040\",revision=\"\",fruit=\"\"} -1"
        ),
        "{}",
        metrics.text
    );
    assert!(metrics.text.contains(
        "harvester_asset_robot_id{asset_type=\"arm\",serial_number=\"SA-019\",revision=\"r2\",fruit=\"strawberry\"} 2"
    ));
    // The latest report (the second) names every serial number; the first's gantry had none.
    assert!(
        metrics
            .text
            .contains("hds_asset_missing_sn{harv_id=\"11\",index=\"2\",asset_type=\"arm\"} 0"),
        "{}",
        metrics.text
    );
    let filtered = app
        .get(
            Who::Support,
            "/api/v1/harvassets/?asset__name=arm&harvester__harv_id=11",
        )
        .await;
    assert_eq!(count(&filtered.body), 1);
    // Superusers correct an asset; others may not.
    let id = filtered.body["data"]["results"][0]["id"].as_i64().unwrap();
    let r = app
        .patch(
            Who::Manager,
            &format!("/api/v1/harvassets/{id}/"),
            json!({"version": "r3"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .patch(
            Who::Admin,
            &format!("/api/v1/harvassets/{id}/"),
            json!({"version": "r3"}),
        )
        .await;
    assert_eq!(r.body["data"]["version"], "r3", "{}", r.text);
    // The manifest the original posts to Slack.
    let slack = crate::support::FakeSlack::start().await;
    let client = hds::slack::Slack::new(Some("xoxb-test".into()), &slack.url);
    let mut conn = app.db.conn().await;
    let manifest = hds::apps::harvassets::manifest::send_manifest(&mut conn, &client, "hds-test")
        .await
        .unwrap();
    assert_eq!(
        manifest,
        json!({
            "Harvester 11": {
                "arm": [{"serial number": "SA-019", "index": 2, "rev": "r3"}],
                "gripper": [{"serial number": "13", "index": 1, "rev": "B01"}]
            },
            "unused": {"arm": [{"serial number": "SA-040", "index": 2, "rev": null}]}
        })
    );
    let sent = slack.sent();
    assert_eq!(sent[0]["channel"], "hds-test");
    assert!(sent[0]["text"].as_str().unwrap().contains("SA-040"));
}

#[actix_web::test]
async fn events_list_every_kind_linked_to_them_in_either_order() {
    let app = spawn().await;
    setup_basic(&mut app.db.conn().await).await;
    let config = json!({"type": "configs", "timestamp": TS, "serial_number": "011", "uuid": "shared",
                        "data": {"0": {"conf_default": {}, "overlay_diff": {}}}});
    let c = app.post(Who::Sqs, "/api/v1/aftconfigs/", config).await;
    let e = app
        .post(
            Who::Sqs,
            "/api/v1/errorreports/",
            report("011", "shared", TS),
        )
        .await;
    assert_eq!(c.body["data"]["event"]["id"], e.body["data"]["event"]["id"]);
    let events = app.get(Who::Support, "/api/v1/events/?uuid=shared").await;
    let objects = &events.body["data"]["results"][0]["related_objects"];
    let labels: Vec<&str> = objects
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["object"].as_str().unwrap())
        .collect();
    assert!(
        labels.contains(&"Error Report") && labels.contains(&"Config Report"),
        "{objects}"
    );
    let tags = &events.body["data"]["results"][0]["tags"];
    assert_eq!(tags, &json!(["ConfigReport", "ErrorReport"]));
}

#[actix_web::test]
async fn bad_input_is_refused_in_the_error_shape_for_every_kind() {
    let app = spawn().await;
    setup_basic(&mut app.db.conn().await).await;
    let too_deep = format!("{}1{}", "[".repeat(1000), "]".repeat(1000));
    for path in [
        "harvversion/",
        "jobresults/",
        "autodiagnostics/",
        "gripreports/",
        "aftconfigs/",
        "harvassetreport/",
    ] {
        let url = format!("/api/v1/{path}");
        for (what, text) in [
            ("malformed", "{\"data\": {".to_string()),
            ("not an object", "[1, 2]".to_string()),
            ("too deep", format!("{{\"timestamp\": {TS}, \"serial_number\": 11, \"data\": {too_deep}}}")),
            ("no serial number", format!("{{\"timestamp\": {TS}, \"data\": {{}}, \"pick_session_start_time\": 1}}")),
            ("unknown harvester", format!("{{\"timestamp\": {TS}, \"serial_number\": 999, \"data\": {{\"serial_no\": 5, \"robot_id\": 1, \"passed_autodiag\": true}}, \"pick_session_start_time\": {TS}}}")),
            ("milliseconds", format!("{{\"timestamp\": {}, \"serial_number\": 11, \"data\": {{\"serial_no\": 5, \"robot_id\": 1, \"passed_autodiag\": true}}, \"pick_session_start_time\": {TS}}}", TS * 1000.0)),
        ] {
            let r = app.post_text(Who::Sqs, &url, text).await;
            assert!(r.status.is_client_error(), "{path} {what}: {} {}", r.status, r.text);
            assert_eq!(r.body["status"], "error", "{path} {what}: {}", r.text);
        }
        let list = app.get(Who::Admin, &url).await;
        assert_eq!(count(&list.body), 0, "{path}: nothing stored");
        let schema = app.get(Who::Jenkins, &format!("{url}getschema/")).await;
        assert_eq!(schema.status, StatusCode::OK, "{path}: D7");
    }
}

/// Background work is batched per transaction, but a report whose work fails fails alone: it is
/// retried by the sweep and, after five attempts, marked failed and tagged `incomplete`.
#[actix_web::test]
async fn a_failing_extraction_fails_alone_and_ends_tagged_incomplete() {
    let app = spawn().await;
    setup_basic(&mut app.db.conn().await).await;
    let mut ids = Vec::new();
    for (n, ts) in [(1, Some(TS - 1.0)), (2, None), (3, Some(TS - 3.0))] {
        let mut body = autodiag(json!(1400 + n), json!(n));
        body["uuid"] = json!(format!("ad-batch-{n}"));
        body["pick_session_uuid"] = json!(format!("ps-batch-{n}"));
        match ts {
            Some(ts) => body["data"]["ts"] = json!(ts),
            // No run time: the run cannot be extracted.
            None => {
                body["data"].as_object_mut().unwrap().remove("ts");
            }
        }
        let r = app.post(Who::Sqs, "/api/v1/autodiagnostics/", body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        ids.push(id_of(&r.body));
    }
    for _ in 0..5 {
        run_worker(&app.pool).await;
    }
    let path = |id: i64| format!("/api/v1/autodiagnostics/{id}/");
    let good = app.get(Who::Support, &path(ids[0])).await;
    assert!(good.body["data"]["run_data"].is_object(), "{}", good.text);
    let third = app.get(Who::Support, &path(ids[2])).await;
    assert!(third.body["data"]["run_data"].is_object());
    let bad = app.get(Who::Support, &path(ids[1])).await;
    assert_eq!(bad.body["data"]["run_data"], Value::Null);
    assert_eq!(
        bad.body["data"]["tags"],
        json!(["incomplete", "invalid schema"]),
        "{}",
        bad.text
    );
    let m = app.get(Who::Anon, "/metrics").await;
    assert!(m.text.contains("task=\"extract_autodiag_run\""), "counted");
}
