//! JSON snapshots of one representative answer per resource (insta; the files are in
//! `snapshots/` beside this one). A change to a representation shows up as a diff of its snapshot
//! to review, not only as a failed assertion on the fields a test happened to check.
//!
//! Ids, wall-clock times (`created`, `lastModified`, …), signed file links and host details are
//! redacted; times that come from the reports themselves (`reportTime`, an exception's
//! `timestamp`) are data and stay. A new or changed snapshot fails the test and is written
//! beside the old one as `.snap.new` (`cargo insta review` accepts it, or rename it after
//! reading the diff); with `CI` set insta writes nothing and only fails.

use insta::internals::Content;
use serde_json::{json, Value};

use crate::data::{report, setup_basic, TS};
use crate::support::{run_worker, spawn, Who};

/// Keys whose value is a row id (or null).
const ID_KEYS: &[&str] = &[
    "id",
    "history_id",
    "user",
    "creator",
    "modifiedBy",
    "history_user",
    "resolved_by",
    "event",
    "report",
    "manifest",
];

/// Keys whose value is the time a row was written (or null).
const TIME_KEYS: &[&str] = &[
    "created",
    "lastModified",
    "date_joined",
    "last_login",
    "history_date",
    "applied_at",
    "first_seen",
    "last_seen",
    "resolved_at",
    "redriven_at",
];

/// `[id]` for an integer; anything else (null, or an object under the same key) stays.
fn id(value: Content) -> Content {
    match value.resolve_inner() {
        v if v.as_i64().is_some() || v.as_u64().is_some() => Content::from("[id]"),
        _ => value,
    }
}

/// `[time]` for a time; null stays null.
fn time(value: Content) -> Content {
    match value.resolve_inner() {
        v if v.as_str().is_some() => Content::from("[time]"),
        _ => value,
    }
}

/// A link: a signed S3 link keeps its bucket and key only; ids in an API path become `[id]`.
fn link(value: Content) -> Content {
    let Some(url) = value.resolve_inner().as_str() else {
        return value;
    };
    if let Some(rest) = url.strip_prefix("http://").or(url.strip_prefix("https://")) {
        let path = rest.split_once('/').map_or("", |(_, path)| path);
        let path = path.split_once('?').map_or(path, |(path, _)| path);
        return Content::from(format!("[s3]/{path}?[signed]"));
    }
    let path: Vec<String> = url
        .split('/')
        .map(|segment| match segment.parse::<i64>() {
            Ok(_) => "[id]".to_string(),
            Err(_) => segment.to_string(),
        })
        .collect();
    Content::from(path.join("/"))
}

fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    for key in ID_KEYS {
        s.add_redaction(
            &format!(".**.{key}"),
            insta::dynamic_redaction(|v, _| id(v)),
        );
    }
    for key in TIME_KEYS {
        s.add_redaction(
            &format!(".**.{key}"),
            insta::dynamic_redaction(|v, _| time(v)),
        );
    }
    for key in ["url", "file"] {
        s.add_redaction(
            &format!(".**.{key}"),
            insta::dynamic_redaction(|v, _| link(v)),
        );
    }
    // The staff health check describes the machine and the test's own database.
    for key in ["hostname", "cpus", "uptime", "memory"] {
        s.add_redaction(&format!(".host.{key}"), "[host]");
    }
    s.add_redaction(".dbs[].name", "[database]");
    s.add_redaction(".dbs[].url", "[database url]");
    s.add_redaction(".dbs[].host", "[host]");
    s.add_redaction(".dbs[].port", "[port]");
    for key in ["size", "available", "max_size"] {
        s.add_redaction(&format!(".pool.{key}"), "[pool]");
    }
    s
}

/// Snapshot `name` of `value` with the redactions above.
fn snapshot(name: &str, value: &Value) {
    settings().bind(|| insta::assert_json_snapshot!(name, value));
}

/// The first result of a list answer.
fn first(body: &Value) -> Value {
    body["data"]["results"][0].clone()
}

/// Users, the fleet and its history, and the health check.
#[actix_web::test]
async fn users_fleet_and_health() {
    let app = spawn().await;
    let basic = setup_basic(&mut app.db.conn().await).await;

    let support = app.users.id(Who::Support);
    let r = app
        .get(Who::Support, &format!("/api/v1/users/profiles/{support}/"))
        .await;
    snapshot("user", &r.body);
    snapshot(
        "distributor",
        &app.get(Who::Support, "/api/v1/distributors/").await.body,
    );
    snapshot(
        "location",
        &app.get(
            Who::Support,
            &format!("/api/v1/locations/{}/", basic.location),
        )
        .await
        .body,
    );
    snapshot(
        "fruit",
        &app.get(Who::Support, "/api/v1/fruits/").await.body,
    );

    let path = format!("/api/v1/harvesters/{}/", basic.harvester);
    app.patch(Who::Manager, &path, json!({"name": "Harvester One"}))
        .await;
    snapshot("harvester", &app.get(Who::Support, &path).await.body);
    let history = app
        .get(Who::Support, "/api/v1/harvesterhistory/?harv_id=11")
        .await;
    snapshot("harvester_history", &first(&history.body));

    snapshot(
        "healthcheck_anonymous",
        &app.get(Who::Anon, "/api/v1/healthcheck/").await.body,
    );
    snapshot(
        "healthcheck_staff",
        &app.get(Who::Admin, "/api/v1/healthcheck/").await.body,
    );
}

/// A report and all that hangs off it: event, pick session, exceptions and their codes, the
/// pareto, a code manifest, a notification, a file of the report's event, a failed ingest.
#[actix_web::test]
async fn reports_and_what_hangs_off_them() {
    let app = spawn().await;
    setup_basic(&mut app.db.conn().await).await;
    let created = app
        .post(Who::Sqs, "/api/v1/errorreports/", report("011", "u-1", TS))
        .await;
    let report_id = created.body["data"]["id"].as_i64().unwrap();
    run_worker(&app.pool).await;
    let event = json!({"Records": [{"s3": {"bucket": {"name": "hds-local"},
        "object": {"key": "hdsfiles/robotlog_010_03_u-1.log", "eTag": "\"e1\"", "size": 5}}}]});
    app.post(
        Who::Sqs,
        "/api/v1/s3files/",
        json!({"MessageId": "m-0", "Body": event.to_string()}),
    )
    .await;

    let list = app.get(Who::Support, "/api/v1/errorreports/").await;
    snapshot("errorreport_list_item", &first(&list.body));
    let detail = app
        .get(Who::Support, &format!("/api/v1/errorreports/{report_id}/"))
        .await;
    snapshot("errorreport_detail", &detail.body);
    snapshot(
        "event",
        &first(&app.get(Who::Support, "/api/v1/events/").await.body),
    );
    snapshot(
        "pick_session",
        &first(&app.get(Who::Support, "/api/v1/picksessions/").await.body),
    );
    snapshot(
        "exception",
        &first(
            &app.get(Who::Support, "/api/v1/exceptions/?primary=true")
                .await
                .body,
        ),
    );
    snapshot(
        "exception_code",
        &first(
            &app.get(Who::Support, "/api/v1/exceptioncodes/?ordering=code")
                .await
                .body,
        ),
    );
    snapshot(
        "pareto",
        &app.get(
            Who::Support,
            "/api/v1/exceptions/pareto/?aggregate_query=service&aggregate_name=Service",
        )
        .await
        .body,
    );

    let entry = json!({"code": 7, "name": "E7", "msg": "seven", "team": "aft", "cycle": false,
        "operator_msg": "Cycle the harvester"});
    app.post(
        Who::Jenkins,
        "/api/v1/exceptioncodemanifests/",
        json!({"version": "1.0.111", "manifest": [entry]}),
    )
    .await;
    snapshot(
        "exception_code_manifest",
        &first(
            &app.get(Who::Support, "/api/v1/exceptioncodemanifests/")
                .await
                .body,
        ),
    );

    app.post(
        Who::Manager,
        "/api/v1/errorreports/createnotification/?harv_ids=11",
        json!({"recipients": [app.users.id(Who::Support)]}),
    )
    .await;
    snapshot(
        "notification",
        &first(&app.get(Who::Support, "/api/v1/notifications/").await.body),
    );

    snapshot(
        "s3file",
        &first(&app.get(Who::Support, "/api/v1/s3files/").await.body),
    );

    app.post(
        Who::Sqs,
        "/api/v1/failedingests/",
        json!({"queue": "errorreports", "message_id": "m-1", "bucket": "hds-local",
            "key": "errorreport/bad.json", "reason": "invalid_json", "detail": "expected value",
            "body_excerpt": "{not json", "receive_count": 2,
            "message": {"MessageId": "m-1", "Body": "{\"Records\": []}"}}),
    )
    .await;
    snapshot(
        "failed_ingest",
        &first(&app.get(Who::Support, "/api/v1/failedingests/").await.body),
    );
}
