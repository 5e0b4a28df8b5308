//! What the worker extracts from reports (docs/api-design.md#report-kinds): autodiagnostics
//! runs and grippers, assets with their history, gauges and manifest, and how a failing
//! extraction ends.

use actix_web::http::StatusCode;
use serde_json::{json, Value};

use crate::data::{count, setup_basic, TS};
use crate::report_kinds::id_of;
use crate::support::{run_worker, spawn, Who};

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

/// A report whose background work fails fails alone: it is retried by the sweep and, after five
/// attempts, marked failed and tagged `incomplete`.
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
