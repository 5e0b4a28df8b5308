//! Every declared queue end to end through real processes and moto: S3 object → notification
//! → `hds forward` → API → its table (docs/api-design.md#forwarders).

use std::process::Command;
use std::time::{Duration, Instant};

use aws_sdk_s3::primitives::ByteStream;

use crate::data::{report, setup_basic};
use crate::pipeline::{
    count, create_bucket, moto_config, notification, queue_arn, queue_depth, wait_for,
};
use crate::processes::{free_port, hds, start_api, Proc};
use crate::support::{create_users, TestDb, Who};

/// A queue per declared queue (`forward::QUEUES`), each notified for its default key prefixes.
/// Returns each queue's name and URL.
pub async fn wire_every_queue(config: &hds::config::Config) -> Vec<(&'static str, String)> {
    let s3 = hds::storage::s3_client(config).await;
    let sqs = hds::storage::sqs_client(config).await;
    create_bucket(&s3, &config.bucket).await;
    let mut notifications = aws_sdk_s3::types::NotificationConfiguration::builder();
    let mut out = Vec::new();
    for q in hds::forward::QUEUES {
        let url = sqs
            .create_queue()
            .queue_name(format!("{}-{}", config.bucket, q.name))
            .send()
            .await
            .unwrap()
            .queue_url
            .unwrap();
        for prefix in q.default_prefixes {
            notifications =
                notifications.queue_configurations(notification(&queue_arn(&url), prefix));
        }
        out.push((q.name, url));
    }
    s3.put_bucket_notification_configuration()
        .bucket(&config.bucket)
        .notification_configuration(notifications.build())
        .send()
        .await
        .expect("notification configuration");
    out
}

/// An object for queue `name` (round `n`): its key under the queue's default prefix and its
/// content, and the table (with a condition where it holds more) its ingest lands in.
fn object_for(name: &str, n: u32) -> (String, Vec<u8>, &'static str) {
    let ts = 1.60e9 + f64::from(n) * 100.0;
    let uuid = format!("allq-{name}-{n}");
    let json = |v: serde_json::Value| serde_json::to_vec(&v).unwrap();
    let base = |kind: &str, data: serde_json::Value| {
        serde_json::json!({"type": kind, "timestamp": ts, "serial_number": "011", "uuid": uuid,
                           "pick_session_uuid": format!("ps-{uuid}"), "data": data})
    };
    match name {
        "errorreports" => (
            format!("errorreport/r_011_{uuid}.json"),
            json(report("011", &uuid, ts)),
            "error_reports",
        ),
        "s3files" => (
            format!("hdsfiles/robotlog_010_03_{uuid}.log"),
            b"a log line\n".to_vec(),
            "s3_files WHERE \"key\" LIKE 'hdsfiles/%'",
        ),
        "sessclip" => (
            format!("sessclip/clip_{uuid}.zip"),
            b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0".to_vec(),
            "sess_clips",
        ),
        "harvversion" => (
            format!("versions/v_{uuid}.json"),
            json(base(
                "version_report",
                serde_json::json!({
                "master": {"version": format!("1.{n}"), "dirty": {}, "unexpected": {}}}),
            )),
            "version_reports",
        ),
        "jobresults" => (
            format!("jobresults/j_{uuid}.json"),
            json(base(
                "jobresults",
                serde_json::json!({
                "master": {"ts": ts, "exit_code": 0, "stdout": "", "stderr": "", "status": "success"}}),
            )),
            "job_results",
        ),
        "autodiagnostics" => (
            format!("autodiagnostics/a_{uuid}.json"),
            json(base(
                "autodiagnostics",
                serde_json::json!({
                "serial_no": 1300 + n, "robot_id": 1, "ts": ts, "passed_autodiag": true,
                "passed_autodiag_ball_found": true}),
            )),
            "autodiagnostics_reports",
        ),
        "aftconfigs" => (
            format!("aftconfigs/c_{uuid}.json"),
            json(base(
                "configs",
                serde_json::json!({"0": {"conf_default": {}, "overlay_diff": {}}}),
            )),
            "config_reports",
        ),
        "gripreports" => {
            let mut body = base("gripreport", serde_json::json!({"cand": [], "grip": []}));
            body["pick_session_start_time"] = serde_json::json!(ts - 60.0);
            (
                format!("gripreports/g_{uuid}.json"),
                json(body),
                "grip_reports",
            )
        }
        "harvassetreport" => (
            format!("assets/a_{uuid}.json"),
            json(base(
                "asset-tags",
                serde_json::json!([
                {"asset": "arm", "index": 1, "asset-tag": format!("SA-{n}"), "version": null}]),
            )),
            "asset_reports",
        ),
        other => panic!("no sample object for queue {other}"),
    }
}

/// Every declared queue delivers into its table through real processes: first one
/// `hds forward --queue <name>` per queue (as supervisord runs them), then a second round through
/// one `hds forward --all`.
#[actix_web::test]
async fn every_queue_reaches_its_table_through_real_forwarders() {
    let db = TestDb::new();
    setup_basic(&mut db.conn().await).await;
    let users = create_users(&mut db.conn().await).await;
    let token = users.token(Who::Sqs).unwrap().to_string();
    let bucket = format!(
        "hds-allq-{}",
        &uuid::Uuid::new_v4().simple().to_string()[..12]
    );
    let mut config = moto_config(&db.url, &bucket);
    let queues = wire_every_queue(&config).await;
    config.queue_urls = hds::forward::QUEUES
        .iter()
        .zip(&queues)
        .map(|(spec, (_, url))| (spec.env.to_string(), Some(url.clone())))
        .collect();
    let s3 = hds::storage::s3_client(&config).await;
    let put = |key: String, body: Vec<u8>| {
        let s3 = s3.clone();
        let bucket = bucket.clone();
        async move {
            s3.put_object()
                .bucket(&bucket)
                .key(key)
                .body(ByteStream::from(body))
                .send()
                .await
                .unwrap();
        }
    };
    let port = free_port();
    let _api = start_api(&config, &db.url, port).await;
    let api_url = format!("http://127.0.0.1:{port}");
    let forward = |args: &[&str]| {
        Proc(
            hds(&config, &db.url)
                .arg("forward")
                .args(args)
                .args([
                    "--api-url",
                    &api_url,
                    "--token",
                    &token,
                    "--wait-seconds",
                    "1",
                ])
                .spawn()
                .expect("start hds forward"),
        )
    };

    for (name, _) in &queues {
        let (key, body, table) = object_for(name, 1);
        put(key, body).await;
        let mut forwarder = forward(&["--queue", name]);
        wait_for(&db, &format!("SELECT count(*) AS n FROM {table}"), 1, 60).await;
        // Stopped as supervisord stops it: SIGTERM, in-flight work finished or released.
        let status = Command::new("kill")
            .args(["-TERM", &forwarder.0.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let exit = forwarder.0.wait().unwrap();
        assert!(exit.success(), "{name}: graceful exit: {exit:?}");
    }

    // Round 2: the objects wait on their queues before one process forwards them all.
    let sqs = hds::storage::sqs_client(&config).await;
    for (name, url) in &queues {
        let (key, body, _) = object_for(name, 2);
        put(key, body).await;
        let deadline = Instant::now() + Duration::from_secs(30);
        while queue_depth(&sqs, url).await < 1 {
            assert!(
                Instant::now() < deadline,
                "{name}: S3 did not announce the object"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    let _all = forward(&["--all"]);
    for (name, url) in &queues {
        let (_, _, table) = object_for(name, 2);
        let deadline = Instant::now() + Duration::from_secs(60);
        while count(&db, &format!("SELECT count(*) AS n FROM {table}")).await < 2 {
            if Instant::now() > deadline {
                let failed = crate::pipeline::rows(
                    &db,
                    "SELECT json_build_object('queue', queue, 'reason', reason, 'detail', detail) AS data FROM failed_ingests",
                )
                .await;
                let sqs = hds::storage::sqs_client(&config).await;
                let mut depths = Vec::new();
                for (q, u) in &queues {
                    depths.push((q, queue_depth(&sqs, u).await));
                }
                panic!("{name}: the second object did not arrive; failed ingests: {failed:?}; queue depths {depths:?}");
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        let sqs = hds::storage::sqs_client(&config).await;
        let deadline = Instant::now() + Duration::from_secs(30);
        while queue_depth(&sqs, url).await > 0 {
            assert!(
                Instant::now() < deadline,
                "{name}: messages left on the queue"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
    assert_eq!(
        count(&db, "SELECT count(*) AS n FROM failed_ingests").await,
        0,
        "nothing failed"
    );
}

/// An SQS message may announce several objects (S3 batches records): every one is delivered —
/// a report per object for the queues that download, a file per object for those that post
/// the message (`s3files/` stores each record) — and the message is deleted only then
/// (docs/api-design.md#forwarders).
#[actix_web::test]
async fn a_message_announcing_several_objects_delivers_every_one() {
    let db = TestDb::new();
    setup_basic(&mut db.conn().await).await;
    let users = create_users(&mut db.conn().await).await;
    let token = users.token(Who::Sqs).unwrap().to_string();
    let bucket = format!(
        "hds-multi-{}",
        &uuid::Uuid::new_v4().simple().to_string()[..12]
    );
    let mut config = moto_config(&db.url, &bucket);
    let s3 = hds::storage::s3_client(&config).await;
    let sqs = hds::storage::sqs_client(&config).await;
    create_bucket(&s3, &bucket).await;
    let names = ["errorreports", "s3files"];
    let mut urls = Vec::new();
    for name in names {
        let url = sqs
            .create_queue()
            .queue_name(format!("{bucket}-{name}"))
            .send()
            .await
            .unwrap()
            .queue_url
            .unwrap();
        urls.push((name, url));
    }
    config.queue_urls = hds::forward::QUEUES
        .iter()
        .map(|spec| {
            let url = urls.iter().find(|(n, _)| *n == spec.name);
            (spec.env.to_string(), url.map(|(_, u)| u.clone()))
        })
        .collect();
    // Objects first, then one message per queue announcing three of them, as S3 writes it
    // (keys URL-encoded: a space arrives as `+`).
    for (name, url) in &urls {
        let mut records = Vec::new();
        for n in 1..=3 {
            let (mut key, body, _) = object_for(name, n);
            if *name == "s3files" && n == 2 {
                key = key.replace("robotlog_", "robot log_");
            }
            let size = body.len();
            let put = s3
                .put_object()
                .bucket(&bucket)
                .key(&key)
                .body(ByteStream::from(body))
                .send()
                .await
                .unwrap();
            records.push(serde_json::json!({
                "eventSource": "aws:s3", "eventName": "ObjectCreated:Put",
                "s3": {"bucket": {"name": bucket},
                       "object": {"key": key.replace(' ', "+"), "size": size,
                                  "eTag": put.e_tag().unwrap_or("0").trim_matches('"')}}
            }));
        }
        sqs.send_message()
            .queue_url(url)
            .message_body(serde_json::json!({ "Records": records }).to_string())
            .send()
            .await
            .unwrap();
    }
    let port = free_port();
    let _api = start_api(&config, &db.url, port).await;
    let api_url = format!("http://127.0.0.1:{port}");
    let _forwarders: Vec<Proc> = names
        .iter()
        .map(|name| {
            Proc(
                hds(&config, &db.url)
                    .args(["forward", "--queue", name, "--api-url", &api_url])
                    .args(["--token", &token, "--wait-seconds", "1"])
                    .spawn()
                    .expect("start hds forward"),
            )
        })
        .collect();
    wait_for(&db, "SELECT count(*) AS n FROM error_reports", 3, 60).await;
    wait_for(
        &db,
        "SELECT count(*) AS n FROM s3_files WHERE \"key\" LIKE 'hdsfiles/%'",
        3,
        60,
    )
    .await;
    assert_eq!(
        count(
            &db,
            "SELECT count(*) AS n FROM s3_files WHERE \"key\" LIKE 'hdsfiles/robot log_%'"
        )
        .await,
        1,
        "the key is stored decoded"
    );
    for (name, url) in &urls {
        let deadline = Instant::now() + Duration::from_secs(30);
        while queue_depth(&sqs, url).await > 0 {
            assert!(
                Instant::now() < deadline,
                "{name}: the message was not deleted"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
    assert_eq!(
        count(&db, "SELECT count(*) AS n FROM failed_ingests").await,
        0,
        "nothing failed"
    );
}
