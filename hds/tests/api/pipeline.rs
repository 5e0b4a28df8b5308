//! The ingestion pipeline end to end: S3 put → S3 event → SQS (moto) → forwarder → API over
//! HTTP → PostgreSQL. Duplicates and poison messages included.

use std::time::{Duration, Instant};

use actix_web::http::Method;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_sqs::types::QueueAttributeName;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use hds::api::state::AppState;
use hds::forward::ForwarderConfig;
use serde_json::{json, Value};

use crate::data::{report, setup_basic};
use crate::support::{build_pool, create_users, test_config, TestDb, Who};

pub fn moto_config(db_url: &str, bucket: &str) -> hds::config::Config {
    let mut c = test_config(db_url);
    c.aws_endpoint_url =
        Some(std::env::var("AWS_ENDPOINT_URL").unwrap_or_else(|_| "http://127.0.0.1:5005".into()));
    c.aws_region = "us-west-1".into();
    c.bucket = bucket.into();
    c.report_body_limit = 64 * 1024;
    for var in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"] {
        if std::env::var(var).is_err() {
            // SAFETY: set before any client exists; tests in this file only read them.
            unsafe { std::env::set_var(var, "testing") };
        }
    }
    c
}

/// The test bucket (moto, us-west-1).
pub async fn create_bucket(s3: &aws_sdk_s3::Client, bucket: &str) {
    s3.create_bucket()
        .bucket(bucket)
        .create_bucket_configuration(
            aws_sdk_s3::types::CreateBucketConfiguration::builder()
                .location_constraint(aws_sdk_s3::types::BucketLocationConstraint::UsWest1)
                .build(),
        )
        .send()
        .await
        .expect("create bucket (is moto running?)");
}

/// The ARN moto gives the queue at `url`.
pub fn queue_arn(url: &str) -> String {
    format!(
        "arn:aws:sqs:us-west-1:123456789012:{}",
        url.rsplit('/').next().unwrap()
    )
}

/// "Objects created under `prefix` notify the queue `arn`."
pub fn notification(arn: &str, prefix: &str) -> aws_sdk_s3::types::QueueConfiguration {
    aws_sdk_s3::types::QueueConfiguration::builder()
        .queue_arn(arn)
        .events(aws_sdk_s3::types::Event::S3ObjectCreated)
        .filter(
            aws_sdk_s3::types::NotificationConfigurationFilter::builder()
                .key(
                    aws_sdk_s3::types::S3KeyFilter::builder()
                        .filter_rules(
                            aws_sdk_s3::types::FilterRule::builder()
                                .name(aws_sdk_s3::types::FilterRuleName::Prefix)
                                .value(prefix)
                                .build(),
                        )
                        .build(),
                )
                .build(),
        )
        .build()
        .unwrap()
}

/// A bucket whose `errorreport/` and `hdsfiles/` objects notify two fresh queues (with DLQs).
pub async fn wire(config: &hds::config::Config) -> (String, String, String) {
    let s3 = hds::storage::s3_client(config).await;
    let sqs = hds::storage::sqs_client(config).await;
    create_bucket(&s3, &config.bucket).await;
    let mut urls = Vec::new();
    for name in ["reports", "files"] {
        let dlq = sqs
            .create_queue()
            .queue_name(format!("{}-{name}-dlq", config.bucket))
            .send()
            .await
            .unwrap()
            .queue_url
            .unwrap();
        let dlq_arn = sqs
            .get_queue_attributes()
            .queue_url(&dlq)
            .attribute_names(QueueAttributeName::QueueArn)
            .send()
            .await
            .unwrap()
            .attributes
            .unwrap()[&QueueAttributeName::QueueArn]
            .clone();
        let url = sqs
            .create_queue()
            .queue_name(format!("{}-{name}", config.bucket))
            .attributes(
                QueueAttributeName::RedrivePolicy,
                json!({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "5"}).to_string(),
            )
            .send()
            .await
            .unwrap()
            .queue_url
            .unwrap();
        urls.push((url, dlq));
    }
    s3.put_bucket_notification_configuration()
        .bucket(&config.bucket)
        .notification_configuration(
            aws_sdk_s3::types::NotificationConfiguration::builder()
                .queue_configurations(notification(&queue_arn(&urls[0].0), "errorreport/"))
                .queue_configurations(notification(&queue_arn(&urls[1].0), "hdsfiles/"))
                .build(),
        )
        .send()
        .await
        .expect("notification configuration");
    (urls[0].0.clone(), urls[1].0.clone(), urls[0].1.clone())
}

pub async fn count(db: &TestDb, sql: &str) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let n: N = diesel::sql_query(sql)
        .get_result(&mut db.conn().await)
        .await
        .unwrap();
    n.n
}

/// Rows of a query whose one column `data` is JSON (for diagnostics).
pub async fn rows(db: &TestDb, sql: &str) -> Vec<serde_json::Value> {
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Json)]
        data: serde_json::Value,
    }
    let rows: Vec<Row> = diesel::sql_query(sql)
        .load(&mut db.conn().await)
        .await
        .unwrap();
    rows.into_iter().map(|r| r.data).collect()
}

pub async fn wait_for(db: &TestDb, sql: &str, want: i64, secs: u64) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        let n = count(db, sql).await;
        if n == want {
            return;
        }
        assert!(Instant::now() < deadline, "{sql}: {n}, expected {want}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

pub async fn queue_depth(sqs: &aws_sdk_sqs::Client, url: &str) -> i64 {
    let attrs = sqs
        .get_queue_attributes()
        .queue_url(url)
        .attribute_names(QueueAttributeName::ApproximateNumberOfMessages)
        .attribute_names(QueueAttributeName::ApproximateNumberOfMessagesNotVisible)
        .send()
        .await
        .unwrap()
        .attributes
        .unwrap();
    attrs.values().map(|v| v.parse::<i64>().unwrap_or(0)).sum()
}

#[actix_web::test]
async fn objects_arrive_exactly_once_linked_and_poison_is_logged() {
    let db = TestDb::new();
    setup_basic(&mut db.conn().await).await;
    let users = create_users(&mut db.conn().await).await;
    let bucket = format!(
        "hds-test-{}",
        &uuid::Uuid::new_v4().simple().to_string()[..12]
    );
    let mut config = moto_config(&db.url, &bucket);
    let (reports_q, files_q, reports_dlq) = wire(&config).await;
    config.queue_urls = vec![
        ("ERRORREPORTS_QUEUE_URL".into(), Some(reports_q.clone())),
        ("S3FILES_QUEUE_URL".into(), Some(files_q.clone())),
    ];

    // The API on a real port.
    let state = AppState::new(config.clone(), build_pool(&config));
    let server = actix_web::HttpServer::new(move || hds::api::app(state.clone()))
        .workers(2)
        .bind(("127.0.0.1", 0))
        .unwrap();
    let api_url = format!("http://127.0.0.1:{}", server.addrs()[0].port());
    let server = server.run();
    let server_handle = server.handle();
    actix_web::rt::spawn(server);

    let s3 = hds::storage::s3_client(&config).await;
    let sqs = hds::storage::sqs_client(&config).await;
    let put = |key: String, body: Vec<u8>| {
        let s3 = s3.clone();
        let bucket = bucket.clone();
        async move {
            s3.put_object()
                .bucket(bucket)
                .key(key)
                .body(ByteStream::from(body))
                .send()
                .await
                .expect("put")
        }
    };
    // 4 reports and 3 files; two files share report UUIDs, one report is uploaded twice.
    for i in 0..4 {
        let body =
            serde_json::to_vec(&report("011", &format!("uuid-{i}"), 1.0e9 + i as f64)).unwrap();
        put(
            format!("errorreport/report_011_uuid-{i}.json"),
            body.clone(),
        )
        .await;
        if i == 0 {
            put(format!("errorreport/report_011_uuid-{i}.json"), body).await;
        }
    }
    put(
        "hdsfiles/robotlog_011_03_uuid-1.log".into(),
        b"log line\n".to_vec(),
    )
    .await;
    put("hdsfiles/candump_011_uuid-2.dump".into(), b"can\n".to_vec()).await;
    put("hdsfiles/video clip_011_uuid-9.mp4".into(), b"mp4".to_vec()).await;
    // Poison: not JSON, too deep, too large.
    put("errorreport/bad_x.json".into(), b"{not json".to_vec()).await;
    put(
        "errorreport/deep_x.json".into(),
        format!("{}{}", "[".repeat(1000), "]".repeat(1000)).into_bytes(),
    )
    .await;
    put(
        "errorreport/big_x.json".into(),
        serde_json::to_vec(&json!({"pad": "x".repeat(100_000)})).unwrap(),
    )
    .await;

    // Poison: a notification for an object that does not exist.
    let ghost = json!({"Records": [{"s3": {"bucket": {"name": bucket}, "object": {"key": "errorreport/ghost_x.json", "eTag": "0", "size": 10}}}]});
    sqs.send_message()
        .queue_url(&reports_q)
        .message_body(ghost.to_string())
        .send()
        .await
        .unwrap();

    let (stop_tx, _) = tokio::sync::broadcast::channel::<()>(1);
    let mut forwarders = Vec::new();
    for queue in ["errorreports", "s3files"] {
        let fc = ForwarderConfig {
            queues: hds::forward::QueueChoice::One(queue.into()),
            api_url: api_url.clone(),
            token: users.token(Who::Sqs).unwrap().to_string(),
            concurrency: 4,
            metrics_port: None,
            visibility_seconds: 5,
            wait_seconds: 1,
        };
        let (cfg, mut rx) = (config.clone(), stop_tx.subscribe());
        forwarders.push(tokio::spawn(async move {
            hds::forward::run(&cfg, fc, async move {
                let _ = rx.recv().await;
            })
            .await
        }));
    }

    wait_for(&db, "SELECT count(*) AS n FROM error_reports", 4, 30).await;
    wait_for(&db, "SELECT count(*) AS n FROM s3_files", 3, 30).await;
    wait_for(
        &db,
        "SELECT count(DISTINCT reason) AS n FROM failed_ingests",
        4,
        60,
    )
    .await;
    let reasons: Vec<String> = hds::schema::failed_ingests::table
        .select(hds::schema::failed_ingests::reason)
        .order(hds::schema::failed_ingests::reason)
        .load(&mut db.conn().await)
        .await
        .unwrap();
    assert_eq!(
        reasons,
        vec!["invalid_json", "object_missing", "too_deep", "too_large"]
    );
    // Files and reports sharing a UUID share the event.
    let linked = count(
        &db,
        "SELECT count(*) AS n FROM s3_files f JOIN error_reports r ON r.event_id = f.event_id",
    )
    .await;
    assert_eq!(linked, 2);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM s3_files WHERE \"key\" = 'hdsfiles/video clip_011_uuid-9.mp4'").await, 1, "keys are URL-decoded");
    // Poison ends in the dead-letter queue after the redrive limit; the queues empty.
    let deadline = Instant::now() + Duration::from_secs(60);
    while queue_depth(&sqs, &reports_dlq).await < 4 {
        assert!(
            Instant::now() < deadline,
            "poison messages did not reach the dead-letter queue"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert_eq!(queue_depth(&sqs, &reports_q).await, 0);
    assert_eq!(queue_depth(&sqs, &files_q).await, 0);
    // Delivered report objects are deleted; files stay.
    let left = s3.list_objects_v2().bucket(&bucket).send().await.unwrap();
    let keys: Vec<String> = left
        .contents()
        .iter()
        .filter_map(|o| o.key().map(str::to_owned))
        .collect();
    assert!(
        keys.iter().all(|k| !k.starts_with("errorreport/report_")),
        "{keys:?}"
    );
    assert_eq!(
        keys.iter().filter(|k| k.starts_with("hdsfiles/")).count(),
        3
    );
    // The API serves files with presigned attachment links, in the event too.
    let client = reqwest::Client::new();
    let auth = format!("Token {}", users.token(Who::Support).unwrap());
    let resp = client
        .get(format!("{api_url}/api/v1/events/?UUID=uuid-1"))
        .header("Authorization", &auth)
        .send()
        .await
        .unwrap();
    let (_, v) = crate::support::checked(Method::GET, resp).await;
    let file = &v["data"]["results"][0]["related_files"][0];
    assert_eq!(file["filetype"], "robotlog");
    let link = file["url"].as_str().expect("a presigned link");
    assert!(
        link.contains("X-Amz-Signature")
            && link.contains("response-content-disposition=attachment"),
        "{link}"
    );
    let got = client.get(link).send().await.unwrap();
    assert_eq!(got.bytes().await.unwrap().as_ref(), b"log line\n");
    let resp = client
        .get(format!(
            "{api_url}/api/v1/failedingests/?reason=invalid_json"
        ))
        .header("Authorization", &auth)
        .send()
        .await
        .unwrap();
    let (_, v) = crate::support::checked(Method::GET, resp).await;
    assert_eq!(v["data"]["count"], 1);
    assert_eq!(v["data"]["results"][0]["key"], "errorreport/bad_x.json");
    assert!(v["data"]["results"][0]["receive_count"].as_i64().unwrap() >= 1);

    let _ = stop_tx.send(());
    for f in forwarders {
        tokio::time::timeout(Duration::from_secs(40), f)
            .await
            .expect("forwarder stops")
            .unwrap()
            .unwrap();
    }
    server_handle.stop(true).await;
}

/// Starts the API on `port` (0 = any) and returns its port and handle.
fn start_api(config: &hds::config::Config, port: u16) -> (u16, actix_web::dev::ServerHandle) {
    let state = AppState::new(config.clone(), build_pool(config));
    let server = actix_web::HttpServer::new(move || hds::api::app(state.clone()))
        .workers(1)
        .shutdown_timeout(1)
        .bind(("127.0.0.1", port))
        .expect("bind API");
    let port = server.addrs()[0].port();
    let server = server.run();
    let handle = server.handle();
    actix_web::rt::spawn(server);
    (port, handle)
}

#[actix_web::test]
async fn a_killed_forwarder_a_restarted_api_and_duplicate_events_lose_and_duplicate_nothing() {
    const N: usize = 12;
    let db = TestDb::new();
    setup_basic(&mut db.conn().await).await;
    let users = create_users(&mut db.conn().await).await;
    let bucket = format!(
        "hds-fault-{}",
        &uuid::Uuid::new_v4().simple().to_string()[..12]
    );
    let mut config = moto_config(&db.url, &bucket);
    let (reports_q, _files_q, _dlq) = wire(&config).await;
    config.queue_urls = vec![("ERRORREPORTS_QUEUE_URL".into(), Some(reports_q.clone()))];
    let s3 = hds::storage::s3_client(&config).await;
    let sqs = hds::storage::sqs_client(&config).await;
    // Every object is announced twice (same content, same ETag).
    for i in 0..N {
        let body =
            serde_json::to_vec(&report("011", &format!("fault-{i}"), 1.59e9 + i as f64)).unwrap();
        for _ in 0..2 {
            s3.put_object()
                .bucket(&bucket)
                .key(format!("errorreport/r_011_fault-{i}.json"))
                .body(ByteStream::from(body.clone()))
                .send()
                .await
                .unwrap();
        }
    }
    let (port, api) = start_api(&config, 0);
    let forwarder = |stop: tokio::sync::oneshot::Receiver<()>| {
        let fc = ForwarderConfig {
            queues: hds::forward::QueueChoice::One("errorreports".into()),
            api_url: format!("http://127.0.0.1:{port}"),
            token: users.token(Who::Sqs).unwrap().to_string(),
            concurrency: 2,
            metrics_port: None,
            visibility_seconds: 3,
            wait_seconds: 1,
        };
        let cfg = config.clone();
        tokio::spawn(async move {
            hds::forward::run(&cfg, fc, async move {
                let _ = stop.await;
            })
            .await
        })
    };
    let (_keep_a, stop_a) = tokio::sync::oneshot::channel::<()>();
    let a = forwarder(stop_a);
    let deadline = Instant::now() + Duration::from_secs(30);
    while count(&db, "SELECT count(*) AS n FROM error_reports").await < 3 {
        assert!(Instant::now() < deadline, "nothing arrived");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // kill -9: the task dies mid-batch, nothing is released or deleted on its way out.
    a.abort();
    // The API goes away and comes back on the same port.
    api.stop(false).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (tx_b, stop_b) = tokio::sync::oneshot::channel::<()>();
    let b = forwarder(stop_b);
    tokio::time::sleep(Duration::from_secs(1)).await;
    let (_, api) = start_api(&config, port);
    wait_for(&db, "SELECT count(*) AS n FROM error_reports", N as i64, 60).await;
    let deadline = Instant::now() + Duration::from_secs(60);
    while queue_depth(&sqs, &reports_q).await > 0 {
        assert!(Instant::now() < deadline, "messages left on the queue");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    assert_eq!(
        count(&db, "SELECT count(*) AS n FROM error_reports").await,
        N as i64,
        "none duplicated"
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(DISTINCT ingest_key) AS n FROM error_reports"
        )
        .await,
        N as i64
    );
    assert_eq!(
        count(&db, "SELECT count(*) AS n FROM failed_ingests").await,
        0,
        "transient failures are not logged as permanent"
    );
    let _ = tx_b.send(());
    tokio::time::timeout(Duration::from_secs(40), b)
        .await
        .expect("graceful stop")
        .unwrap()
        .unwrap();
    api.stop(true).await;
}

#[actix_web::test]
async fn failed_ingests_are_listed_resolved_and_redriven() {
    let db = TestDb::new();
    let users = create_users(&mut db.conn().await).await;
    let bucket = format!(
        "hds-redrive-{}",
        &uuid::Uuid::new_v4().simple().to_string()[..12]
    );
    let mut config = moto_config(&db.url, &bucket);
    let (reports_q, _, _) = wire(&config).await;
    config.queue_urls = vec![("ERRORREPORTS_QUEUE_URL".into(), Some(reports_q.clone()))];
    let sqs = hds::storage::sqs_client(&config).await;
    // Drain the configuration's test event.
    let _ = sqs.purge_queue().queue_url(&reports_q).send().await;
    let app = actix_web::test::init_service(hds::api::app(AppState::new(
        config.clone(),
        build_pool(&config),
    )))
    .await;
    let call = |who: Who, method: actix_web::http::Method, path: &str, body: Option<Value>| {
        let mut req = actix_web::test::TestRequest::default()
            .method(method)
            .uri(path)
            .insert_header((
                "Authorization",
                format!("Token {}", users.token(who).unwrap()),
            ));
        if let Some(b) = body {
            req = req.set_json(b);
        }
        req.to_request()
    };
    use actix_web::http::Method;
    let failure = json!({"queue": "errorreports", "message_id": "m-1", "bucket": bucket, "key": "errorreport/bad.json",
        "reason": "invalid_json", "detail": "expected value", "body_excerpt": "{not json",
        "message": {"MessageId": "m-1", "Body": "{\"Records\": []}"}, "receive_count": 2});
    let resp = actix_web::test::call_service(
        &app,
        call(
            Who::Support,
            Method::POST,
            "/api/v1/failedingests/",
            Some(failure.clone()),
        ),
    )
    .await;
    assert_eq!(
        resp.status(),
        actix_web::http::StatusCode::FORBIDDEN,
        "only forwarders record failures"
    );
    let created: Value = actix_web::test::call_and_read_body_json(
        &app,
        call(
            Who::Sqs,
            Method::POST,
            "/api/v1/failedingests/",
            Some(failure.clone()),
        ),
    )
    .await;
    let id = created["data"]["id"].as_i64().unwrap();
    let again: Value = actix_web::test::call_and_read_body_json(
        &app,
        call(
            Who::Sqs,
            Method::POST,
            "/api/v1/failedingests/",
            Some(failure),
        ),
    )
    .await;
    assert_eq!(again["data"]["id"], id, "the same message updates its row");
    let list: Value = actix_web::test::call_and_read_body_json(
        &app,
        call(
            Who::Support,
            Method::GET,
            "/api/v1/failedingests/?resolved=false&queue=errorreports",
            None,
        ),
    )
    .await;
    assert_eq!(list["data"]["count"], 1);
    let resp = actix_web::test::call_service(
        &app,
        call(
            Who::Support,
            Method::POST,
            &format!("/api/v1/failedingests/{id}/resolve/"),
            None,
        ),
    )
    .await;
    assert_eq!(resp.status(), actix_web::http::StatusCode::FORBIDDEN);
    let redriven: Value = actix_web::test::call_and_read_body_json(
        &app,
        call(
            Who::Manager,
            Method::POST,
            "/api/v1/failedingests/redrive/",
            Some(json!({"ids": [id]})),
        ),
    )
    .await;
    assert_eq!(redriven["data"]["redriven"], json!([id]), "{redriven}");
    let got = sqs
        .receive_message()
        .queue_url(&reports_q)
        .wait_time_seconds(2)
        .send()
        .await
        .unwrap();
    let bodies: Vec<String> = got
        .messages()
        .iter()
        .filter_map(|m| m.body().map(str::to_owned))
        .collect();
    assert_eq!(
        bodies,
        vec!["{\"Records\": []}".to_string()],
        "the stored message is on its queue again"
    );
    let one: Value = actix_web::test::call_and_read_body_json(
        &app,
        call(
            Who::Support,
            Method::GET,
            &format!("/api/v1/failedingests/{id}/"),
            None,
        ),
    )
    .await;
    assert_eq!(one["data"]["redrive_count"], 1);
    assert!(one["data"]["resolved_at"].is_string());
    let open: Value = actix_web::test::call_and_read_body_json(
        &app,
        call(
            Who::Support,
            Method::GET,
            "/api/v1/failedingests/?resolved=false",
            None,
        ),
    )
    .await;
    assert_eq!(open["data"]["count"], 0);
}
