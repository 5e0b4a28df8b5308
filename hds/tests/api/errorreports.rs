//! Error reports: ingestion, extraction, update and delete (docs/api-design.md#error-reports,
//! docs/api-design.md#reading-a-report, docs/api-design.md#tests;
//! docs/api-design.md#durable-pending-work).
//! Lists and filters are in `errorreport_lists.rs`; the report writers (batches,
//! idempotency, the create answer) in `errorreport_writers.rs`.

use actix_web::http::{Method, StatusCode};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde_json::{json, Value};

use crate::data::{add_harvester, count, report, report_with, setup_basic, TS};
use crate::support::{run_worker, shared_data, spawn, Who};

#[actix_web::test]
async fn only_sqs_and_superusers_ingest() {
    let app = spawn().await;
    setup_basic(&mut app.db.conn().await).await;
    for who in [Who::Support, Who::Manager, Who::Jenkins, Who::Beatbox] {
        let r = app
            .post(who, "/api/v1/errorreports/", report("011", "u-1", TS))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who:?}");
    }
    let r = app
        .post(Who::Sqs, "/api/v1/errorreports/", report("011", "u-1", TS))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let r = app.get(Who::Sqs, "/api/v1/errorreports/").await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "the forwarder account writes but does not read"
    );
}

#[actix_web::test]
async fn ingest_links_event_and_pick_session_and_extraction_finds_three_exceptions() {
    let app = spawn().await;
    setup_basic(&mut app.db.conn().await).await;
    let r = app
        .post(
            Who::Sqs,
            "/api/v1/errorreports/",
            report("011", "evt-1", TS),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["message"], "errorreport created successfully");
    let d = &r.body["data"];
    let id = d["id"].as_i64().unwrap();
    assert_eq!(d["reportTime"], "2022-05-02T21:27:42.789323Z");
    assert_eq!(d["githash"], "5763793c96");
    assert_eq!(d["gitbranch"], "unknown");
    assert_eq!(d["harvester"]["harv_id"], 11);
    assert_eq!(d["location"]["ranch"], "Ranch A");
    assert_eq!(d["event"]["UUID"], "evt-1");
    assert_eq!(d["event"]["tags"], json!(["ErrorReport"]));
    assert_eq!(
        d["event"]["related_objects"][0]["url"],
        format!("/errorreports/{id}/")
    );
    assert_eq!(d["event"]["related_objects"][0]["object"], "Error Report");
    assert_eq!(d["pick_session"]["UUID"], "ps-evt-1");
    assert_eq!(
        d["extraction_status"], "pending",
        "extraction is background work"
    );
    assert_eq!(d["exceptions"], json!([]));

    assert!(run_worker(&app.pool).await >= 1);
    let r = app
        .get(Who::Support, &format!("/api/v1/errorreports/{id}/"))
        .await;
    let exceptions = r.body["data"]["exceptions"].as_array().unwrap().clone();
    assert_eq!(exceptions.len(), 3);
    let first = &exceptions[0];
    assert_eq!(first["service"], "traychg");
    assert_eq!(
        (first["node"].as_i64(), first["robot"].as_i64()),
        (Some(0), Some(0))
    );
    assert_eq!(first["code"]["code"], 0);
    assert_eq!(first["code"]["name"], "AFTBaseException");
    assert_eq!(
        first["info"],
        "traychgunit.1 Error: No tray detected in collection"
    );
    assert_eq!(first["timestamp"], "2021-05-20T16:07:21.500000Z");
    assert_eq!(first["handled"], false);
    let primaries: Vec<&Value> = exceptions.iter().filter(|e| e["primary"] == true).collect();
    assert_eq!(primaries.len(), 1, "exactly one primary");
    assert_eq!(
        primaries[0]["service"], "traychg",
        "the earliest is primary"
    );
    assert_eq!(r.body["data"]["extraction_status"], "done");
    // Running the worker again changes nothing.
    run_worker(&app.pool).await;
    let r = app
        .get(Who::Support, &format!("/api/v1/errorreports/{id}/"))
        .await;
    assert_eq!(
        r.body["data"]["exceptions"].as_array().unwrap().len(),
        3,
        "no duplicate exceptions"
    );

    // The fleet overview shows each harvester's newest report and its primary exception.
    let harvester = app
        .get(Who::Support, "/api/v1/harvesters/?harv_id=11")
        .await;
    let last = &harvester.body["data"]["results"][0]["last_report"];
    assert_eq!(last["id"], id);
    assert_eq!(last["error"]["service"], "traychg");
    assert_eq!(last["error"]["name"], "AFTBaseException");
    assert!(
        r.body["data"]["harvester"].get("last_report").is_none(),
        "not repeated inside reports"
    );

    let mut conn = app.db.conn().await;
    let events: i64 = hds::schema::events::table
        .count()
        .get_result(&mut conn)
        .await
        .unwrap();
    let sessions: i64 = hds::schema::pick_sessions::table
        .count()
        .get_result(&mut conn)
        .await
        .unwrap();
    assert_eq!((events, sessions), (1, 1));
}

#[actix_web::test]
async fn aux_uuids_become_tagged_secondary_events() {
    let app = spawn().await;
    setup_basic(&mut app.db.conn().await).await;
    let mut body = report("011", "main-evt", TS);
    body["aux_uuids"] = json!(["dummy-uuid-1", "dummy-uuid-2"]);
    let r = app.post(Who::Sqs, "/api/v1/errorreports/", body).await;
    let event = &r.body["data"]["event"];
    let mut secondary: Vec<i64> = event["secondary_events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    secondary.sort();
    assert_eq!(secondary.len(), 2);
    let all = app.get(Who::Support, "/api/v1/events/").await;
    assert_eq!(count(&all.body), 3);
    let aux = app
        .get(Who::Support, "/api/v1/events/?UUID=dummy-uuid-1")
        .await;
    let aux = &aux.body["data"]["results"][0];
    assert_eq!(aux["tags"], json!(["secondary"]), "D6: the tag is saved");
    assert_eq!(aux["secondary_events"], json!([event["id"]]), "symmetrical");
    assert_eq!(
        aux["related_objects"][0]["object"], "Error Report",
        "secondary events show the primary's objects"
    );
}

#[actix_web::test]
async fn bad_reports_get_clear_400s_and_store_nothing() {
    let app = spawn().await;
    setup_basic(&mut app.db.conn().await).await;
    let r = app
        .post(Who::Sqs, "/api/v1/errorreports/", report("099", "x", TS))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        r.body["errors"]["exception"],
        "Harvester matching query does not exist."
    );
    let mut no_serial = report("011", "x", TS);
    no_serial.as_object_mut().unwrap().remove("serial_number");
    no_serial["data"]
        .as_object_mut()
        .unwrap()
        .remove("serial_number");
    let r = app.post(Who::Sqs, "/api/v1/errorreports/", no_serial).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body["errors"]["detail"]["serial_number"].is_array(),
        "{}",
        r.text
    );
    let r = app
        .post(
            Who::Sqs,
            "/api/v1/errorreports/",
            json!({"data": {}, "timestamp": TS, "serial_number": 11}),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::BAD_REQUEST,
        "no sysmon_report: {}",
        r.text
    );
    let mut no_ts = report("011", "x", TS);
    no_ts.as_object_mut().unwrap().remove("timestamp");
    let r = app.post(Who::Sqs, "/api/v1/errorreports/", no_ts).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body["errors"]["detail"]["timestamp"].is_array());
    let r = app
        .post(Who::Sqs, "/api/v1/errorreports/", json!([1, 2]))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = app
        .post_text(Who::Sqs, "/api/v1/errorreports/", "{\"timestamp\": 1, ")
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    // Malformed deep inside a part ingestion does not read, and nested too deep: refused all
    // the same, with the parser's message.
    let mut deep_typo = report("011", "typo", TS).to_string();
    deep_typo = deep_typo.replacen("\"traceback\":", "\"traceback\" ", 1);
    let too_deep = format!(
        r#"{{"uuid": "deep", "extra": {}1{}}}"#,
        "[".repeat(200),
        "]".repeat(200)
    );
    for body in [deep_typo, too_deep] {
        let r = app.post_text(Who::Sqs, "/api/v1/errorreports/", body).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
        assert!(r.text.contains("JSON parse error"), "{}", r.text);
    }
    let list = app.get(Who::Admin, "/api/v1/errorreports/").await;
    assert_eq!(count(&list.body), 0, "nothing stored");
    let metrics = app.get(Who::Anon, "/metrics").await;
    assert!(
        metrics
            .text
            .contains("hds_total_error{basename=\"errorreport\",exception=\"DoesNotExist\"}"),
        "counted"
    );
}

#[actix_web::test]
async fn invalid_schema_is_tagged_but_ingested_and_unreadable_keys_mark_incomplete() {
    let app = spawn().await;
    setup_basic(&mut app.db.conn().await).await;
    let mut body = report_with("011", "odd", TS, &[]);
    body["data"]["sysmon_report"]["sysmon.0"]["errors"] = json!({"traychg_0": {}});
    body["data"]["sysmon_report"]["sysmon.2"] = json!("not an object");
    let r = app.post(Who::Sqs, "/api/v1/errorreports/", body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let id = r.body["data"]["id"].as_i64().unwrap();
    assert_eq!(r.body["data"]["tags"], json!(["invalid schema"]));
    run_worker(&app.pool).await;
    let r = app
        .get(Who::Support, &format!("/api/v1/errorreports/{id}/"))
        .await;
    assert_eq!(r.body["data"]["exceptions"], json!([]));
    assert_eq!(
        r.body["data"]["tags"],
        json!(["incomplete", "invalid schema"])
    );
    let m = app.get(Who::Anon, "/metrics").await;
    assert!(m.text.contains("Failed to split into service and index"));
    // New info_* keys of any type are fine.
    // New info_* keys of any type, the newer `sysmon_ap.*` entries and a scene are fine:
    // stored untagged.
    let mut extra = report("011", "extra", TS);
    let sysmon = &mut extra["data"]["sysmon_report"];
    sysmon["info_anything"] = json!([1, {"a": null}]);
    sysmon["info_count"] = json!(3);
    sysmon["scene"] = json!({"rows": 2});
    sysmon["sysmon_ap.nuc"] = json!({"index": 0, "robot_index": 1, "errors": {}, "services": {}});
    let r = app.post(Who::Sqs, "/api/v1/errorreports/", extra).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["data"]["tags"], json!([]));
}

#[actix_web::test]
async fn an_unknown_code_stops_extraction_and_marks_the_report_incomplete() {
    let app = spawn().await;
    setup_basic(&mut app.db.conn().await).await;
    let body = report_with(
        "011",
        "unk",
        TS,
        &[
            ("a.0", 1, 100.0, false),
            ("b.0", 77, 200.0, false),
            ("c.0", 2, 300.0, false),
        ],
    );
    let id = app.post(Who::Sqs, "/api/v1/errorreports/", body).await.body["data"]["id"]
        .as_i64()
        .unwrap();
    run_worker(&app.pool).await;
    let r = app
        .get(Who::Support, &format!("/api/v1/errorreports/{id}/"))
        .await;
    let ex = r.body["data"]["exceptions"].as_array().unwrap();
    assert_eq!(ex.len(), 1, "what came before the unknown code stays");
    assert_eq!(ex[0]["primary"], false, "nothing is primary");
    assert!(r.body["data"]["tags"]
        .as_array()
        .unwrap()
        .contains(&json!("incomplete")));
}

#[actix_web::test]
async fn emulator_reports_go_to_the_fruit_emulator() {
    let app = spawn().await;
    let basic = setup_basic(&mut app.db.conn().await).await;
    add_harvester(&mut app.db.conn().await, &basic, 1100, true).await;
    let mut body = report("011", "emu", TS);
    body["data"]["sysmon_report"]["is_emulator"] = json!(true);
    body["data"]["sysmon_report"]["fruit"] = json!("strawberry");
    let r = app.post(Who::Sqs, "/api/v1/errorreports/", body).await;
    assert_eq!(r.body["data"]["harvester"]["harv_id"], 1100, "{}", r.text);
    app.post(Who::Sqs, "/api/v1/errorreports/", report("011", "real", TS))
        .await;
    let r = app
        .get(Who::Support, "/api/v1/errorreports/?is_emulator=1")
        .await;
    assert_eq!(count(&r.body), 1);
    assert_eq!(r.body["data"]["results"][0]["harvester"]["harv_id"], 1100);
    let r = app
        .get(Who::Support, "/api/v1/errorreports/?is_emulator=false")
        .await;
    assert_eq!(count(&r.body), 1);
    assert_eq!(r.body["data"]["results"][0]["harvester"]["harv_id"], 11);
}

#[actix_web::test]
async fn update_and_delete_are_superuser_only() {
    let app = spawn().await;
    setup_basic(&mut app.db.conn().await).await;
    let id = app
        .post(Who::Sqs, "/api/v1/errorreports/", report("011", "upd", TS))
        .await
        .body["data"]["id"]
        .as_i64()
        .unwrap();
    let path = format!("/api/v1/errorreports/{id}/");
    let r = app
        .patch(Who::Manager, &path, report("011", "upd", TS + 10.0))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .patch(Who::Admin, &path, report("011", "upd", TS + 10.0))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["data"]["reportTime"], "2022-05-02T21:27:52.789323Z");
    let r = app.patch(Who::Admin, &path, report("099", "upd", TS)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = app.call(Who::Admin, Method::DELETE, &path, None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get(Who::Admin, &path).await.status,
        StatusCode::NOT_FOUND
    );
}

#[actix_web::test]
async fn the_reference_sample_report_ingests_into_three_exceptions() {
    let Some(path) = shared_data("samples/report.json") else {
        eprintln!("../shared not present: sample report test not applicable");
        return;
    };
    let app = spawn().await;
    setup_basic(&mut app.db.conn().await).await;
    let body: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let r = app.post(Who::Sqs, "/api/v1/errorreports/", body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let id = r.body["data"]["id"].as_i64().unwrap();
    run_worker(&app.pool).await;
    let r = app
        .get(Who::Support, &format!("/api/v1/errorreports/{id}/"))
        .await;
    let ex = r.body["data"]["exceptions"].as_array().unwrap();
    assert_eq!(ex.len(), 3);
    let primary: Vec<&Value> = ex.iter().filter(|e| e["primary"] == true).collect();
    assert_eq!(primary.len(), 1);
    assert_eq!(
        format!(
            "{}.{}",
            primary[0]["service"].as_str().unwrap(),
            primary[0]["node"]
        ),
        "traychg.0"
    );
}

#[actix_web::test]
async fn pending_work_survives_until_a_worker_runs() {
    let app = spawn().await;
    setup_basic(&mut app.db.conn().await).await;
    // No queue at all (as when Redis is down): the report is stored, pending.
    let id = app
        .post(
            Who::Sqs,
            "/api/v1/errorreports/",
            report("011", "durable", TS),
        )
        .await
        .body["data"]["id"]
        .as_i64()
        .unwrap();
    let mut conn = app.db.conn().await;
    let status: String = hds::schema::error_reports::table
        .find(id)
        .select(hds::schema::error_reports::extraction_status)
        .first(&mut conn)
        .await
        .unwrap();
    assert_eq!(status, "pending");
    let pending =
        hds::apps::errorreport::extract::pending(&mut conn, chrono::Duration::seconds(-60), 10)
            .await
            .unwrap();
    assert_eq!(pending, vec![id]);
    assert!(run_worker(&app.pool).await >= 1);
    let pending =
        hds::apps::errorreport::extract::pending(&mut conn, chrono::Duration::seconds(-60), 10)
            .await
            .unwrap();
    assert!(pending.is_empty());
}
