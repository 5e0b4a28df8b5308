//! Envelope, error shapes, pagination, bodies and bad input (docs/api-design.md#at-a-glance,
//! docs/compatibility.md#d3, docs/compatibility.md#d4, docs/compatibility.md#d26).

use actix_web::http::{Method, StatusCode};
use actix_web::test::TestRequest;
use serde_json::json;

use crate::support::{spawn, spawn_with, Who};

#[actix_web::test]
async fn list_and_retrieve_use_the_envelope() {
    let app = spawn().await;
    let r = app.get(Who::Support, "/api/v1/users/profiles/").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["status"], "success");
    assert_eq!(r.body["message"], "user retrieved successfully");
    assert_eq!(r.body["data"]["count"], 7);
    assert_eq!(r.body["data"]["results"].as_array().unwrap().len(), 7);
    // Keys in the reference's order.
    assert!(
        r.text.starts_with(r#"{"status":"success","message":"#),
        "{}",
        r.text
    );
}

/// Links are absolute; their scheme and host come from `Host`/`X-Forwarded-*` only when the
/// peer is a trusted proxy (`HDS_TRUSTED_PROXIES`), else from `HDS_PUBLIC_URL`
/// (docs/api-design.md#clients-and-proxies).
#[actix_web::test]
async fn pagination_links_are_absolute_and_limit_is_clamped() {
    let app = spawn_with(|c| {
        c.trusted_proxies = hds::api::proxies::TrustedProxies::parse("10.0.0.0/8").unwrap();
        c.public_url = Some("https://hds.internal.example".into());
    })
    .await;
    let page = |peer: &str| {
        TestRequest::get()
            .uri("/api/v1/users/profiles/?limit=2&offset=2")
            .peer_addr(peer.parse().unwrap())
            .insert_header((
                "Authorization",
                format!("Token {}", app.users.token(Who::Support).unwrap()),
            ))
            .insert_header(("Host", "hds.example.org"))
            .insert_header(("X-Forwarded-Proto", "https"))
    };
    let r = app.send(page("10.1.2.3:40000")).await;
    let data = &r.body["data"];
    assert_eq!(
        data["next"],
        "https://hds.example.org/api/v1/users/profiles/?limit=2&offset=4"
    );
    assert_eq!(
        data["previous"],
        "https://hds.example.org/api/v1/users/profiles/?limit=2"
    );
    // A client that is not a trusted proxy cannot make us link elsewhere.
    let r = app.send(page("192.0.2.5:40000")).await;
    assert_eq!(
        r.body["data"]["next"],
        "https://hds.internal.example/api/v1/users/profiles/?limit=2&offset=4"
    );
    assert_eq!(data["results"][0]["id"], app.users.id(Who::Developer));
    let r = app
        .get(Who::Support, "/api/v1/users/profiles/?limit=99999")
        .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "limit above the maximum is clamped, not refused"
    );
    assert_eq!(r.body["data"]["next"], serde_json::Value::Null);
}

#[actix_web::test]
async fn unknown_route_and_wrong_method_answer_in_the_error_shape() {
    let app = spawn().await;
    let r = app.get(Who::Admin, "/api/v1/no-such-thing/").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        r.body,
        json!({"status": "error", "errors": {"exception": "Not found."}})
    );
    let r = app
        .call(Who::Admin, Method::PUT, "/api/v1/users/login/", None)
        .await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.body["errors"]["detail"], "Method \"PUT\" not allowed.");
    let r = app.get(Who::Admin, "/api/v1/users/profiles/999999/").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        r.body["errors"]["exception"],
        "No User matches the given query."
    );
}

#[actix_web::test]
async fn anonymous_gets_401_and_bad_token_gets_401_with_challenge() {
    let app = spawn().await;
    let r = app.get(Who::Anon, "/api/v1/users/profiles/").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "D4");
    assert!(r.headers.contains_key("www-authenticate"));
    assert_eq!(r.body["status"], "error");
    let r = app
        .with_auth(
            "Token 0123456789abcdef0123456789abcdef01234567",
            Method::GET,
            "/api/v1/users/profiles/",
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.body["errors"]["detail"], "Invalid token.");
    let r = app
        .with_auth(
            "Bearer not.a.jwt",
            Method::GET,
            "/api/v1/users/profiles/",
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = app.get(Who::Sqs, "/api/v1/users/profiles/").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.body["errors"]["exception"], "Permission denied for user.");
}

#[actix_web::test]
async fn malformed_json_wrong_types_and_missing_fields_are_400() {
    let app = spawn().await;
    let token = format!("Token {}", app.users.token(Who::Manager).unwrap());
    let req = TestRequest::post()
        .uri("/api/v1/users/profiles/")
        .insert_header(("Authorization", token.clone()))
        .insert_header(("Content-Type", "application/json"))
        .set_payload("{\"username\": ");
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body["errors"]["detail"]
            .as_str()
            .unwrap()
            .starts_with("JSON parse error"),
        "{}",
        r.text
    );

    let r = app
        .post(
            Who::Manager,
            "/api/v1/users/profiles/",
            json!({"username": 5, "password": "secret1"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body["errors"]["detail"]["username"][0]
            .as_str()
            .unwrap()
            .contains("invalid type"),
        "{}",
        r.text
    );

    let r = app
        .post(
            Who::Manager,
            "/api/v1/users/profiles/",
            json!({"password": "secret1"}),
        )
        .await;
    assert_eq!(
        r.body["errors"]["detail"],
        json!({"username": ["This field is required."]})
    );

    let r = app
        .post(
            Who::Manager,
            "/api/v1/users/profiles/",
            json!({"username": "x", "password": "abc"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body["errors"]["detail"]["password"][0]
        .as_str()
        .unwrap()
        .contains("at least 5"));
}

#[actix_web::test]
async fn deep_nesting_is_400_and_oversize_body_is_413() {
    let app = spawn().await;
    let deep = format!("{{\"username\":{}1{}}}", "[".repeat(1000), "]".repeat(1000));
    let req = TestRequest::post()
        .uri("/api/v1/users/login/")
        .insert_header(("Content-Type", "application/json"))
        .set_payload(deep);
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);

    let big = format!("{{\"username\":\"{}\"}}", "a".repeat(2 * 1024 * 1024));
    let req = TestRequest::post()
        .uri("/api/v1/users/login/")
        .insert_header(("Content-Type", "application/json"))
        .set_payload(big);
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.body["status"], "error");
}

#[actix_web::test]
async fn form_bodies_are_accepted() {
    let app = spawn().await;
    let req = TestRequest::post()
        .uri("/api/v1/users/login/")
        .insert_header(("Content-Type", "application/x-www-form-urlencoded"))
        .set_payload("username=nobody&password=wrong");
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        r.body["errors"]["exception"],
        "invalid username or password"
    );
}

#[actix_web::test]
async fn slashless_detail_paths_redirect_to_the_slashed_route() {
    let app = spawn().await;
    let id = app.users.id(Who::Support);
    let r = app
        .get(Who::Support, &format!("/api/v1/users/profiles/{id}?x=1"))
        .await;
    assert_eq!(r.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(
        r.header("location"),
        format!("/api/v1/users/profiles/{id}/?x=1")
    );
    let r = app.get(Who::Support, "/api/v1/nothing-here").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[actix_web::test]
async fn every_response_carries_a_request_id() {
    let app = spawn().await;
    let r = app.get(Who::Anon, "/api/v1/users/profiles/").await;
    let id = r.header("x-request-id").as_str().to_string();
    assert_eq!(id.len(), 32);
    let req = TestRequest::get()
        .uri("/api/v1/healthcheck/")
        .insert_header(("X-Request-Id", "abc-123"));
    let r = app.send(req).await;
    assert_eq!(
        r.header("x-request-id"),
        "abc-123",
        "a caller's request id is kept"
    );
}

#[actix_web::test]
async fn exhausted_pool_answers_503_with_retry_after() {
    let app = spawn_with(|c| {
        c.db_pool_size = 1;
        c.db_pool_timeout_ms = 200;
    })
    .await;
    let held = app.pool.get().await.unwrap();
    let r = app.get(Who::Support, "/api/v1/users/profiles/").await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", r.text);
    assert_eq!(r.header("retry-after"), "1");
    assert_eq!(r.body["status"], "error");
    assert!(r.body["errors"]["request_id"].is_string());
    drop(held);
    let r = app.get(Who::Support, "/api/v1/users/profiles/").await;
    assert_eq!(r.status, StatusCode::OK);
}

#[actix_web::test]
async fn unexpected_failures_answer_500_with_only_a_request_id() {
    let app = spawn().await;
    // Break the database under the running app.
    diesel_async::RunQueryDsl::execute(
        diesel::sql_query("DROP TABLE fruits CASCADE"),
        &mut app.db.conn().await,
    )
    .await
    .unwrap();
    let r = app.get(Who::Support, "/api/v1/fruits/").await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(r.body["status"], "error");
    assert_eq!(
        r.body["errors"]["exception"], "internal server error",
        "D3: no internals leak"
    );
    assert_eq!(
        r.body["errors"]["request_id"],
        r.header("x-request-id").as_str()
    );
    assert!(!r.text.contains("fruits"), "{}", r.text);
}
