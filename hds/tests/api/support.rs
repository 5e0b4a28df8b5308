//! Test harness: a database per test cloned from a migrated template, users of every role,
//! and requests through the real HTTP stack (routing, middleware, extractors).

use std::sync::OnceLock;

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::{Method, StatusCode};
use actix_web::test;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use hds::api::state::AppState;
use hds::apps::users::repo::{self, NewUser};
use hds::auth::Role;
use hds::config::{replace_db_name, Config};
use hds::db::DbPool;
use serde_json::Value;

/// The migrated template test databases are cloned from, named after the migrations it holds:
/// test runs of the same code share it, runs of different code (another checkout, a branch
/// with a new migration) do not drop each other's.
fn template_name() -> &'static str {
    static NAME: OnceLock<String> = OnceLock::new();
    NAME.get_or_init(|| {
        use sha2::Digest;
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        let mut files: Vec<_> = walk(&dir);
        files.sort();
        let mut hash = sha2::Sha256::new();
        for f in files {
            hash.update(f.to_string_lossy().as_bytes());
            hash.update(std::fs::read(&f).unwrap_or_default());
        }
        format!("hds_test_tpl_{}", &hex::encode(hash.finalize())[..12])
    })
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

pub fn base_url() -> String {
    std::env::var("DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/hds".into())
}

/// Runs `f` on a fresh multi-threaded runtime on another thread (migrations and database
/// administration must not run on the test's current-thread runtime).
pub fn on_side_runtime<F, T>(f: F) -> T
where
    F: FnOnce() -> std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send>> + Send + 'static,
    T: Send + 'static,
{
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime")
            .block_on(f())
    })
    .join()
    .expect("side runtime thread")
}

async fn admin_exec(sql: String) -> anyhow::Result<()> {
    let mut conn = AsyncPgConnection::establish(&replace_db_name(&base_url(), "postgres")).await?;
    diesel::sql_query(sql).execute(&mut conn).await?;
    Ok(())
}

/// Builds the migrated template once per test process.
fn template() {
    static DONE: OnceLock<()> = OnceLock::new();
    DONE.get_or_init(|| {
        on_side_runtime(|| {
            Box::pin(async {
                let mut conn =
                    AsyncPgConnection::establish(&replace_db_name(&base_url(), "postgres"))
                        .await
                        .expect("connect to postgres (is DATABASE_URL's server running?)");
                // Serialise template builds between concurrently running test binaries; a
                // template of these migrations that exists is complete (built under the lock,
                // marked by its comment last).
                diesel::sql_query("SELECT pg_advisory_lock(424242)")
                    .execute(&mut conn)
                    .await
                    .unwrap();
                let t = template_name();
                #[derive(diesel::QueryableByName)]
                struct Found {
                    #[diesel(sql_type = diesel::sql_types::BigInt)]
                    n: i64,
                }
                let found: Found = diesel::sql_query(format!(
                    "SELECT count(*) AS n FROM pg_database d \
                     JOIN pg_shdescription s ON s.objoid = d.oid \
                     WHERE d.datname = '{t}' AND s.description = 'complete'"
                ))
                .get_result(&mut conn)
                .await
                .unwrap();
                if found.n == 0 {
                    diesel::sql_query(format!("DROP DATABASE IF EXISTS {t} WITH (FORCE)"))
                        .execute(&mut conn)
                        .await
                        .unwrap();
                    diesel::sql_query(format!("CREATE DATABASE {t}"))
                        .execute(&mut conn)
                        .await
                        .unwrap();
                    hds::db::migrate(&replace_db_name(&base_url(), t))
                        .await
                        .expect("migrate template");
                    diesel::sql_query(format!("COMMENT ON DATABASE {t} IS 'complete'"))
                        .execute(&mut conn)
                        .await
                        .unwrap();
                }
                diesel::sql_query("SELECT pg_advisory_unlock(424242)")
                    .execute(&mut conn)
                    .await
                    .unwrap();
            })
        })
    });
}

/// A private database, dropped with the value.
pub struct TestDb {
    pub name: String,
    pub url: String,
}

impl TestDb {
    pub fn new() -> TestDb {
        template();
        let name = format!("hds_t_{}", uuid::Uuid::new_v4().simple());
        let sql = format!("CREATE DATABASE {name} TEMPLATE {}", template_name());
        on_side_runtime(move || Box::pin(async move { admin_exec(sql).await }))
            .expect("create test database");
        let url = replace_db_name(&base_url(), &name);
        TestDb { name, url }
    }

    /// An empty database without migrations (for migration tests).
    pub fn empty() -> TestDb {
        let name = format!("hds_t_{}", uuid::Uuid::new_v4().simple());
        let sql = format!("CREATE DATABASE {name}");
        on_side_runtime(move || Box::pin(async move { admin_exec(sql).await }))
            .expect("create database");
        let url = replace_db_name(&base_url(), &name);
        TestDb { name, url }
    }

    pub async fn conn(&self) -> AsyncPgConnection {
        AsyncPgConnection::establish(&self.url)
            .await
            .expect("connect to test database")
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        let _ = on_side_runtime(move || Box::pin(async move { admin_exec(sql).await }));
    }
}

/// Test callers: anonymous, a superuser, and one user per role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Who {
    Anon,
    Admin,
    Manager,
    Developer,
    Support,
    Sqs,
    Jenkins,
    Beatbox,
}

impl Who {
    pub const ALL: [Who; 8] = [
        Who::Anon,
        Who::Admin,
        Who::Manager,
        Who::Developer,
        Who::Support,
        Who::Sqs,
        Who::Jenkins,
        Who::Beatbox,
    ];

    fn role(self) -> Role {
        match self {
            Who::Anon | Who::Support | Who::Admin => Role::Support,
            Who::Manager => Role::Manager,
            Who::Developer => Role::Developer,
            Who::Sqs => Role::Sqs,
            Who::Jenkins => Role::Jenkins,
            Who::Beatbox => Role::Beatbox,
        }
    }

    pub fn username(self) -> String {
        format!("{self:?}").to_lowercase()
    }
}

pub struct Users {
    pub tokens: Vec<(Who, String)>,
    pub ids: Vec<(Who, i64)>,
}

impl Users {
    pub fn token(&self, who: Who) -> Option<&str> {
        self.tokens
            .iter()
            .find(|(w, _)| *w == who)
            .map(|(_, t)| t.as_str())
    }
    pub fn id(&self, who: Who) -> i64 {
        self.ids
            .iter()
            .find(|(w, _)| *w == who)
            .map(|(_, i)| *i)
            .expect("user exists")
    }
}

pub async fn create_users(conn: &mut AsyncPgConnection) -> Users {
    let mut tokens = Vec::new();
    let mut ids = Vec::new();
    for who in Who::ALL.into_iter().filter(|w| *w != Who::Anon) {
        let name = who.username();
        let id = repo::create(
            conn,
            NewUser::without_password(&name, who.role(), who == Who::Admin),
        )
        .await
        .expect("create test user");
        tokens.push((who, repo::create_api_token(conn, id, "test").await.unwrap()));
        ids.push((who, id));
    }
    Users { tokens, ids }
}

pub fn test_config(url: &str) -> Config {
    let mut c = Config::from_env().expect("config");
    c.database_url = url.to_string();
    c.db_pool_size = 4;
    c.frontend_dir = "/nonexistent".into();
    c
}

pub fn build_pool(config: &Config) -> DbPool {
    hds::db::build_pool(config, &config.database_url).expect("pool")
}

pub struct Resp {
    pub status: StatusCode,
    pub headers: actix_web::http::header::HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Resp {
    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    }
}

/// An app over a private database, with users of every role.
pub struct TestApp<S> {
    pub svc: S,
    pub users: Users,
    pub pool: DbPool,
    pub db: TestDb,
}

pub async fn spawn() -> TestApp<
    impl Service<
        actix_http::Request,
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
    >,
> {
    spawn_with(|_| {}).await
}

pub async fn spawn_with(
    tweak: impl FnOnce(&mut Config),
) -> TestApp<
    impl Service<
        actix_http::Request,
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
    >,
> {
    let db = TestDb::new();
    let mut config = test_config(&db.url);
    tweak(&mut config);
    let users = create_users(&mut db.conn().await).await;
    let pool = build_pool(&config);
    let svc = test::init_service(hds::api::app(AppState::new(config, pool.clone()))).await;
    TestApp {
        svc,
        users,
        pool,
        db,
    }
}

impl<S, B> TestApp<S>
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    /// Sends a request through the app. Every answer is checked against the declared answer
    /// of its route in the route table (`hds::api::check_answer`): a response whose shape
    /// differs from its declared type fails the test that received it.
    pub async fn send(&self, req: test::TestRequest) -> Resp {
        let req = req.to_request();
        let (method, path) = (req.method().clone(), req.path().to_owned());
        let resp = test::call_service(&self.svc, req).await;
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = test::read_body(resp).await;
        let text = String::from_utf8_lossy(&bytes).to_string();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        if let Err(e) = hds::api::check_answer(&method, &path, status, &body) {
            panic!("{method} {path} answered {status} off its declared shape: {e}\n{text}");
        }
        Resp {
            status,
            headers,
            body,
            text,
        }
    }

    /// `method path` as `who`, with an optional JSON body.
    pub async fn call(&self, who: Who, method: Method, path: &str, body: Option<Value>) -> Resp {
        let mut req = test::TestRequest::default().method(method).uri(path);
        if let Some(token) = self.users.token(who) {
            req = req.insert_header(("Authorization", format!("Token {token}")));
        }
        if let Some(b) = body {
            req = req.set_json(b);
        }
        self.send(req).await
    }

    pub async fn get(&self, who: Who, path: &str) -> Resp {
        self.call(who, Method::GET, path, None).await
    }

    pub async fn post(&self, who: Who, path: &str, body: Value) -> Resp {
        self.call(who, Method::POST, path, Some(body)).await
    }

    /// POST a JSON body given as text (as a forwarder sends a stored file), as `who`.
    pub async fn post_text(&self, who: Who, path: &str, text: impl Into<String>) -> Resp {
        let mut req = test::TestRequest::post()
            .uri(path)
            .insert_header(("Content-Type", "application/json"))
            .set_payload(text.into());
        if let Some(token) = self.users.token(who) {
            req = req.insert_header(("Authorization", format!("Token {token}")));
        }
        self.send(req).await
    }

    pub async fn patch(&self, who: Who, path: &str, body: Value) -> Resp {
        self.call(who, Method::PATCH, path, Some(body)).await
    }

    /// Request with an explicit Authorization header value.
    pub async fn with_auth(
        &self,
        auth: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Resp {
        let mut req = test::TestRequest::default()
            .method(method)
            .uri(path)
            .insert_header(("Authorization", auth.to_string()));
        if let Some(b) = body {
            req = req.set_json(b);
        }
        self.send(req).await
    }
}

/// Gives a user a real password (hashing is slow, so only tests that log in do it).
pub async fn set_password(db: &TestDb, user_id: i64, password: &str) {
    repo::set_password(&mut db.conn().await, user_id, password)
        .await
        .unwrap();
}

/// Path of the reference data, when `../shared` is beside the project.
pub fn shared_data(rel: &str) -> Option<std::path::PathBuf> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/data/hds-original")
        .join(rel);
    p.exists().then_some(p)
}

pub fn project_file(rel: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(rel)
}

/// A worker context over the test database; Slack goes to `slack_url` (a local stand-in) or
/// is disabled.
pub fn worker_ctx(pool: &DbPool, slack_url: Option<&str>) -> hds::worker::WorkerCtx {
    hds::worker::WorkerCtx {
        pool: pool.clone(),
        slack: hds::slack::Slack::new(
            slack_url.map(|_| "xoxb-test".to_string()),
            slack_url.unwrap_or("http://127.0.0.1:9"),
        ),
        frontend_url: "http://hds.example.org".into(),
        job_server: hds::apps::harvjobs::dispatch::JobServer::new("http://127.0.0.1:9")
            .expect("job server client"),
        // Migration runs need the database's URL; tests of them set it (tests/api/migrations.rs).
        database_url: String::new(),
        logs: hds::apps::logparser::extract::LogsCtx::from_config(&test_config(
            &std::env::var("DATABASE_URL").unwrap_or_else(|_| base_url()),
        )),
    }
}

/// Runs every pending background job, as `hds worker` would.
pub async fn run_worker(pool: &DbPool) -> usize {
    hds::worker::tasks::sweep(&worker_ctx(pool, None), chrono::Duration::seconds(-60))
        .await
        .expect("sweep")
}

#[allow(dead_code)]
/// A local HTTP server standing in for Slack's Web API; records every `chat.postMessage`.
pub struct FakeSlack {
    pub url: String,
    pub messages: std::sync::Arc<std::sync::Mutex<Vec<Value>>>,
    _server: actix_web::dev::ServerHandle,
}

#[allow(dead_code)]
impl FakeSlack {
    pub async fn start() -> FakeSlack {
        use actix_web::{web, App, HttpResponse, HttpServer};
        let messages: std::sync::Arc<std::sync::Mutex<Vec<Value>>> = Default::default();
        let sink = messages.clone();
        let server = HttpServer::new(move || {
            let sink = sink.clone();
            App::new().route(
                "/api/chat.postMessage",
                web::post().to(move |body: web::Json<Value>, req: actix_web::HttpRequest| {
                    let sink = sink.clone();
                    async move {
                        let authed = req
                            .headers()
                            .get("authorization")
                            .is_some_and(|v| v == "Bearer xoxb-test");
                        if !authed {
                            return HttpResponse::Ok()
                                .json(serde_json::json!({"ok": false, "error": "not_authed"}));
                        }
                        sink.lock().unwrap().push(body.into_inner());
                        HttpResponse::Ok().json(serde_json::json!({"ok": true}))
                    }
                }),
            )
        })
        .workers(1)
        .bind(("127.0.0.1", 0))
        .expect("bind fake slack");
        let port = server.addrs()[0].port();
        let server = server.run();
        let handle = server.handle();
        actix_web::rt::spawn(server);
        FakeSlack {
            url: format!("http://127.0.0.1:{port}/api"),
            messages,
            _server: handle,
        }
    }

    pub fn sent(&self) -> Vec<Value> {
        self.messages.lock().unwrap().clone()
    }
}

/// A response of a running server (`reqwest`), read and checked against its route's declared
/// answer as [`TestApp::send`] checks in-process ones: the status and the parsed body.
pub async fn checked(method: Method, resp: reqwest::Response) -> (StatusCode, Value) {
    let status = StatusCode::from_u16(resp.status().as_u16()).expect("an HTTP status");
    let path = resp.url().path().to_owned();
    let bytes = resp.bytes().await.expect("a body");
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    if let Err(e) = hds::api::check_answer(&method, &path, status, &body) {
        panic!(
            "{method} {path} answered {status} off its declared shape: {e}\n{}",
            String::from_utf8_lossy(&bytes)
        );
    }
    (status, body)
}
