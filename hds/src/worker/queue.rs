//! The Redis transport of background jobs (apalis). PostgreSQL stays the record of pending
//! work; this only delivers it quickly. One queue, `hds:jobs`, carries every [`Job`].

use std::time::Duration;

use apalis::prelude::RetryPolicy;
use apalis::prelude::{
    AbortError, Attempt, BackendExt, BoxDynError, Data, Monitor, TaskSink, WorkerBuilder,
    WorkerBuilderExt,
};
use apalis_redis::{Client, Config, ConnectionManager, RedisStorage};
use futures_util::future::BoxFuture;
use redis::aio::ConnectionManagerConfig;
use tokio::sync::Mutex;

use super::tasks::{self, WorkerCtx, MAX_ATTEMPTS};
use crate::jobs::{Job, JobSink};

pub const QUEUE: &str = "hds:jobs";
const PUSH_TIMEOUT: Duration = Duration::from_secs(2);

/// Connects with bounded timeouts so a Redis outage fails fast instead of stalling requests.
pub async fn connect(url: &str, retries: usize) -> anyhow::Result<ConnectionManager> {
    let cfg = ConnectionManagerConfig::new()
        .set_connection_timeout(Some(Duration::from_secs(1)))
        .set_response_timeout(Some(Duration::from_secs(2)))
        .set_number_of_retries(retries)
        .set_max_delay(Duration::from_secs(2));
    let client = Client::open(url)?;
    Ok(tokio::time::timeout(
        Duration::from_secs(5),
        client.get_connection_manager_with_config(cfg),
    )
    .await??)
}

fn config(queue: &str) -> Config {
    Config::default()
        .queue(queue)
        .heartbeat_interval(Duration::from_secs(5))
        .missed_heartbeats(3)
}

pub fn storage(conn: ConnectionManager) -> RedisStorage<Job> {
    RedisStorage::new(conn).with_config(config(QUEUE))
}

/// Moves due retries from the scheduled set to the active list, at most `CHUNK` per call.
const PROMOTE_DUE: &str = r#"
local ids = redis.call('zrangebyscore', KEYS[1], 0, ARGV[1], 'LIMIT', 0, ARGV[2])
if #ids > 0 then
    redis.call('rpush', KEYS[2], unpack(ids))
    redis.call('zrem', KEYS[1], unpack(ids))
    redis.call('del', KEYS[3])
    redis.call('lpush', KEYS[3], 1)
end
return #ids
"#;

/// apalis promotes every due retry in one Lua call, which fails once more than ~8,000 are due
/// together (Lua's `unpack` limit) and then fails on every poll, so the consumer never
/// recovers after a long outage. Promoting in chunks first keeps it alive. Returns how many
/// jobs were moved.
pub async fn promote_due_scheduled(
    conn: &mut ConnectionManager,
    queue: &str,
) -> anyhow::Result<usize> {
    const CHUNK: usize = 1000;
    let cfg = config(queue);
    let script = redis::Script::new(PROMOTE_DUE);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    let mut moved = 0;
    loop {
        let n: usize = script
            .key(cfg.scheduled_jobs_set())
            .key(cfg.active_jobs_list())
            .key(cfg.signal_list())
            .arg(now)
            .arg(CHUNK)
            .invoke_async(conn)
            .await?;
        moved += n;
        if n < CHUNK {
            return Ok(moved);
        }
    }
}

/// The API side: pushes jobs, (re)connecting lazily so the API starts and ingests while Redis
/// is down.
pub struct RedisSink {
    url: String,
    storage: Mutex<Option<RedisStorage<Job>>>,
}

impl RedisSink {
    pub fn new(url: &str) -> Self {
        RedisSink {
            url: url.to_string(),
            storage: Mutex::new(None),
        }
    }

    async fn storage(&self) -> anyhow::Result<RedisStorage<Job>> {
        let mut guard = self.storage.lock().await;
        if let Some(s) = guard.as_ref() {
            return Ok(s.clone());
        }
        let s = storage(connect(&self.url, 1).await?);
        *guard = Some(s.clone());
        Ok(s)
    }
}

impl JobSink for RedisSink {
    fn push(&self, job: Job) -> BoxFuture<'_, anyhow::Result<()>> {
        Box::pin(async move {
            let mut s = self.storage().await?;
            tokio::time::timeout(PUSH_TIMEOUT, s.push(job))
                .await
                .map_err(|_| anyhow::anyhow!("Redis push timed out"))?
                .map_err(|e| anyhow::anyhow!("Redis push failed: {e}"))
        })
    }
}

/// One job as apalis runs it: retried with backoff, abandoned (dead-lettered) after
/// `MAX_ATTEMPTS`; the failure reason is recorded in PostgreSQL by the task itself.
async fn handle(job: Job, ctx: Data<WorkerCtx>, attempt: Attempt) -> Result<(), BoxDynError> {
    match tasks::run(&ctx, &job).await {
        Ok(()) => Ok(()),
        Err(err) if attempt.current() >= MAX_ATTEMPTS as usize => {
            tracing::error!(?job, error = %err, "job failed permanently");
            Err(AbortError::new(err).into())
        }
        Err(err) => {
            tracing::warn!(?job, error = %err, attempt = attempt.current(), "job failed; will retry");
            Err(err.into())
        }
    }
}

/// Runs the queue consumers until `shutdown` resolves (SIGTERM): unfinished jobs are
/// released for another worker.
pub async fn consume(
    conn: ConnectionManager,
    ctx: WorkerCtx,
    concurrency: usize,
    shutdown: impl std::future::Future<Output = std::io::Result<()>> + Send + 'static,
) -> anyhow::Result<()> {
    let backend = storage(conn.clone());
    let mut promoter = conn;
    tokio::spawn(async move {
        loop {
            if let Err(err) = promote_due_scheduled(&mut promoter, QUEUE).await {
                tracing::debug!(error = %err, "promoting due retries failed; will try again");
            }
            tokio::time::sleep(Duration::from_secs(5)).await;
        }
    });
    // Unique per process and restart, so orphaned jobs of a dead worker are recovered.
    let id = format!("{}-{}", std::process::id(), uuid::Uuid::new_v4().simple());
    Monitor::new()
        .register(move |restarts| {
            WorkerBuilder::new(format!("hds-worker-{id}-{restarts}"))
                .backend(
                    backend
                        .clone()
                        .poll_with_interval(Duration::from_millis(200)),
                )
                .concurrency(concurrency)
                .retry(RetryPolicy::retries(2))
                .data(ctx.clone())
                .build(handle)
        })
        .should_restart(|_, err| {
            tracing::error!(error = %err, "job consumer stopped; restarting");
            true
        })
        .shutdown_timeout(Duration::from_secs(30))
        .run_with_signal(shutdown)
        .await
        .map_err(|e| anyhow::anyhow!("job consumer: {e}"))
}
