//! Job types, schemas, jobs, their dispatch to the job server, their status from job results,
//! and schedules (docs/api-design.md#jobs).

use actix_web::http::{Method, StatusCode};
use diesel_async::RunQueryDsl;
use serde_json::{json, Value};

use crate::data::{add_harvester, count, setup_basic, TS};
use crate::support::{spawn, worker_ctx, FakeSlack, Who};
use hds::apps::harvjobs::dispatch::JobServer;

/// The schema of the original's job tests: `id`, `job_type`, `requiredArg` and `targets`.
fn test_schema() -> Value {
    json!({
        "type": "object",
        "properties": {
            "id": {"type": "string"}, "job_type": {"type": "string"}, "timeout": {"type": "integer"},
            "requiredArg": {"type": "string"}, "optionalArg": {"type": "string"},
            "targets": {"type": "array", "items": {"type": "string", "pattern": "^(master|((robot|stereo)\\d+))$"}}
        },
        "required": ["id", "job_type", "requiredArg", "targets"]
    })
}

/// Job types `test` (whitelisted for support) and `install_release` with schema 1.0 each.
async fn setup_types(
    app: &crate::support::TestApp<
        impl actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
            Error = actix_web::Error,
        >,
    >,
) {
    for name in ["test", "install_release"] {
        let r = app
            .post(Who::Jenkins, "/api/v1/jobtypes/", json!({"name": name}))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let r = app
            .post(
                Who::Jenkins,
                "/api/v1/jobschemas/",
                json!({"jobtype": name, "version": "1.0", "schema": test_schema()}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
}

fn job_body(jobtype: &str, target: i64, payload: Value) -> Value {
    json!({"jobtype": jobtype, "schema_version": "1.0", "target": target, "payload": payload})
}

fn good_payload() -> Value {
    json!({"requiredArg": "x", "targets": ["master", "robot1"]})
}

#[actix_web::test]
async fn job_types_and_schemas_are_posted_by_ci_and_checked() {
    let app = spawn().await;
    let r = app
        .post(Who::Support, "/api/v1/jobtypes/", json!({"name": "test"}))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .post(Who::Developer, "/api/v1/jobtypes/", json!({"name": "test"}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["data"]["name"], "test");
    let type_id = r.body["data"]["id"].as_i64().unwrap();
    let r = app
        .post(Who::Jenkins, "/api/v1/jobtypes/", json!({"name": "test"}))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "unique names");
    assert!(r.body["errors"]["detail"]["name"].is_array(), "{}", r.text);
    let r = app
        .post(
            Who::Jenkins,
            "/api/v1/jobtypes/",
            json!({"name": "x".repeat(21)}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "20 characters at most");
    app.post(Who::Jenkins, "/api/v1/jobtypes/", json!({"name": "other"}))
        .await;
    assert_eq!(
        count(&app.get(Who::Beatbox, "/api/v1/jobtypes/").await.body),
        2
    );
    let r = app
        .get(Who::Support, &format!("/api/v1/jobtypes/{type_id}/"))
        .await;
    assert_eq!(r.body["data"]["name"], "test");

    let post = |body: Value| {
        let app = &app;
        async move { app.post(Who::Jenkins, "/api/v1/jobschemas/", body).await }
    };
    let r = post(
        json!({"jobtype": "test", "version": "1.0", "schema": test_schema(), "comment": "first"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["data"]["jobtype"], "test", "the type by name");
    assert_eq!(r.body["data"]["schema"], test_schema());
    let r = post(json!({"jobtype": "test", "version": "1.0", "schema": test_schema()})).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.text.contains("jobtype, version must make a unique set"),
        "{}",
        r.text
    );
    let r = post(json!({"jobtype": "other", "version": "1.0", "schema": {}})).await;
    assert_eq!(r.status, StatusCode::CREATED, "same version, other type");
    let r = post(json!({"jobtype": "test", "version": "1.1", "schema": {}})).await;
    assert_eq!(r.status, StatusCode::CREATED, "same type, other version");
    let r = post(json!({"jobtype": "nope", "version": "1.0", "schema": {}})).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body["errors"]["detail"]["jobtype"].is_array(),
        "{}",
        r.text
    );
    let r = post(json!({"jobtype": "test", "version": "2.0", "schema": {"type": 5}})).await;
    assert_eq!(
        r.status,
        StatusCode::BAD_REQUEST,
        "a schema that does not compile"
    );
    assert!(
        r.body["errors"]["detail"]["schema"].is_array(),
        "{}",
        r.text
    );
    let r = app
        .get(Who::Support, "/api/v1/jobschemas/?jobtype__name=test")
        .await;
    assert_eq!(count(&r.body), 2);
}

#[actix_web::test]
async fn jobs_are_checked_against_their_schema_and_recorded_with_their_event() {
    let app = spawn().await;
    let b = setup_basic(&mut app.db.conn().await).await;
    setup_types(&app).await;

    let r = app
        .post(
            Who::Manager,
            "/api/v1/harvjobs/",
            job_body("test", 11, good_payload()),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let job = r.body["data"].clone();
    let id = job["id"].as_i64().unwrap();
    assert_eq!(job["jobstatus"], "Pending");
    assert_eq!(job["target"], b.harvester);
    let uuid = job["payload"]["id"].as_str().unwrap().to_string();
    assert_eq!(
        job["event"]["UUID"],
        uuid.as_str(),
        "the event is the job's"
    );
    assert_eq!(job["event"]["tags"], json!(["Job"]));
    assert_eq!(
        job["event"]["related_objects"],
        json!([{"url": format!("/jobs/{id}/"), "object": "Job"}])
    );
    assert_eq!(job["payload"]["job_type"], "test");
    assert_eq!(
        (job["jobtype"].as_str(), job["schema_version"].as_str()),
        (Some("test"), Some("1.0"))
    );
    assert_eq!(job["payload"]["timeout"], 6000);
    assert_eq!(job["dispatch"]["status"], "pending");
    assert_eq!(
        job["results"],
        format!("/api/v1/jobresults/?job__target__harv_id=11&job__event__UUID={uuid}")
    );
    assert_eq!(job["history"], format!("/api/v1/harvjobs/{id}/history/"));

    // Permissions: support staff only the whitelisted types.
    let r = app
        .post(
            Who::Support,
            "/api/v1/harvjobs/",
            job_body("install_release", 11, good_payload()),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .post(
            Who::Support,
            "/api/v1/harvjobs/",
            job_body("TEST", 11, good_payload()),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::BAD_REQUEST,
        "allowed, but no type TEST: {}",
        r.text
    );
    let r = app
        .post(
            Who::Support,
            "/api/v1/harvjobs/",
            job_body("test", 11, good_payload()),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let r = app
        .post(
            Who::Manager,
            "/api/v1/harvjobs/",
            job_body("install_release", 11, good_payload()),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);

    // The original's error shapes; nothing half-created.
    let jobs_before = count(&app.get(Who::Support, "/api/v1/harvjobs/").await.body);
    let events_before = count(&app.get(Who::Support, "/api/v1/events/").await.body);
    let r = app
        .post(
            Who::Manager,
            "/api/v1/harvjobs/",
            job_body("test", 11, json!({"targets": ["master"]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.text.contains("'requiredArg' is a required property"),
        "{}",
        r.text
    );
    assert!(r.body["errors"]["detail"]["validation error"]["missing"].is_array());
    let r = app
        .post(
            Who::Manager,
            "/api/v1/harvjobs/",
            job_body("test", 11, json!({"requiredArg": 1, "targets": []})),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text.contains("Must be string"), "{}", r.text);
    let r = app
        .post(
            Who::Manager,
            "/api/v1/harvjobs/",
            job_body("test", 999, good_payload()),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body["errors"]["detail"]["target"].is_array(),
        "{}",
        r.text
    );
    let mut body = job_body("test", 11, good_payload());
    body["schema_version"] = json!(9.0);
    let r = app.post(Who::Manager, "/api/v1/harvjobs/", body).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body["errors"]["detail"]["schema_version"].is_array(),
        "{}",
        r.text
    );
    let r = app
        .post(
            Who::Manager,
            "/api/v1/harvjobs/",
            job_body("test", 11, json!([1])),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert_eq!(
        count(&app.get(Who::Support, "/api/v1/harvjobs/").await.body),
        jobs_before
    );
    assert_eq!(
        count(&app.get(Who::Support, "/api/v1/events/").await.body),
        events_before
    );

    // Filters.
    for (query, n) in [
        ("target__harv_id=11".to_string(), 3),
        ("target__harv_id=12".into(), 0),
        (format!("event__UUID={uuid}"), 1),
        (format!("uuid={uuid}"), 1),
        ("jobstatus=Pending".into(), 3),
        ("jobtype=install_release".into(), 1),
        ("schema__version=1.0".into(), 3),
    ] {
        let r = app
            .get(Who::Support, &format!("/api/v1/harvjobs/?{query}"))
            .await;
        assert_eq!(count(&r.body), n, "{query}: {}", r.text);
    }

    // History, corrections, reschedule.
    let r = app
        .get(Who::Support, &format!("/api/v1/harvjobs/{id}/history/"))
        .await;
    assert_eq!(r.body["message"], format!("Job {uuid} history"));
    assert_eq!(count(&r.body), 1);
    assert_eq!(r.body["data"]["results"][0]["jobstatus"], "Pending");
    let r = app
        .patch(
            Who::Admin,
            &format!("/api/v1/harvjobs/{id}/"),
            json!({"jobstatus": "Nope"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = app
        .patch(
            Who::Admin,
            &format!("/api/v1/harvjobs/{id}/"),
            json!({"jobstatus": "canceled"}),
        )
        .await;
    assert_eq!(r.body["data"]["jobstatus"], "canceled", "{}", r.text);
    let r = app
        .get(Who::Support, &format!("/api/v1/harvjobs/{id}/history/"))
        .await;
    assert_eq!(count(&r.body), 2);
    assert_eq!(
        r.body["data"]["results"][0]["jobstatus"], "canceled",
        "newest first"
    );
    let path = format!("/api/v1/harvjobs/{id}/reschedule/");
    assert_eq!(
        app.get(Who::Support, &path).await.status,
        StatusCode::FORBIDDEN
    );
    let r = app.get(Who::Manager, &path).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        r.body["message"],
        format!("Job {id} rescheduled successfully")
    );
    assert_eq!(r.body["data"]["dispatch"]["status"], "pending");
}

#[actix_web::test]
async fn the_worker_sends_jobs_retries_and_records_what_could_not_be_sent() {
    let app = spawn().await;
    setup_basic(&mut app.db.conn().await).await;
    setup_types(&app).await;
    diesel::sql_query(
        "UPDATE user_profiles SET slack_id = 'UMANAGER' WHERE user_id = (SELECT id FROM users WHERE username = 'manager')",
    )
    .execute(&mut app.db.conn().await)
    .await
    .unwrap();
    let server = hds::commands::jobserver::start("127.0.0.1", 0).unwrap();
    let slack = FakeSlack::start().await;
    let mut ctx = worker_ctx(&app.pool, Some(&slack.url));
    ctx.job_server = JobServer::new(&server.url).unwrap();
    let new_job = || async {
        let r = app
            .post(
                Who::Manager,
                "/api/v1/harvjobs/",
                job_body("test", 11, good_payload()),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        r.body["data"].clone()
    };
    let app = &app;
    let job_of = |id: i64| async move {
        app.get(Who::Support, &format!("/api/v1/harvjobs/{id}/"))
            .await
            .body["data"]
            .clone()
    };

    let job = new_job().await;
    let id = job["id"].as_i64().unwrap();
    hds::worker::tasks::dispatch_job(&ctx, id).await.unwrap();
    let got = server.recorder.received();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["hv_name"], "hv-011");
    assert_eq!(got[0]["operator"], "manager");
    assert_eq!(got[0]["hv_subsystem"], "http://localhost:5000");
    let sent: Value = serde_json::from_str(got[0]["job_payload"].as_str().unwrap()).unwrap();
    assert_eq!(sent, job["payload"], "the payload as a JSON string");
    assert!(got[0]["valid_until"].as_str().unwrap().len() == 19);
    let after = job_of(id).await;
    assert_eq!(after["dispatch"]["status"], "sent");
    assert_eq!(
        after["jobstatus"], "Pending",
        "sent; its results set the status"
    );
    hds::worker::tasks::dispatch_job(&ctx, id).await.unwrap();
    assert_eq!(server.recorder.received().len(), 1, "recorded sent once");

    // 5xx twice, then taken: retried with backoff.
    server.recorder.fail_next(2, 502);
    let id = new_job().await["id"].as_i64().unwrap();
    hds::worker::tasks::dispatch_job(&ctx, id).await.unwrap();
    assert_eq!(server.recorder.received().len(), 2);
    assert_eq!(job_of(id).await["dispatch"]["status"], "sent");

    // Down for good: five attempts, then `Failed to send` and one Slack message naming the
    // creator.
    server.recorder.fail_next(100, 503);
    let id = new_job().await["id"].as_i64().unwrap();
    hds::worker::tasks::dispatch_job(&ctx, id).await.unwrap();
    let failed = job_of(id).await;
    assert_eq!(failed["jobstatus"], "Failed to send");
    assert_eq!(failed["dispatch"]["status"], "failed");
    assert!(failed["dispatch"]["error"]
        .as_str()
        .unwrap()
        .contains("503"));
    let messages = slack.sent();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert_eq!(messages[0]["channel"], "hds-jobs");
    let text = messages[0]["text"].as_str().unwrap();
    assert!(text.starts_with("*Job Failed to send*"), "{text}");
    assert!(
        text.contains(&format!("/jobs/{id}/")) && text.ends_with("<@UMANAGER>"),
        "{text}"
    );
    hds::worker::tasks::dispatch_job(&ctx, id).await.unwrap();
    assert_eq!(slack.sent().len(), 1, "told once");

    // A 4xx is not retried.
    server.recorder.fail_next(1, 400);
    let id = new_job().await["id"].as_i64().unwrap();
    hds::worker::tasks::dispatch_job(&ctx, id).await.unwrap();
    assert_eq!(job_of(id).await["jobstatus"], "Failed to send");

    // Rescheduled once the server is back: sent by the sweep (the queue is not running here).
    server.recorder.fail_next(0, 200);
    let r = app
        .get(Who::Manager, &format!("/api/v1/harvjobs/{id}/reschedule/"))
        .await;
    assert_eq!(r.body["data"]["jobstatus"], "Pending");
    hds::worker::tasks::sweep(&ctx, chrono::Duration::seconds(-60))
        .await
        .unwrap();
    assert_eq!(job_of(id).await["dispatch"]["status"], "sent");
    assert_eq!(server.recorder.received().len(), 3);

    // A worker killed mid-send: its lease ends and the sweep sends the job again.
    let id = new_job().await["id"].as_i64().unwrap();
    {
        let mut conn = app.db.conn().await;
        let taken = hds::apps::harvjobs::dispatch::take(&mut conn, id)
            .await
            .unwrap();
        assert!(taken.is_some(), "taken by a worker that then dies");
        assert!(
            hds::apps::harvjobs::dispatch::take(&mut conn, id)
                .await
                .unwrap()
                .is_none(),
            "held while its lease runs"
        );
        diesel::sql_query(
            "UPDATE jobs SET dispatch_lease = now() - interval '1 second' WHERE id = $1",
        )
        .bind::<diesel::sql_types::BigInt, _>(id)
        .execute(&mut conn)
        .await
        .unwrap();
    }
    hds::worker::tasks::sweep(&ctx, chrono::Duration::seconds(-60))
        .await
        .unwrap();
    let after = job_of(id).await;
    assert_eq!(after["dispatch"]["status"], "sent");
    assert_eq!(after["dispatch"]["attempts"], 2);
    server.handle.stop(false).await;
}

#[actix_web::test]
async fn job_results_set_the_job_status_and_say_so_once() {
    let app = spawn().await;
    setup_basic(&mut app.db.conn().await).await;
    setup_types(&app).await;
    let slack = FakeSlack::start().await;
    let server = hds::commands::jobserver::start("127.0.0.1", 0).unwrap();
    let mut ctx = worker_ctx(&app.pool, Some(&slack.url));
    ctx.job_server = JobServer::new(&server.url).unwrap();
    let sweep = || hds::worker::tasks::sweep(&ctx, chrono::Duration::seconds(-60));
    let host = |status: &str| json!({"ts": TS - 5.0, "exit_code": 0, "stdout": "", "stderr": "", "status": status});

    let mut cases = vec![
        (json!({"master": host("success")}), "Success"),
        (json!({"master": host("failure")}), "Failed"),
        (json!({"master": host("error")}), "Error"),
        (
            json!({"master": host("failure"), "robot1": host("error")}),
            "Failed and errors",
        ),
        (
            json!({"master": host("success"), "robot1": host("cancelled")}),
            "canceled",
        ),
    ];
    for (n, (data, want)) in cases.drain(..).enumerate() {
        let r = app
            .post(
                Who::Manager,
                "/api/v1/harvjobs/",
                job_body("test", 11, good_payload()),
            )
            .await;
        let job = r.body["data"].clone();
        let (id, uuid) = (
            job["id"].as_i64().unwrap(),
            job["event"]["UUID"].as_str().unwrap().to_string(),
        );
        let result = json!({"type": "jobresults", "timestamp": TS + n as f64, "serial_number": "011",
                            "uuid": uuid, "data": data});
        let r = app.post(Who::Sqs, "/api/v1/jobresults/", result).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        sweep().await.unwrap();
        let after = app
            .get(Who::Support, &format!("/api/v1/harvjobs/{id}/"))
            .await;
        assert_eq!(after.body["data"]["jobstatus"], want, "{data}");
        // The job's `results` link finds the result.
        let link = after.body["data"]["results"].as_str().unwrap().to_string();
        let r = app.get(Who::Support, &link).await;
        assert_eq!(count(&r.body), 1, "{link}: {}", r.text);
        assert_eq!(r.body["data"]["results"][0]["job"], id);
        let messages = slack.sent();
        let last = messages.last().unwrap();
        assert_eq!(last["channel"], "hds-jobs");
        assert_eq!(
            last["text"],
            format!("*Job Complete*\n\tHARVESTER: Harvester 1\n\tRESULT: {want}\n\tUUID: {uuid}\n\tURL: http://hds.example.org/jobs/{id}/\n")
        );
        let h = app
            .get(Who::Support, &format!("/api/v1/harvjobs/{id}/history/"))
            .await;
        assert_eq!(count(&h.body), 2, "Pending, then the result's status");
    }
    assert_eq!(slack.sent().len(), 5, "one message per result");
    sweep().await.unwrap();
    assert_eq!(slack.sent().len(), 5, "and never again");
    let r = app
        .get(Who::Support, "/api/v1/jobresults/?job__target__harv_id=11")
        .await;
    assert_eq!(count(&r.body), 5);
    let r = app
        .get(Who::Support, "/api/v1/jobresults/?job__target__harv_id=12")
        .await;
    assert_eq!(count(&r.body), 0);
}

#[actix_web::test]
async fn schedules_fire_once_per_due_time_even_with_two_workers() {
    let app = spawn().await;
    let b = setup_basic(&mut app.db.conn().await).await;
    add_harvester(&mut app.db.conn().await, &b, 12, false).await;
    setup_types(&app).await;
    let schedule = |extra: Value| {
        let mut body = json!({"jobtype": "test", "schema_version": "1.0", "targets": [11, 12],
                              "payload": good_payload()});
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    let r = app
        .post(
            Who::Support,
            "/api/v1/jobschedules/",
            schedule(json!({"cron": "not a cron"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body["errors"]["detail"]["cron"].is_array(), "{}", r.text);
    let r = app
        .post(Who::Support, "/api/v1/jobschedules/", schedule(json!({})))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "cron or run_at");
    let r = app
        .post(
            Who::Support,
            "/api/v1/jobschedules/",
            schedule(json!({"run_at": "2026-01-01T00:00:00Z", "payload": {}})),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::BAD_REQUEST,
        "the payload is checked now: {}",
        r.text
    );
    let r = app
        .post(
            Who::Support,
            "/api/v1/jobschedules/",
            schedule(json!({"jobtype": "install_release", "run_at": "2026-01-01T00:00:00Z"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // Once, at a time already past: two workers fire it together, it creates one job each.
    let r = app
        .post(
            Who::Support,
            "/api/v1/jobschedules/",
            schedule(json!({"run_at": "2026-01-01T00:00:00Z"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let once = r.body["data"]["id"].as_i64().unwrap();
    assert_eq!(r.body["data"]["targets"], json!([11, 12]));
    // Repeating, every minute.
    let r = app
        .post(
            Who::Manager,
            "/api/v1/jobschedules/",
            schedule(json!({"cron": "* * * * *"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let every = r.body["data"]["id"].as_i64().unwrap();
    let first_due = r.body["data"]["next_run"].as_str().unwrap().to_string();
    diesel::sql_query(
        "UPDATE job_schedules SET next_run = now() - interval '1 minute' WHERE id = $1",
    )
    .bind::<diesel::sql_types::BigInt, _>(every)
    .execute(&mut app.db.conn().await)
    .await
    .unwrap();

    let (mut a, mut b2) = (app.db.conn().await, app.db.conn().await);
    let (x, y) = tokio::join!(
        hds::apps::harvjobs::schedules::fire_due(&mut a),
        hds::apps::harvjobs::schedules::fire_due(&mut b2)
    );
    let fired = x.unwrap().len() + y.unwrap().len();
    assert_eq!(
        fired, 4,
        "two schedules, two harvesters, each due time once"
    );
    assert!(hds::apps::harvjobs::schedules::fire_due(&mut a)
        .await
        .unwrap()
        .is_empty());
    let r = app
        .get(Who::Support, &format!("/api/v1/harvjobs/?schedule={once}"))
        .await;
    assert_eq!(count(&r.body), 2);
    let r = app
        .get(Who::Support, &format!("/api/v1/jobschedules/{once}/"))
        .await;
    assert_eq!(r.body["data"]["runs"], 1);
    assert_eq!(r.body["data"]["next_run"], Value::Null, "done");
    let r = app
        .get(Who::Support, &format!("/api/v1/jobschedules/{every}/"))
        .await;
    assert_eq!(r.body["data"]["runs"], 1);
    let next = r.body["data"]["next_run"].as_str().unwrap();
    assert!(
        next >= first_due.as_str(),
        "moved on to its next time: {next}"
    );
    let r = app
        .get(Who::Support, "/api/v1/jobschedules/?active=true")
        .await;
    assert_eq!(count(&r.body), 1);

    // Cancelling: the creator or a manager.
    let path = format!("/api/v1/jobschedules/{every}/");
    let r = app.call(Who::Support, Method::DELETE, &path, None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "not the creator");
    let r = app.call(Who::Manager, Method::DELETE, &path, None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    diesel::sql_query(
        "UPDATE job_schedules SET next_run = now() - interval '1 minute' WHERE id = $1",
    )
    .bind::<diesel::sql_types::BigInt, _>(every)
    .execute(&mut app.db.conn().await)
    .await
    .unwrap();
    assert!(
        hds::apps::harvjobs::schedules::fire_due(&mut a)
            .await
            .unwrap()
            .is_empty(),
        "a cancelled schedule never fires"
    );
}

#[actix_web::test]
async fn one_request_starts_a_job_on_every_harvester() {
    let app = spawn().await;
    let b = setup_basic(&mut app.db.conn().await).await;
    setup_types(&app).await;
    diesel::sql_query(format!(
        "INSERT INTO harvesters (harv_id, fruit_id, location_id, name) \
         SELECT 1000 + g, {}, {}, 'bulk-' || g FROM generate_series(1, 300) g",
        b.fruit, b.location
    ))
    .execute(&mut app.db.conn().await)
    .await
    .unwrap();
    let targets: Vec<i64> = (1001..=1300).collect();
    let body = json!({"jobtype": "test", "schema_version": "1.0", "targets": targets, "payload": good_payload()});
    let mut bad = body.clone();
    bad["targets"] = json!([1001, 5]);
    let r = app.post(Who::Manager, "/api/v1/harvjobs/bulk/", bad).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text.contains("harv_id 5"), "{}", r.text);
    assert_eq!(
        count(&app.get(Who::Support, "/api/v1/harvjobs/").await.body),
        0,
        "none half-created"
    );
    let started = std::time::Instant::now();
    let r = app.post(Who::Manager, "/api/v1/harvjobs/bulk/", body).await;
    let took = started.elapsed();
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["data"]["count"], 300);
    assert!(took.as_secs_f64() < 2.0, "300 jobs in {took:?}");
    let r = app
        .get(Who::Support, "/api/v1/harvjobs/?jobstatus=Pending")
        .await;
    assert_eq!(count(&r.body), 300);
}
