//! Release rollouts in waves with their halt rule, and the per-release pareto
//! (docs/api-design.md#release-rollouts).

use actix_web::http::StatusCode;
use diesel_async::RunQueryDsl;
use serde_json::{json, Value};

use crate::data::{add_harvester, report_with, setup_basic};
use crate::support::{spawn, worker_ctx, Who};
use hds::apps::harvdeploy::rollouts::advance_all;

fn now_secs() -> f64 {
    chrono::Utc::now().timestamp_micros() as f64 / 1e6
}

#[actix_web::test]
async fn rollouts_go_wave_by_wave_and_halt_when_errors_rise() {
    let app = spawn().await;
    let b = setup_basic(&mut app.db.conn().await).await;
    for harv_id in 12..=16 {
        add_harvester(&mut app.db.conn().await, &b, harv_id, false).await;
    }
    let ctx = worker_ctx(&app.pool, None);
    let sweep = || hds::worker::tasks::sweep(&ctx, chrono::Duration::seconds(-60));
    let sql = |q: String| {
        let app = &app;
        async move {
            diesel::sql_query(q)
                .execute(&mut app.db.conn().await)
                .await
                .unwrap()
        }
    };
    let r = app
        .post(
            Who::Jenkins,
            "/api/v1/release/",
            json!({"version": "2.0", "project": "strawberry"}),
        )
        .await;
    let release = r.body["data"]["id"].as_i64().unwrap();
    let path = format!("/api/v1/release/{release}/rollouts/");
    let r = app.post(Who::Manager, &path, json!({})).await;
    assert_eq!(
        r.status,
        StatusCode::BAD_REQUEST,
        "no install_release schema yet"
    );
    app.post(
        Who::Jenkins,
        "/api/v1/jobtypes/",
        json!({"name": "install_release"}),
    )
    .await;
    app.post(
        Who::Jenkins,
        "/api/v1/jobschemas/",
        json!({"jobtype": "install_release", "version": "1", "schema": {"type": "object", "required": ["release"]}}),
    )
    .await;
    assert_eq!(
        app.post(Who::Support, &path, json!({})).await.status,
        StatusCode::FORBIDDEN
    );
    let r = app
        .post(Who::Manager, &path, json!({"waves": ["ten"]}))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body["errors"]["detail"]["waves"].is_array(), "{}", r.text);
    let r = app
        .post(
            Who::Manager,
            &path,
            json!({"targets": [11, 12, 13, 14, 15, 16], "waves": [1, "50%"], "wave_minutes": 0,
                   "min_reports": 3, "halt_ratio": 1.5}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let rollout = r.body["data"]["id"].as_i64().unwrap();
    let waves: Vec<Value> = r.body["data"]["waves"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["harvesters"].clone())
        .collect();
    assert_eq!(waves, [json!([11]), json!([12, 13]), json!([14, 15, 16])]);
    let state = || async {
        app.get(Who::Support, &format!("/api/v1/rollouts/{rollout}/"))
            .await
            .body["data"]
            .clone()
    };

    // Wave 1: one install job, with the release as the original web app sends it.
    let mut conn = app.db.conn().await;
    let created = advance_all(&mut conn).await.unwrap();
    assert_eq!(created.len(), 1);
    assert_eq!(created[0].target, 11);
    assert!(
        advance_all(&mut conn).await.unwrap().is_empty(),
        "waits for the install"
    );
    let job = app
        .get(
            Who::Support,
            &format!("/api/v1/harvjobs/{}/", created[0].id),
        )
        .await
        .body["data"]
        .clone();
    assert_eq!(job["payload"]["run_state"], json!(["updating"]));
    assert_eq!(job["payload"]["release"]["version"], "2.0");

    // The harvester answers success; its install is two hours old; it reported as often as
    // before.
    let succeed = |job: Value, serial: &'static str| {
        let app = &app;
        async move {
            let result = json!({"type": "jobresults", "timestamp": now_secs(), "serial_number": serial,
                "uuid": job["event"]["UUID"], "data": {"master": {"ts": now_secs(), "status": "success"}}});
            let r = app.post(Who::Sqs, "/api/v1/jobresults/", result).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        }
    };
    let errors_at = |serial: &'static str, ago_hours: f64, n: usize| {
        let app = &app;
        async move {
            for i in 0..n {
                let ts = now_secs() - ago_hours * 3600.0 + i as f64;
                let body = report_with(
                    serial,
                    &format!("rollout-{serial}-{ago_hours}-{i}"),
                    ts,
                    &[("traychg.0", 1, ts, false)],
                );
                let r = app.post(Who::Sqs, "/api/v1/errorreports/", body).await;
                assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
            }
        }
    };
    succeed(job, "011").await;
    sweep().await.unwrap();
    let backdate = |harvesters: &'static str| {
        format!(
            "UPDATE job_history SET history_date = now() - interval '2 hours' WHERE jobstatus = 'Success' \
             AND id IN (SELECT id FROM jobs WHERE target_id IN (SELECT id FROM harvesters WHERE harv_id IN ({harvesters})))"
        )
    };
    sql(backdate("11")).await;
    errors_at("011", 3.0, 2).await;
    errors_at("011", 1.0, 2).await;
    sweep().await.unwrap();
    let created = advance_all(&mut conn).await.unwrap();
    let mut targets: Vec<i64> = created.iter().map(|j| j.target).collect();
    targets.sort();
    assert_eq!(targets, [12, 13], "wave 2 started");
    let s = state().await;
    assert_eq!(s["current_wave"], 2);
    assert_eq!(s["status"], "running");
    assert_eq!(
        s["evaluation"],
        json!({"updated_harvesters": 1, "reports_on_release": 2, "reports_before": 2})
    );
    assert_eq!(s["waves"][0]["jobs"], json!({"Success": 1}));
    let h = app
        .get(Who::Support, "/api/v1/harvesters/?harv_id=11")
        .await;
    assert_eq!(
        h.body["data"]["results"][0]["release"]["id"], release,
        "{}",
        h.text
    );

    // Wave 2 installs, then harvester 12 reports far more than before: halted.
    for j in &created {
        let job = app
            .get(Who::Support, &format!("/api/v1/harvjobs/{}/", j.id))
            .await
            .body["data"]
            .clone();
        let serial = if j.target == 12 { "012" } else { "013" };
        succeed(job, serial).await;
    }
    sweep().await.unwrap();
    sql(backdate("12, 13")).await;
    errors_at("012", 1.0, 6).await;
    sweep().await.unwrap();
    assert!(
        advance_all(&mut conn).await.unwrap().is_empty(),
        "no wave 3"
    );
    let s = state().await;
    assert_eq!(s["status"], "halted");
    assert!(
        s["halt_reason"]
            .as_str()
            .unwrap()
            .contains("8 error reports"),
        "{s}"
    );
    assert_eq!(s["evaluation"]["reports_on_release"], 8);
    let h = app
        .get(Who::Support, "/api/v1/harvesters/?harv_id=12")
        .await;
    assert_eq!(h.body["data"]["results"][0]["release"]["id"], release);

    // By hand: resume (it halts again on the same evidence), then cancel.
    let r = app
        .post(
            Who::Manager,
            &format!("/api/v1/rollouts/{rollout}/resume/"),
            json!({}),
        )
        .await;
    assert_eq!(r.body["data"]["status"], "running", "{}", r.text);
    assert!(advance_all(&mut conn).await.unwrap().is_empty());
    assert_eq!(state().await["status"], "halted");
    let r = app
        .post(
            Who::Manager,
            &format!("/api/v1/rollouts/{rollout}/cancel/"),
            json!({}),
        )
        .await;
    assert_eq!(r.body["data"]["status"], "cancelled", "{}", r.text);
    let r = app
        .post(
            Who::Manager,
            &format!("/api/v1/rollouts/{rollout}/resume/"),
            json!({}),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::BAD_REQUEST,
        "a cancelled rollout stays so"
    );
    let r = app.get(Who::Support, &path).await;
    assert_eq!(r.body["data"]["count"], 1);

    // The release's pareto: exceptions on the release against the same time before.
    sql(format!(
        "UPDATE harvester_history SET history_date = now() - interval '2 hours' WHERE release_id = {release}"
    ))
    .await;
    let r = app
        .get(Who::Support, &format!("/api/v1/release/{release}/pareto/"))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let d = &r.body["data"];
    assert_eq!(d["harvesters"], 3);
    assert_eq!(
        d["results"][0],
        json!({"code": 1, "name": "TrayException", "on_release": 8, "before": 2, "change": 6})
    );
}
