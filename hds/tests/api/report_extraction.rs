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

/// Repeats change nothing: an asset report naming the assets where they already are, and a
/// second run of a gripper already in place, write no asset and no history.
#[actix_web::test]
async fn unchanged_assets_and_grippers_are_not_written_again() {
    let app = spawn().await;
    setup_basic(&mut app.db.conn().await).await;
    let entries = json!([
        {"asset": "arm", "index": 1, "asset-tag": "SA-100", "version": "r1"},
        {"asset": "traychanger", "index": 1, "asset-tag": "TC-7", "version": null}
    ]);
    for n in 0..3 {
        let r = app
            .post(
                Who::Sqs,
                "/api/v1/harvassetreport/",
                asset_report(TS + f64::from(n), entries.clone()),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    for n in 0..2 {
        let mut body = autodiag(json!(1500), json!(3));
        body["uuid"] = json!(format!("ad-same-{n}"));
        body["pick_session_uuid"] = json!(format!("ps-same-{n}"));
        let r = app.post(Who::Sqs, "/api/v1/autodiagnostics/", body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    run_worker(&app.pool).await;
    let runs = app.get(Who::Support, "/api/v1/autodiagnosticsruns/").await;
    let grippers: Vec<Value> = runs.body["data"]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["gripper"].clone())
        .collect();
    assert_eq!(grippers.len(), 2, "{}", runs.text);
    assert_eq!(grippers[0], grippers[1], "one gripper for both runs");
    let history = scalar(
        &app,
        "SELECT count(*) AS n FROM asset_history h JOIN assets a ON a.id = h.id \
         WHERE a.serial_number IN ('SA-100', 'TC-7', '1500')",
    )
    .await;
    assert_eq!(history, 3, "each asset created once, never rewritten");
    let types = scalar(&app, "SELECT count(*) AS n FROM asset_types").await;
    assert_eq!(types, 3, "arm, traychanger, gripper");
}

/// One harvester's asset reports extracted by several workers at once, in whatever order they
/// finish, end as the newest report says: no deadlock, the newest report's assets in place,
/// every other asset taken off.
#[actix_web::test]
async fn concurrent_extraction_of_one_harvesters_asset_reports_ends_in_report_order() {
    let app = spawn().await;
    let b = setup_basic(&mut app.db.conn().await).await;
    let reports = 40;
    for n in 0..reports {
        let entries: Vec<Value> = ["arm", "gantry"]
            .iter()
            .flat_map(|a| {
                (1..=2).map(move |i| json!({"asset": a, "index": i, "asset-tag": format!("{a}-{i}-{}", n % 3)}))
            })
            .collect();
        let r = app
            .post(
                Who::Sqs,
                "/api/v1/harvassetreport/",
                asset_report(TS + f64::from(n), json!(entries)),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    let ids: Vec<i64> = {
        use diesel_async::RunQueryDsl;
        #[derive(diesel::QueryableByName)]
        struct Id {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            id: i64,
        }
        let mut conn = app.db.conn().await;
        diesel::sql_query("SELECT id FROM asset_reports ORDER BY id")
            .load::<Id>(&mut conn)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.id)
            .collect()
    };
    // Four workers, each taking every fourth report in order, as the queue hands them out.
    let kind = hds::reports::kind("harvassetreport").expect("kind");
    let workers = (0..4).map(|w| {
        let pool = app.pool.clone();
        let mine: Vec<i64> = ids.iter().copied().skip(w).step_by(4).collect();
        async move {
            for id in mine {
                let mut conn = pool.get().await.unwrap();
                hds::reports::extraction::run(&mut conn, kind, id)
                    .await
                    .unwrap();
            }
        }
    });
    futures_util::future::join_all(workers).await;
    // Whatever a worker skipped (locked by another) the sweep finishes.
    run_worker(&app.pool).await;
    let pending = scalar(
        &app,
        "SELECT count(*) AS n FROM asset_reports WHERE extraction_status <> 'done'",
    )
    .await;
    assert_eq!(pending, 0);
    let last = (reports - 1) % 3;
    let assets = app
        .get(
            Who::Support,
            &format!("/api/v1/harvesters/{}/assets/", b.harvester),
        )
        .await;
    let mut placed: Vec<String> = assets.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["serial_number"].as_str().unwrap().to_string())
        .collect();
    placed.sort();
    assert_eq!(
        placed,
        [
            format!("arm-1-{last}"),
            format!("arm-2-{last}"),
            format!("gantry-1-{last}"),
            format!("gantry-2-{last}")
        ],
        "{}",
        assets.text
    );
    let on = scalar(
        &app,
        "SELECT count(*) AS n FROM assets WHERE harvester_id IS NOT NULL",
    )
    .await;
    assert_eq!(on, 4, "every other asset taken off");
}

async fn scalar<S>(app: &crate::support::TestApp<S>, sql: &str) -> i64 {
    use diesel_async::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let mut conn = app.db.conn().await;
    diesel::sql_query(sql)
        .get_result::<N>(&mut conn)
        .await
        .unwrap()
        .n
}
