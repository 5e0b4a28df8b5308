//! `hds worker`.

use std::time::Duration;

use crate::config::Config;
use crate::worker::{queue, schedule_loop, sweep_loop, WorkerCtx};

/// How often due job schedules are looked for: a job fires within this of its time.
const SCHEDULE_TICK: Duration = Duration::from_secs(2);

/// Resolves on SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}

pub async fn run(
    config: &Config,
    concurrency: usize,
    sweep_seconds: u64,
    sweep_grace_seconds: i64,
) -> anyhow::Result<()> {
    config.check_serving_key(None)?;
    let ctx = WorkerCtx::from_config(config)?;
    if !ctx.slack.enabled() {
        tracing::info!("SLACK_TOKEN not set: Slack messages are logged and counted, not sent");
    }
    let every = Duration::from_secs(sweep_seconds.max(1));
    match queue::connect(&config.redis_url, 6).await {
        Ok(conn) => {
            tracing::info!(
                concurrency,
                sweep_seconds,
                queue = queue::QUEUE,
                "HDS worker started"
            );
            // The queue delivers new work; the sweep only takes what it lost (older than the grace).
            let scheduler =
                tokio::spawn(schedule_loop(ctx.clone(), SCHEDULE_TICK, shutdown_signal()));
            let sweeper = tokio::spawn(sweep_loop(
                ctx.clone(),
                every,
                chrono::Duration::seconds(sweep_grace_seconds.max(0)),
                shutdown_signal(),
            ));
            let signal = async {
                shutdown_signal().await;
                Ok(())
            };
            queue::consume(conn, ctx, concurrency, signal).await?;
            let _ = sweeper.await;
            let _ = scheduler.await;
        }
        Err(err) => {
            // Without Redis the sweep takes everything pending; supervisord restarts us later
            // only if we exit, so keep working from PostgreSQL instead.
            tracing::warn!(error = %err, "Redis unreachable: running from PostgreSQL alone");
            let scheduler =
                tokio::spawn(schedule_loop(ctx.clone(), SCHEDULE_TICK, shutdown_signal()));
            sweep_loop(ctx, every, chrono::Duration::zero(), shutdown_signal()).await;
            let _ = scheduler.await;
        }
    }
    tracing::info!("HDS worker stopped");
    Ok(())
}
