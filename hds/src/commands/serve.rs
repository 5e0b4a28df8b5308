//! `hds runserver`.

use std::net::SocketAddr;
use std::time::Duration;

use actix_web::HttpServer;

use crate::api::state::AppState;
use crate::config::Config;

pub async fn run(mut config: Config, port: Option<u16>) -> anyhow::Result<()> {
    if let Some(p) = port {
        config.port = p;
    }
    config.check_serving_key(Some(&config.bind))?;
    if !config.is_production() {
        crate::db::ensure_database(&config.database_url).await?;
        for v in crate::db::migrate(&config.database_url).await? {
            tracing::info!(migration = %v, "applied migration");
        }
    }
    let pool = crate::db::build_pool(&config, &config.database_url)?;
    // Revocations made anywhere reach this server's authentication cache as they commit.
    tokio::spawn(crate::auth::revocations::listen(
        config.database_url.clone(),
    ));
    let addr = (config.bind.clone(), config.port);
    let sink = std::sync::Arc::new(crate::worker::queue::RedisSink::new(&config.redis_url));
    let state = AppState::new(config, pool).with_jobs(crate::jobs::Jobs::with_sink(sink));
    let (server, addrs) = server(state, addr)?;
    tracing::info!(?addrs, "HDS API listening");
    server.await?;
    tracing::info!("HDS API stopped");
    Ok(())
}

/// The API's HTTP server bound to `addr`, with the limits on how long clients may take
/// (docs/api-design.md#request-bodies): its headers within `HDS_HEADER_TIMEOUT_SECS` (else
/// actix answers 408 and closes), an idle keep-alive connection closed after 5 s, a closing
/// connection dropped after 1 s. The body deadline, the whole-request deadline and the
/// per-client limit are middleware of the app (`api::app`).
pub fn server(
    state: AppState,
    addr: (String, u16),
) -> anyhow::Result<(actix_web::dev::Server, Vec<SocketAddr>)> {
    let config = state.config.clone();
    // actix handles SIGTERM/SIGINT: stop accepting, finish in-flight requests (30 s).
    let server = HttpServer::new(move || crate::api::app(state.clone()))
        .workers(config.workers.max(1))
        .client_request_timeout(Duration::from_secs(config.header_timeout_secs))
        .client_disconnect_timeout(Duration::from_secs(1))
        .keep_alive(Duration::from_secs(5))
        .shutdown_timeout(30)
        .bind(addr)?;
    let addrs = server.addrs();
    Ok((server.run(), addrs))
}
