//! `hds worker`.

use std::time::Duration;

use crate::config::Config;
use crate::worker::{sweep_loop, WorkerCtx};

/// Resolves on SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}

pub async fn run(config: &Config, concurrency: usize, sweep_seconds: u64) -> anyhow::Result<()> {
    let ctx = WorkerCtx::from_config(config)?;
    if !ctx.slack.enabled() {
        tracing::info!("SLACK_TOKEN not set: Slack messages are logged and counted, not sent");
    }
    tracing::info!(concurrency, sweep_seconds, "HDS worker started");
    // Without a queue the sweep takes everything pending at once.
    sweep_loop(
        ctx,
        Duration::from_secs(sweep_seconds.max(1)),
        chrono::Duration::zero(),
        shutdown_signal(),
    )
    .await;
    tracing::info!("HDS worker stopped");
    Ok(())
}
