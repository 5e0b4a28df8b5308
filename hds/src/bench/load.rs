//! A small HTTP load generator: N connections for a duration (or a request count), then
//! requests/s, latency percentiles and errors.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

pub struct Outcome {
    pub name: String,
    pub requests: u64,
    pub errors: u64,
    pub seconds: f64,
    pub p50_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

impl Outcome {
    pub fn rps(&self) -> f64 {
        self.requests as f64 / self.seconds
    }

    pub fn json(&self) -> Value {
        json!({
            "name": self.name, "requests": self.requests, "errors": self.errors,
            "rps": (self.rps() * 10.0).round() / 10.0,
            "p50_ms": self.p50_ms, "p90_ms": self.p90_ms, "p99_ms": self.p99_ms, "max_ms": self.max_ms,
        })
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    (sorted[idx] * 100.0).round() / 100.0
}

/// What one request sends.
pub enum Body {
    None,
    /// A serialized JSON body built per request (`n` is a unique sequence number).
    Json(Arc<dyn Fn(u64) -> Vec<u8> + Send + Sync>),
}

pub async fn run(
    name: &str,
    url: &str,
    auth: &str,
    connections: usize,
    duration: Duration,
    body: Body,
) -> Outcome {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(connections)
        .build()
        .expect("client");
    let seq = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + duration;
    let body = Arc::new(body);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let (client, seq, errors, body) =
            (client.clone(), seq.clone(), errors.clone(), body.clone());
        let (url, auth) = (url.to_string(), auth.to_string());
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            while Instant::now() < deadline {
                let n = seq.fetch_add(1, Ordering::Relaxed);
                let req = match &*body {
                    Body::None => client.get(&url),
                    Body::Json(f) => client
                        .post(&url)
                        .header("Content-Type", "application/json")
                        .body(f(n)),
                };
                let t = Instant::now();
                match req.header("Authorization", &auth).send().await {
                    Ok(resp) if resp.status().is_success() => {
                        let _ = resp.bytes().await;
                    }
                    Ok(resp) => {
                        if errors.fetch_add(1, Ordering::Relaxed) < 3 {
                            eprintln!("{url}: HTTP {}", resp.status());
                        }
                    }
                    Err(e) => {
                        if errors.fetch_add(1, Ordering::Relaxed) < 3 {
                            eprintln!("{url}: {e}");
                        }
                    }
                }
                lat.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            lat
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap_or_default());
    }
    let seconds = started.elapsed().as_secs_f64();
    all.sort_by(f64::total_cmp);
    Outcome {
        name: name.to_string(),
        requests: all.len() as u64,
        errors: errors.load(Ordering::Relaxed),
        seconds,
        p50_ms: percentile(&all, 0.50),
        p90_ms: percentile(&all, 0.90),
        p99_ms: percentile(&all, 0.99),
        max_ms: percentile(&all, 1.0),
    }
}

/// A realistic error report of about 20 KB (nine sysmon entries with services, three errors)
/// as a function of the request's sequence number. The constant part is serialized once, so
/// the load generator spends its CPU on requests rather than on building them.
pub fn error_report(
    serial: i32,
    per_session: u64,
) -> impl Fn(u64) -> Vec<u8> + Send + Sync + 'static {
    let data = report_data(serial).to_string();
    let pid = std::process::id();
    move |n| {
        format!(
            "{{\"type\":\"error\",\"timestamp\":{},\"serial_number\":\"{serial:03}\",\
             \"uuid\":\"bench-ingest-{pid}-{n}\",\"pick_session_uuid\":\"bench-ps-{}\",\"data\":{data}}}",
            1_700_000_000.0 + n as f64 / 1000.0,
            n / per_session.max(1)
        )
        .into_bytes()
    }
}

/// A report of another kind from harvester `serial`, unique per `n` (a version report whose
/// versions change every time, so none is absorbed as a repeat).
pub fn kind_report(kind: &str, serial: i32) -> Option<Arc<dyn Fn(u64) -> Vec<u8> + Send + Sync>> {
    let pid = std::process::id();
    let head = move |n: u64, kind: &str| {
        format!(
            "\"type\":\"{kind}\",\"timestamp\":{},\"serial_number\":\"{serial:03}\",\
             \"uuid\":\"bench-{kind}-{pid}-{n}\",\"pick_session_uuid\":\"bench-ps-{kind}-{n}\"",
            1_700_000_000.0 + n as f64 / 1000.0
        )
    };
    Some(match kind {
        "version" => Arc::new(move |n| {
            let hosts: Vec<String> = (1..=6)
                .map(|r| format!("\"aft-robot0{r}\":{{\"version\":\"{n}.{r}\",\"type\":\"release\",\"project\":\"strawberry\",\"dirty\":{{}},\"unexpected\":{{}},\"error\":null}}"))
                .collect();
            format!(
                "{{{},\"data\":{{\"master\":{{\"version\":\"{n}\",\"dirty\":{{}},\"unexpected\":{{}}}},{}}}}}",
                head(n, "version_report"),
                hosts.join(",")
            )
            .into_bytes()
        }),
        "grip" => Arc::new(move |n| {
            format!(
                "{{{},\"pick_session_start_time\":{},\"data\":{{\"cand\":[{{\"cand_id\":{n},\"score\":-220.9,\"diameter\":36.8}}],\"grip\":[]}}}}",
                head(n, "gripreport"),
                1_699_999_000.0 + n as f64 / 1000.0
            )
            .into_bytes()
        }),
        "asset" => Arc::new(move |n| {
            let entries: Vec<String> = ["arm", "gantry", "gripper", "traychanger"]
                .iter()
                .flat_map(|a| (1..=2).map(move |i| (a, i)))
                .map(|(a, i)| format!("{{\"asset\":\"{a}\",\"index\":{i},\"asset-tag\":\"{a}-{serial}-{i}-{}\",\"version\":\"B01\"}}", n % 4))
                .collect();
            format!(
                "{{{},\"data\":[{}]}}",
                head(n, "asset-tags"),
                entries.join(",")
            )
            .into_bytes()
        }),
        "autodiag" => Arc::new(move |n| {
            format!(
                "{{{},\"data\":{{\"serial_no\":{},\"robot_id\":{},\"ts\":{},\"passed_autodiag\":true,\
                 \"passed_autodiag_ball_found\":true,\"min_vac\":-97.9,\"delta_fing\":0.1,\"sensors\":{{\"state_extend\":[[1.0,{{\"vac\":-98.0,\"touch\":2.0,\"finger\":1.3}}]]}}}}}}",
                head(n, "autodiagnostics"),
                2000 + n % 500,
                1 + n % 6,
                1_700_000_000.0 + n as f64 / 1000.0
            )
            .into_bytes()
        }),
        "config" => {
            // ~1 MB: per robot its defaults and overlay.
            let robot: String = (0..2200)
                .map(|i| {
                    format!(
                        "\"param_{i}\":{{\"value\":\"{}\",\"n\":{i}}}",
                        "x".repeat(200)
                    )
                })
                .collect::<Vec<_>>()
                .join(",");
            let data = format!(
                "{{\"0\":{{\"conf_default\":{{{robot}}},\"overlay_diff\":{{}}}},\"1\":{{\"conf_default\":{{{robot}}},\"overlay_diff\":{{\"speed\":\"fast\"}}}}}}"
            );
            Arc::new(move |n| format!("{{{},\"data\":{data}}}", head(n, "configs")).into_bytes())
        }
        _ => return None,
    })
}

/// The `data` object of [`error_report`].
fn report_data(serial: i32) -> Value {
    let mut sysmon = serde_json::Map::new();
    sysmon.insert("serial_number".into(), json!(format!("{serial:03}")));
    for i in 0..9 {
        let mut services = serde_json::Map::new();
        for (j, svc) in [
            "rcoop", "furrow", "logrec", "traychg", "robot", "camera", "vision", "planner",
            "gripper", "sysmon",
        ]
        .iter()
        .enumerate()
        {
            services.insert(
                format!("{svc}.{i}"),
                json!({"PID": 20000 + i * 10 + j, "cpu": 0.4772 + j as f64 / 100.0, "mem": 0.9466,
                       "state": "S", "created": 1651526837,
                       "fsm": {"ts": 1651526862.47, "state": "idle", "service": format!("{svc}.{i}"), "components": ["idle", "ready"]}}),
            );
        }
        let errors = if i == 0 {
            json!({
                "traychg.0": {"ts": 1621526841.76, "code": 0, "value": "traychgunit.1 Error: No tray detected in collection", "traceback": "Traceback (most recent call last):\n  File \"traychg.py\", line 10\nRuntimeError", "operator_err_type": "traychg"},
                "masterui.0": {"ts": 1651526861.76, "code": 0, "value": "traychgunit.1 Error", "traceback": "Traceback: masterui"},
                "harvester.0": {"ts": 1641526851.76, "code": 0, "value": "harvester error", "traceback": "Traceback: harvester"}
            })
        } else {
            json!({})
        };
        sysmon.insert(
            format!("sysmon.{i}"),
            json!({"index": i, "robot_index": i, "version": "+5763793c96", "errors": errors,
                   "chrony_info": {"last_offset": 0.000012, "rms_offset": 0.00003, "ref_time": 1651526860.1, "system_time": 0.000001},
                   "services": services}),
        );
    }
    json!({"serial_number": format!("{serial:03}"), "githash": "5763793c96", "branch_name": "main",
           "sysmon_report": Value::Object(sysmon)})
}
