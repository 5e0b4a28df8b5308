//! The six report kinds beyond error reports (docs/api-design.md#report-kinds): ingest, what
//! each reads and links, idempotent replays, bad input, and the fleet state they feed
//! (harvester `version`, `versions/`, `config/`). What the worker extracts from autodiagnostics
//! and asset reports: `report_extraction.rs`.

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

pub fn id_of(body: &Value) -> i64 {
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
