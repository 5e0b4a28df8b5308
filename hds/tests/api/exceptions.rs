//! Exception codes, manifests, exceptions and the pareto (docs/api-design.md#exceptions,
//! docs/api-design.md#tests; docs/compatibility.md#d16).

use actix_web::http::{Method, StatusCode};
use actix_web::test::TestRequest;
use serde_json::json;

use crate::data::{report, report_with, setup_basic};
use crate::support::{run_worker, spawn, Who};

#[actix_web::test]
async fn codes_are_unique_and_accept_form_bodies() {
    let app = spawn().await;
    let admin = format!("Token {}", app.users.token(Who::Admin).unwrap());
    let form = |body: &'static str| {
        TestRequest::post()
            .uri("/api/v1/exceptioncodes/")
            .insert_header(("Authorization", admin.clone()))
            .insert_header(("Content-Type", "application/x-www-form-urlencoded"))
            .set_payload(body)
    };
    let r = app
        .send(form(
            "code=10&name=TenException&team=aft&cycle=true&msg=ten",
        ))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["data"]["cycle"], true);
    assert_eq!(r.body["data"]["operator_msg"], "Please cycle the harvester");
    let id = r.body["data"]["id"].as_i64().unwrap();
    let r = app
        .send(form("code=10&name=Other&team=aft&cycle=false"))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        r.body["errors"]["detail"]["code"][0],
        "aft exception code with this code already exists."
    );
    let r = app
        .patch(
            Who::Admin,
            &format!("/api/v1/exceptioncodes/{id}/"),
            json!({"name": "Renamed"}),
        )
        .await;
    assert_eq!(r.body["data"]["name"], "Renamed");
    assert_eq!(r.body["data"]["code"], 10);
    let r = app
        .post(
            Who::Developer,
            "/api/v1/exceptioncodes/",
            json!({"code": 11, "name": "x", "team": "t", "cycle": false}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .get(Who::Beatbox, "/api/v1/exceptioncodes/?codes=10")
        .await;
    assert_eq!(r.body["data"]["count"], 1);
    assert_eq!(
        app.call(
            Who::Admin,
            Method::DELETE,
            &format!("/api/v1/exceptioncodes/{id}/"),
            None
        )
        .await
        .status,
        StatusCode::NO_CONTENT
    );
}

#[actix_web::test]
async fn manifests_upsert_codes_in_the_background() {
    let app = spawn().await;
    let entry = |code: i32, msg: &str| json!({"code": code, "name": format!("E{code}"), "msg": msg, "team": "aft", "cycle": false, "operator_msg": "cycle"});
    let r = app
        .post(
            Who::Jenkins,
            "/api/v1/exceptioncodemanifests/",
            json!({"version": "1.0.111", "manifest": [entry(0, "zero"), entry(1, "one")]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let first = r.body["data"]["id"].as_i64().unwrap();
    assert_eq!(
        r.body["data"]["applied_at"],
        serde_json::Value::Null,
        "pending until the worker runs"
    );
    run_worker(&app.pool).await;
    let r = app
        .get(Who::Support, "/api/v1/exceptioncodes/?ordering=code")
        .await;
    let codes = r.body["data"]["results"].as_array().unwrap();
    assert_eq!(codes.len(), 2);
    assert_eq!(codes[0]["msg"], "zero");
    assert_eq!(codes[0]["manifest"], first);
    assert_eq!(codes[0]["creator"], app.users.id(Who::Jenkins));
    assert_eq!(codes[0]["modifiedBy"], serde_json::Value::Null);
    let r = app
        .post(Who::Jenkins, "/api/v1/exceptioncodemanifests/", json!({"version": "1.0.112", "manifest": [entry(0, "zero v2"), entry(1, "one"), entry(2, "two"), entry(3, "three")]}))
        .await;
    let second = r.body["data"]["id"].as_i64().unwrap();
    run_worker(&app.pool).await;
    let r = app
        .get(Who::Support, "/api/v1/exceptioncodes/?ordering=code")
        .await;
    let codes = r.body["data"]["results"].as_array().unwrap();
    assert_eq!(codes.len(), 4);
    assert_eq!(codes[0]["msg"], "zero v2");
    assert_eq!(codes[0]["modifiedBy"], app.users.id(Who::Jenkins));
    assert_eq!(codes[0]["manifest"], second);
    assert_eq!(codes[3]["modifiedBy"], serde_json::Value::Null);
    let r = app
        .get(
            Who::Support,
            &format!("/api/v1/exceptioncodemanifests/{second}/"),
        )
        .await;
    assert!(r.body["data"]["applied_at"].is_string());
    let r = app
        .post(
            Who::Jenkins,
            "/api/v1/exceptioncodemanifests/",
            json!({"version": "1", "manifest": [{"code": 5}]}),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::BAD_REQUEST,
        "entries are validated up front"
    );
    let r = app
        .post(
            Who::Support,
            "/api/v1/exceptioncodemanifests/",
            json!({"version": "1", "manifest": []}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[actix_web::test]
async fn exceptions_crud_with_form_or_json_and_filters() {
    let app = spawn().await;
    setup_basic(&mut app.db.conn().await).await;
    let rid = app
        .post(
            Who::Sqs,
            "/api/v1/errorreports/",
            report("011", "x1", 1_700_000_000.0),
        )
        .await
        .body["data"]["id"]
        .as_i64()
        .unwrap();
    let admin = format!("Token {}", app.users.token(Who::Admin).unwrap());
    let req = TestRequest::post()
        .uri("/api/v1/exceptions/")
        .insert_header(("Authorization", admin))
        .insert_header(("Content-Type", "application/x-www-form-urlencoded"))
        .set_payload(format!("code=1&service=traychg&node=0&robot=0&report={rid}&handled=false&primary=true&timestamp=2022-03-01T00:00:00Z"));
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["data"]["code"]["code"], 1, "stored with that code");
    let r = app.post(Who::Admin, "/api/v1/exceptions/", json!({"code": 2, "service": "gripper", "report": rid, "timestamp": "2022-06-01T00:00:00Z"})).await;
    assert_eq!(
        r.status,
        StatusCode::CREATED,
        "D16: JSON works too: {}",
        r.text
    );
    let id = r.body["data"]["id"].as_i64().unwrap();
    let r = app
        .post(Who::Admin, "/api/v1/exceptions/", json!({"code": 99}))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = app
        .get(Who::Support, &format!("/api/v1/exceptions/{id}/"))
        .await;
    assert_eq!(r.body["data"]["code"]["name"], "GripperException");
    assert_eq!(r.body["data"]["report"], rid);
    let count = |q: &str| {
        let q = q.to_string();
        let app = &app;
        async move {
            app.get(Who::Support, &format!("/api/v1/exceptions/?{q}"))
                .await
                .body["data"]["count"]
                .as_i64()
                .unwrap()
        }
    };
    assert_eq!(count("").await, 2);
    assert_eq!(count("primary=True").await, 1);
    assert_eq!(
        count("datetime_range=20220101T000100.0,20220430T235955.0&tz=UTC").await,
        1
    );
    assert_eq!(count("datetime_range=,20220430T235955.0").await, 1);
    assert_eq!(count("harv_ids=9,10").await, 0);
    assert_eq!(count("harv_ids=11").await, 2);
    assert_eq!(count("service=gripper").await, 1);
    assert_eq!(count("code__name=TrayException").await, 1);
    assert_eq!(count("uuid=x1").await, 2);
    assert_eq!(count("locations=Ranch%20A").await, 2);
    let r = app
        .get(Who::Support, "/api/v1/exceptions/?datetime_range=garbage")
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        app.call(
            Who::Admin,
            Method::DELETE,
            &format!("/api/v1/exceptions/{id}/"),
            None
        )
        .await
        .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(count("").await, 1);
}

#[actix_web::test]
async fn pareto_groups_the_filtered_exceptions() {
    let app = spawn().await;
    setup_basic(&mut app.db.conn().await).await;
    for i in 0..5 {
        app.post(
            Who::Sqs,
            "/api/v1/errorreports/",
            report("011", &format!("p{i}"), 1_700_000_000.0 + i as f64),
        )
        .await;
    }
    app.post(
        Who::Sqs,
        "/api/v1/errorreports/",
        report_with(
            "011",
            "p-other",
            1_700_000_100.0,
            &[("gripper.2", 2, 1.0, true)],
        ),
    )
    .await;
    run_worker(&app.pool).await;
    let cases = [
        ("code__code", "code", "0", 15),
        ("code__name", "exception", "AFTBaseException", 15),
        ("service", "service", "harvester", 5),
        ("report__harvester__harv_id", "harvester", "11", 16),
    ];
    for (query, name, first, n) in cases {
        let r = app
            .get(
                Who::Support,
                &format!(
                    "/api/v1/exceptions/pareto/?aggregate_query={query}&aggregate_name={name}"
                ),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.body["message"], format!("Pareto generated: {name}"));
        assert_eq!(r.body["data"][0][name], first, "{query}: {}", r.text);
        assert_eq!(r.body["data"][0]["count"], n, "{query}");
    }
    // Every grouping answers, and its counts add up to all 16 exceptions.
    for query in [
        "code__code",
        "code__name",
        "code__team",
        "code__cycle",
        "service",
        "robot",
        "node",
        "handled",
        "primary",
        "report__harvester__harv_id",
        "report__harvester__name",
        "report__harvester__is_emulator",
        "report__harvester__fruit__name",
        "report__location__ranch",
        "report__harvester__location__ranch",
        "report__githash",
        "report__gitbranch",
    ] {
        let r = app
            .get(
                Who::Support,
                &format!("/api/v1/exceptions/pareto/?aggregate_query={query}"),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{query}: {}", r.text);
        let rows = r.body["data"].as_array().expect("a list");
        let total: i64 = rows.iter().map(|g| g["count"].as_i64().unwrap()).sum();
        assert_eq!(total, 16, "{query}: {}", r.text);
        let counts: Vec<i64> = rows.iter().map(|g| g["count"].as_i64().unwrap()).collect();
        assert!(
            counts.windows(2).all(|w| w[0] >= w[1]),
            "{query}: largest first"
        );
    }
    let r = app
        .get(
            Who::Support,
            "/api/v1/exceptions/pareto/?aggregate_query=primary",
        )
        .await;
    assert_eq!(
        r.body["data"],
        json!([{"value": "False", "count": 10}, {"value": "True", "count": 6}]),
        "one primary exception per report: {}",
        r.text
    );
    let r = app.get(Who::Support, "/api/v1/exceptions/pareto/").await;
    assert_eq!(r.body["message"], "Pareto generated: Exceptions");
    assert_eq!(
        r.body["data"],
        json!([{"value": "0", "count": 15}, {"value": "2", "count": 1}])
    );
    let r = app
        .get(
            Who::Support,
            "/api/v1/exceptions/pareto/?aggregate_query=handled&handled=true",
        )
        .await;
    assert_eq!(
        r.body["data"],
        json!([{"value": "True", "count": 1}]),
        "filters apply first"
    );
    let r = app
        .get(
            Who::Support,
            "/api/v1/exceptions/pareto/?aggregate_query=report__creator__password",
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::BAD_REQUEST,
        "only whitelisted groupings"
    );
    assert_eq!(
        app.get(Who::Jenkins, "/api/v1/exceptions/pareto/")
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}
