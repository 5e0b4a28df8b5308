//! Log sessions (docs/api-design.md#log-sessions): zips built here from the reference's sample
//! robot log and CAN dump plus a tiny AVI made by ffmpeg, uploaded through the HTTP stack to S3
//! (moto), extracted by the worker's task, read back in windows; hostile zips refused with
//! nothing stored.

use std::io::Write;

use actix_web::http::{Method, StatusCode};
use actix_web::test;
use diesel_async::RunQueryDsl;
use serde_json::Value;

use crate::data::{add_harvester, setup_basic};
use crate::pipeline::{create_bucket, moto_config};
use crate::support::{shared_data, spawn_with, worker_ctx, FakeSlack, Resp, Who};

const BOUNDARY: &str = "hds-test-boundary-8f2a61";

/// A zip of `(name, bytes)` members, deflated.
fn zip_of(members: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(false);
    for (name, bytes) in members {
        w.start_file(*name, opts).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// Bytes deflate cannot shrink much (xorshift).
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 32) as u8
        })
        .collect()
}

/// A reference sample, when `../shared` is beside the project (as for the other tests that
/// read reference data).
fn sample(name: &str) -> Option<Vec<u8>> {
    let path = shared_data(&format!("samples/{name}"))?;
    Some(std::fs::read(path).unwrap())
}

/// A one-second 64×48 AVI made by ffmpeg (which the worker needs too).
fn tiny_avi() -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.avi");
    let status = std::process::Command::new("ffmpeg")
        .args([
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "testsrc=size=64x48:rate=5",
            "-t",
            "1",
        ])
        .arg(&out)
        .status()
        .expect("ffmpeg is needed (scripts/services installs it)");
    assert!(status.success());
    std::fs::read(out).unwrap()
}

const ROBOT_LOG: &str = "20230131131250_010_03_robot.log";
const CAN_DUMP: &str = "20230131131250_010_03_CAN.dump";
/// A log with a preamble and continuation lines (a traceback).
const FSM_LOG: &str = "20230131131250_010_02_fsm_main.log";
const FSM: &str = "started without a clock\n\
[20230131T131251.000] [INFO] [fsm] -- picking\n\
[20230131T131252.500] [ERROR] [fsm] -- Traceback (most recent call last):\n  File \"fsm.py\", line 3\n    raise Boom\n\
[20230131T131253.250] [DEBUG] [fsm] -- Flipped back\n";
const VIDEO: &str = "20230131131250_010_02_drive_cam";

/// The session of the reference samples, plus a generated log with a traceback and a video.
fn session_zip() -> Option<Vec<u8>> {
    Some(zip_of(&[
        (ROBOT_LOG, sample(ROBOT_LOG)?),
        (CAN_DUMP, sample(CAN_DUMP)?),
        (FSM_LOG, FSM.as_bytes().to_vec()),
        (&format!("{VIDEO}.avi"), tiny_avi()),
        (
            &format!("{VIDEO}.json"),
            b"{\"ts\": 1675199570.5, \"frame\": 0}\n{\"ts\": 1675199571.5, \"frame\": 5}\n"
                .to_vec(),
        ),
        ("notes.txt", b"ignored".to_vec()),
    ]))
}

/// A well-formed session for the tests that do not read its lines: the reference samples when
/// present, else the generated log and video alone.
fn any_session_zip() -> Vec<u8> {
    session_zip().unwrap_or_else(|| {
        zip_of(&[
            (FSM_LOG, FSM.as_bytes().to_vec()),
            (&format!("{VIDEO}.avi"), tiny_avi()),
            (
                &format!("{VIDEO}.json"),
                b"{\"ts\": 1675199570.5, \"frame\": 0}\n".to_vec(),
            ),
        ])
    })
}

fn multipart(file_name: &str, bytes: &[u8]) -> Vec<u8> {
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"comment\"\r\n\r\nfrom the field\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"zip_upload\"; filename=\"{file_name}\"\r\n\
         Content-Type: application/zip\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

fn bucket_name() -> String {
    format!(
        "hds-logs-{}",
        &uuid::Uuid::new_v4().simple().to_string()[..12]
    )
}

async fn objects(s3: &aws_sdk_s3::Client, bucket: &str) -> Vec<String> {
    let listed = s3.list_objects_v2().bucket(bucket).send().await.unwrap();
    listed
        .contents()
        .iter()
        .filter_map(|o| o.key().map(str::to_string))
        .collect()
}

async fn uploads_in_progress(s3: &aws_sdk_s3::Client, bucket: &str) -> usize {
    let listed = s3
        .list_multipart_uploads()
        .bucket(bucket)
        .send()
        .await
        .unwrap();
    listed.uploads().len()
}

async fn count(conn: &mut diesel_async::AsyncPgConnection, sql: &str) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let n: N = diesel::sql_query(sql).get_result(conn).await.unwrap();
    n.n
}

macro_rules! upload {
    ($app:expr, $who:expr, $name:expr, $bytes:expr) => {{
        let mut req = test::TestRequest::post()
            .uri("/api/v1/logsessions/")
            .insert_header((
                "Content-Type",
                format!("multipart/form-data; boundary={BOUNDARY}"),
            ))
            .set_payload(multipart($name, $bytes));
        if let Some(token) = $app.users.token($who) {
            req = req.insert_header(("Authorization", format!("Token {token}")));
        }
        let r: Resp = $app.send(req).await;
        r
    }};
}

/// Every entry of the session in `query`'s selection, paged forward `limit` at a time.
macro_rules! all_entries {
    ($app:expr, $id:expr, $query:expr, $limit:expr) => {{
        let mut out: Vec<Value> = Vec::new();
        let mut pos = String::new();
        loop {
            let r = $app
                .get(
                    Who::Support,
                    &format!(
                        "/api/v1/logsessions/{}/entries/?limit={}{}{}",
                        $id, $limit, $query, pos
                    ),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
            let d = &r.body["data"];
            out.extend(d["results"].as_array().unwrap().iter().cloned());
            if !d["more_after"].as_bool().unwrap() {
                break;
            }
            pos = format!(
                "&after_ts={}&after_seq={}",
                d["last"]["ts"], d["last"]["seq"]
            );
        }
        out
    }};
}

#[actix_web::test]
async fn a_session_is_uploaded_extracted_and_read_in_windows() {
    let bucket = bucket_name();
    let slack = FakeSlack::start().await;
    let app = spawn_with(|c| *c = moto_config(&c.database_url, &bucket)).await;
    let config = moto_config(&app.db.url, &bucket);
    let s3 = hds::storage::s3_client(&config).await;
    create_bucket(&s3, &bucket).await;
    let mut conn = app.db.conn().await;
    let basic = setup_basic(&mut conn).await;
    let harvester = add_harvester(&mut conn, &basic, 10, false).await;

    let Some(zip) = session_zip() else {
        eprintln!("../shared not present: the reference-sample session test is not applicable");
        return;
    };
    let r = upload!(app, Who::Support, "session one.zip", &zip);
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let s = &r.body["data"];
    let id = s["id"].as_i64().unwrap();
    assert!(
        s["name"].as_str().unwrap().starts_with("session_one.zip-"),
        "{s}"
    );
    assert_eq!(s["status"], "pending");
    assert_eq!(s["harv"], harvester);
    assert_eq!(s["logs"]["harv_id"], 10);
    assert_eq!(s["progress"]["total"], 4, "three logs and one video");
    // 2023-01-31 13:12:50 US/Pacific.
    assert!(
        s["date_time"]
            .as_str()
            .unwrap()
            .starts_with("2023-01-31T21:12:50"),
        "{s}"
    );
    assert_eq!(objects(&s3, &bucket).await.len(), 1);

    let mut ctx = worker_ctx(&app.pool, Some(&slack.url));
    ctx.logs = hds::apps::logparser::extract::LogsCtx::from_config(&config);
    let job = hds::jobs::Job::ExtractLogSession { session_id: id };
    hds::worker::tasks::run(&ctx, &job).await.unwrap();

    let r = app
        .get(Who::Support, &format!("/api/v1/logsessions/{id}/"))
        .await;
    let s = &r.body["data"];
    assert_eq!(s["status"], "done", "{s}");
    assert_eq!(s["progress"]["done"], 4);
    assert!(s["_zip_file"].is_i64(), "{s}");
    assert_eq!(s["logs"]["robots"], serde_json::json!([2, 3]));
    let services: Vec<(String, i64)> = s["logs"]["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["service"].as_str().unwrap().to_string(),
                v["robot"].as_i64().unwrap(),
            )
        })
        .collect();
    // §4.15's pattern is lower-case: the CAN dump's service is its extension.
    assert_eq!(
        services,
        vec![
            ("dump".into(), 3),
            ("fsm_main".into(), 2),
            ("robot".into(), 3)
        ]
    );
    assert_eq!(s["logs"]["videos"][0]["category"], "drive_cam");
    assert_eq!(s["logs"]["videos"][0]["robot"], 2);

    // Log files: one per member, entries counted; the session nested.
    let r = app
        .get(
            Who::Support,
            &format!("/api/v1/logfiles/?log_session_id={id}"),
        )
        .await;
    assert_eq!(r.body["data"]["count"], 3);
    let lines: i64 = r.body["data"]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["line_count"].as_i64().unwrap())
        .sum();
    // The sample log's 10 lines and the dump's 13 are one entry each; the fsm log has a
    // preamble and three entries, one with two continuation lines.
    assert_eq!(lines, 10 + 13 + 4);
    assert_eq!(r.body["data"]["results"][0]["log_session"]["id"], id);

    // The whole timeline, paged 5 at a time, is every entry once, in (ts, seq) order.
    let all = all_entries!(app, id, "", 5);
    assert_eq!(all.len(), 27);
    let keys: Vec<(f64, i64)> = all
        .iter()
        .map(|e| (e["ts"].as_f64().unwrap(), e["seq"].as_i64().unwrap()))
        .collect();
    assert!(keys.windows(2).all(|w| w[0] < w[1]), "{keys:?}");
    let traceback = all
        .iter()
        .find(|e| e["level"] == "ERROR")
        .expect("the error entry");
    assert_eq!(
        traceback["message"],
        "[20230131T131252.500] [ERROR] [fsm] -- Traceback (most recent call last):\n  File \"fsm.py\", line 3\n    raise Boom"
    );
    assert_eq!(traceback["service"], "fsm_main");
    assert_eq!(traceback["robot"], 2);
    assert_eq!(traceback["log_date"], "2023-01-31 13:12:52.500000-08:00");
    let first_robot = all.iter().find(|e| e["service"] == "robot").unwrap();
    assert_eq!(first_robot["level"], "INFO");
    assert_eq!(first_robot["ts"], 1675199570.181);
    // The preamble takes the session's time (the first file name's), so it comes first.
    assert_eq!(all[0]["message"], "started without a clock");
    assert_eq!(all[0]["ts"], 1675199570.0);
    assert!(all
        .iter()
        .filter(|e| e["service"] == "dump")
        .all(|e| e["level"].is_null()));

    // Filters: services, robots, levels, text.
    let dumps = all_entries!(app, id, "&services=dump", 500);
    assert_eq!(dumps.len(), 13);
    let robot2 = all_entries!(app, id, "&robots=2", 500);
    assert_eq!(robot2.len(), 4);
    assert!(robot2.iter().all(|e| e["service"] == "fsm_main"));
    let both = all_entries!(app, id, "&services=robot,fsm_main&robots=3", 500);
    assert_eq!(both.len(), 10);
    let errors = all_entries!(app, id, "&levels=ERROR", 500);
    assert_eq!(errors.len(), 1);
    let flipped = all_entries!(app, id, "&q=flipped", 500);
    assert_eq!(flipped.len(), 2, "case-insensitive: robot.log's and fsm's");
    let literal = all_entries!(app, id, "&q=100%25", 500);
    assert!(literal.is_empty(), "% is not a wildcard");

    // Backwards from the end, and a jump to a time.
    let last = all.last().unwrap();
    let r = app
        .get(
            Who::Support,
            &format!(
                "/api/v1/logsessions/{id}/entries/?limit=3&before_ts={}&before_seq={}",
                last["ts"], last["seq"]
            ),
        )
        .await;
    let back: Vec<i64> = r.body["data"]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["seq"].as_i64().unwrap())
        .collect();
    let expect: Vec<i64> = all[all.len() - 4..all.len() - 1]
        .iter()
        .map(|e| e["seq"].as_i64().unwrap())
        .collect();
    assert_eq!(back, expect);
    assert_eq!(r.body["data"]["more_after"], true);
    assert_eq!(r.body["data"]["more_before"], true);
    let r = app
        .get(
            Who::Support,
            &format!("/api/v1/logsessions/{id}/entries/?limit=2&at=1675199593.5"),
        )
        .await;
    let jumped = &r.body["data"]["results"];
    assert_eq!(jumped[0]["ts"], 1675199593.51823, "{jumped}");
    assert_eq!(r.body["data"]["more_before"], true);
    let r = app
        .get(
            Who::Support,
            &format!("/api/v1/logsessions/{id}/entries/?at=2000000000"),
        )
        .await;
    assert_eq!(r.body["data"]["results"], serde_json::json!([]));
    assert_eq!(r.body["data"]["more_after"], false);
    assert_eq!(r.body["data"]["more_before"], true);
    let r = app
        .get(
            Who::Support,
            &format!("/api/v1/logsessions/{id}/entries/?after_seq=3"),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);

    // The video: converted to MP4, downloadable, with its metadata lines.
    let r = app
        .get(
            Who::Support,
            &format!("/api/v1/logvideos/?log_session_id={id}&category=drive_cam&robot=2&log_session__harv__harv_id=10"),
        )
        .await;
    assert_eq!(r.body["data"]["count"], 1, "{}", r.text);
    let v = &r.body["data"]["results"][0];
    assert_eq!(v["meta"][1]["frame"], 5);
    let url = v["video_avi"].as_str().expect("a link");
    let mp4 = reqwest::get(url).await.unwrap().bytes().await.unwrap();
    assert_eq!(&mp4[4..8], b"ftyp", "an MP4");
    let r = app
        .get(
            Who::Support,
            &format!("/api/v1/logvideos/?log_session_id={id}&category=other"),
        )
        .await;
    assert_eq!(r.body["data"]["count"], 0);

    // Slack heard once.
    let sent = slack.sent();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0]["channel"], "hds-notifications");
    assert!(sent[0]["text"]
        .as_str()
        .unwrap()
        .contains("3 log files, 27 entries, 1 videos"));

    // A job run twice (the queue delivering again, a lease taken over) stores nothing twice.
    diesel::sql_query(format!(
        "UPDATE log_sessions SET status = 'pending' WHERE id = {id}"
    ))
    .execute(&mut conn)
    .await
    .unwrap();
    hds::worker::tasks::run(&ctx, &job).await.unwrap();
    hds::worker::tasks::run(&ctx, &job).await.unwrap();
    assert_eq!(
        count(&mut conn, "SELECT count(*) AS n FROM log_entries").await,
        27
    );
    assert_eq!(
        count(&mut conn, "SELECT count(*) AS n FROM log_files").await,
        3
    );
    assert_eq!(
        count(&mut conn, "SELECT count(*) AS n FROM log_videos").await,
        1
    );
    assert_eq!(
        count(&mut conn, "SELECT count(*) AS n FROM s3_files").await,
        2
    );
    assert_eq!(
        count(&mut conn, "SELECT count(*) AS n FROM sess_clips").await,
        1
    );
    assert_eq!(slack.sent().len(), 1);

    // Lists and their filters.
    let r = app
        .get(
            Who::Beatbox,
            "/api/v1/logsessions/?harv__harv_id=10&status=done",
        )
        .await;
    assert_eq!(r.body["data"]["count"], 1);
    let r = app
        .get(Who::Support, "/api/v1/logsessions/?harv__harv_id=11")
        .await;
    assert_eq!(r.body["data"]["count"], 0);
    let r = app
        .get(Who::Support, "/api/v1/logsessions/?status=odd")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["data"]["count"], 0, "a state no session is in");

    // Deleting takes the rows and the objects.
    let r = app
        .call(
            Who::Developer,
            Method::DELETE,
            &format!("/api/v1/logsessions/{id}/"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .call(
            Who::Admin,
            Method::DELETE,
            &format!("/api/v1/logsessions/{id}/"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    assert_eq!(
        count(&mut conn, "SELECT count(*) AS n FROM log_entries").await,
        0
    );
    assert_eq!(
        count(&mut conn, "SELECT count(*) AS n FROM s3_files").await,
        0
    );
    assert_eq!(objects(&s3, &bucket).await, Vec::<String>::new());
}

#[actix_web::test]
async fn hostile_or_broken_zips_are_refused_and_leave_nothing() {
    let bucket = bucket_name();
    let app = spawn_with(|c| {
        *c = moto_config(&c.database_url, &bucket);
        c.zip_max_total = 4 << 20;
    })
    .await;
    let config = moto_config(&app.db.url, &bucket);
    let s3 = hds::storage::s3_client(&config).await;
    create_bucket(&s3, &bucket).await;

    let good = any_session_zip();
    let many: Vec<(String, Vec<u8>)> = (0..100_000)
        .map(|i| (format!("{i}.log"), Vec::new()))
        .collect();
    let many: Vec<(&str, Vec<u8>)> = many.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "bomb",
            zip_of(&[("a.log", vec![b'a'; 8 << 20])]),
            "zip bomb",
        ),
        (
            "too big in all",
            zip_of(&[("a.log", noise(3 << 20, 1)), ("b.log", noise(2 << 20, 2))]),
            "expands to more than",
        ),
        (
            "traversal",
            zip_of(&[("../../etc/evil.log", b"x".to_vec())]),
            "`..`",
        ),
        (
            "absolute",
            zip_of(&[("/etc/evil.log", b"x".to_vec())]),
            "absolute",
        ),
        (
            "drive",
            zip_of(&[("C:\\evil.log", b"x".to_vec())]),
            "absolute",
        ),
        ("100,000 entries", zip_of(&many), "100000 files"),
        (
            "not a zip",
            b"just some text, not a zip at all".to_vec(),
            "not a zip",
        ),
        ("truncated", good[..good.len() / 2].to_vec(), "not a zip"),
        ("empty file", Vec::new(), "not a zip"),
        ("empty zip", zip_of(&[]), "empty"),
    ];
    for (what, bytes, says) in cases {
        let r = upload!(app, Who::Support, "x.zip", &bytes);
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{what}: {}", r.text);
        let msg = r.body["errors"]["detail"]["zip_upload"][0]
            .as_str()
            .unwrap_or_default();
        assert!(msg.contains(says), "{what}: {}", r.text);
        assert_eq!(objects(&s3, &bucket).await, Vec::<String>::new(), "{what}");
    }
    let mut conn = app.db.conn().await;
    assert_eq!(
        count(&mut conn, "SELECT count(*) AS n FROM log_sessions").await,
        0
    );

    // Not a form, a form without the field.
    let r = app
        .post(
            Who::Support,
            "/api/v1/logsessions/",
            serde_json::json!({"zip_upload": "x"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body["errors"]["detail"]["zip_upload"].is_array(),
        "{}",
        r.text
    );
    let req = test::TestRequest::post()
        .uri("/api/v1/logsessions/")
        .insert_header(("Authorization", format!("Token {}", app.users.token(Who::Support).unwrap())))
        .insert_header(("Content-Type", format!("multipart/form-data; boundary={BOUNDARY}")))
        .set_payload(format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nx\r\n--{BOUNDARY}--\r\n"));
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert_eq!(
        r.body["errors"]["detail"]["zip_upload"][0],
        "This field is required."
    );
    // Who may upload: support and above (§4.15), not the service accounts.
    let r = upload!(app, Who::Jenkins, "x.zip", &good);
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = upload!(app, Who::Anon, "x.zip", &good);
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(objects(&s3, &bucket).await, Vec::<String>::new());
}

#[actix_web::test]
async fn an_upload_over_the_limit_is_413_and_aborted() {
    let bucket = bucket_name();
    let app = spawn_with(|c| {
        *c = moto_config(&c.database_url, &bucket);
        c.log_upload_limit = 100 * 1024;
    })
    .await;
    let config = moto_config(&app.db.url, &bucket);
    let s3 = hds::storage::s3_client(&config).await;
    create_bucket(&s3, &bucket).await;
    let big = noise(300 * 1024, 3);
    // Sent without Content-Length (chunked), so the limit is found while streaming.
    let req = test::TestRequest::post()
        .uri("/api/v1/logsessions/")
        .insert_header((
            "Authorization",
            format!("Token {}", app.users.token(Who::Support).unwrap()),
        ))
        .insert_header((
            "Content-Type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        ))
        .set_payload(multipart("big.zip", &zip_of(&[("a.log", big)])));
    let mut req = req.to_request();
    req.headers_mut().remove("content-length");
    let resp = test::call_service(&app.svc, req).await;
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(objects(&s3, &bucket).await, Vec::<String>::new());
    assert_eq!(
        uploads_in_progress(&s3, &bucket).await,
        0,
        "the multipart upload is aborted"
    );
}

#[actix_web::test]
async fn without_ffmpeg_the_session_fails_with_its_reason() {
    let bucket = bucket_name();
    let slack = FakeSlack::start().await;
    let app = spawn_with(|c| *c = moto_config(&c.database_url, &bucket)).await;
    let config = moto_config(&app.db.url, &bucket);
    let s3 = hds::storage::s3_client(&config).await;
    create_bucket(&s3, &bucket).await;
    let r = upload!(app, Who::Manager, "s.zip", &any_session_zip());
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let id = r.body["data"]["id"].as_i64().unwrap();
    let mut ctx = worker_ctx(&app.pool, Some(&slack.url));
    ctx.logs = hds::apps::logparser::extract::LogsCtx::from_config(&config);
    ctx.logs.ffmpeg = "/nonexistent/ffmpeg".into();
    let job = hds::jobs::Job::ExtractLogSession { session_id: id };
    assert!(hds::worker::tasks::run(&ctx, &job).await.is_err());
    let r = app
        .get(Who::Support, &format!("/api/v1/logsessions/{id}/"))
        .await;
    let s = &r.body["data"];
    assert_eq!(s["status"], "failed", "{s}");
    let reason = s["failure_reason"].as_str().unwrap();
    assert!(
        reason.contains("ffmpeg") && reason.contains("could not be started"),
        "{reason}"
    );
    let sent = slack.sent();
    assert_eq!(sent.len(), 1);
    assert!(sent[0]["text"]
        .as_str()
        .unwrap()
        .contains("could not be extracted"));
    // The sweep does not take a failed session again.
    assert_eq!(
        hds::worker::tasks::sweep(&ctx, chrono::Duration::seconds(-60))
            .await
            .unwrap(),
        0
    );
    // A corrupt video fails the same way, with ffmpeg's reason.
    let bad = zip_of(&[
        (&format!("{VIDEO}.avi"), b"RIFF not really a video".to_vec()),
        (&format!("{VIDEO}.json"), b"{}\n".to_vec()),
    ]);
    let r = upload!(app, Who::Support, "bad.zip", &bad);
    let id = r.body["data"]["id"].as_i64().unwrap();
    ctx.logs.ffmpeg = "ffmpeg".into();
    let job = hds::jobs::Job::ExtractLogSession { session_id: id };
    assert!(hds::worker::tasks::run(&ctx, &job).await.is_err());
    let r = app
        .get(Who::Support, &format!("/api/v1/logsessions/{id}/"))
        .await;
    assert_eq!(r.body["data"]["status"], "failed");
    assert!(r.body["data"]["failure_reason"]
        .as_str()
        .unwrap()
        .contains("ffmpeg failed"));
}
