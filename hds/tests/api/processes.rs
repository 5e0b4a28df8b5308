//! Faults with real processes: the `hds` binary as API and forwarder, `kill -9` of both mid-run,
//! SIGTERM of a forwarder under load, every object announced twice, poison messages. The final
//! database holds each report exactly once; only the poison ends in the dead-letter queue.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use actix_web::http::Method;
use aws_sdk_s3::primitives::ByteStream;

use crate::data::{report, setup_basic};
use crate::pipeline::{count, moto_config, queue_depth, wait_for, wire};
use crate::support::{create_users, TestDb, Who};

pub struct Proc(pub Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub fn hds(config: &hds::config::Config, db_url: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_hds"));
    c.env("DATABASE_URL", db_url)
        .env("HDS_ENV", "development")
        .env(
            "HDS_LOG",
            std::env::var("TEST_HDS_LOG").unwrap_or_else(|_| "warn".into()),
        )
        .env("HDS_FRONTEND_DIR", "/nonexistent")
        .env(
            "AWS_ENDPOINT_URL",
            config.aws_endpoint_url.clone().unwrap_or_default(),
        )
        .env("AWS_REGION", "us-west-1")
        .env(
            "AWS_ACCESS_KEY_ID",
            std::env::var("AWS_ACCESS_KEY_ID").unwrap_or_else(|_| "testing".into()),
        )
        .env(
            "AWS_SECRET_ACCESS_KEY",
            std::env::var("AWS_SECRET_ACCESS_KEY").unwrap_or_else(|_| "testing".into()),
        )
        .env("HDS_BUCKET", &config.bucket)
        .env(
            "HDS_REPORT_BODY_LIMIT",
            config.report_body_limit.to_string(),
        )
        .stderr(Stdio::null());
    // TEST_HDS_LOGS=<file>: keep the processes' logs (for diagnosing a failure).
    match std::env::var("TEST_HDS_LOGS") {
        Ok(path) => {
            let log = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .unwrap();
            c.stdout(log);
        }
        Err(_) => {
            c.stdout(Stdio::null());
        }
    }
    for (var, url) in &config.queue_urls {
        if let Some(u) = url {
            c.env(var, u);
        }
    }
    c
}

pub async fn start_api(config: &hds::config::Config, db_url: &str, port: u16) -> Proc {
    let child = hds(config, db_url)
        .args(["runserver", "--port", &port.to_string()])
        .spawn()
        .expect("start hds runserver");
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "the API did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Proc(child)
}

fn start_forwarder(config: &hds::config::Config, db_url: &str, port: u16, token: &str) -> Proc {
    let child = hds(config, db_url)
        .args([
            "forward",
            "--queue",
            "errorreports",
            "--api-url",
            &format!("http://127.0.0.1:{port}"),
        ])
        .args([
            "--token",
            token,
            "--concurrency",
            "4",
            "--visibility-seconds",
            "3",
            "--wait-seconds",
            "1",
        ])
        .spawn()
        .expect("start hds forward");
    Proc(child)
}

async fn wait_at_least(db: &TestDb, n: i64, secs: u64) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while count(db, "SELECT count(*) AS n FROM error_reports").await < n {
        assert!(Instant::now() < deadline, "fewer than {n} reports arrived");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[actix_web::test]
async fn kill_9_and_sigterm_of_real_processes_lose_and_duplicate_nothing() {
    const N: usize = 20;
    let db = TestDb::new();
    setup_basic(&mut db.conn().await).await;
    let users = create_users(&mut db.conn().await).await;
    let token = users.token(Who::Sqs).unwrap().to_string();
    let bucket = format!(
        "hds-proc-{}",
        &uuid::Uuid::new_v4().simple().to_string()[..12]
    );
    let mut config = moto_config(&db.url, &bucket);
    let (reports_q, _files_q, reports_dlq) = wire(&config).await;
    config.queue_urls = vec![("ERRORREPORTS_QUEUE_URL".into(), Some(reports_q.clone()))];
    let s3 = hds::storage::s3_client(&config).await;
    let sqs = hds::storage::sqs_client(&config).await;
    for i in 0..N {
        let body =
            serde_json::to_vec(&report("011", &format!("proc-{i}"), 1.60e9 + i as f64)).unwrap();
        for _ in 0..2 {
            s3.put_object()
                .bucket(&bucket)
                .key(format!("errorreport/r_011_proc-{i}.json"))
                .body(ByteStream::from(body.clone()))
                .send()
                .await
                .unwrap();
        }
    }
    for i in 0..2 {
        s3.put_object()
            .bucket(&bucket)
            .key(format!("errorreport/poison_{i}.json"))
            .body(ByteStream::from(b"{oops".to_vec()))
            .send()
            .await
            .unwrap();
    }

    let port = free_port();
    let mut api = start_api(&config, &db.url, port).await;
    let mut forwarder = start_forwarder(&config, &db.url, port, &token);
    wait_at_least(&db, 4, 60).await;
    // kill -9 both mid-run.
    forwarder.0.kill().unwrap();
    api.0.kill().unwrap();
    let _ = (forwarder.0.wait(), api.0.wait());
    let _api = start_api(&config, &db.url, port).await;
    let mut forwarder = start_forwarder(&config, &db.url, port, &token);
    wait_at_least(&db, 10, 60).await;
    // SIGTERM under load: it finishes or releases its messages and exits cleanly.
    let status = Command::new("kill")
        .args(["-TERM", &forwarder.0.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(40);
    let exit = loop {
        if let Some(s) = forwarder.0.try_wait().unwrap() {
            break s;
        }
        assert!(
            Instant::now() < deadline,
            "the forwarder did not stop within 40 s of SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(exit.success(), "graceful exit: {exit:?}");
    let _forwarder = start_forwarder(&config, &db.url, port, &token);

    wait_for(&db, "SELECT count(*) AS n FROM error_reports", N as i64, 90).await;
    let deadline = Instant::now() + Duration::from_secs(90);
    while queue_depth(&sqs, &reports_q).await > 0 || queue_depth(&sqs, &reports_dlq).await < 2 {
        assert!(
            Instant::now() < deadline,
            "queue not drained / poison not dead-lettered"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    assert_eq!(
        count(&db, "SELECT count(*) AS n FROM error_reports").await,
        N as i64,
        "no duplicates"
    );
    assert_eq!(
        queue_depth(&sqs, &reports_dlq).await,
        2,
        "only the poison is dead-lettered"
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) AS n FROM failed_ingests WHERE reason <> 'invalid_json'"
        )
        .await,
        0
    );
    assert_eq!(
        count(&db, "SELECT count(*) AS n FROM failed_ingests").await,
        2
    );
}

/// A private redis-server on `port`, stopped with the value.
fn start_redis(port: u16, dir: &std::path::Path) -> Proc {
    let child = Command::new("redis-server")
        .args([
            "--bind",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--save",
            "",
            "--appendonly",
            "no",
        ])
        .arg("--dir")
        .arg(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("redis-server (install Redis)");
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "redis did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    Proc(child)
}

#[actix_web::test]
async fn a_redis_restart_mid_load_loses_no_background_work() {
    const N: usize = 12;
    let db = TestDb::new();
    setup_basic(&mut db.conn().await).await;
    let users = create_users(&mut db.conn().await).await;
    let token = users.token(Who::Sqs).unwrap().to_string();
    let config = moto_config(&db.url, "unused-bucket");
    let redis_port = free_port();
    let dir = std::env::temp_dir().join(format!("hds-redis-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut redis = start_redis(redis_port, &dir);
    let redis_url = format!("redis://127.0.0.1:{redis_port}/0");
    let port = free_port();
    let child = hds(&config, &db.url)
        .env("REDIS_URL", &redis_url)
        .args(["runserver", "--port", &port.to_string()])
        .spawn()
        .unwrap();
    let _api = Proc(child);
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "the API did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let worker = hds(&config, &db.url)
        .env("REDIS_URL", &redis_url)
        .args([
            "worker",
            "--sweep-seconds",
            "1",
            "--sweep-grace-seconds",
            "2",
        ])
        .spawn()
        .unwrap();
    let _worker = Proc(worker);
    let client = reqwest::Client::new();
    let post = |i: usize| {
        let client = client.clone();
        let token = token.clone();
        async move {
            client
                .post(format!("http://127.0.0.1:{port}/api/v1/errorreports/"))
                .header("Authorization", format!("Token {token}"))
                .json(&report("011", &format!("redis-{i}"), 1.61e9 + i as f64))
                .send()
                .await
                .map(|resp| crate::support::checked(Method::POST, resp))
                .unwrap()
                .await
                .0
        }
    };
    for i in 0..N / 2 {
        assert!(post(i).await.is_success());
    }
    // Redis dies (kill -9) with work queued, stays down while reports keep arriving, then returns empty.
    redis.0.kill().unwrap();
    let _ = redis.0.wait();
    for i in N / 2..N {
        assert!(
            post(i).await.is_success(),
            "ingest succeeds while Redis is down"
        );
    }
    let _redis = start_redis(redis_port, &dir);
    wait_for(
        &db,
        "SELECT count(*) AS n FROM error_reports WHERE extraction_status = 'done'",
        N as i64,
        90,
    )
    .await;
    assert_eq!(
        count(&db, "SELECT count(*) AS n FROM exceptions").await,
        3 * N as i64,
        "each report extracted once"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A private PostgreSQL cluster (run as the `postgres` user), stopped and removed with the value.
struct PrivatePg {
    dir: std::path::PathBuf,
    port: u16,
}

fn pg_bin(tool: &str) -> String {
    // Debian keeps the server tools per version under /usr/lib/postgresql/<version>/bin.
    let mut versions: Vec<std::path::PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.path().join("bin").join(tool))
                .filter(|p| p.exists())
                .collect()
        })
        .unwrap_or_default();
    versions.sort();
    versions
        .pop()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| tool.to_string())
}

impl PrivatePg {
    fn as_postgres(args: &[&str]) -> std::process::ExitStatus {
        Command::new("runuser")
            .args(["-u", "postgres", "--"])
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("runuser")
    }

    fn start() -> PrivatePg {
        let port = free_port();
        let dir = std::env::temp_dir().join(format!("hds-pg-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        assert!(Command::new("chown")
            .arg("postgres:postgres")
            .arg(&dir)
            .status()
            .unwrap()
            .success());
        let d = dir.to_str().unwrap();
        assert!(
            Self::as_postgres(&[&pg_bin("initdb"), "-D", d, "--auth=trust", "-U", "postgres"])
                .success(),
            "initdb"
        );
        let pg = PrivatePg { dir, port };
        pg.ctl("start");
        pg
    }

    fn ctl(&self, what: &str) {
        let d = self.dir.to_str().unwrap();
        let opts = format!("-p {} -k /tmp -c listen_addresses=127.0.0.1", self.port);
        let log = format!("{d}/log");
        let mut args = vec![
            pg_bin("pg_ctl"),
            "-D".into(),
            d.into(),
            "-o".into(),
            opts,
            "-l".into(),
            log,
            "-w".into(),
        ];
        if what == "restart" {
            args.extend(["-m".into(), "fast".into()]);
        }
        args.push(what.into());
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        assert!(Self::as_postgres(&refs).success(), "pg_ctl {what}");
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/hds", self.port)
    }
}

impl Drop for PrivatePg {
    fn drop(&mut self) {
        let d = self.dir.to_str().unwrap().to_string();
        let _ = Self::as_postgres(&[&pg_bin("pg_ctl"), "-D", &d, "-m", "immediate", "stop"]);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[actix_web::test]
async fn a_postgres_restart_mid_load_loses_and_duplicates_nothing() {
    use diesel_async::AsyncConnection;
    const N: usize = 16;
    let pg = PrivatePg::start();
    let url = pg.url();
    let migrate = Command::new(env!("CARGO_BIN_EXE_hds"))
        .env("DATABASE_URL", &url)
        .arg("migrate")
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(migrate.success(), "migrate the private cluster");
    let mut conn = diesel_async::AsyncPgConnection::establish(&url)
        .await
        .unwrap();
    setup_basic(&mut conn).await;
    let users = create_users(&mut conn).await;
    drop(conn);
    let token = users.token(Who::Sqs).unwrap().to_string();
    let bucket = format!(
        "hds-pg-{}",
        &uuid::Uuid::new_v4().simple().to_string()[..12]
    );
    let mut config = moto_config(&url, &bucket);
    let (reports_q, _files_q, reports_dlq) = wire(&config).await;
    config.queue_urls = vec![("ERRORREPORTS_QUEUE_URL".into(), Some(reports_q.clone()))];
    let s3 = hds::storage::s3_client(&config).await;
    let sqs = hds::storage::sqs_client(&config).await;
    for i in 0..N {
        let body =
            serde_json::to_vec(&report("011", &format!("pg-{i}"), 1.62e9 + i as f64)).unwrap();
        s3.put_object()
            .bucket(&bucket)
            .key(format!("errorreport/r_011_pg-{i}.json"))
            .body(ByteStream::from(body))
            .send()
            .await
            .unwrap();
    }
    let port = free_port();
    let _api = start_api(&config, &url, port).await;
    let _forwarder = start_forwarder(&config, &url, port, &token);
    let reports = |sql: &'static str| {
        let url = url.clone();
        async move {
            #[derive(diesel::QueryableByName)]
            struct N {
                #[diesel(sql_type = diesel::sql_types::BigInt)]
                n: i64,
            }
            match diesel_async::AsyncPgConnection::establish(&url).await {
                Ok(mut c) => {
                    diesel_async::RunQueryDsl::get_result::<N>(diesel::sql_query(sql), &mut c)
                        .await
                        .map(|n| n.n)
                        .unwrap_or(-1)
                }
                Err(_) => -1,
            }
        }
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    while reports("SELECT count(*) AS n FROM error_reports").await < 3 {
        assert!(Instant::now() < deadline, "nothing arrived");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    pg.ctl("restart");
    let deadline = Instant::now() + Duration::from_secs(90);
    while reports("SELECT count(*) AS n FROM error_reports").await < N as i64
        || queue_depth(&sqs, &reports_q).await > 0
    {
        assert!(
            Instant::now() < deadline,
            "reports missing after the restart"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(
        reports("SELECT count(*) AS n FROM error_reports").await,
        N as i64,
        "none lost or duplicated"
    );
    assert_eq!(
        reports("SELECT count(*) AS n FROM failed_ingests").await,
        0,
        "a database restart is transient"
    );
    assert_eq!(queue_depth(&sqs, &reports_dlq).await, 0);
}
