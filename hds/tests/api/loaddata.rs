//! `hds loaddata`: Django fixtures, idempotent, with clear errors.

use actix_web::http::{Method, StatusCode};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use hds::commands::loaddata::load;
use serde_json::json;

use hds::apps::users::repo::{self, NewUser};
use hds::auth::Role;

use crate::support::{project_file, shared_data, spawn, Who};

fn write_fixture(dir: &std::path::Path, name: &str, v: serde_json::Value) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, v.to_string()).unwrap();
    p
}

#[actix_web::test]
async fn reference_users_profiles_and_tokens_load_and_log_in() {
    let Some(users) = shared_data("fixtures/users.json") else {
        eprintln!("../shared not present: reference fixture test not applicable");
        return;
    };
    let files = vec![
        users,
        shared_data("fixtures/userprofiles.json").unwrap(),
        shared_data("fixtures/tokens.json").unwrap(),
    ];
    let app = spawn().await;
    let mut conn = app.db.conn().await;
    // The fixture's ids 1..3 collide with the test users: load into a clean user table.
    diesel::delete(hds::schema::users::table)
        .execute(&mut conn)
        .await
        .unwrap();
    let first = load(&mut conn, &files, false).await.unwrap();
    let again = load(&mut conn, &files, false).await.unwrap();
    assert_eq!(first.loaded, again.loaded);
    let count: i64 = hds::schema::users::table
        .count()
        .get_result(&mut conn)
        .await
        .unwrap();
    assert_eq!(count, 3, "re-running updates, never duplicates");

    for (user, pw, role) in [
        ("aft", "aft", "manager"),
        ("not_aft", "dummypwd", "support"),
        ("beatbox", "testingpwd", "beatbox"),
    ] {
        let r = app
            .post(
                Who::Anon,
                "/api/v1/users/login/",
                json!({"username": user, "password": pw}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{user}: {}", r.text);
        assert_eq!(r.body["data"]["data"]["user"]["profile"]["role"], role);
    }
    // Imported Django hashes are replaced by Argon2 on first login, and still verify.
    let hash: String = hds::schema::users::table
        .filter(hds::schema::users::username.eq("aft"))
        .select(hds::schema::users::password)
        .first(&mut conn)
        .await
        .unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    let r = app
        .post(
            Who::Anon,
            "/api/v1/users/login/",
            json!({"username": "aft", "password": "aft"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);

    let r = app
        .with_auth(
            "Token 435b18abedef452f64e7f4ed2e68e98ac8babf5e",
            Method::GET,
            "/api/v1/users/me/",
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["data"]["username"], "aft");

    // Sequences moved past the loaded keys: a new user does not collide.
    let r = app
        .post(
            Who::Anon,
            "/api/v1/users/login/",
            json!({"username": "aft", "password": "aft"}),
        )
        .await;
    let jwt = r.body["data"]["data"]["access"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app
        .with_auth(
            &format!("Bearer {jwt}"),
            Method::POST,
            "/api/v1/users/profiles/",
            Some(json!({"username": "fresh", "password": "pw12345"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["data"]["id"], 4);
}

#[actix_web::test]
async fn users_without_profile_entries_get_a_support_profile() {
    let app = spawn().await;
    let dir = tempdir();
    let f = write_fixture(
        &dir,
        "u.json",
        json!([{"model": "auth.user", "pk": 500, "fields": {"username": "lonely", "password": "!"}}]),
    );
    let mut conn = app.db.conn().await;
    load(&mut conn, &[f], false).await.unwrap();
    let r = app.get(Who::Support, "/api/v1/users/profiles/500/").await;
    assert_eq!(r.body["data"]["profile"]["role"], "support", "D2");
}

#[actix_web::test]
async fn unknown_models_and_fields_fail_with_file_and_entry_or_are_skipped() {
    let app = spawn().await;
    let dir = tempdir();
    let f = write_fixture(
        &dir,
        "bad.json",
        json!([
            {"model": "auth.user", "pk": 600, "fields": {"username": "ok_user", "password": "!"}},
            {"model": "nosuch.model", "pk": 1, "fields": {}}
        ]),
    );
    let mut conn = app.db.conn().await;
    let err = load(&mut conn, std::slice::from_ref(&f), false)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("bad.json: entry 1 (nosuch.model pk=1)"),
        "{err}"
    );
    assert!(err.contains("unknown model"), "{err}");
    let none: i64 = hds::schema::users::table
        .filter(hds::schema::users::id.eq(600))
        .count()
        .get_result(&mut conn)
        .await
        .unwrap();
    assert_eq!(none, 0, "nothing is loaded when the file is rejected");
    let report = load(&mut conn, &[f], true).await.unwrap();
    assert_eq!((report.loaded, report.skipped.len()), (1, 1));

    let g = write_fixture(
        &dir,
        "field.json",
        json!([{"model": "auth.user", "pk": 601, "fields": {"username": "u", "shoe_size": 9}}]),
    );
    let err = load(&mut conn, &[g], false).await.unwrap_err().to_string();
    assert!(
        err.contains("field.json: entry 0") && err.contains("shoe_size"),
        "{err}"
    );
    let h = write_fixture(
        &dir,
        "type.json",
        json!([{"model": "auth.user", "pk": 602, "fields": {"username": "u2", "is_staff": "yes"}}]),
    );
    let err = load(&mut conn, &[h], false).await.unwrap_err().to_string();
    assert!(
        err.contains("type.json: entry 0") && err.contains("is_staff"),
        "{err}"
    );
}

#[actix_web::test]
async fn the_project_fixtures_load_and_give_working_logins() {
    let app = spawn().await;
    let mut conn = app.db.conn().await;
    diesel::delete(hds::schema::users::table)
        .execute(&mut conn)
        .await
        .unwrap();
    let dir = project_file("fixtures");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    load(&mut conn, &files, false).await.unwrap();
    load(&mut conn, &files, false).await.unwrap();
    let r = app
        .post(
            Who::Anon,
            "/api/v1/users/login/",
            json!({"username": "aft", "password": "aft"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["data"]["data"]["user"]["is_superuser"], true);
}

fn tempdir() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("hds-fixtures-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[actix_web::test]
async fn reference_core_fixtures_load_and_show_up_in_the_api() {
    let names = [
        "users.json",
        "userprofiles.json",
        "tokens.json",
        "taggit.json",
        "distributors.json",
        "locations.json",
        "harvesters.json",
        "aftexceptioncodes.json",
        "events.json",
        "errorreports.json",
        "aftexceptions.json",
        "notifications.json",
    ];
    let Some(files) = names
        .iter()
        .map(|n| shared_data(&format!("fixtures/{n}")))
        .collect::<Option<Vec<_>>>()
    else {
        eprintln!("../shared not present: reference fixture test not applicable");
        return;
    };
    let app = spawn().await;
    let mut conn = app.db.conn().await;
    diesel::delete(hds::schema::users::table)
        .execute(&mut conn)
        .await
        .unwrap();
    let first = load(&mut conn, &files, false).await.unwrap();
    let again = load(&mut conn, &files, false).await.unwrap();
    assert_eq!(first.loaded, again.loaded);
    let token = "Token 435b18abedef452f64e7f4ed2e68e98ac8babf5e";
    let list = app
        .with_auth(token, Method::GET, "/api/v1/errorreports/?limit=100", None)
        .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text);
    let reports = list.body["data"]["results"].as_array().unwrap();
    assert_eq!(list.body["data"]["count"], 6);
    let with_exceptions = reports
        .iter()
        .find(|r| !r["exceptions"].as_array().unwrap().is_empty())
        .expect("a report with exceptions");
    let id = with_exceptions["id"].as_i64().unwrap();
    let detail = app
        .with_auth(
            token,
            Method::GET,
            &format!("/api/v1/errorreports/{id}/"),
            None,
        )
        .await;
    assert_eq!(detail.status, StatusCode::OK);
    assert!(detail.body["data"]["harvester"]["harv_id"].is_number());
    assert!(detail.body["data"]["event"]["UUID"].is_string());
    assert!(detail.body["data"]["exceptions"][0]["code"]["code"].is_number());
    let harvesters = app
        .with_auth(token, Method::GET, "/api/v1/harvesters/", None)
        .await;
    assert_eq!(harvesters.body["data"]["count"], 4);
    let history = app
        .with_auth(token, Method::GET, "/api/v1/harvesterhistory/", None)
        .await;
    assert_eq!(history.body["data"]["count"], 4);
    // Legacy ORM-style notification criteria are read as filters.
    let notes = app
        .with_auth(token, Method::GET, "/api/v1/notifications/", None)
        .await;
    assert_eq!(
        notes.body["data"]["results"][0]["recipients"],
        json!(["aft"])
    );
    let criteria = &notes.body["data"]["results"][0]["criteria"];
    let q = hds::apps::notifications::criteria_query(criteria);
    assert_eq!(q.int_list("harv_ids").unwrap(), Some(vec![11, 100]));
    assert_eq!(q.int_list("codes").unwrap(), Some(vec![1, 2]));
    let pareto = app
        .with_auth(token, Method::GET, "/api/v1/exceptions/pareto/", None)
        .await;
    assert!(!pareto.body["data"].as_array().unwrap().is_empty());
}

/// Moving an installation over: every reference fixture file loaded (all 18, nothing skipped),
/// then one object of every model created through the API. A sequence left behind the loaded
/// keys (ids, history ids, join tables) makes a create collide.
#[actix_web::test]
async fn after_loading_every_reference_fixture_every_model_can_be_created() {
    let Some(dir) = shared_data("fixtures") else {
        eprintln!("../shared not present: reference fixture test not applicable");
        return;
    };
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 18, "{files:?}");
    let app = spawn().await;
    let mut conn = app.db.conn().await;
    // The fixture's users replace the test users.
    diesel::delete(hds::schema::users::table)
        .execute(&mut conn)
        .await
        .unwrap();
    let report = load(&mut conn, &files, false).await.unwrap();
    assert!(report.loaded >= 90, "{}", report.loaded);
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
    // Users made after the load (their ids come from the users sequence).
    async fn user(
        conn: &mut diesel_async::AsyncPgConnection,
        name: &str,
        role: Role,
        superuser: bool,
    ) -> (i64, String) {
        let id = repo::create(conn, NewUser::without_password(name, role, superuser))
            .await
            .unwrap();
        let token = repo::create_api_token(conn, id, "moved").await.unwrap();
        (id, format!("Token {token}"))
    }
    let (admin_id, admin) = user(&mut conn, "moved-admin", Role::Manager, true).await;
    let (_, sqs) = user(&mut conn, "moved-sqs", Role::Sqs, false).await;
    let post = |path: &'static str, body: serde_json::Value| {
        let admin = admin.clone();
        let app = &app;
        async move {
            let r = app.with_auth(&admin, Method::POST, path, Some(body)).await;
            assert_eq!(r.status, StatusCode::CREATED, "POST {path}: {}", r.text);
            // D122: a new row has no modifier yet, as in the original.
            if let Some(m) = r.body["data"].get("modifiedBy") {
                assert!(m.is_null(), "POST {path}: modifiedBy {m}");
            }
            r.body["data"]["id"].as_i64().unwrap_or_default()
        }
    };
    let distributor = post("/api/v1/distributors/", json!({"name": "moved-over"})).await;
    let location = post(
        "/api/v1/locations/",
        json!({"distributor": distributor, "ranch": "Moved Ranch"}),
    )
    .await;
    let fruit = post("/api/v1/fruits/", json!({"name": "moved-fruit"})).await;
    post(
        "/api/v1/harvesters/",
        json!({"harv_id": 4242, "fruit": fruit, "location": location, "name": "H4242"}),
    )
    .await;
    post("/api/v1/events/", json!({"UUID": "moved-over-event"})).await;
    post(
        "/api/v1/picksessions/",
        json!({"UUID": "moved-over-session"}),
    )
    .await;
    post(
        "/api/v1/exceptioncodes/",
        json!({"code": 4242, "name": "MovedOver", "msg": "m", "team": "t", "cycle": false, "operator_msg": "o"}),
    )
    .await;
    post(
        "/api/v1/exceptioncodemanifests/",
        json!({"version": "4.2.42", "manifest": [{"code": 4243, "name": "M", "msg": "m", "team": "t", "cycle": false, "operator_msg": "o"}]}),
    )
    .await;
    let r = app
        .with_auth(
            &sqs,
            Method::POST,
            "/api/v1/errorreports/",
            Some(crate::data::report("4242", "moved-over-report", 1.7e9)),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let report_id = r.body["data"]["id"].as_i64().unwrap();
    // One report of every other kind, and what the worker makes of them (assets, asset
    // history, runs, host results) after the loaded rows.
    let ts = 1.7e9;
    for (path, body) in [
        (
            "/api/v1/harvversion/",
            json!({"timestamp": ts, "serial_number": 4242,
            "data": {"master": {"version": "9.9", "dirty": {}, "unexpected": {}}}}),
        ),
        (
            "/api/v1/jobresults/",
            json!({"timestamp": ts, "serial_number": 4242, "uuid": "moved-job",
            "data": {"master": {"ts": ts, "status": "success"}}}),
        ),
        (
            "/api/v1/autodiagnostics/",
            json!({"timestamp": ts, "serial_number": 4242,
            "data": {"serial_no": 4242, "robot_id": 1, "ts": ts, "passed_autodiag": true,
                     "passed_autodiag_ball_found": true}}),
        ),
        (
            "/api/v1/gripreports/",
            json!({"timestamp": ts, "serial_number": 4242,
            "pick_session_start_time": ts - 10.0, "data": {"cand": [], "grip": []}}),
        ),
        (
            "/api/v1/aftconfigs/",
            json!({"timestamp": ts, "serial_number": 4242, "data": {"0": {}}}),
        ),
        (
            "/api/v1/harvassetreport/",
            json!({"timestamp": ts, "serial_number": 4242,
            "data": [{"asset": "arm", "index": 1, "asset-tag": "SA-4242"}]}),
        ),
    ] {
        let r = app.with_auth(&sqs, Method::POST, path, Some(body)).await;
        assert_eq!(r.status, StatusCode::CREATED, "POST {path}: {}", r.text);
    }
    assert!(crate::support::run_worker(&app.pool).await >= 3);
    for (path, at_least) in [
        ("/api/v1/harvversion/", 2),
        ("/api/v1/jobresults/", 2),
        ("/api/v1/autodiagnostics/", 2),
        ("/api/v1/autodiagnosticsruns/", 2),
        ("/api/v1/gripreports/", 1),
        ("/api/v1/aftconfigs/", 2),
        ("/api/v1/harvassetreport/", 1),
        ("/api/v1/harvassets/", 9),
    ] {
        let r = app.with_auth(&admin, Method::GET, path, None).await;
        assert!(
            r.body["data"]["count"].as_i64().unwrap_or(0) >= at_least,
            "GET {path}: {}",
            r.text
        );
    }
    post(
        "/api/v1/exceptions/",
        json!({"code": 4242, "service": "gripper", "report": report_id}),
    )
    .await;
    let r = app
        .with_auth(
            &admin,
            Method::POST,
            "/api/v1/errorreports/createnotification/?harv_ids=4242",
            Some(json!({"recipients": [admin_id]})),
        )
        .await;
    assert!(r.status.is_success(), "createnotification: {}", r.text);
    post(
        "/api/v1/failedingests/",
        json!({"queue": "errorreports", "message_id": "moved-over", "reason": "invalid_json", "detail": "x"}),
    )
    .await;
    post(
        "/api/v1/users/profiles/",
        json!({"username": "moved-over-user", "email": "m@example.org", "password": "a long enough password", "profile": {"role": "support"}}),
    )
    .await;
    // Changing a loaded harvester writes a history row after the loaded ones.
    let r = app
        .with_auth(
            &admin,
            Method::PATCH,
            "/api/v1/harvesters/1/",
            Some(json!({"name": "renamed"})),
        )
        .await;
    assert!(
        r.status.is_success() || r.status == StatusCode::NOT_FOUND,
        "{}",
        r.text
    );
}
