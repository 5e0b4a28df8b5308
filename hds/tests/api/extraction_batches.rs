//! Extraction a batch at a time (ARCHITECTURE.md, "The worker"): reports are taken together,
//! a report PostgreSQL refuses fails alone, and a worker killed with `kill -9` in the middle
//! of a backlog loses and duplicates nothing.

use std::time::{Duration, Instant};

use actix_web::http::StatusCode;
use diesel_async::RunQueryDsl;

use crate::data::{report, report_with, setup_basic};
use crate::pipeline::{count, moto_config};
use crate::processes::{hds, Proc};
use crate::support::{build_pool, spawn, test_config, worker_ctx, Who};

/// Every report of a backlog is extracted once, the batch taking the others with it; a report
/// whose exception PostgreSQL refuses (a service name longer than its column) is extracted
/// alone, fails alone after its attempts and holds no other report back.
#[actix_web::test]
async fn a_batch_takes_the_backlog_and_a_poison_report_fails_alone() {
    let app = spawn().await;
    setup_basic(&mut app.db.conn().await).await;
    let n = 150;
    for i in 0..n {
        let r = app
            .post(
                Who::Sqs,
                "/api/v1/errorreports/",
                report("011", &format!("batch-{i}"), 1.61e9 + i as f64),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    let long_service: &'static str = format!("{}.0", "s".repeat(80)).leak();
    let r = app
        .post(
            Who::Sqs,
            "/api/v1/errorreports/",
            report_with(
                "011",
                "batch-poison",
                1.62e9,
                &[(long_service, 0, 1.6e9, false)],
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let poison = r.body["data"]["id"].as_i64().unwrap();
    let pool = build_pool(&test_config(&app.db.url));
    let ctx = worker_ctx(&pool, None);
    // The first report's job extracts a whole batch.
    let first = count(&app.db, "SELECT min(id) AS n FROM error_reports").await;
    hds::worker::tasks::extract_report(&ctx, first)
        .await
        .unwrap();
    let done = count(
        &app.db,
        "SELECT count(*) AS n FROM error_reports WHERE extraction_status = 'done'",
    )
    .await;
    assert_eq!(
        done,
        hds::worker::tasks::EXTRACT_BATCH,
        "one job, one batch"
    );
    // Its other reports' jobs find them done; the rest go batch by batch, and every batch
    // holding the poison report fails as a whole, then extracts its own report alone.
    let ids: Vec<i64> = {
        #[derive(diesel::QueryableByName)]
        struct Id {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            id: i64,
        }
        diesel::sql_query("SELECT id FROM error_reports ORDER BY id")
            .load::<Id>(&mut app.db.conn().await)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.id)
            .collect()
    };
    for _attempt in 0..hds::worker::tasks::MAX_ATTEMPTS {
        for &id in &ids {
            let _ = hds::worker::tasks::extract_report(&ctx, id).await;
        }
    }
    assert_eq!(
        count(
            &app.db,
            "SELECT count(*) AS n FROM error_reports WHERE extraction_status = 'done'"
        )
        .await,
        n
    );
    assert_eq!(
        count(&app.db, "SELECT count(*) AS n FROM exceptions").await,
        3 * n
    );
    assert_eq!(
        count(&app.db, "SELECT count(*) AS n FROM (SELECT report_id FROM exceptions GROUP BY 1 HAVING count(*) <> 3) x").await,
        0,
        "each report's exceptions exactly once"
    );
    assert_eq!(
        count(&app.db, &format!("SELECT count(*) AS n FROM error_reports WHERE id = {poison} AND extraction_status = 'failed'")).await,
        1,
        "the poison report failed alone"
    );
    assert_eq!(
        count(&app.db, "SELECT count(*) AS n FROM error_reports WHERE primary_code_id IS NULL AND extraction_status = 'done'").await,
        0,
        "every extracted report has its primary code"
    );
}

/// `kill -9` of a real worker in the middle of a backlog: its open batch is rolled back by
/// PostgreSQL, a second worker finishes the backlog, and every report ends with its
/// exceptions exactly once.
#[actix_web::test]
async fn a_worker_killed_mid_batch_loses_and_duplicates_nothing() {
    let app = spawn().await;
    setup_basic(&mut app.db.conn().await).await;
    let n: i64 = 1500;
    // The backlog: one report through the API, copied in the database as the API would leave
    // it (pending, no queue); the sweep hands it to the worker.
    let r = app
        .post(
            Who::Sqs,
            "/api/v1/errorreports/",
            report("011", "kill9-seed", 1.61e9),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    diesel::sql_query(format!(
        "INSERT INTO error_reports (harvester_id, location_id, report_time, report, githash, gitbranch, \
                                    event_id, ingest_key, extraction_status) \
         SELECT r.harvester_id, r.location_id, r.report_time, r.report, r.githash, r.gitbranch, r.event_id, \
                'kill9-' || g, 'pending' \
         FROM error_reports r, generate_series(1, {n}) g WHERE r.id = (SELECT min(id) FROM error_reports)"
    ))
    .execute(&mut app.db.conn().await)
    .await
    .unwrap();
    let total = count(&app.db, "SELECT count(*) AS n FROM error_reports").await;
    assert!(total > n, "{total}");
    let config = moto_config(&app.db.url, "unused-bucket");
    let worker = |db: &str| {
        Proc(
            hds(&config, db)
                .env("REDIS_URL", "redis://127.0.0.1:1/0")
                .args([
                    "worker",
                    "--sweep-seconds",
                    "1",
                    "--sweep-grace-seconds",
                    "0",
                ])
                .spawn()
                .unwrap(),
        )
    };
    let done_sql = "SELECT count(*) AS n FROM error_reports WHERE extraction_status = 'done'";
    let mut first = worker(&app.db.url);
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let done = count(&app.db, done_sql).await;
        if done >= 100 {
            assert!(
                done < total,
                "the backlog was gone before the kill; make it larger"
            );
            break;
        }
        assert!(Instant::now() < deadline, "the worker extracted nothing");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    first.0.kill().unwrap(); // SIGKILL
    let _ = first.0.wait();
    let _second = worker(&app.db.url);
    let deadline = Instant::now() + Duration::from_secs(120);
    while count(&app.db, done_sql).await < total {
        assert!(
            Instant::now() < deadline,
            "the second worker did not finish the backlog"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        count(&app.db, "SELECT count(*) AS n FROM exceptions").await,
        3 * total
    );
    assert_eq!(
        count(&app.db, "SELECT count(*) AS n FROM (SELECT report_id FROM exceptions GROUP BY 1 HAVING count(*) <> 3) x").await,
        0,
        "each report's exceptions exactly once"
    );
}
