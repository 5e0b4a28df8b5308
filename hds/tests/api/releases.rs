//! `release/`: CI posts release manifests; tags are saved (D5); harvesters point at releases
//! (docs/api-design.md#releases).

use actix_web::http::{Method, StatusCode};
use serde_json::json;

use crate::data::{count, setup_basic};
use crate::support::{spawn, Who};

#[actix_web::test]
async fn ci_posts_releases_and_their_tags_and_harvesters_are_kept() {
    let app = spawn().await;
    let b = setup_basic(&mut app.db.conn().await).await;
    let manifest = json!({"version": 1.0, "project": "Strawberry", "tags": ["stable", "field"],
                          "master": {"version": "1.0"}, "robot": {"version": "1.0"}});
    assert_eq!(
        app.post(Who::Support, "/api/v1/release/", manifest.clone())
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let r = app
        .post(Who::Jenkins, "/api/v1/release/", manifest.clone())
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let d = &r.body["data"];
    assert_eq!(d["version"], "1.0", "stringified");
    assert_eq!(d["fruit"]["name"], "strawberry");
    assert_eq!(d["tags"], json!(["field", "stable"]));
    assert!(d["release"].get("tags").is_none(), "tags are popped");
    assert_eq!(d["release"]["master"]["version"], "1.0");
    let id = d["id"].as_i64().unwrap();

    let again = app.post(Who::Jenkins, "/api/v1/release/", manifest).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    assert!(
        again
            .text
            .contains("The fields version, fruit must make a unique set."),
        "{}",
        again.text
    );
    let r = app
        .post(Who::Jenkins, "/api/v1/release/", json!({"version": "2.0"}))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body["errors"]["detail"]["project"].is_array(),
        "{}",
        r.text
    );
    let r = app
        .post(
            Who::Jenkins,
            "/api/v1/release/",
            json!({"version": "2.0", "project": "kiwi"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "an unknown fruit");

    // D5: tags are saved.
    let path = format!("/api/v1/release/{id}/update_tags/");
    let r = app
        .post(Who::Developer, &path, json!({"tags": ["rolled-out"]}))
        .await;
    assert_eq!(r.body["message"], "Tags updated", "{}", r.text);
    let r = app
        .get(Who::Support, &format!("/api/v1/release/{id}/"))
        .await;
    assert_eq!(r.body["data"]["tags"], json!(["rolled-out"]));
    let tags = app.get(Who::Support, "/api/v1/release/tags/").await;
    assert_eq!(tags.body["data"], json!({"tags": ["rolled-out"]}));
    assert_eq!(tags.body["message"], "Release tags retrieved successfully");
    for (query, n) in [
        ("fruit=strawberry", 1),
        ("fruit=kiwi", 0),
        ("tags=rolled-out", 1),
        ("tags=stable", 0),
    ] {
        let r = app
            .get(Who::Support, &format!("/api/v1/release/?{query}"))
            .await;
        assert_eq!(count(&r.body), n, "{query}");
    }

    // Harvesters on the release.
    let r = app
        .patch(
            Who::Admin,
            &format!("/api/v1/harvesters/{}/", b.harvester),
            json!({"release": id}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let on = app
        .get(Who::Support, &format!("/api/v1/release/{id}/harvesters/"))
        .await;
    assert_eq!(
        on.body["message"],
        "Harvesters release retrieved successfully"
    );
    assert_eq!(on.body["data"]["results"][0]["id"], b.harvester);

    // A developer replaces the manifest; a manager deletes; the harvester keeps no release.
    let r = app
        .call(
            Who::Developer,
            Method::PUT,
            &format!("/api/v1/release/{id}/"),
            Some(json!({"version": "1.0.1", "project": "strawberry", "master": {"version": "1.0.1"}})),
        )
        .await;
    assert_eq!(r.body["data"]["version"], "1.0.1", "{}", r.text);
    assert_eq!(
        r.body["data"]["tags"],
        json!(["rolled-out"]),
        "tags kept when not given"
    );
    let r = app
        .call(
            Who::Developer,
            Method::DELETE,
            &format!("/api/v1/release/{id}/"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .call(
            Who::Manager,
            Method::DELETE,
            &format!("/api/v1/release/{id}/"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let h = app
        .get(
            Who::Support,
            &format!("/api/v1/harvesters/{}/", b.harvester),
        )
        .await;
    assert_eq!(h.body["data"]["release"], serde_json::Value::Null);
}
