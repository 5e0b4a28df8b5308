//! `hds worker`: runs background jobs (exception extraction and the Slack messages that follow
//! it, code-manifest upserts) and a periodic sweep that re-runs work the queue lost.

pub mod messages;
pub mod queue;
pub mod tasks;

use std::time::Duration;

pub use tasks::WorkerCtx;

use crate::config::Config;

impl WorkerCtx {
    pub fn from_config(config: &Config) -> anyhow::Result<Self> {
        Ok(WorkerCtx {
            pool: crate::db::build_pool(config, &config.database_url)?,
            slack: crate::slack::Slack::new(config.slack_token.clone(), &config.slack_api_url),
            frontend_url: config.frontend_url.clone(),
            job_server: crate::apps::harvjobs::dispatch::JobServer::new(
                &config.job_server_address,
            )?,
            database_url: config.database_url.clone(),
            logs: crate::apps::logparser::extract::LogsCtx::from_config(config),
        })
    }
}

/// Fires due job schedules every `every` until `shutdown` resolves, sending the jobs they
/// create at once (docs/api-design.md#jobs).
pub async fn schedule_loop(
    ctx: WorkerCtx,
    every: Duration,
    shutdown: impl std::future::Future<Output = ()>,
) {
    tokio::pin!(shutdown);
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            _ = tick.tick() => {
                match tasks::fire_schedules(&ctx).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(jobs = n, "schedules fired"),
                    Err(err) => tracing::warn!(error = %err, "firing schedules failed; retrying next tick"),
                }
            }
        }
    }
}

/// Sweeps until `shutdown` resolves. `grace` is how old pending work must be before the sweep
/// takes it (the queue normally gets there first).
pub async fn sweep_loop(
    ctx: WorkerCtx,
    every: Duration,
    grace: chrono::Duration,
    shutdown: impl std::future::Future<Output = ()>,
) {
    tokio::pin!(shutdown);
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            _ = tick.tick() => {
                match tasks::sweep(&ctx, grace).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(jobs = n, "sweep ran pending work"),
                    Err(err) => tracing::warn!(error = %err, "sweep failed; retrying next tick"),
                }
            }
        }
    }
}
