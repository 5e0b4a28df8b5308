//! Notifications and Slack (docs/api-design.md#notifications, docs/api-design.md#slack-messages;
//! docs/compatibility.md#d11, docs/compatibility.md#d12, docs/compatibility.md#d13).

use actix_web::http::{Method, StatusCode};
use serde_json::{json, Value};

use crate::data::{report, report_with, setup_basic};
use crate::support::{spawn, worker_ctx, FakeSlack, Who};

#[actix_web::test]
async fn notifications_are_read_and_deleted_only() {
    let app = spawn().await;
    setup_basic(&mut app.db.conn().await).await;
    let recipients =
        json!({"recipients": [app.users.id(Who::Support), app.users.id(Who::Developer)]});
    app.post(
        Who::Manager,
        "/api/v1/errorreports/createnotification/?harv_ids=11",
        recipients.clone(),
    )
    .await;
    app.post(
        Who::Admin,
        "/api/v1/errorreports/createnotification/?codes=1",
        json!({"recipients": [app.users.id(Who::Support)]}),
    )
    .await;
    let r = app
        .get(Who::Manager, "/api/v1/notifications/?category=created")
        .await;
    assert_eq!(r.body["data"]["count"], 1);
    let r = app
        .get(Who::Support, "/api/v1/notifications/?category=is_recipient")
        .await;
    assert_eq!(r.body["data"]["count"], 2);
    let r = app
        .get(Who::Support, "/api/v1/notifications/?category=everything")
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let id = app.get(Who::Support, "/api/v1/notifications/").await.body["data"]["results"][0]["id"]
        .as_i64()
        .unwrap();
    let path = format!("/api/v1/notifications/{id}/");
    assert_eq!(app.get(Who::Support, &path).await.status, StatusCode::OK);
    for m in [Method::PUT, Method::PATCH] {
        assert_eq!(
            app.call(Who::Admin, m, &path, Some(json!({}))).await.status,
            StatusCode::METHOD_NOT_ALLOWED
        );
    }
    assert_eq!(
        app.post(Who::Admin, "/api/v1/notifications/", json!({}))
            .await
            .status,
        StatusCode::METHOD_NOT_ALLOWED
    );
    assert_eq!(
        app.call(Who::Support, Method::DELETE, &path, None)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // Only its creator or a manager deletes a notification (docs/compatibility.md#d123): the
    // admin's is not the developer's to delete, a manager may.
    let r = app.call(Who::Developer, Method::DELETE, &path, None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    assert_eq!(app.get(Who::Support, &path).await.status, StatusCode::OK);
    let r = app.call(Who::Manager, Method::DELETE, &path, None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    let mine = app
        .post(
            Who::Developer,
            "/api/v1/errorreports/createnotification/?codes=2",
            json!({"recipients": [app.users.id(Who::Developer)]}),
        )
        .await;
    assert_eq!(mine.status, StatusCode::OK, "{}", mine.text);
    let mine = format!("/api/v1/notifications/{}/", mine.body["data"]["id"]);
    let r = app.call(Who::Developer, Method::DELETE, &mine, None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    let r = app.call(Who::Developer, Method::DELETE, &mine, None).await;
    assert_eq!(
        r.status,
        StatusCode::NOT_FOUND,
        "a missing one is 404, not 403"
    );
}

fn texts(msgs: &[Value], channel: &str) -> Vec<String> {
    msgs.iter()
        .filter(|m| m["channel"] == channel)
        .map(|m| m["text"].as_str().unwrap_or("").to_string())
        .collect()
}

#[actix_web::test]
async fn a_new_report_posts_to_slack_after_extraction() {
    let app = spawn().await;
    setup_basic(&mut app.db.conn().await).await;
    diesel_async::RunQueryDsl::execute(
        diesel::sql_query(format!(
            "UPDATE user_profiles SET slack_id = 'U777' WHERE user_id = {}",
            app.users.id(Who::Support)
        )),
        &mut app.db.conn().await,
    )
    .await
    .unwrap();
    let to_support = json!({"recipients": [app.users.id(Who::Support)]});
    app.post(
        Who::Manager,
        "/api/v1/errorreports/createnotification/?harv_ids=11&fruits=strawberry",
        to_support.clone(),
    )
    .await;
    app.post(
        Who::Manager,
        "/api/v1/errorreports/createnotification/?harv_ids=12",
        to_support,
    )
    .await;
    let slack = FakeSlack::start().await;
    let ctx = worker_ctx(&app.pool, Some(&slack.url));
    let id = app
        .post(
            Who::Sqs,
            "/api/v1/errorreports/",
            report("011", "slack-1", 1.0e9),
        )
        .await
        .body["data"]["id"]
        .as_i64()
        .unwrap();
    hds::worker::tasks::sweep(&ctx, chrono::Duration::seconds(-60))
        .await
        .unwrap();
    let sent = slack.sent();
    let dev = texts(&sent, "h11_dev");
    assert_eq!(dev.len(), 1, "{sent:?}");
    assert!(dev[0].contains("*Error on Harvester 11*"));
    assert!(
        dev[0].contains("traychg.0 unhandled error: AFTBaseException (Primary)"),
        "D13: sent after extraction: {}",
        dev[0]
    );
    assert!(dev[0].ends_with(&format!("http://hds.example.org/errorreports/{id}/\n")));
    assert!(!dev[0].contains("api/v1"));
    let notes = texts(&sent, "hds-test");
    assert_eq!(notes.len(), 1, "only the matching notification fires");
    assert!(
        notes[0].contains("Error on Harvester") && notes[0].contains("<@U777>"),
        "{}",
        notes[0]
    );
    let ops: Vec<&Value> = sent
        .iter()
        .filter(|m| m["channel"] == "ranch-a-ops")
        .collect();
    assert_eq!(ops.len(), 1);
    assert_eq!(ops[0]["text"], "*OPERATOR MESSAGE*");
    assert_eq!(
        ops[0]["blocks"][0]["elements"][0]["text"],
        ":warning: *Harvester 1* ERROR! :warning:"
    );
    // Running the worker again sends nothing more.
    hds::worker::tasks::sweep(&ctx, chrono::Duration::seconds(-60))
        .await
        .unwrap();
    assert_eq!(slack.sent().len(), sent.len());
}

#[actix_web::test]
async fn handled_reports_send_no_operator_message_and_no_token_sends_nothing() {
    let app = spawn().await;
    setup_basic(&mut app.db.conn().await).await;
    let slack = FakeSlack::start().await;
    let ctx = worker_ctx(&app.pool, Some(&slack.url));
    app.post(
        Who::Sqs,
        "/api/v1/errorreports/",
        report_with("011", "h", 1.0e9, &[("gripper.1", 2, 5.0, true)]),
    )
    .await;
    hds::worker::tasks::sweep(&ctx, chrono::Duration::seconds(-60))
        .await
        .unwrap();
    let sent = slack.sent();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert!(sent[0]["text"]
        .as_str()
        .unwrap()
        .contains("*Attempting to cycle the robot.*"));
    // Without a token nothing is sent, and the worker still completes.
    let quiet = worker_ctx(&app.pool, None);
    app.post(
        Who::Sqs,
        "/api/v1/errorreports/",
        report("011", "q", 1.58e9),
    )
    .await;
    assert!(
        hds::worker::tasks::sweep(&quiet, chrono::Duration::seconds(-60))
            .await
            .unwrap()
            >= 1
    );
    assert_eq!(slack.sent().len(), 1);
}
