//! Error-report lists: filters, counts, ordering and pages, the primary-code drill-down,
//! getschema and createnotification (docs/api-design.md#error-reports, docs/api-design.md#tests;
//! docs/compatibility.md#d12, docs/compatibility.md#d21).

use actix_web::http::{Method, StatusCode};
use serde_json::{json, Value};

use crate::data::{count, report, report_with, setup_basic, TS};
use crate::support::{run_worker, spawn, Who};

#[actix_web::test]
async fn the_primary_code_filter_follows_edits_of_exceptions() {
    let app = spawn().await;
    setup_basic(&mut app.db.conn().await).await;
    let posted = app
        .post(
            Who::Sqs,
            "/api/v1/errorreports/",
            report("011", "edits", TS),
        )
        .await;
    let id = posted.body["data"]["id"].as_i64().unwrap();
    let matching = |codes: &str| {
        let (app, path) = (
            &app,
            format!("/api/v1/errorreports/?codes={codes}&primary=true"),
        );
        async move { count(&app.get(Who::Support, &path).await.body) }
    };
    assert_eq!(
        matching("0").await,
        0,
        "nothing is primary before extraction"
    );
    run_worker(&app.pool).await;
    assert_eq!(matching("0").await, 1);
    assert_eq!(matching("1,2").await, 0);
    let detail = app
        .get(Who::Support, &format!("/api/v1/errorreports/{id}/"))
        .await;
    let primary = detail.body["data"]["exceptions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["primary"] == true)
        .expect("a primary exception")["id"]
        .as_i64()
        .unwrap();
    let path = format!("/api/v1/exceptions/{primary}/");
    let r = app.patch(Who::Admin, &path, json!({"code": 2})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        matching("0").await,
        0,
        "the primary exception's code changed"
    );
    assert_eq!(matching("1,2").await, 1);
    app.patch(Who::Admin, &path, json!({"primary": false}))
        .await;
    assert_eq!(matching("2").await, 0, "no longer primary");
    app.patch(Who::Admin, &path, json!({"primary": true})).await;
    assert_eq!(matching("2").await, 1);
    let r = app.call(Who::Admin, Method::DELETE, &path, None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    assert_eq!(matching("2").await, 0, "the primary exception is gone");
    // `primary=false` still means "has a non-primary exception with one of these codes".
    let r = app
        .get(Who::Support, "/api/v1/errorreports/?codes=0&primary=false")
        .await;
    assert_eq!(count(&r.body), 1);
}

#[actix_web::test]
async fn unfiltered_counts_stay_exact_through_creates_and_deletes() {
    let app = spawn().await;
    setup_basic(&mut app.db.conn().await).await;
    let mut ids = Vec::new();
    for i in 0..3 {
        let r = app
            .post(
                Who::Sqs,
                "/api/v1/errorreports/",
                report("011", &format!("cnt{i}"), TS + i as f64),
            )
            .await;
        ids.push(r.body["data"]["id"].as_i64().unwrap());
    }
    // A replay adds nothing.
    app.post(Who::Sqs, "/api/v1/errorreports/", report("011", "cnt0", TS))
        .await;
    let counts = |path: &'static str| {
        let app = &app;
        async move { count(&app.get(Who::Support, path).await.body) }
    };
    assert_eq!(counts("/api/v1/errorreports/").await, 3);
    assert_eq!(counts("/api/v1/events/").await, 3);
    assert_eq!(counts("/api/v1/errorreports/?harv_ids=11").await, 3);
    let r = app
        .call(
            Who::Admin,
            Method::DELETE,
            &format!("/api/v1/errorreports/{}/", ids[0]),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(counts("/api/v1/errorreports/").await, 2);
    assert_eq!(counts("/api/v1/errorreports/?harv_ids=11").await, 2);
    assert_eq!(
        app.get(Who::Support, "/api/v1/errorreports/?limit=10")
            .await
            .body["data"]["results"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
}

/// Two reports at different times with different codes/handled flags for the filter battery.
async fn two_reports(
    app: &crate::support::TestApp<
        impl actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
            Error = actix_web::Error,
        >,
    >,
) {
    app.post(
        Who::Sqs,
        "/api/v1/errorreports/",
        report_with(
            "011",
            "f1",
            1_700_000_000.0,
            &[("traychg.0", 0, 1_699_999_990.0, false)],
        ),
    )
    .await;
    app.post(
        Who::Sqs,
        "/api/v1/errorreports/",
        report_with(
            "011",
            "f2",
            1_700_000_100.0,
            &[
                ("gripper.1", 1, 1_700_000_090.0, true),
                ("robot.2", 2, 1_700_000_095.0, false),
            ],
        ),
    )
    .await;
    run_worker(&app.pool).await;
}

#[actix_web::test]
async fn the_filter_battery() {
    let app = spawn().await;
    setup_basic(&mut app.db.conn().await).await;
    two_reports(&app).await;
    let q = |s: &str| format!("/api/v1/errorreports/?{s}");
    let cases: &[(&str, i64)] = &[
        ("", 2),
        ("harv_ids=11", 2),
        ("harv_ids=12,13", 0),
        ("locations=Ranch%20A", 2),
        ("locations=Ranch%20B", 0),
        ("fruits=strawberry", 2),
        ("fruits=apple", 0),
        ("codes=0,1", 2),
        ("codes=1,2", 1),
        ("codes=3", 0),
        ("handled=1", 1),
        ("handled=0", 2),
        ("traceback=findme%20gripper", 1),
        ("traceback=FINDME", 2),
        ("traceback=%25", 0),
        (
            "generic=report__data__sysmon_report__sysmon.0__services__traychg.0__PID=111",
            2,
        ),
        (
            "generic=report__data__sysmon_report__sysmon.0__services__traychg.0__PID=112",
            0,
        ),
        ("codes=1&primary=true", 1),
        ("codes=2&primary=true", 0),
        ("codes=2&primary=false", 1),
        ("primary=true", 2),
        ("uuid=f1", 1),
        ("start_time=20231114T221400.0&tz=utc", 1),
        ("end_time=20231114T221400.0&tz=UTC", 1),
        (
            "start_time=2023-11-14T22:13:20Z&end_time=2023-11-14T22:13:20Z",
            1,
        ),
        ("start_time=20231114T141320.000000", 2),
        ("start_time=20231114T141320.000001", 1),
        ("tags=incomplete", 0),
    ];
    for (query, expected) in cases {
        let r = app.get(Who::Support, &q(query)).await;
        assert_eq!(r.status, StatusCode::OK, "{query}: {}", r.text);
        assert_eq!(count(&r.body), *expected, "{query}");
    }
    for bad in [
        "harv_ids=x",
        "start_time=yesterday",
        "generic=harvester__harv_id=1",
        "tz=Mars/Base&start_time=20230101",
    ] {
        let r = app.get(Who::Support, &q(bad)).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
    }
    // An ordering name the list does not know is ignored, as the original did (D103).
    let plain = app.get(Who::Support, &q("")).await;
    let unknown = app
        .get(Who::Support, &q("ordering=password,-nonsense"))
        .await;
    assert_eq!(unknown.status, StatusCode::OK, "{}", unknown.text);
    assert_eq!(
        plain.body["data"]["results"],
        unknown.body["data"]["results"]
    );
    let r = app.get(Who::Support, &q("handled=1")).await;
    let item = &r.body["data"]["results"][0];
    assert!(item["exceptions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["handled"] == true));
    assert!(item.get("report").is_none(), "the list item is lean");
    let r = app.get(Who::Support, &q("ordering=reportTime")).await;
    assert_eq!(
        r.body["data"]["results"][0]["event"],
        app.get(Who::Support, "/api/v1/events/?UUID=f1").await.body["data"]["results"][0]["id"]
    );
}

#[actix_web::test]
async fn filtered_pages_keep_their_order_offsets_and_counts() {
    let app = spawn().await;
    setup_basic(&mut app.db.conn().await).await;
    for i in 0..7 {
        let body = report("011", &format!("order-{i}"), TS + f64::from(i) * 60.0);
        app.post(Who::Sqs, "/api/v1/errorreports/", body).await;
    }
    let ids = |body: &Value| -> Vec<i64> {
        body["data"]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_i64().unwrap())
            .collect()
    };
    let page = |query: &str| {
        let (app, path) = (&app, format!("/api/v1/errorreports/?harv_ids=11&{query}"));
        async move { app.get(Who::Support, &path).await.body }
    };
    // Pages up to 100 rows are rendered by id; larger ones in one statement: same answer.
    let all = page("ordering=reportTime&limit=100").await;
    assert_eq!(ids(&all), ids(&page("ordering=reportTime&limit=150").await));
    let all_ids = ids(&all);
    assert_eq!(all_ids.len(), 7);
    let times: Vec<&str> = all["data"]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["reportTime"].as_str().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] < w[1]), "{times:?}");
    let first = page("ordering=reportTime&limit=3").await;
    assert_eq!(ids(&first), all_ids[..3]);
    assert_eq!(count(&first), 7);
    let newest = page("ordering=-reportTime&limit=3&offset=1").await;
    let mut reversed = all_ids.clone();
    reversed.reverse();
    assert_eq!(ids(&newest), reversed[1..4]);
    assert!(newest["data"]["next"]
        .as_str()
        .unwrap()
        .contains("offset=4"));
    let last = page("ordering=reportTime&limit=3&offset=6").await;
    assert_eq!(ids(&last), all_ids[6..], "a short last page");
}

#[actix_web::test]
async fn getschema_and_createnotification() {
    let app = spawn().await;
    setup_basic(&mut app.db.conn().await).await;
    let r = app.get(Who::Sqs, "/api/v1/errorreports/getschema/").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["message"], "error schema retrieved");
    assert_eq!(
        r.body["data"]["required"],
        json!(["data", "timestamp", "serial_number"])
    );
    let sysmon = &r.body["data"]["properties"]["data"]["properties"]["sysmon_report"];
    let patterns: Vec<&String> = sysmon["patternProperties"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(patterns, ["^sysmon\\.\\d+$", "^sysmon_ap\\..+$", "^info_"]);
    for key in ["serial_number", "fruit", "is_emulator", "scene"] {
        assert!(sysmon["properties"].get(key).is_some(), "{key}");
    }
    let body = json!({"recipients": [app.users.id(Who::Support)]});
    let r = app
        .post(
            Who::Support,
            "/api/v1/errorreports/createnotification/?harv_ids=100",
            body.clone(),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .post(
            Who::Manager,
            "/api/v1/errorreports/createnotification/?harv_ids=100&codes=1",
            body.clone(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["message"], "Notification created");
    assert_eq!(
        r.body["data"]["criteria"],
        json!({"harv_ids": "100", "codes": "1"})
    );
    assert_eq!(r.body["data"]["recipients"], json!(["support"]));
    let r = app
        .post(
            Who::Manager,
            "/api/v1/errorreports/createnotification/?harvester__id=1",
            body.clone(),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::BAD_REQUEST,
        "D12: unknown criteria are refused"
    );
    let r = app
        .post(
            Who::Manager,
            "/api/v1/errorreports/createnotification/?harv_ids=abc",
            body,
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::BAD_REQUEST,
        "values are validated at creation"
    );
}
