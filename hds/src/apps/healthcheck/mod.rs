//! `GET /api/v1/healthcheck/` (docs/api-design.md#health-check with docs/compatibility.md#d20): the
//! load balancer's probe. Host and
//! database details are shown to authenticated staff only.

use actix_web::{web, HttpResponse};
use diesel_async::RunQueryDsl;
use serde_json::json;

use crate::api::envelope::Ctx;
use crate::api::state::AppState;
use crate::db::{database_name, redact};

pub async fn check(ctx: Ctx, state: web::Data<AppState>) -> HttpResponse {
    let db_ok = match state.pool.get().await {
        Ok(mut conn) => diesel::sql_query("SELECT 1")
            .execute(&mut conn)
            .await
            .is_ok(),
        Err(_) => false,
    };
    let mut body = json!({
        "status": "online",
        "debug": !state.config.is_production(),
        "database": if db_ok { "ok" } else { "unavailable" },
    });
    let staff = ctx
        .caller
        .as_ref()
        .is_some_and(|c| c.is_staff || c.is_superuser);
    if staff {
        body["host"] = host_info();
        let url = &state.config.database_url;
        let host = url
            .split('@')
            .nth(1)
            .or_else(|| url.split("://").nth(1))
            .and_then(|s| s.split('/').next())
            .unwrap_or("");
        let (host, port) = host.split_once(':').unwrap_or((host, "5432"));
        body["dbs"] = json!([{
            "label": "default", "name": database_name(url), "engine": "postgresql",
            "host": host, "port": port, "url": redact(url),
        }]);
        let status = state.pool.status();
        body["pool"] = json!({ "size": status.size, "available": status.available, "max_size": status.max_size });
    }
    let code = if db_ok { 200 } else { 503 };
    HttpResponse::build(actix_web::http::StatusCode::from_u16(code).expect("valid status"))
        .json(body)
}

fn host_info() -> serde_json::Value {
    let read = |p: &str| std::fs::read_to_string(p).unwrap_or_default();
    let hostname = read("/proc/sys/kernel/hostname").trim().to_string();
    let uptime_secs = read("/proc/uptime")
        .split_whitespace()
        .next()
        .and_then(|s| s.parse::<f64>().ok())
        .unwrap_or(0.0) as u64;
    let meminfo = read("/proc/meminfo");
    let kb = |key: &str| -> u64 {
        meminfo
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    let (total, available) = (kb("MemTotal:"), kb("MemAvailable:"));
    json!({
        "hostname": hostname,
        "cpus": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        "uptime": format!("{} minutes", uptime_secs / 60),
        "memory": {
            "total": format!("{} MiB", total / 1024),
            "available": format!("{} MiB", available / 1024),
            "used": format!("{} MiB", total.saturating_sub(available) / 1024),
            "percent": if total > 0 { (total - available) as f64 * 100.0 / total as f64 } else { 0.0 },
        },
    })
}
