//! What the original clients rely on (docs/compatibility.md): `OPTIONS` on every route,
//! `Allow` on every answer, cross-origin calls, JSON 404s for any method, sane report times.

use actix_web::http::{Method, StatusCode};
use actix_web::test::TestRequest;
use serde_json::json;

use crate::data;
use crate::support::{spawn, spawn_with, Who};

/// Every route answers `OPTIONS` with 200, the enveloped description of its view and the
/// methods of its path, for anyone (the original's views did).
#[actix_web::test]
async fn options_answers_on_every_route_for_anyone() {
    let app = spawn().await;
    for spec in hds::api::route_specs() {
        let path = spec.full_path().replace("{id}", "1");
        let r = app.call(Who::Anon, Method::OPTIONS, &path, None).await;
        assert_eq!(r.status, StatusCode::OK, "OPTIONS {path}: {}", r.text);
        assert_eq!(r.body["status"], "success", "{path}");
        assert_eq!(
            r.body["message"],
            format!("{} OPTIONS completed successfully", spec.basename),
            "{path}"
        );
        assert!(r.body["data"]["name"].is_string(), "{path}");
        let allow = r.header("allow");
        assert!(
            allow.contains(spec.method.as_str()) && allow.ends_with("OPTIONS"),
            "{path}: Allow {allow:?} lists {}",
            spec.method
        );
    }
}

#[actix_web::test]
async fn every_answer_says_which_methods_its_path_has() {
    let app = spawn().await;
    let r = app.get(Who::Support, "/api/v1/fruits/").await;
    assert_eq!(r.header("allow"), "GET, POST, OPTIONS");
    let r = app.get(Who::Anon, "/api/v1/fruits/1/").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.header("allow"), "GET, PUT, PATCH, DELETE, OPTIONS");
    let r = app
        .call(
            Who::Admin,
            Method::DELETE,
            "/api/v1/notifications/999/",
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.header("allow"), "GET, DELETE, OPTIONS");
    assert!(r.header("vary").contains("Accept"));
}

/// The original web app served from its own origin: preflights are answered and cached,
/// answers carry the origin with credentials; an origin not listed gets nothing.
#[actix_web::test]
async fn cross_origin_callers_are_admitted_by_the_configured_list() {
    let app = spawn_with(|c| c.cors_origins = vec!["http://old-webapp.example:3000".into()]).await;
    let preflight = TestRequest::default()
        .method(Method::OPTIONS)
        .uri("/api/v1/users/profiles/undefined/")
        .insert_header(("Origin", "http://old-webapp.example:3000"))
        .insert_header(("Access-Control-Request-Method", "GET"))
        .insert_header(("Access-Control-Request-Headers", "authorization"));
    let r = app.send(preflight).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.header("access-control-allow-origin"),
        "http://old-webapp.example:3000"
    );
    assert_eq!(r.header("access-control-allow-credentials"), "true");
    assert!(r.header("access-control-allow-methods").contains("PATCH"));
    assert!(r
        .header("access-control-allow-headers")
        .contains("authorization"));
    assert_eq!(r.header("access-control-max-age"), "86400");

    let get = TestRequest::get()
        .uri("/api/v1/fruits/")
        .insert_header(("Origin", "http://old-webapp.example:3000"))
        .insert_header((
            "Authorization",
            format!("Token {}", app.users.token(Who::Support).unwrap()),
        ));
    let r = app.send(get).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.header("access-control-allow-origin"),
        "http://old-webapp.example:3000"
    );
    assert!(r
        .header("access-control-expose-headers")
        .contains("x-request-id"));

    let stranger = TestRequest::get()
        .uri("/api/v1/healthcheck/")
        .insert_header(("Origin", "http://elsewhere.example"));
    let r = app.send(stranger).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("access-control-allow-origin"), "");
    let preflight = TestRequest::default()
        .method(Method::OPTIONS)
        .uri("/api/v1/fruits/")
        .insert_header(("Origin", "http://elsewhere.example"))
        .insert_header(("Access-Control-Request-Method", "POST"));
    let r = app.send(preflight).await;
    assert_eq!(r.header("access-control-allow-origin"), "");
}

/// With the web app's files served, any method on an API path that does not exist is the JSON
/// 404, not the file server's 405.
#[actix_web::test]
async fn any_method_on_a_missing_api_path_is_a_json_404() {
    let dir = std::env::temp_dir().join(format!("hds-web-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), "<html>web app</html>").unwrap();
    let frontend = dir.to_string_lossy().to_string();
    let app = spawn_with(move |c| c.frontend_dir = frontend).await;
    for method in [
        Method::POST,
        Method::PUT,
        Method::PATCH,
        Method::DELETE,
        Method::GET,
    ] {
        let r = app
            .call(
                Who::Admin,
                method.clone(),
                "/api/v1/no-such-thing/",
                Some(json!({})),
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{method}: {}", r.text);
        assert_eq!(r.body["status"], "error", "{method}");
    }
    let r = app.get(Who::Anon, "/errorreports/12/").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains("web app"), "client routes get the web app");
    std::fs::remove_dir_all(dir).ok();
}

/// A timestamp in milliseconds (or otherwise outside 2000 … a day from now) is a clear 400,
/// not a report dated in the year 55,000.
#[actix_web::test]
async fn report_timestamps_outside_a_sane_range_are_refused() {
    let app = spawn().await;
    data::setup_basic(&mut app.db.conn().await).await;
    let now = chrono::Utc::now().timestamp() as f64;
    for ts in [now * 1000.0, 946_684_799.0, now + 3.0 * 86_400.0] {
        let body = data::report("011", &uuid::Uuid::new_v4().to_string(), ts);
        let r = app.post(Who::Sqs, "/api/v1/errorreports/", body).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{ts}: {}", r.text);
        assert!(
            r.body["errors"]["detail"]["timestamp"].is_array(),
            "{}",
            r.text
        );
    }
    let body = data::report("011", &uuid::Uuid::new_v4().to_string(), now - 60.0);
    let r = app.post(Who::Sqs, "/api/v1/errorreports/", body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
}
