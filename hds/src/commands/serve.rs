//! `hds runserver`.

use actix_web::HttpServer;

use crate::api::state::AppState;
use crate::config::Config;

pub async fn run(mut config: Config, port: Option<u16>) -> anyhow::Result<()> {
    if let Some(p) = port {
        config.port = p;
    }
    if !config.is_production() {
        crate::db::ensure_database(&config.database_url).await?;
        for v in crate::db::migrate(&config.database_url).await? {
            tracing::info!(migration = %v, "applied migration");
        }
    }
    let pool = crate::db::build_pool(&config, &config.database_url)?;
    let addr = (config.bind.clone(), config.port);
    let workers = config.workers.max(1);
    let sink = std::sync::Arc::new(crate::worker::queue::RedisSink::new(&config.redis_url));
    let state = AppState::new(config, pool).with_jobs(crate::jobs::Jobs::with_sink(sink));
    tracing::info!(bind = %addr.0, port = addr.1, workers, "HDS API listening");
    // actix handles SIGTERM/SIGINT: stop accepting, finish in-flight requests (30 s).
    HttpServer::new(move || crate::api::app(state.clone()))
        .workers(workers)
        .shutdown_timeout(30)
        .bind(addr)?
        .run()
        .await?;
    tracing::info!("HDS API stopped");
    Ok(())
}
