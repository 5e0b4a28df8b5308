//! `hds jobserver`: a local stand-in for the harvester job server, a third party that cannot run
//! here. It takes jobs as the real one does (`POST /job`), records them, and can be told to
//! fail, so development and tests exercise dispatch, retries and `Failed to send`
//! (docs/api-design.md#jobs).
//!
//! - `POST /job` — records the job (200), or answers the configured failure.
//! - `GET /jobs` — `{"count", "jobs": [...]}`: what it received, oldest first.
//! - `POST /control` — `{"fail_next": n, "status": 503, "delay_ms": 0, "clear": true}`: the next
//!   `n` jobs get `status` (after `delay_ms`), `clear` forgets what was received.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{web, App, HttpResponse, HttpServer};
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Default)]
struct State {
    received: Vec<Value>,
    fail_next: usize,
    fail_status: u16,
    delay_ms: u64,
}

/// Shared with the server's handlers; tests read it directly.
#[derive(Clone, Default)]
pub struct Recorder(Arc<Mutex<State>>);

impl Recorder {
    /// What the server received, oldest first.
    pub fn received(&self) -> Vec<Value> {
        self.0
            .lock()
            .map(|s| s.received.clone())
            .unwrap_or_default()
    }

    /// The next `n` jobs are answered `status`.
    pub fn fail_next(&self, n: usize, status: u16) {
        if let Ok(mut s) = self.0.lock() {
            s.fail_next = n;
            s.fail_status = status;
        }
    }
}

#[derive(Deserialize)]
struct Control {
    fail_next: Option<usize>,
    status: Option<u16>,
    delay_ms: Option<u64>,
    #[serde(default)]
    clear: bool,
}

async fn take_job(rec: web::Data<Recorder>, body: web::Json<Value>) -> HttpResponse {
    let (fail, delay) = {
        let Ok(mut s) = rec.0.lock() else {
            return HttpResponse::InternalServerError().finish();
        };
        let fail = match s.fail_next {
            0 => None,
            _ => {
                s.fail_next -= 1;
                Some(s.fail_status)
            }
        };
        if fail.is_none() {
            s.received.push(body.into_inner());
        }
        (fail, s.delay_ms)
    };
    if delay > 0 {
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }
    match fail.and_then(|code| actix_web::http::StatusCode::from_u16(code).ok()) {
        Some(code) => HttpResponse::build(code).json(json!({"error": "told to fail"})),
        None => HttpResponse::Ok().json(json!({"status": "accepted"})),
    }
}

async fn list(rec: web::Data<Recorder>) -> HttpResponse {
    let jobs = rec.received();
    HttpResponse::Ok().json(json!({"count": jobs.len(), "jobs": jobs}))
}

async fn control(rec: web::Data<Recorder>, body: web::Json<Control>) -> HttpResponse {
    let Ok(mut s) = rec.0.lock() else {
        return HttpResponse::InternalServerError().finish();
    };
    if let Some(n) = body.fail_next {
        s.fail_next = n;
    }
    if let Some(code) = body.status {
        s.fail_status = code;
    }
    if let Some(ms) = body.delay_ms {
        s.delay_ms = ms;
    }
    if body.clear {
        s.received.clear();
    }
    HttpResponse::Ok().json(json!({"fail_next": s.fail_next, "status": s.fail_status,
        "delay_ms": s.delay_ms, "received": s.received.len()}))
}

/// A running stand-in: its base URL (for `JOB_SERVER_ADDRESS`) and what it received.
pub struct StandIn {
    pub url: String,
    pub recorder: Recorder,
    pub handle: actix_web::dev::ServerHandle,
}

/// Starts the stand-in on `bind:port` (port 0: any free one) in the current runtime.
pub fn start(bind: &str, port: u16) -> std::io::Result<StandIn> {
    let recorder = Recorder::default();
    let data = web::Data::new(recorder.clone());
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .app_data(web::JsonConfig::default().limit(4 * 1024 * 1024))
            .route("/job", web::post().to(take_job))
            .route("/jobs", web::get().to(list))
            .route("/control", web::post().to(control))
    })
    .workers(1)
    .bind((bind, port))?;
    let port = server.addrs()[0].port();
    let server = server.run();
    let handle = server.handle();
    tokio::spawn(server);
    Ok(StandIn {
        url: format!("http://{bind}:{port}"),
        recorder,
        handle,
    })
}

/// `hds jobserver`: runs until SIGTERM or Ctrl-C.
pub async fn run(bind: &str, port: u16) -> anyhow::Result<()> {
    let s = start(bind, port)?;
    tracing::info!(url = %s.url, "job server stand-in listening");
    super::worker::shutdown_signal().await;
    s.handle.stop(true).await;
    Ok(())
}
