//! Migrations run from the API (`migrations/`, docs/api-design.md#migrations; §4.16): the log
//! list and detail, `migrate/` for managers (202), the worker's run of the embedded migrations
//! with its outcome recorded, runs that never overlap, and `applied/`.

use actix_web::http::{Method, StatusCode};
use diesel::migration::MigrationSource;
use diesel::pg::Pg;
use diesel_async::{AsyncConnection, AsyncMigrationHarness, AsyncPgConnection, RunQueryDsl};
use diesel_migrations::MigrationHarness;
use serde_json::{json, Value};

use crate::support::{build_pool, on_side_runtime, spawn, test_config, worker_ctx, Who};

/// The migration the tests take back so that a run has something to apply.
const REVERTED: &str = "2026-12-05-000015_release_rollouts";

/// Reverts [`REVERTED`] in the database at `url` (its `down.sql`), as a build that predates it
/// would have left the schema.
async fn revert_one(url: String) {
    let conn = AsyncPgConnection::establish(&url).await.unwrap();
    tokio::task::spawn_blocking(move || {
        let mut harness = AsyncMigrationHarness::new(conn);
        let all = MigrationSource::<Pg>::migrations(&hds::db::MIGRATIONS).unwrap();
        let m = all
            .iter()
            .find(|m| m.name().to_string() == REVERTED)
            .expect("the migration exists");
        harness.revert_migration(m.as_ref()).unwrap();
    })
    .await
    .unwrap();
}

async fn exec(url: &str, sql: &str) {
    let mut conn = AsyncPgConnection::establish(url).await.unwrap();
    diesel::sql_query(sql).execute(&mut conn).await.unwrap();
}

/// Runs the worker's task for each log at once (on a runtime of its own: the migration harness
/// needs a multi-threaded one), over a fresh pool of the test database.
fn run_logs(url: &str, ids: Vec<i64>) {
    let url = url.to_string();
    on_side_runtime(move || {
        Box::pin(async move {
            let pool = build_pool(&test_config(&url));
            let runs = ids.into_iter().map(|id| {
                let (pool, url) = (pool.clone(), url.clone());
                async move { hds::apps::hdsmigrations::execute(&pool, &url, id).await }
            });
            for r in futures_util::future::join_all(runs).await {
                r.unwrap();
            }
        })
    })
}

/// The worker's sweep over the test database, able to run migrations.
fn sweep(url: &str) -> usize {
    let url = url.to_string();
    on_side_runtime(move || {
        Box::pin(async move {
            let pool = build_pool(&test_config(&url));
            let ctx = hds::worker::WorkerCtx {
                database_url: url.clone(),
                ..worker_ctx(&pool, None)
            };
            hds::worker::tasks::sweep(&ctx, chrono::Duration::seconds(-60))
                .await
                .unwrap()
        })
    })
}

fn queued_id(r: &crate::support::Resp) -> i64 {
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text);
    assert_eq!(r.body["status"], "success");
    assert_eq!(r.body["message"], "Migration queued.");
    assert_eq!(r.body["data"].as_object().unwrap().len(), 1, "{}", r.text);
    r.body["data"]["id"].as_i64().unwrap()
}

#[actix_web::test]
async fn migrate_is_for_managers_and_records_a_pending_log() {
    let app = spawn().await;
    let r = app.get(Who::Support, "/api/v1/migrations/migrate/").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app.get(Who::Jenkins, "/api/v1/migrations/migrate/").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app.get(Who::Anon, "/api/v1/migrations/migrate/").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let empty = app.get(Who::Support, "/api/v1/migrations/").await;
    assert_eq!(empty.body["data"]["count"], 0, "403s record nothing");

    let id = queued_id(&app.get(Who::Manager, "/api/v1/migrations/migrate/").await);
    let admin_id = queued_id(&app.get(Who::Admin, "/api/v1/migrations/migrate/").await);
    assert!(admin_id > id);

    let log = app
        .get(Who::Beatbox, &format!("/api/v1/migrations/{id}/"))
        .await;
    assert_eq!(log.status, StatusCode::OK);
    assert_eq!(log.body["message"], "hdsmigrations retrieved successfully");
    let d = &log.body["data"];
    assert_eq!(d["result"], "pending");
    assert_eq!(d["startTime"], Value::Null);
    assert_eq!(d["endTime"], Value::Null);
    assert_eq!(d["output"], Value::Null);
    assert_eq!(d["applied"], json!([]));
    assert_eq!(d["creator"], app.users.id(Who::Manager));
    assert_eq!(d["githash"], hds::apps::hdsmigrations::githash());
    let hash = d["githash"].as_str().unwrap();
    assert!(
        hash == "UNKNOWN" || (hash.len() <= 40 && !hash.is_empty()),
        "the build's githash: {hash}"
    );

    let list = app.get(Who::Jenkins, "/api/v1/migrations/").await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.body["data"]["count"], 2);
    assert_eq!(
        list.body["data"]["results"][0]["id"], admin_id,
        "newest first (-id)"
    );
    let r = app.get(Who::Support, "/api/v1/migrations/999999/").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[actix_web::test]
async fn only_reads_are_routed() {
    // §4.16: `http_method_names = get`; everything else is 405 (before authentication).
    let app = spawn().await;
    let id = queued_id(&app.get(Who::Manager, "/api/v1/migrations/migrate/").await);
    let detail = format!("/api/v1/migrations/{id}/");
    for path in [
        "/api/v1/migrations/",
        detail.as_str(),
        "/api/v1/migrations/migrate/",
    ] {
        for m in [Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
            for who in [Who::Admin, Who::Anon] {
                let r = app.call(who, m.clone(), path, Some(json!({}))).await;
                assert_eq!(
                    r.status,
                    StatusCode::METHOD_NOT_ALLOWED,
                    "{m} {path} as {who:?}"
                );
                assert_eq!(
                    r.body["errors"]["detail"],
                    format!("Method \"{m}\" not allowed.")
                );
            }
        }
    }
    let r = app.get(Who::Support, &detail).await;
    assert_eq!(r.body["data"]["result"], "pending", "nothing changed");
}

#[actix_web::test]
async fn the_list_filters_by_result_and_creation_time() {
    let app = spawn().await;
    let a = queued_id(&app.get(Who::Manager, "/api/v1/migrations/migrate/").await);
    let b = queued_id(&app.get(Who::Manager, "/api/v1/migrations/migrate/").await);
    exec(
        &app.db.url,
        &format!(
            "UPDATE migration_logs SET result = 'success', created = '2024-01-01T00:00:00Z' WHERE id = {a}"
        ),
    )
    .await;
    let ids = |r: &crate::support::Resp| -> Vec<i64> {
        r.body["data"]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["id"].as_i64().unwrap())
            .collect()
    };
    let r = app
        .get(Who::Support, "/api/v1/migrations/?result=success")
        .await;
    assert_eq!(ids(&r), [a]);
    let r = app
        .get(Who::Support, "/api/v1/migrations/?result=pending")
        .await;
    assert_eq!(ids(&r), [b]);
    let r = app
        .get(Who::Support, "/api/v1/migrations/?result=failed")
        .await;
    assert_eq!(ids(&r), Vec::<i64>::new());
    let r = app
        .get(Who::Support, "/api/v1/migrations/?result=done")
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body["errors"]["detail"]["result"][0]
        .as_str()
        .unwrap()
        .contains("not one of the available choices"));
    let r = app
        .get(
            Who::Support,
            "/api/v1/migrations/?created_before=2025-01-01&tz=UTC",
        )
        .await;
    assert_eq!(ids(&r), [a]);
    let r = app
        .get(
            Who::Support,
            "/api/v1/migrations/?created_after=2025-01-01&tz=UTC",
        )
        .await;
    assert_eq!(ids(&r), [b]);
    let r = app
        .get(Who::Support, "/api/v1/migrations/?created_after=yesterday")
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = app
        .get(Who::Support, "/api/v1/migrations/?ordering=id")
        .await;
    assert_eq!(ids(&r), [a, b]);
    // D103: a name the list does not order by is ignored (the default order, -id).
    let r = app
        .get(Who::Support, "/api/v1/migrations/?ordering=output")
        .await;
    assert_eq!(ids(&r), [b, a]);
}

#[actix_web::test]
async fn the_worker_applies_what_is_pending_and_records_the_outcome() {
    let app = spawn().await;
    let url = app.db.url.clone();
    let u = url.clone();
    on_side_runtime(move || Box::pin(revert_one(u)));
    let applied = app.get(Who::Support, "/api/v1/migrations/applied/").await;
    assert_eq!(applied.status, StatusCode::OK, "{}", applied.text);
    let rows = applied.body["data"].as_array().unwrap();
    let known = hds::apps::hdsmigrations::embedded();
    assert_eq!(rows.len(), known.len(), "every embedded migration, once");
    let row = |name: &str| rows.iter().find(|r| r["name"] == name).unwrap().clone();
    assert_eq!(row(REVERTED)["run_on"], Value::Null, "pending: not applied");
    assert_eq!(row(REVERTED)["version"], "20261205000015");
    assert!(row("2026-11-25-000001_foundation")["run_on"].is_string());

    let first = queued_id(&app.get(Who::Manager, "/api/v1/migrations/migrate/").await);
    run_logs(&url, vec![first]);
    let log = app
        .get(Who::Support, &format!("/api/v1/migrations/{first}/"))
        .await
        .body["data"]
        .clone();
    assert_eq!(log["result"], "success", "{log}");
    assert_eq!(log["applied"], json!([REVERTED]));
    let output = log["output"].as_str().unwrap();
    assert!(
        output.starts_with("Last successful migration githash: INITIAL\n"),
        "{output}"
    );
    assert!(output.contains(REVERTED), "{output}");
    assert!(log["startTime"].as_str().unwrap() <= log["endTime"].as_str().unwrap());
    // The schema is back: the reverted table answers again.
    let r = app.get(Who::Support, "/api/v1/rollouts/999999/").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    let applied = app.get(Who::Support, "/api/v1/migrations/applied/").await;
    assert!(applied.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["run_on"].is_string()));

    // A second run finds nothing to do and names the first run's githash.
    let second = queued_id(&app.get(Who::Manager, "/api/v1/migrations/migrate/").await);
    run_logs(&url, vec![second, second]);
    let log = app
        .get(Who::Support, &format!("/api/v1/migrations/{second}/"))
        .await
        .body["data"]
        .clone();
    assert_eq!(log["result"], "success");
    assert_eq!(log["applied"], json!([]));
    let output = log["output"].as_str().unwrap();
    assert!(
        output.starts_with(&format!(
            "Last successful migration githash: {}\n",
            hds::apps::hdsmigrations::githash()
        )),
        "{output}"
    );
    assert!(output.contains("No migrations to apply."), "{output}");
    // Running a finished log again changes nothing.
    let before = log.clone();
    run_logs(&url, vec![second]);
    let after = app
        .get(Who::Support, &format!("/api/v1/migrations/{second}/"))
        .await
        .body["data"]
        .clone();
    assert_eq!(before, after);
}

#[actix_web::test]
async fn runs_queued_together_never_apply_migrations_together() {
    let app = spawn().await;
    let url = app.db.url.clone();
    let u = url.clone();
    on_side_runtime(move || Box::pin(revert_one(u)));
    let a = queued_id(&app.get(Who::Manager, "/api/v1/migrations/migrate/").await);
    let b = queued_id(&app.get(Who::Admin, "/api/v1/migrations/migrate/").await);
    run_logs(&url, vec![a, b]);
    let mut applied = Vec::new();
    for id in [a, b] {
        let log = app
            .get(Who::Support, &format!("/api/v1/migrations/{id}/"))
            .await
            .body["data"]
            .clone();
        assert_eq!(log["result"], "success", "{log}");
        applied.push(log["applied"].as_array().unwrap().len());
    }
    applied.sort();
    assert_eq!(
        applied,
        [0, 1],
        "one run applied the migration; the other waited for the lock and found nothing"
    );
}

#[actix_web::test]
async fn a_failing_migration_is_recorded_failed_with_its_error() {
    let app = spawn().await;
    let url = app.db.url.clone();
    let u = url.clone();
    on_side_runtime(move || Box::pin(revert_one(u)));
    // Something in the way of the migration's CREATE TABLE.
    exec(&url, "CREATE TABLE release_rollouts (id INTEGER)").await;
    let id = queued_id(&app.get(Who::Manager, "/api/v1/migrations/migrate/").await);
    run_logs(&url, vec![id]);
    let log = app
        .get(Who::Support, &format!("/api/v1/migrations/{id}/"))
        .await
        .body["data"]
        .clone();
    assert_eq!(log["result"], "failed", "{log}");
    assert_eq!(log["applied"], json!([]));
    let output = log["output"].as_str().unwrap();
    assert!(output.contains("Migration failed:"), "{output}");
    assert!(
        output.contains("already exists"),
        "the error text: {output}"
    );
    assert!(log["endTime"].is_string());
    let r = app
        .get(Who::Support, "/api/v1/migrations/?result=failed")
        .await;
    assert_eq!(r.body["data"]["count"], 1);
}

#[actix_web::test]
async fn the_sweep_runs_a_run_the_queue_lost() {
    // The API has no queue here (Jobs::none): the pending log is the record of the work.
    let app = spawn().await;
    let url = app.db.url.clone();
    let u = url.clone();
    on_side_runtime(move || Box::pin(revert_one(u)));
    let id = queued_id(&app.get(Who::Manager, "/api/v1/migrations/migrate/").await);
    assert!(sweep(&url) >= 1);
    let log = app
        .get(Who::Support, &format!("/api/v1/migrations/{id}/"))
        .await
        .body["data"]
        .clone();
    assert_eq!(log["result"], "success", "{log}");
    assert_eq!(log["applied"], json!([REVERTED]));
    assert_eq!(sweep(&url), 0, "nothing left pending");

    // A log whose runs all died with their worker (attempts used, lease over) is recorded
    // failed rather than retried for ever.
    let id = queued_id(&app.get(Who::Manager, "/api/v1/migrations/migrate/").await);
    exec(
        &url,
        &format!(
            "UPDATE migration_logs SET attempts = {}, lease = now() - interval '1 minute', start_time = now() WHERE id = {id}",
            hds::apps::hdsmigrations::MAX_ATTEMPTS
        ),
    )
    .await;
    sweep(&url);
    let log = app
        .get(Who::Support, &format!("/api/v1/migrations/{id}/"))
        .await
        .body["data"]
        .clone();
    assert_eq!(log["result"], "failed");
    assert!(
        log["output"].as_str().unwrap().contains("Abandoned"),
        "{log}"
    );
}
