//! Fruits, distributors, locations, harvesters and their history
//! (docs/api-design.md#fruits-and-harvesters, docs/api-design.md#distributors-and-locations;
//! docs/compatibility.md#d8, docs/compatibility.md#d22).

use actix_web::http::{Method, StatusCode};
use serde_json::json;

use crate::data::setup_basic;
use crate::support::{spawn, Who};

#[actix_web::test]
async fn developers_manage_the_fleet_and_support_reads_it() {
    let app = spawn().await;
    let r = app
        .post(Who::Support, "/api/v1/fruits/", json!({"name": "apple"}))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .post(Who::Developer, "/api/v1/fruits/", json!({"name": "apple"}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.body["message"], "fruit created successfully");
    let fruit = r.body["data"]["id"].as_i64().unwrap();
    assert_eq!(r.body["data"]["creator"], app.users.id(Who::Developer));
    let r = app
        .post(Who::Developer, "/api/v1/fruits/", json!({"name": ""}))
        .await;
    assert_eq!(
        r.body["errors"]["detail"]["name"][0],
        "This field may not be blank."
    );
    let d = app
        .post(
            Who::Developer,
            "/api/v1/distributors/",
            json!({"name": "D1"}),
        )
        .await
        .body["data"]["id"]
        .as_i64()
        .unwrap();
    let r = app
        .post(
            Who::Developer,
            "/api/v1/locations/",
            json!({"distributor": d, "ranch": "North", "country": "US", "region": "CA"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["data"]["distributor"]["name"], "D1", "nested");
    assert_eq!(r.body["data"]["site_channel"], "harvs-dev");
    let loc = r.body["data"]["id"].as_i64().unwrap();
    let r = app
        .post(
            Who::Developer,
            "/api/v1/locations/",
            json!({"distributor": 999}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body["errors"]["detail"]["distributor"].is_array());
    let r = app.post(Who::Developer, "/api/v1/harvesters/", json!({"harv_id": 42, "fruit": fruit, "location": loc, "name": "H42", "thingName": "thing-42"})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let h = &r.body["data"];
    assert_eq!(h["fruit"]["name"], "apple");
    assert_eq!(h["location"]["ranch"], "North");
    assert_eq!(h["thingName"], "thing-42");
    assert_eq!(h["harvester_history"], "/harvesterhistory/?harv_id=42");
    let id = h["id"].as_i64().unwrap();
    for who in [Who::Support, Who::Jenkins, Who::Beatbox] {
        assert_eq!(
            app.get(who, &format!("/api/v1/harvesters/{id}/"))
                .await
                .status,
            StatusCode::OK
        );
    }
    // D8: PUT and PATCH both need developer or higher.
    let path = format!("/api/v1/harvesters/{id}/");
    assert_eq!(
        app.patch(Who::Support, &path, json!({"name": "x"}))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.call(Who::Support, Method::PUT, &path, Some(json!({"name": "x"})))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let r = app
        .patch(Who::Developer, &path, json!({"name": "Renamed"}))
        .await;
    assert_eq!(r.body["data"]["name"], "Renamed");
    let r = app
        .call(
            Who::Developer,
            Method::PUT,
            &path,
            Some(json!({"name": "x"})),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::BAD_REQUEST,
        "PUT needs the full object"
    );
    let r = app
        .get(Who::Support, "/api/v1/harvesters/?harv_id=42")
        .await;
    assert_eq!(r.body["data"]["count"], 1);
    let r = app
        .get(Who::Support, "/api/v1/harvesters/?fruit__name=pear")
        .await;
    assert_eq!(r.body["data"]["count"], 0);
    // Deleting what is still used is refused instead of cascading.
    let r = app
        .call(
            Who::Manager,
            Method::DELETE,
            &format!("/api/v1/locations/{loc}/"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    let r = app.call(Who::Developer, Method::DELETE, &path, None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = app
        .call(
            Who::Manager,
            Method::DELETE,
            &format!("/api/v1/locations/{loc}/"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
}

#[actix_web::test]
async fn one_emulator_per_fruit_and_unique_real_harv_ids() {
    let app = spawn().await;
    let b = setup_basic(&mut app.db.conn().await).await;
    let body = |harv_id: i32, emulator: bool| json!({"harv_id": harv_id, "fruit": b.fruit, "location": b.location, "is_emulator": emulator});
    let r = app
        .post(Who::Developer, "/api/v1/harvesters/", body(11, false))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "D22");
    assert_eq!(
        r.body["errors"]["detail"]["harv_id"][0],
        "A harvester with this harv_id already exists."
    );
    assert_eq!(
        app.post(Who::Developer, "/api/v1/harvesters/", body(11, true))
            .await
            .status,
        StatusCode::CREATED,
        "emulators may share"
    );
    let r = app
        .post(Who::Developer, "/api/v1/harvesters/", body(1200, true))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        r.body["errors"]["exception"],
        "There can only be one emulator per fruit"
    );
}

#[actix_web::test]
async fn every_harvester_change_is_recorded_with_its_user() {
    let app = spawn().await;
    let b = setup_basic(&mut app.db.conn().await).await;
    let id = app
        .post(
            Who::Developer,
            "/api/v1/harvesters/",
            json!({"harv_id": 7, "fruit": b.fruit, "location": b.location}),
        )
        .await
        .body["data"]["id"]
        .as_i64()
        .unwrap();
    app.patch(
        Who::Manager,
        &format!("/api/v1/harvesters/{id}/"),
        json!({"name": "Seven"}),
    )
    .await;
    app.call(
        Who::Admin,
        Method::DELETE,
        &format!("/api/v1/harvesters/{id}/"),
        None,
    )
    .await;
    let r = app
        .get(Who::Support, "/api/v1/harvesterhistory/?harv_id=7")
        .await;
    let rows = r.body["data"]["results"].as_array().unwrap();
    let kinds: Vec<&str> = rows
        .iter()
        .map(|r| r["history_type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, vec!["-", "~", "+"], "newest first");
    let users: Vec<i64> = rows
        .iter()
        .map(|r| r["history_user"].as_i64().unwrap())
        .collect();
    assert_eq!(
        users,
        vec![
            app.users.id(Who::Admin),
            app.users.id(Who::Manager),
            app.users.id(Who::Developer)
        ]
    );
    assert_eq!(rows[1]["name"], "Seven");
    assert_eq!(rows[1]["fruit"]["name"], "strawberry");
    let one = app
        .get(
            Who::Support,
            &format!("/api/v1/harvesterhistory/{}/", rows[0]["history_id"]),
        )
        .await;
    assert_eq!(one.body["data"]["history_type"], "-");
    assert_eq!(
        app.post(Who::Admin, "/api/v1/harvesterhistory/", json!({}))
            .await
            .status,
        StatusCode::METHOD_NOT_ALLOWED
    );
    // Superusers annotate or remove a recorded change; others may not.
    let path = format!("/api/v1/harvesterhistory/{}/", rows[0]["history_id"]);
    let reason = json!({"history_change_reason": "decommissioned"});
    assert_eq!(
        app.patch(Who::Manager, &path, reason.clone()).await.status,
        StatusCode::FORBIDDEN
    );
    let r = app.patch(Who::Admin, &path, reason).await;
    assert_eq!(
        r.body["data"]["history_change_reason"], "decommissioned",
        "{}",
        r.text
    );
    let long = json!({"history_change_reason": "x".repeat(101)});
    assert_eq!(
        app.patch(Who::Admin, &path, long).await.status,
        StatusCode::BAD_REQUEST
    );
    let r = app.call(Who::Admin, Method::DELETE, &path, None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get(Who::Support, &path).await.status,
        StatusCode::NOT_FOUND
    );
}

#[actix_web::test]
async fn harvester_actions_answer_before_their_data_exists() {
    let app = spawn().await;
    let b = setup_basic(&mut app.db.conn().await).await;
    let r = app
        .get(
            Who::Support,
            &format!("/api/v1/harvesters/{}/versions/", b.harvester),
        )
        .await;
    assert_eq!(r.body["message"], "Harvester 11 version history");
    assert_eq!(r.body["data"]["count"], 0);
    let r = app
        .get(
            Who::Support,
            &format!("/api/v1/harvesters/{}/assets/", b.harvester),
        )
        .await;
    assert_eq!(r.body["message"], "Harvester 11 assets retrieved");
    assert_eq!(r.body["data"], json!([]));
    let r = app
        .get(
            Who::Support,
            &format!("/api/v1/harvesters/{}/config/", b.harvester),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "as the original");
    assert_eq!(
        r.body["errors"]["exception"],
        "ConfigReport matching query does not exist."
    );
    let r = app
        .get(
            Who::Jenkins,
            &format!("/api/v1/harvesters/{}/versions/", b.harvester),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "actions are for support and above"
    );
}
