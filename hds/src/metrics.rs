//! Prometheus metrics of the API process, served at `/metrics`.

use std::sync::LazyLock;

use prometheus::{
    Encoder, Histogram, HistogramOpts, HistogramVec, IntCounterVec, IntGaugeVec, Opts, Registry,
    TextEncoder,
};

pub struct Metrics {
    pub registry: Registry,
    pub requests: IntCounterVec,
    pub latency: HistogramVec,
    pub errors: IntCounterVec,
    /// 5xx answers by route basename (docs/api-design.md#metrics).
    pub server_errors: IntCounterVec,
    /// Requests that ended without an answer, by reason; see also `deadline` for answers cut
    /// short by the whole-request deadline.
    pub unanswered: IntCounterVec,
    pub db_pool: IntGaugeVec,
    pub ingest_batch_size: Histogram,
}

fn build() -> Metrics {
    let registry = Registry::new();
    let requests = IntCounterVec::new(
        Opts::new(
            "hds_http_requests_total",
            "HTTP requests by matched route, method and status",
        ),
        &["route", "method", "status"],
    )
    .expect("metric");
    let latency = HistogramVec::new(
        HistogramOpts::new("hds_http_request_duration_seconds", "HTTP request latency").buckets(
            vec![
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
            ],
        ),
        &["route", "method"],
    )
    .expect("metric");
    let errors = IntCounterVec::new(
        Opts::new(
            "hds_total_error",
            "API errors by exception class and resource basename",
        ),
        &["exception", "basename"],
    )
    .expect("metric");
    let server_errors = IntCounterVec::new(
        Opts::new(
            "hds_http_server_errors_total",
            "5xx answers by route basename (none: outside the route table)",
        ),
        &["basename"],
    )
    .expect("metric");
    let unanswered = IntCounterVec::new(
        Opts::new(
            "hds_http_requests_unanswered_total",
            "Requests that ended without their answer: client_gone (the client closed the \
             connection mid-body), panic (a handler panicked), dropped (dropped unanswered, \
             e.g. at shutdown), deadline (no answer within HDS_REQUEST_TIMEOUT_SECS, 503 sent \
             instead), body_deadline (body not received in time, 408)",
        ),
        &["reason"],
    )
    .expect("metric");
    // Every reason from the start, so a dashboard reads 0 rather than nothing.
    for reason in [
        "client_gone",
        "panic",
        "dropped",
        "deadline",
        "body_deadline",
    ] {
        unanswered.with_label_values(&[reason]);
    }
    let db_pool = IntGaugeVec::new(
        Opts::new(
            "hds_db_pool_connections",
            "Database pool connections by state",
        ),
        &["state"],
    )
    .expect("metric");
    let ingest_batch_size = Histogram::with_opts(
        HistogramOpts::new(
            "hds_ingest_batch_reports",
            "Error reports stored per write transaction",
        )
        .buckets(vec![1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0]),
    )
    .expect("metric");
    for c in [
        Box::new(requests.clone()) as Box<dyn prometheus::core::Collector>,
        Box::new(ingest_batch_size.clone()),
        Box::new(latency.clone()),
        Box::new(errors.clone()),
        Box::new(server_errors.clone()),
        Box::new(unanswered.clone()),
        Box::new(db_pool.clone()),
    ] {
        registry.register(c).expect("register metric");
    }
    Metrics {
        registry,
        requests,
        latency,
        errors,
        server_errors,
        unanswered,
        db_pool,
        ingest_batch_size,
    }
}

pub static METRICS: LazyLock<Metrics> = LazyLock::new(build);

/// Text exposition of every metric, with the pool gauges refreshed first.
pub fn render(pool: &crate::db::DbPool) -> String {
    let status = pool.status();
    let m = &*METRICS;
    let in_use = status.size.saturating_sub(status.available);
    m.db_pool.with_label_values(&["in_use"]).set(in_use as i64);
    m.db_pool
        .with_label_values(&["idle"])
        .set(status.available as i64);
    m.db_pool
        .with_label_values(&["max"])
        .set(status.max_size as i64);
    m.db_pool
        .with_label_values(&["waiting"])
        .set(status.waiting as i64);
    let mut buf = Vec::new();
    TextEncoder::new()
        .encode(&m.registry.gather(), &mut buf)
        .expect("text encoding");
    String::from_utf8(buf).expect("prometheus text is utf-8")
}

static ASYNC_ERRORS: LazyLock<IntCounterVec> = LazyLock::new(|| {
    let c = IntCounterVec::new(
        Opts::new(
            "hds_async_error",
            "Background task failures by task, exception and description",
        ),
        &["task", "exception", "desc"],
    )
    .expect("metric");
    METRICS
        .registry
        .register(Box::new(c.clone()))
        .expect("register metric");
    c
});

/// Counts a background failure (`hds_async_error{task, exception, desc}`).
pub fn async_error(task: &str, exception: &str, desc: &str) {
    ASYNC_ERRORS
        .with_label_values(&[task, exception, desc])
        .inc();
}

static TASKS: LazyLock<(IntCounterVec, HistogramVec)> = LazyLock::new(|| {
    let count = IntCounterVec::new(
        Opts::new(
            "hds_async_task_exec_counter",
            "Background task executions by task and outcome",
        ),
        &["task", "outcome"],
    )
    .expect("metric");
    let timer = HistogramVec::new(
        HistogramOpts::new("hds_async_task_timer", "Background task duration (seconds)"),
        &["task"],
    )
    .expect("metric");
    METRICS
        .registry
        .register(Box::new(count.clone()))
        .expect("register metric");
    METRICS
        .registry
        .register(Box::new(timer.clone()))
        .expect("register metric");
    (count, timer)
});

/// Counts and times a finished background task.
pub fn task_done(task: &str, seconds: f64, ok: bool) {
    TASKS
        .0
        .with_label_values(&[task, if ok { "ok" } else { "error" }])
        .inc();
    TASKS.1.with_label_values(&[task]).observe(seconds);
}

static ASYNC_UPLOAD: LazyLock<IntCounterVec> = LazyLock::new(|| {
    let c = IntCounterVec::new(
        Opts::new("hds_async_upload", "Uploaded kilobytes by file type"),
        &["filetype"],
    )
    .expect("metric");
    METRICS
        .registry
        .register(Box::new(c.clone()))
        .expect("register metric");
    c
});

/// Counts an upload's kilobytes (`hds_async_upload{filetype}`).
pub fn async_upload(filetype: &str, bytes: u64) {
    ASYNC_UPLOAD
        .with_label_values(&[filetype])
        .inc_by(bytes / 1024);
}
