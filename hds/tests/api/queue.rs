//! Background jobs over Redis (apalis), and ingestion while Redis is down (rule 8).

use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::http::StatusCode;
use actix_web::test;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use hds::api::state::AppState;
use hds::jobs::Jobs;
use hds::worker::queue::{connect, consume, RedisSink};

use crate::data::{report, setup_basic};
use crate::support::{build_pool, create_users, test_config, worker_ctx, TestDb, Who};

fn redis_url(db: u8) -> String {
    let base = std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379/0".into());
    let base = base
        .rsplit_once('/')
        .map(|(b, _)| b.to_string())
        .unwrap_or(base);
    format!("{base}/{db}")
}

async fn status_of(db: &TestDb, id: i64) -> String {
    hds::schema::error_reports::table
        .find(id)
        .select(hds::schema::error_reports::extraction_status)
        .first(&mut db.conn().await)
        .await
        .unwrap()
}

#[actix_web::test]
async fn reports_are_extracted_through_the_redis_queue() {
    let url = redis_url(14);
    let mut conn = connect(&url, 1).await.expect("redis for tests");
    let _: () = redis::cmd("FLUSHDB").query_async(&mut conn).await.unwrap();
    let db = TestDb::new();
    setup_basic(&mut db.conn().await).await;
    let users = create_users(&mut db.conn().await).await;
    let config = test_config(&db.url);
    let pool = build_pool(&config);
    let state = AppState::new(config, pool.clone())
        .with_jobs(Jobs::with_sink(Arc::new(RedisSink::new(&url))));
    let app = test::init_service(hds::api::app(state)).await;
    let req = test::TestRequest::post()
        .uri("/api/v1/errorreports/")
        .insert_header((
            "Authorization",
            format!("Token {}", users.token(Who::Sqs).unwrap()),
        ))
        .set_json(report("011", "queued", 1.0e9))
        .to_request();
    let resp: serde_json::Value = test::call_and_read_body_json(&app, req).await;
    let id = resp["data"]["id"].as_i64().unwrap();

    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let ctx = worker_ctx(&pool, None);
    let worker = tokio::spawn(async move {
        consume(conn, ctx, 2, async move {
            let _ = stop_rx.await;
            Ok(())
        })
        .await
    });
    let deadline = Instant::now() + Duration::from_secs(20);
    while status_of(&db, id).await == "pending" {
        assert!(
            Instant::now() < deadline,
            "the queued job was not processed"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(status_of(&db, id).await, "done");
    let n: i64 = hds::schema::exceptions::table
        .count()
        .get_result(&mut db.conn().await)
        .await
        .unwrap();
    assert_eq!(n, 3);
    stop_tx.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(40), worker)
        .await
        .expect("worker stops on signal")
        .unwrap()
        .unwrap();
}

#[actix_web::test]
async fn ingest_succeeds_while_redis_is_down_and_the_sweep_catches_up() {
    let db = TestDb::new();
    setup_basic(&mut db.conn().await).await;
    let users = create_users(&mut db.conn().await).await;
    let config = test_config(&db.url);
    let pool = build_pool(&config);
    // Nothing listens on port 1.
    let state = AppState::new(config, pool.clone()).with_jobs(Jobs::with_sink(Arc::new(
        RedisSink::new("redis://127.0.0.1:1/0"),
    )));
    let app = test::init_service(hds::api::app(state)).await;
    let started = Instant::now();
    let req = test::TestRequest::post()
        .uri("/api/v1/errorreports/")
        .insert_header((
            "Authorization",
            format!("Token {}", users.token(Who::Sqs).unwrap()),
        ))
        .set_json(report("011", "no-redis", 1.0e9))
        .to_request();
    let resp = test::call_service(&app, req).await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "a Redis outage does not stall ingestion"
    );
    let body: serde_json::Value = test::read_body_json(resp).await;
    let id = body["data"]["id"].as_i64().unwrap();
    assert_eq!(status_of(&db, id).await, "pending");
    // Later reports do not wait for Redis again while it is known to be down.
    let started = Instant::now();
    let req = test::TestRequest::post()
        .uri("/api/v1/errorreports/")
        .insert_header((
            "Authorization",
            format!("Token {}", users.token(Who::Sqs).unwrap()),
        ))
        .set_json(report("011", "no-redis-2", 1.0e9 + 1.0))
        .to_request();
    assert_eq!(
        test::call_service(&app, req).await.status(),
        StatusCode::CREATED
    );
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "took {:?}",
        started.elapsed()
    );
    crate::support::run_worker(&pool).await;
    assert_eq!(status_of(&db, id).await, "done");
}
