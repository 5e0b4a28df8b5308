//! Events and pick sessions (docs/api-design.md#events-and-pick-sessions,
//! docs/api-design.md#tests).

use actix_web::http::StatusCode;
use serde_json::json;

use crate::data::{report, setup_basic};
use crate::support::{spawn, Who};

#[actix_web::test]
async fn events_filter_by_uuid_and_by_all_tags() {
    let app = spawn().await;
    setup_basic(&mut app.db.conn().await).await;
    app.post(
        Who::Sqs,
        "/api/v1/errorreports/",
        report("011", "e1", 1.0e9),
    )
    .await;
    app.post(Who::Admin, "/api/v1/events/", json!({"UUID": "e2"}))
        .await;
    app.post(
        Who::Sqs,
        "/api/v1/errorreports/",
        report("011", "e3", 1.1e9),
    )
    .await;
    let mut conn = app.db.conn().await;
    let e2 = hds::apps::event::link::event(&mut conn, "e2", None, &["S3File", "test"])
        .await
        .unwrap();
    hds::apps::event::link::event(&mut conn, "e1", None, &["S3File", "test"])
        .await
        .unwrap();
    let r = app.get(Who::Support, "/api/v1/events/?UUID=e2").await;
    assert_eq!(r.body["data"]["count"], 1);
    assert_eq!(r.body["data"]["results"][0]["id"], e2);
    let uuids = |q: &str| {
        let q = q.to_string();
        let app = &app;
        async move {
            let r = app
                .get(Who::Support, &format!("/api/v1/events/?{q}&ordering=id"))
                .await;
            r.body["data"]["results"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["UUID"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(uuids("tags=ErrorReport").await, vec!["e1", "e3"]);
    assert_eq!(uuids("tags=S3File").await, vec!["e1", "e2"]);
    assert_eq!(uuids("tags=test,ErrorReport").await, vec!["e1"]);
    assert_eq!(
        uuids("tags=anothertest,ErrorReport").await,
        Vec::<String>::new()
    );
    let r = app.get(Who::Jenkins, "/api/v1/events/tags/").await;
    assert_eq!(r.body["message"], "Event tags");
    assert_eq!(
        r.body["data"]["tags"],
        json!(["ErrorReport", "S3File", "test"])
    );
    assert_eq!(
        app.get(Who::Beatbox, "/api/v1/events/tags/").await.status,
        StatusCode::FORBIDDEN
    );
    let r = app.get(Who::Support, "/api/v1/events/").await;
    assert_eq!(r.body["data"]["results"][0]["UUID"], "e3", "newest first");
}

#[actix_web::test]
async fn reports_sharing_a_pick_session_share_it() {
    let app = spawn().await;
    setup_basic(&mut app.db.conn().await).await;
    let mut a = report("011", "a", 1.0e9);
    let mut b = report("011", "b", 1.0e9 + 5.0);
    a["pick_session_uuid"] = json!("session-1");
    b["pick_session_uuid"] = json!("session-1");
    let ra = app.post(Who::Sqs, "/api/v1/errorreports/", a).await;
    let rb = app.post(Who::Sqs, "/api/v1/errorreports/", b).await;
    assert_ne!(
        ra.body["data"]["event"]["id"], rb.body["data"]["event"]["id"],
        "different events"
    );
    assert_eq!(
        ra.body["data"]["pick_session"]["id"], rb.body["data"]["pick_session"]["id"],
        "one pick session"
    );
    let r = app
        .get(Who::Support, "/api/v1/picksessions/?UUID=session-1")
        .await;
    assert_eq!(r.body["data"]["count"], 1);
    let ps = &r.body["data"]["results"][0];
    assert_eq!(ps["tags"], json!(["PickSession"]));
    assert_eq!(ps["related_objects"].as_array().unwrap().len(), 2);
    assert_eq!(
        ps["harvester"]["harv_id"],
        serde_json::Value::Null,
        "empty nested harvester, as the reference"
    );
    assert_eq!(ps["location"]["ranch"], "");
    let r = app
        .get(Who::Support, "/api/v1/picksessions/?harv_ids=11")
        .await;
    assert_eq!(
        r.body["data"]["count"], 0,
        "error reports do not set the pick session's harvester"
    );
    let r = app.get(Who::Support, "/api/v1/picksessions/tags/").await;
    assert_eq!(r.body["data"]["tags"], json!(["PickSession"]));
}

#[actix_web::test]
async fn an_events_files_are_found_through_the_index() {
    use diesel::sql_types::Text;
    use diesel_async::RunQueryDsl;

    #[derive(diesel::QueryableByName)]
    struct PlanLine {
        #[diesel(sql_type = Text, column_name = "QUERY PLAN")]
        line: String,
    }
    let app = spawn().await;
    let mut conn = app.db.conn().await;
    for sql in [
        "INSERT INTO events (uuid) SELECT 'e-' || g FROM generate_series(1, 2000) g",
        "INSERT INTO s3_files (event_id, bucket, key, filetype) \
         SELECT e.id, 'b', e.uuid || '-' || g, 'log' FROM events e, generate_series(1, 5) g",
        "ANALYZE events",
        "ANALYZE s3_files",
    ] {
        diesel::sql_query(sql).execute(&mut conn).await.unwrap();
    }
    let plan: Vec<PlanLine> = diesel::sql_query(format!(
        "EXPLAIN SELECT {} FROM events e WHERE e.uuid = 'e-7'",
        hds::apps::event::json::event("e")
    ))
    .load(&mut conn)
    .await
    .unwrap();
    let plan: Vec<String> = plan.into_iter().map(|p| p.line).collect();
    assert!(
        !plan.iter().any(|l| l.contains("Seq Scan on s3_files")),
        "an event's files (its own and its secondary events') are read through the event_id index:\n{}",
        plan.join("\n")
    );
}
