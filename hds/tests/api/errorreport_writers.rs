//! Error reports through the report writers: the create answer, reports arriving together,
//! idempotency (D23), a report PostgreSQL refuses, the writers' harvester cache.

use actix_web::http::StatusCode;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde_json::{json, Value};

use crate::data::{count, report, setup_basic, TS};
use crate::support::{run_worker, spawn, Who};

#[actix_web::test]
async fn the_create_answer_is_the_detail_with_the_report_as_sent() {
    let app = spawn().await;
    setup_basic(&mut app.db.conn().await).await;
    // Pretty-printed, with a trailing newline, as a file read from S3 would be.
    let sent = report("011", "as-sent", TS);
    let text = format!("{}\n", serde_json::to_string_pretty(&sent).unwrap());
    let created = app.post_text(Who::Sqs, "/api/v1/errorreports/", text).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    assert_eq!(created.body["status"], "success");
    assert_eq!(created.body["message"], "errorreport created successfully");
    assert_eq!(created.body["data"]["report"], sent, "the report as sent");
    let id = created.body["data"]["id"].as_i64().unwrap();
    let detail = app
        .get(Who::Support, &format!("/api/v1/errorreports/{id}/"))
        .await;
    assert_eq!(
        created.body["data"], detail.body["data"],
        "the create answer is the detail representation"
    );
    let mut conn = app.db.conn().await;
    let stored: Option<Value> = hds::schema::error_reports::table
        .find(id)
        .select(hds::schema::error_reports::report)
        .get_result(&mut conn)
        .await
        .unwrap();
    assert_eq!(stored, Some(sent), "stored as sent");
}

#[actix_web::test]
async fn a_moved_harvester_reports_from_its_new_location() {
    let app = spawn().await;
    let mut conn = app.db.conn().await;
    let basic = setup_basic(&mut conn).await;
    let r = app
        .post(
            Who::Sqs,
            "/api/v1/errorreports/",
            report("011", "before-move", TS),
        )
        .await;
    assert_eq!(r.body["data"]["location"]["ranch"], "Ranch A", "{}", r.text);
    let r = app
        .post(
            Who::Developer,
            "/api/v1/locations/",
            json!({"distributor": basic.distributor, "ranch": "Ranch B", "country": "US", "region": "Oregon"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let ranch_b = r.body["data"]["id"].as_i64().unwrap();
    let r = app
        .patch(
            Who::Developer,
            &format!("/api/v1/harvesters/{}/", basic.harvester),
            json!({"location": ranch_b}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    // Right away: the writers' harvester cache does not outlive a change made through the API.
    let r = app
        .post(
            Who::Sqs,
            "/api/v1/errorreports/",
            report("011", "after-move", TS + 1.0),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["data"]["location"]["ranch"], "Ranch B");
    assert_eq!(r.body["data"]["harvester"]["location"]["ranch"], "Ranch B");
}

#[actix_web::test]
async fn the_same_report_twice_is_stored_once() {
    let app = spawn().await;
    setup_basic(&mut app.db.conn().await).await;
    let first = app
        .post(Who::Sqs, "/api/v1/errorreports/", report("011", "dup", TS))
        .await;
    let second = app
        .post(Who::Sqs, "/api/v1/errorreports/", report("011", "dup", TS))
        .await;
    assert_eq!(
        second.status,
        StatusCode::CREATED,
        "a replay succeeds so the forwarder deletes the message"
    );
    assert_eq!(first.body["data"]["id"], second.body["data"]["id"], "D23");
    // Both answers carry the stored report: the first from the body just written, the replay
    // read back from the row; they must not differ.
    assert_eq!(first.body["data"]["report"], report("011", "dup", TS));
    assert_eq!(first.body["data"], second.body["data"]);
    let detail = app
        .get(
            Who::Support,
            &format!("/api/v1/errorreports/{}/", first.body["data"]["id"]),
        )
        .await;
    assert_eq!(detail.body["data"], first.body["data"]);
    let other_time = app
        .post(
            Who::Sqs,
            "/api/v1/errorreports/",
            report("011", "dup", TS + 1.0),
        )
        .await;
    assert_ne!(other_time.body["data"]["id"], first.body["data"]["id"]);
    let list = app.get(Who::Support, "/api/v1/errorreports/").await;
    assert_eq!(count(&list.body), 2);
    run_worker(&app.pool).await;
    let mut conn = app.db.conn().await;
    let n: i64 = hds::schema::exceptions::table
        .count()
        .get_result(&mut conn)
        .await
        .unwrap();
    assert_eq!(n, 6);
}

#[actix_web::test]
async fn reports_posted_together_are_stored_together() {
    let app = spawn().await;
    setup_basic(&mut app.db.conn().await).await;
    // 24 reports, each delivered twice, all at once, with two bad ones among them.
    let mut bodies: Vec<Value> = (0..48)
        .map(|i| report("011", &format!("together-{}", i % 24), TS))
        .collect();
    bodies.push(report("099", "nobody", TS));
    let mut nul = report("011", "nul", TS);
    nul["data"]["note"] = json!("a\u{0}b");
    bodies.push(nul);
    let answers = futures_util::future::join_all(
        bodies
            .iter()
            .map(|b| app.post(Who::Sqs, "/api/v1/errorreports/", b.clone())),
    )
    .await;
    for (i, a) in answers[..48].iter().enumerate() {
        assert_eq!(a.status, StatusCode::CREATED, "{i}: {}", a.text);
        assert_eq!(a.body["data"]["report"], bodies[i], "{i}");
        assert_eq!(
            a.body["data"]["id"],
            answers[i % 24].body["data"]["id"],
            "{i}: a redelivery answers with the first delivery's row"
        );
    }
    assert_eq!(answers[48].status, StatusCode::BAD_REQUEST);
    assert_eq!(
        answers[48].body["errors"]["exception"],
        "Harvester matching query does not exist."
    );
    assert_eq!(
        answers[49].status,
        StatusCode::BAD_REQUEST,
        "{}",
        answers[49].text
    );
    assert!(
        answers[49].text.contains("NUL character"),
        "{}",
        answers[49].text
    );

    let mut conn = app.db.conn().await;
    #[derive(diesel::QueryableByName)]
    struct Counts {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        reports: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        transactions: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        events: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        sessions: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        tagged_sessions: i64,
    }
    let counts: Counts = diesel::sql_query(
        "SELECT (SELECT count(*) FROM error_reports) AS reports, \
         (SELECT count(DISTINCT xmin::text) FROM error_reports) AS transactions, \
         (SELECT count(*) FROM events WHERE uuid LIKE 'together-%') AS events, \
         (SELECT count(*) FROM pick_sessions WHERE uuid LIKE 'ps-together-%') AS sessions, \
         (SELECT count(*) FROM pick_session_tags pt JOIN tags t ON t.id = pt.tag_id \
           WHERE t.name = 'PickSession') AS tagged_sessions",
    )
    .get_result(&mut conn)
    .await
    .unwrap();
    assert_eq!(
        (
            counts.reports,
            counts.events,
            counts.sessions,
            counts.tagged_sessions
        ),
        (24, 24, 24, 24),
        "each report, event and pick session once, whatever the batching"
    );
    assert!(
        counts.transactions < 24,
        "reports arriving together share transactions ({} for 24)",
        counts.transactions
    );
    run_worker(&app.pool).await;
    let n: i64 = hds::schema::exceptions::table
        .count()
        .get_result(&mut conn)
        .await
        .unwrap();
    assert_eq!(n, 72);
}

#[actix_web::test]
async fn a_report_the_database_refuses_fails_alone() {
    let app = spawn().await;
    setup_basic(&mut app.db.conn().await).await;
    let mut conn = app.db.conn().await;
    // A stand-in for any row PostgreSQL rejects: the whole batch's transaction fails with it.
    for sql in [
        "CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
         IF NEW.githash = 'poison' THEN RAISE EXCEPTION 'poisoned report'; END IF; RETURN NEW; END $$",
        "CREATE TRIGGER refuse_poison BEFORE INSERT ON error_reports \
         FOR EACH ROW EXECUTE FUNCTION refuse_poison()",
    ] {
        diesel::sql_query(sql).execute(&mut conn).await.unwrap();
    }
    let mut bodies: Vec<Value> = (0..12)
        .map(|i| report("011", &format!("neighbour-{i}"), TS))
        .collect();
    let mut poison = report("011", "poison", TS);
    poison["data"]["githash"] = json!("poison");
    bodies.insert(6, poison);
    let answers = futures_util::future::join_all(
        bodies
            .iter()
            .map(|b| app.post(Who::Sqs, "/api/v1/errorreports/", b.clone())),
    )
    .await;
    for (i, a) in answers.iter().enumerate() {
        let expected = match i {
            6 => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::CREATED,
        };
        assert_eq!(a.status, expected, "{i}: {}", a.text);
    }
    let list = app.get(Who::Support, "/api/v1/errorreports/").await;
    assert_eq!(count(&list.body), 12);
    let poisoned: i64 = hds::schema::events::table
        .filter(hds::schema::events::uuid.eq("poison"))
        .count()
        .get_result(&mut conn)
        .await
        .unwrap();
    assert_eq!(
        poisoned, 0,
        "the refused report's event was rolled back with it"
    );
}
