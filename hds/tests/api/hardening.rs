//! The guards of the shared layer against careless and hostile clients (slow bodies and
//! headers, too many requests from one client; docs/api-design.md#request-bodies).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use actix_web::http::StatusCode;
use hds::api::state::AppState;
use serde_json::{json, Value};

use crate::support::{build_pool, create_users, test_config, TestDb, Who};

/// A real server (the one `hds runserver` builds) over a private database.
struct Server {
    base: String,
    port: u16,
    pool: hds::db::DbPool,
    users: crate::support::Users,
    handle: actix_web::dev::ServerHandle,
    _db: TestDb,
}

async fn serve(tweak: impl FnOnce(&mut hds::config::Config)) -> Server {
    let db = TestDb::new();
    let mut config = test_config(&db.url);
    config.workers = 1;
    tweak(&mut config);
    let users = create_users(&mut db.conn().await).await;
    let pool = build_pool(&config);
    let state = AppState::new(config, pool.clone());
    let (server, addrs) =
        hds::commands::serve::server(state, ("127.0.0.1".into(), 0)).expect("bind");
    let handle = server.handle();
    actix_web::rt::spawn(server);
    let port = addrs[0].port();
    Server {
        base: format!("http://127.0.0.1:{port}"),
        port,
        pool,
        users,
        handle,
        _db: db,
    }
}

/// What a slow client got back: the status line's code (0: closed without an answer) and the
/// body.
struct Answer {
    status: u16,
    body: Value,
    elapsed: Duration,
}

/// Sends `head` at once, then `trickle` one byte every `every`, until the server answers or
/// closes; then reads the answer.
fn slow_client(port: u16, head: String, trickle: Vec<u8>, every: Duration) -> Answer {
    let start = Instant::now();
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
    s.write_all(head.as_bytes()).expect("write head");
    for b in trickle {
        std::thread::sleep(every);
        if s.write_all(&[b]).is_err() {
            break;
        }
        // Stop trickling as soon as an answer is waiting.
        s.set_nonblocking(true).unwrap();
        let mut peek = [0u8; 1];
        let answered =
            matches!(s.peek(&mut peek), Ok(n) if n > 0) || matches!(s.peek(&mut peek), Ok(0));
        s.set_nonblocking(false).unwrap();
        if answered {
            break;
        }
    }
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).to_string();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .and_then(|(_, b)| serde_json::from_str(b).ok())
        .unwrap_or(Value::Null);
    Answer {
        status,
        body,
        elapsed: start.elapsed(),
    }
}

fn post_head(path: &str, auth: Option<&str>, length: usize) -> String {
    let auth = auth
        .map(|t| format!("Authorization: Token {t}\r\n"))
        .unwrap_or_default();
    format!(
        "POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n{auth}Content-Length: {length}\r\n\r\n"
    )
}

/// Sixteen clients trickling bodies and headers (anonymous logins, and authenticated creates
/// whose token is looked up in the database) hold sockets, not database connections: with a
/// pool of two, other clients keep being answered at once, and the slow ones get 408 in the
/// error shape when their body deadline passes.
#[actix_web::test]
async fn slow_clients_leave_the_pool_to_everyone_else() {
    let srv = serve(|c| {
        c.db_pool_size = 2;
        c.db_pool_timeout_ms = 500;
        c.body_timeout_secs = 2;
        c.header_timeout_secs = 2;
    })
    .await;
    let developer = srv.users.token(Who::Developer).unwrap().to_string();
    let support = srv.users.token(Who::Support).unwrap().to_string();
    let body = br#"{"username": "nobody", "password": "not the password at all"}"#.to_vec();
    let mut slow = Vec::new();
    for i in 0..16 {
        let port = srv.port;
        let (head, trickle) = match i % 4 {
            // A body that never finishes, on an open route and on a guarded one.
            0 | 1 => (
                post_head("/api/v1/users/login/", None, body.len() + 10),
                body.clone(),
            ),
            2 => (
                post_head("/api/v1/fruits/", Some(&developer), 200),
                br#"{"name": "slow fruit", "#.to_vec(),
            ),
            // Headers that never finish.
            _ => (
                "POST /api/v1/users/login/ HTTP/1.1\r\nHost: localhost\r\n".to_string(),
                b"X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".to_vec(),
            ),
        };
        slow.push((
            i % 4,
            std::thread::spawn(move || {
                slow_client(port, head, trickle, Duration::from_millis(100))
            }),
        ));
    }
    // Let every slow client get its request started.
    actix_web::rt::time::sleep(Duration::from_millis(500)).await;
    let http = reqwest::Client::new();
    for round in 0..10 {
        let start = Instant::now();
        let list = http
            .get(format!("{}/api/v1/fruits/", srv.base))
            .header("Authorization", format!("Token {support}"))
            .send()
            .await
            .unwrap();
        assert_eq!(list.status().as_u16(), 200, "round {round}");
        let login = http
            .post(format!("{}/api/v1/users/login/", srv.base))
            .json(&json!({"username": "nobody", "password": "wrong"}))
            .send()
            .await
            .unwrap();
        assert_eq!(login.status().as_u16(), 400, "round {round}");
        assert!(
            start.elapsed() < Duration::from_millis(400),
            "round {round} waited {:?} for a connection",
            start.elapsed()
        );
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
    for (kind, t) in slow {
        let a = actix_web::rt::task::spawn_blocking(move || t.join().unwrap())
            .await
            .unwrap();
        assert!(
            a.elapsed < Duration::from_secs(6),
            "a slow client was cut off after {:?}",
            a.elapsed
        );
        if kind == 3 {
            // actix's own answer to headers that do not arrive in time (no request yet).
            assert!(matches!(a.status, 0 | 408), "slow headers: {}", a.status);
        } else {
            assert_eq!(a.status, 408, "slow body: {}", a.body);
            assert_eq!(a.body["status"], "error");
            assert!(
                a.body["errors"]["detail"]
                    .as_str()
                    .unwrap()
                    .contains("not received within 2 s"),
                "{}",
                a.body
            );
        }
    }
    let status = srv.pool.status();
    assert_eq!(status.waiting, 0);
    srv.handle.stop(false).await;
}

/// More requests at once from one client than `HDS_CLIENT_MAX_REQUESTS` are answered 429 with
/// `Retry-After` in the error shape; other clients' requests are not affected, and the
/// client's slots come back when its requests end.
#[actix_web::test]
async fn one_client_cannot_hold_more_than_its_share_of_requests() {
    let srv = serve(|c| {
        c.client_max_requests = 2;
        c.body_timeout_secs = 2;
    })
    .await;
    let mut slow = Vec::new();
    for _ in 0..2 {
        let port = srv.port;
        slow.push(std::thread::spawn(move || {
            slow_client(
                port,
                post_head("/api/v1/users/login/", None, 100),
                b"{".to_vec(),
                Duration::from_millis(100),
            )
        }));
    }
    actix_web::rt::time::sleep(Duration::from_millis(500)).await;
    let http = reqwest::Client::new();
    let refused = http
        .get(format!("{}/api/v1/healthcheck/", srv.base))
        .send()
        .await
        .unwrap();
    assert_eq!(
        refused.status().as_u16(),
        StatusCode::TOO_MANY_REQUESTS.as_u16()
    );
    assert_eq!(refused.headers()["retry-after"], "1");
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["status"], "error");
    assert!(body["errors"]["detail"].as_str().unwrap().contains("retry"));
    for t in slow {
        let a = actix_web::rt::task::spawn_blocking(move || t.join().unwrap())
            .await
            .unwrap();
        assert_eq!(a.status, 408);
    }
    let ok = http
        .get(format!("{}/api/v1/healthcheck/", srv.base))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status().as_u16(), 200, "the slots came back");
    srv.handle.stop(false).await;
}

/// A request whose answer takes longer than `HDS_REQUEST_TIMEOUT_SECS` (here: its row is locked
/// by someone else) is answered 503 with `Retry-After` in the error shape, not left hanging.
#[actix_web::test]
async fn a_request_past_its_deadline_is_answered_503() {
    use diesel_async::{RunQueryDsl, SimpleAsyncConnection};
    let app = crate::support::spawn_with(|c| c.request_timeout_secs = 1).await;
    let r = app
        .post(Who::Developer, "/api/v1/fruits/", json!({"name": "apple"}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let id = r.body["data"]["id"].as_i64().unwrap();
    let mut holder = app.db.conn().await;
    holder
        .batch_execute(&format!(
            "BEGIN; SELECT * FROM fruits WHERE id = {id} FOR UPDATE"
        ))
        .await
        .unwrap();
    let start = Instant::now();
    let r = app
        .call(
            Who::Developer,
            actix_web::http::Method::PUT,
            &format!("/api/v1/fruits/{id}/"),
            Some(json!({"name": "pear"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", r.text);
    assert_eq!(r.header("retry-after"), "1");
    assert!(start.elapsed() < Duration::from_secs(3));
    diesel::sql_query("ROLLBACK")
        .execute(&mut holder)
        .await
        .unwrap();
}

/// `tags=` with hundreds of tags is one set operation on every list that takes it (it used to
/// be one correlated `EXISTS` per tag: 300 tags ran into the statement timeout), and a list
/// filter above `MAX_LIST_ITEMS` is a 400 naming it, on every route.
#[actix_web::test]
async fn long_tag_lists_are_cheap_and_list_filters_are_capped() {
    let app = crate::support::spawn().await;
    let tags: Vec<String> = (0..300).map(|i| format!("tag{i}")).collect();
    let too_many: Vec<String> = (0..=hds::api::filters::MAX_LIST_ITEMS)
        .map(|i| i.to_string())
        .collect();
    let mut checked = 0;
    for spec in hds::api::route_specs() {
        if spec.method != actix_web::http::Method::GET
            || !spec.filters.iter().any(|f| f.name == "tags")
        {
            continue;
        }
        let path = spec.full_path();
        let start = Instant::now();
        let r = app
            .get(Who::Admin, &format!("{path}?tags={}", tags.join(",")))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text);
        assert_eq!(r.body["data"]["count"], 0, "{path}");
        assert!(start.elapsed() < Duration::from_secs(2), "{path}");
        for param in ["tags", "harv_ids"] {
            let r = app
                .get(
                    Who::Admin,
                    &format!("{path}?{param}={}", too_many.join(",")),
                )
                .await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{path}: {}", r.text);
            assert!(
                r.body["errors"]["detail"][param][0]
                    .as_str()
                    .unwrap()
                    .contains("At most 1000"),
                "{path}: {}",
                r.text
            );
        }
        checked += 1;
    }
    assert!(checked >= 10, "{checked} lists take tags");
}

/// A statement that runs into `HDS_DB_STATEMENT_TIMEOUT_MS` (here: waiting for a row someone
/// else holds) is answered 503 with `Retry-After`, never 500.
#[actix_web::test]
async fn a_statement_timeout_is_503_with_retry_after() {
    use diesel_async::{RunQueryDsl, SimpleAsyncConnection};
    let app = crate::support::spawn_with(|c| c.db_statement_timeout_ms = 300).await;
    let r = app
        .post(Who::Developer, "/api/v1/fruits/", json!({"name": "apple"}))
        .await;
    let id = r.body["data"]["id"].as_i64().unwrap();
    let mut holder = app.db.conn().await;
    holder
        .batch_execute(&format!(
            "BEGIN; SELECT * FROM fruits WHERE id = {id} FOR UPDATE"
        ))
        .await
        .unwrap();
    let r = app
        .call(
            Who::Developer,
            actix_web::http::Method::PUT,
            &format!("/api/v1/fruits/{id}/"),
            Some(json!({"name": "pear"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", r.text);
    assert_eq!(r.header("retry-after"), "1");
    assert!(r.body["errors"]["request_id"].is_string(), "{}", r.text);
    diesel::sql_query("ROLLBACK")
        .execute(&mut holder)
        .await
        .unwrap();
}

/// The shared extractors answer bad input with a 400 naming the field, on every route: an
/// offset no page arithmetic can hold, a NUL character in a query parameter, a JSON or form
/// body, and text longer than its column (request bodies and reports alike).
#[actix_web::test]
async fn huge_offsets_nul_characters_and_overlong_text_are_400s_naming_the_field() {
    use crate::data;
    use actix_web::test::TestRequest;
    let app = crate::support::spawn().await;
    data::setup_basic(&mut app.db.conn().await).await;
    let mut pages = 0;
    for spec in hds::api::route_specs() {
        if spec.method != actix_web::http::Method::GET
            || !matches!(spec.answer, hds::api::shape::Answer::Page(_))
        {
            continue;
        }
        let path = spec.full_path().replace("{id}", "1");
        let r = app
            .get(
                Who::Admin,
                &format!("{path}?limit=10000&offset=9223372036854775000"),
            )
            .await;
        if r.status == StatusCode::NOT_FOUND {
            continue; // a page inside a missing row
        }
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{path}: {}", r.text);
        assert!(
            r.body["errors"]["detail"]["offset"].is_array(),
            "{path}: {}",
            r.text
        );
        pages += 1;
    }
    assert!(pages > 20, "{pages} pages");

    let r = app
        .get(Who::Admin, "/api/v1/errorreports/?traceback=a%00b")
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert_eq!(
        r.body["errors"]["detail"]["traceback"][0],
        "Null characters are not allowed."
    );

    let r = app
        .post(
            Who::Anon,
            "/api/v1/users/login/",
            json!({"username": "a\u{0}b", "password": "x"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert!(
        r.body["errors"]["detail"]["username"].is_array(),
        "{}",
        r.text
    );
    let r = app
        .send(
            TestRequest::post()
                .uri("/api/v1/users/login/")
                .insert_header(("Content-Type", "application/x-www-form-urlencoded"))
                .set_payload("username=a%00b&password=x"),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert!(
        r.body["errors"]["detail"]["username"].is_array(),
        "{}",
        r.text
    );

    let me = app.users.id(Who::Support);
    let r = app
        .patch(
            Who::Support,
            &format!("/api/v1/users/profiles/{me}/"),
            json!({"first_name": "f".repeat(151)}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert!(
        r.body["errors"]["detail"]["first_name"][0]
            .as_str()
            .unwrap()
            .contains("150"),
        "{}",
        r.text
    );
    let r = app
        .patch(
            Who::Support,
            &format!("/api/v1/users/profiles/{me}/"),
            json!({"profile": {"slack_id": "U".repeat(65)}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert!(
        r.body["errors"]["detail"]["profile.slack_id"].is_array(),
        "{}",
        r.text
    );

    // A report whose uuid is longer than the events' column: refused, naming it (the
    // forwarder records a 400 once instead of retrying a 500 until the dead-letter queue).
    let report = data::report("011", &"u".repeat(41), data::TS);
    let r = app.post(Who::Sqs, "/api/v1/errorreports/", report).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert!(r.body["errors"]["detail"]["uuid"].is_array(), "{}", r.text);
}

/// Bad values of every kind, in every declared query parameter of every list and every path
/// id, as a careless or hostile client sends them: each answer is a 200 or a 4xx in the error
/// shape, never a 5xx; a NUL character or a date outside years 1–9999 is a 400 naming the
/// parameter.
#[actix_web::test]
async fn the_shared_extractors_survive_bad_values_of_every_kind() {
    use hds::api::filters::ParamType;
    let app = crate::support::spawn().await;
    crate::data::setup_basic(&mut app.db.conn().await).await;
    let long = "x".repeat(4000);
    let values: Vec<&str> = vec![
        "%00",
        "a%00b",
        "%FF%FE%FD",
        "%C0%AF",
        &long,
        "1e309",
        "-9223372036854775809",
        "99999999999999999999",
        "NaN",
        "-inf",
        "%F0%9F%99%82",
        "'%22;--",
        "%5C",
        "%25_",
        ",,,,",
        "2024-13-45",
        "-4713-01-01T00:00:00Z",
        "%2B275760-09-13T00:00:00Z",
        "0000-00-00",
        "19700101T000000.9999999999",
        "10000-01-01",
    ];
    let mut sent = 0;
    for spec in hds::api::route_specs() {
        if spec.method != actix_web::http::Method::GET {
            continue;
        }
        let path = spec.full_path().replace("{id}", "1");
        for f in &spec.filters {
            for v in &values {
                let r = app.get(Who::Admin, &format!("{path}?{}={v}", f.name)).await;
                assert!(
                    r.status == StatusCode::OK || r.status.is_client_error(),
                    "{path}?{}={}: {} {}",
                    f.name,
                    &v[..v.len().min(40)],
                    r.status,
                    r.text
                );
                let refused =
                    v.contains("%00") || (matches!(f.ty, ParamType::Time) && v.contains("4713"));
                if refused && r.status != StatusCode::NOT_FOUND {
                    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{path}?{}={v}", f.name);
                    assert!(
                        r.body["errors"]["detail"][f.name].is_array(),
                        "{path}?{}={v}: {}",
                        f.name,
                        r.text
                    );
                }
                sent += 1;
            }
        }
    }
    // Path ids: digits only, but not every string of digits is an id.
    for spec in hds::api::route_specs() {
        if !spec.path.contains("{id}") {
            continue;
        }
        for id in ["99999999999999999999", "0", "00000000000000000000001"] {
            if id.starts_with("00") && spec.method != actix_web::http::Method::GET {
                continue; // the row with id 1 (the admin itself) would be changed
            }
            let path = spec.full_path().replace("{id}", id);
            let body = (spec.method != actix_web::http::Method::GET).then(|| json!({}));
            let r = app.call(Who::Admin, spec.method.clone(), &path, body).await;
            assert!(
                !r.status.is_server_error(),
                "{} {path}: {} {}",
                spec.method,
                r.status,
                r.text
            );
            if id.len() == 20 {
                // Not an id at all: the 404 of "no such row", in the error shape.
                assert_eq!(r.status, StatusCode::NOT_FOUND, "{} {path}", spec.method);
                assert_eq!(
                    r.body["status"], "error",
                    "{} {path}: {}",
                    spec.method, r.text
                );
            }
            sent += 1;
        }
    }
    assert!(sent > 2000, "{sent}");
}

/// Bad values of every kind in every field of every request body (read from the OpenAPI
/// document; free-form bodies get the fields their handlers read), JSON and form-encoded: each
/// answer is a 2xx or a 4xx in the error shape, never a 5xx.
#[actix_web::test]
async fn request_bodies_survive_bad_values_of_every_kind() {
    use actix_web::http::Method;
    use actix_web::test::TestRequest;
    let app = crate::support::spawn().await;
    crate::data::setup_basic(&mut app.db.conn().await).await;
    let doc = hds::api::api_doc();
    let schemas = &doc.openapi["components"]["schemas"];
    let deep =
        serde_json::from_str::<Value>(&format!("{}{}", "[".repeat(120), "]".repeat(120))).unwrap();
    let values = vec![
        json!("a\u{0}b"),
        json!("x".repeat(100_000)),
        json!("🙂".repeat(300)),
        json!(1e308),
        json!(-1e308),
        json!(u64::MAX),
        json!(i64::MIN),
        json!(-1),
        json!(true),
        Value::Null,
        json!([]),
        json!({}),
        json!(["x".repeat(200), "a\u{0}"]),
        json!("2024-13-45T99:99:99Z"),
        json!("-4713-01-01T00:00:00Z"),
        json!("+275760-09-13T00:00:00Z"),
        json!("../../etc/passwd\r\nX: y"),
        deep,
    ];
    let free_form = [
        "version",
        "project",
        "tags",
        "Body",
        "uuid",
        "serial_number",
        "timestamp",
    ];
    let mut sent = 0;
    for spec in hds::api::route_specs() {
        if !matches!(spec.method, Method::POST | Method::PUT | Method::PATCH)
            || spec.path.starts_with("users/login")
        {
            continue;
        }
        let fields: Vec<String> = match spec.request {
            Some(req) => schemas[req.name().as_ref()]["properties"]
                .as_object()
                .map(|p| p.keys().cloned().collect())
                .unwrap_or_default(),
            None => free_form.iter().map(|f| f.to_string()).collect(),
        };
        let path = spec.full_path().replace("{id}", "1");
        for field in &fields {
            if field == "password" || field == "new_password" {
                continue; // hashing 100 KB passwords proves nothing here and takes long
            }
            for v in &values {
                let r = app
                    .call(
                        Who::Admin,
                        spec.method.clone(),
                        &path,
                        Some(json!({ field: v })),
                    )
                    .await;
                assert!(
                    !r.status.is_server_error(),
                    "{} {path} {{{field}: {}}}: {} {}",
                    spec.method,
                    &v.to_string()[..v.to_string().len().min(60)],
                    r.status,
                    r.text
                );
                sent += 1;
            }
            for v in ["a%00b", "%FF%FE", "1e309", "99999999999999999999", "-"] {
                let mut req = TestRequest::default()
                    .method(spec.method.clone())
                    .uri(&path)
                    .insert_header(("Content-Type", "application/x-www-form-urlencoded"))
                    .set_payload(format!("{field}={v}"));
                req = req.insert_header((
                    "Authorization",
                    format!("Token {}", app.users.token(Who::Admin).unwrap()),
                ));
                let r = app.send(req).await;
                assert!(
                    !r.status.is_server_error(),
                    "{} {path} form {field}={v}: {} {}",
                    spec.method,
                    r.status,
                    r.text
                );
                sent += 1;
            }
        }
    }
    assert!(sent > 1000, "{sent}");
}

/// Every error a client sees is in the error shape, including the ones actix makes itself (a
/// method a non-API resource does not have, a path id too large for one, an undecodable path)
/// (docs/api-design.md#errors).
#[actix_web::test]
async fn every_error_is_in_the_error_shape() {
    use actix_web::http::Method;
    let app = crate::support::spawn().await;
    let cases = [
        (Method::DELETE, "/metrics"),
        (Method::POST, "/metrics"),
        (Method::GET, "/api/v1/fruits/99999999999999999999999/"),
        (Method::GET, "/api/v1/fruits/abc/"),
        (Method::GET, "/api/v1/%FF%FE/"),
        (Method::GET, "/api/v1/fruits/%00/"),
        (Method::PUT, "/api/v1/healthcheck/"),
        (Method::POST, "/api/v1/docs/"),
        (Method::GET, "/api/v1/docs/no-such-file.js"),
        (Method::GET, "/%2e%2e/%2e%2e/etc/passwd"),
        (Method::PATCH, "/api/v1/fruits/"),
    ];
    for (method, path) in cases {
        let req = actix_web::test::TestRequest::default()
            .method(method.clone())
            .uri(path)
            .insert_header((
                "Authorization",
                format!("Token {}", app.users.token(Who::Admin).unwrap()),
            ));
        let r = app.send(req).await;
        if r.status.is_success() || r.status.is_redirection() {
            continue;
        }
        assert_eq!(
            r.body["status"], "error",
            "{method} {path} → {}: {:?}",
            r.status, r.text
        );
        assert!(r.body["errors"].is_object(), "{method} {path}: {}", r.text);
        assert!(
            r.header("content-type").starts_with("application/json"),
            "{method} {path}"
        );
    }
    // The statuses themselves are kept.
    let r = app
        .send(actix_web::test::TestRequest::delete().uri("/metrics"))
        .await;
    assert!(r.status.is_client_error(), "{}", r.status);
}

fn metric(text: &str, name_and_labels: &str) -> f64 {
    text.lines()
        .find(|l| l.starts_with(name_and_labels))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0)
}

/// `/metrics` counts every 5xx by route basename and every request that ended without its
/// answer: past its deadline (a 503 instead) or abandoned by its client mid-body
/// (docs/api-design.md#metrics).
#[actix_web::test]
async fn metrics_count_5xx_and_requests_that_ended_without_their_answer() {
    use diesel_async::{RunQueryDsl, SimpleAsyncConnection};
    let srv = serve(|c| c.request_timeout_secs = 2).await;
    let http = reqwest::Client::new();
    let token = srv.users.token(Who::Developer).unwrap().to_string();
    let made: Value = http
        .post(format!("{}/api/v1/fruits/", srv.base))
        .header("Authorization", format!("Token {token}"))
        .json(&json!({"name": "apple"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = made["data"]["id"].as_i64().unwrap();
    let read = || async {
        reqwest::get(format!("{}/metrics", srv.base))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    };
    let before = read().await;
    assert_eq!(
        metric(
            &before,
            "hds_http_requests_unanswered_total{reason=\"deadline\"}"
        ),
        0.0,
        "every reason is there from the start"
    );
    let mut holder = srv._db.conn().await;
    holder
        .batch_execute(&format!(
            "BEGIN; SELECT * FROM fruits WHERE id = {id} FOR UPDATE"
        ))
        .await
        .unwrap();
    // Past its deadline: 503, counted as a 5xx of `fruit` and as a deadline.
    let r = http
        .put(format!("{}/api/v1/fruits/{id}/", srv.base))
        .header("Authorization", format!("Token {token}"))
        .json(&json!({"name": "pear"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 503);
    // Abandoned by its client: the connection closes halfway through the body.
    let port = srv.port;
    let head = format!(
        "PUT /api/v1/fruits/{id}/ HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nAuthorization: Token {token}\r\nContent-Length: 100\r\n\r\n{{\"name\":"
    );
    std::thread::spawn(move || {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.write_all(head.as_bytes()).unwrap();
        std::thread::sleep(Duration::from_millis(500));
        let _ = s.shutdown(std::net::Shutdown::Both);
    })
    .join()
    .unwrap();
    let start = Instant::now();
    let after = loop {
        let text = read().await;
        if metric(
            &text,
            "hds_http_requests_unanswered_total{reason=\"client_gone\"}",
        ) >= 1.0
            || start.elapsed() > Duration::from_secs(5)
        {
            break text;
        }
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    };
    diesel::sql_query("ROLLBACK")
        .execute(&mut holder)
        .await
        .unwrap();
    assert_eq!(
        metric(&after, "hds_http_server_errors_total{basename=\"fruit\"}"),
        1.0,
        "{after}"
    );
    assert_eq!(
        metric(
            &after,
            "hds_http_requests_unanswered_total{reason=\"deadline\"}"
        ),
        1.0
    );
    assert_eq!(
        metric(
            &after,
            "hds_http_requests_unanswered_total{reason=\"client_gone\"}"
        ),
        1.0,
        "{after}"
    );
    srv.handle.stop(false).await;
}

/// `s3files/` and `sessclip/` apply the forwarder's checks to what they are posted (one
/// function, `apps::s3file::parse::check_object`): a foreign bucket, a key outside the queue's
/// prefixes, `..`, CR/LF or NUL is a 400 naming the record's field, and nothing is stored; a
/// message announcing several objects stores them all (docs/api-design.md#s3-files).
#[actix_web::test]
async fn posted_files_pass_the_forwarders_checks_and_every_record_is_stored() {
    let app = crate::support::spawn_with(|c| c.bucket = "hds-checked".into()).await;
    let message = |records: Vec<(&str, &str)>| {
        let records: Vec<Value> = records
            .into_iter()
            .enumerate()
            .map(|(i, (bucket, key))| {
                json!({"s3": {"bucket": {"name": bucket},
                              "object": {"key": key, "eTag": format!("e{i}"), "size": 5}}})
            })
            .collect();
        json!({"MessageId": "m", "Body": json!({"Records": records}).to_string()})
    };
    let cases = [
        (
            "/api/v1/s3files/",
            "other-bucket",
            "hdsfiles/a_u1.log",
            "Body.Records[1].s3.bucket.name",
        ),
        (
            "/api/v1/s3files/",
            "hds-checked",
            "hdsfiles/../../etc/passwd",
            "Body.Records[1].s3.object.key",
        ),
        (
            "/api/v1/s3files/",
            "hds-checked",
            "hdsfiles/%2E%2E/x_u1.log",
            "Body.Records[1].s3.object.key",
        ),
        (
            "/api/v1/s3files/",
            "hds-checked",
            "hdsfiles/x%0D%0ASet-Cookie:+a_u1.log",
            "Body.Records[1].s3.object.key",
        ),
        (
            "/api/v1/s3files/",
            "hds-checked",
            "hdsfiles/x%00_u1.log",
            "Body.Records[1].s3.object.key",
        ),
        (
            "/api/v1/s3files/",
            "hds-checked",
            "sessclip/clip_u1.zip",
            "Body.Records[1].s3.object.key",
        ),
        (
            "/api/v1/sessclip/",
            "hds-checked",
            "hdsfiles/a_u1.log",
            "Body.Records[1].s3.object.key",
        ),
        (
            "/api/v1/s3files/",
            "hds-checked",
            "/hdsfiles/a_u1.log",
            "Body.Records[1].s3.object.key",
        ),
    ];
    for (path, bucket, key, field) in cases {
        let ok_first = if path.contains("sessclip") {
            "sessclip/clip_u0.zip"
        } else {
            "hdsfiles/a_u0.log"
        };
        let r = app
            .post(
                Who::Sqs,
                path,
                message(vec![("hds-checked", ok_first), (bucket, key)]),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::BAD_REQUEST,
            "{path} {bucket} {key}: {}",
            r.text
        );
        assert!(
            r.body["errors"]["detail"][field].is_array(),
            "{path} {key}: names {field}: {}",
            r.text
        );
    }
    let r = app.get(Who::Support, "/api/v1/s3files/").await;
    assert_eq!(r.body["data"]["count"], 0, "nothing was stored");
    let r = app
        .post(
            Who::Sqs,
            "/api/v1/s3files/",
            message(vec![
                ("hds-checked", "hdsfiles/a_u1.log"),
                ("hds-checked", "hdsfiles/b+c_u2.log"),
            ]),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(
        r.body["data"]["key"], "hdsfiles/a_u1.log",
        "the first is shown"
    );
    let r = app.get(Who::Support, "/api/v1/s3files/?ordering=id").await;
    assert_eq!(r.body["data"]["count"], 2, "{}", r.text);
    assert_eq!(r.body["data"]["results"][1]["key"], "hdsfiles/b c_u2.log");
}
