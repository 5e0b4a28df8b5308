//! Background jobs over Redis (apalis), and ingestion while Redis is down (rule 8).

use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::http::StatusCode;
use actix_web::test;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use hds::api::state::AppState;
use hds::jobs::Jobs;
use hds::worker::queue::{connect, consume, promote_due_scheduled, RedisSink};

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

#[actix_web::test]
async fn thousands_of_due_retries_are_promoted_in_chunks() {
    let mut conn = connect(&redis_url(13), 1).await.expect("redis for tests");
    let _: () = redis::cmd("FLUSHDB").query_async(&mut conn).await.unwrap();
    let queue = "hds:promote-test";
    let scheduled = format!("{queue}:scheduled");
    // More than Lua's unpack limit (~8,000) due at once, which apalis cannot promote itself.
    let mut cmd = redis::cmd("ZADD");
    cmd.arg(&scheduled);
    for i in 0..9_500 {
        cmd.arg(0).arg(format!("job-{i}"));
    }
    let _: () = cmd.query_async(&mut conn).await.unwrap();
    let _: () = redis::cmd("ZADD")
        .arg(&scheduled)
        .arg(4_000_000_000u64)
        .arg("not-due-yet")
        .query_async(&mut conn)
        .await
        .unwrap();
    let moved = promote_due_scheduled(&mut conn, queue).await.unwrap();
    assert_eq!(moved, 9_500);
    let active: usize = redis::cmd("LLEN")
        .arg(format!("{queue}:active"))
        .query_async(&mut conn)
        .await
        .unwrap();
    assert_eq!(active, 9_500);
    let left: Vec<String> = redis::cmd("ZRANGE")
        .arg(&scheduled)
        .arg(0)
        .arg(-1)
        .query_async(&mut conn)
        .await
        .unwrap();
    assert_eq!(left, vec!["not-due-yet".to_string()], "only due jobs move");
    assert_eq!(promote_due_scheduled(&mut conn, queue).await.unwrap(), 0);
}
