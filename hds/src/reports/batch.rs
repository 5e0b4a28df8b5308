//! Write-combining for report ingestion: reports of a kind that arrive together are stored
//! together.
//!
//! A request parses and checks its report, then hands it to its kind's small pool of writer
//! tasks. A writer takes every report waiting (up to [`MAX_BATCH`]) and stores them in one
//! transaction with a fixed number of array-bound statements: harvesters, replays, events,
//! pick sessions, reports, then their detail representations. Per report that replaces ~10
//! statements, a pool checkout and a commit. Under light load a batch is one report, so
//! latency is unchanged.
//!
//! A batch that fails as a whole (a report PostgreSQL refuses, a deadlock) is rolled back and
//! stored again report by report, each as a batch of one, so one bad report fails alone.

use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Once};
use std::time::Duration;

use diesel::sql_types::BigInt;
use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};
use futures_util::FutureExt;
use serde_json::Value;
use tokio::sync::{mpsc, oneshot, Mutex};

use super::harvesters::HarvesterCache;
use super::read::{Harvester, Parsed};
use super::statements::Statements;
use super::store::{details, store_batch, Target};
use super::ReportKind;
use crate::api::sql::{cached_rows, Bind};
use crate::config::Config;
use crate::db::DbPool;
use crate::error::{AppError, AppResult};

/// Reports stored by one transaction at most.
const MAX_BATCH: usize = 64;
/// Reports waiting for a writer before submitters wait for room.
const QUEUE: usize = 1024;
/// How long a request waits for its report to be committed.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(60);

/// A report handed to the writers.
pub struct Submission {
    /// [`read::identity`] of the body (which the request keeps: it is freed where it was
    /// allocated, and the writers need only its text).
    pub identity: String,
    /// `body` as stored: the text it arrived as.
    pub text: Arc<str>,
    pub parsed: Parsed,
    pub creator: i64,
    /// The S3 object the report was read from, if a forwarder sent it.
    pub source: Option<String>,
}

/// What became of a submitted report.
#[derive(Debug)]
pub struct Stored {
    pub id: i64,
    /// False when the report had been ingested before (a redelivery).
    pub created: bool,
    /// For a new report: its detail representation with `report` still null.
    pub detail: Option<Value>,
}

type Reply = oneshot::Sender<AppResult<Stored>>;

/// The API's handle to one kind's writers. Cheap to clone; writers start with the first report.
#[derive(Clone)]
pub struct ReportWriter {
    kind: &'static ReportKind,
    statements: Arc<Statements>,
    database_url: Arc<str>,
    statement_timeout_ms: u64,
    /// Writer tasks: one fills a batch while others wait for the database.
    writers: usize,
    pool: DbPool,
    tx: mpsc::Sender<(Submission, Reply)>,
    rx: Arc<Mutex<mpsc::Receiver<(Submission, Reply)>>>,
    started: Arc<Once>,
    harvesters: Arc<HarvesterCache>,
}

impl ReportWriter {
    pub fn new(
        kind: &'static ReportKind,
        config: &Config,
        pool: DbPool,
        harvesters: Arc<HarvesterCache>,
    ) -> Self {
        let (tx, rx) = mpsc::channel(QUEUE);
        ReportWriter {
            kind,
            statements: Arc::new(Statements::of(kind)),
            database_url: config.database_url.as_str().into(),
            statement_timeout_ms: config.db_statement_timeout_ms,
            writers: config.ingest_writers,
            pool,
            tx,
            rx: Arc::new(Mutex::new(rx)),
            started: Arc::new(Once::new()),
            harvesters,
        }
    }

    pub fn kind(&self) -> &'static ReportKind {
        self.kind
    }

    /// A stored report's detail (with `report` null) and its body as text.
    pub async fn stored(
        &self,
        conn: &mut AsyncPgConnection,
        id: i64,
    ) -> AppResult<(Value, String)> {
        #[derive(diesel::QueryableByName)]
        struct Text {
            #[diesel(sql_type = BigInt)]
            #[allow(dead_code)]
            id: i64,
            #[diesel(sql_type = diesel::sql_types::Text)]
            text: String,
        }
        let mut texts: Vec<Text> =
            cached_rows(conn, &self.statements.report_text, &[Bind::Int(id)]).await?;
        let text = texts
            .pop()
            .ok_or_else(|| AppError::not_found(self.kind.model))?
            .text;
        let detail = details(conn, &self.statements, &[id])
            .await?
            .remove(&id)
            .ok_or_else(|| AppError::not_found(self.kind.model))?;
        Ok((detail, text))
    }

    /// Rewrites a stored report from a corrected body; false when there is no such report.
    #[allow(clippy::too_many_arguments)]
    pub async fn update(
        &self,
        conn: &mut AsyncPgConnection,
        id: i64,
        modifier: i64,
        parsed: &Parsed,
        harvester: Harvester,
        text: &str,
        event_id: Option<i64>,
    ) -> AppResult<bool> {
        #[derive(diesel::QueryableByName)]
        struct Updated {
            #[diesel(sql_type = BigInt)]
            #[allow(dead_code)]
            id: i64,
        }
        let mut binds = vec![
            Bind::Int(id),
            Bind::Int(harvester.id),
            Bind::Int(harvester.location_id),
            Bind::Time(parsed.report_time),
            Bind::Text(text.to_string()),
            Bind::Int(modifier),
        ];
        if let Some(event_id) = event_id {
            binds.push(Bind::Int(event_id));
        }
        for value in &parsed.columns {
            binds.push(Bind::OptTexts(vec![value.clone()]));
        }
        let rows: Vec<Updated> = cached_rows(conn, &self.statements.update, &binds).await?;
        Ok(!rows.is_empty())
    }

    /// Stores one report (with whatever else is waiting) and answers when it is committed.
    pub async fn submit(&self, submission: Submission) -> AppResult<Stored> {
        self.started.call_once(|| self.start());
        let (reply, answer) = oneshot::channel();
        self.tx
            .send((submission, reply))
            .await
            .map_err(|_| AppError::internal("report writers stopped"))?;
        // Bounded so a stuck writer cannot hold requests forever; a report committed after
        // this answer is found again (idempotently) when the sender retries.
        tokio::time::timeout(ANSWER_TIMEOUT, answer)
            .await
            .map_err(|_| AppError::Unavailable("the report writers did not answer in time".into()))?
            .map_err(|_| AppError::internal("report writer dropped a report"))?
    }

    /// The writers run on their own thread and runtime, so they outlive any one HTTP worker
    /// and end when the last handle (and with it the channel) is dropped.
    fn start(&self) {
        let (pool, rx, cache) = (self.pool.clone(), self.rx.clone(), self.harvesters.clone());
        let writers = self.writers;
        let (kind, statements) = (self.kind, self.statements.clone());
        let connect = Connect {
            url: self.database_url.clone(),
            statement_timeout_ms: self.statement_timeout_ms,
        };
        let spawned = std::thread::Builder::new()
            .name(format!("hds-{}-writer", kind.name))
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(runtime) => runtime,
                    Err(err) => {
                        tracing::error!(error = %err, "report writers could not start");
                        return;
                    }
                };
                let target = Target {
                    kind,
                    statements: &statements,
                    harvesters: &cache,
                };
                let writers =
                    (0..writers).map(|_| write_loop(&connect, &pool, &target, rx.clone()));
                runtime.block_on(futures_util::future::join_all(writers));
            });
        if let Err(err) = spawned {
            tracing::error!(error = %err, "report writer thread could not start");
        }
    }
}

/// The writers of every report kind, sharing one harvester cache.
#[derive(Clone)]
pub struct ReportWriters {
    writers: Vec<ReportWriter>,
}

impl ReportWriters {
    pub fn new(config: &Config, pool: &DbPool) -> Self {
        let harvesters = Arc::new(HarvesterCache::default());
        let writers = super::kinds()
            .into_iter()
            .map(|kind| ReportWriter::new(kind, config, pool.clone(), harvesters.clone()))
            .collect();
        ReportWriters { writers }
    }

    /// The writers of `kind` (every declared kind has them).
    pub fn of(&self, kind: &ReportKind) -> AppResult<&ReportWriter> {
        self.writers
            .iter()
            .find(|w| w.kind.name == kind.name)
            .ok_or_else(|| AppError::internal(format!("no writers for {}", kind.name)))
    }
}

/// How a writer opens its own connection.
#[derive(Clone)]
struct Connect {
    url: Arc<str>,
    statement_timeout_ms: u64,
}

impl Connect {
    /// A connection of the writer's own (not the pool's): its statements always use generic
    /// plans. Array parameters would otherwise make PostgreSQL re-plan them on every call (a
    /// custom plan always looks cheaper than the generic one), and the generic plans are as
    /// good; the pool's connections keep custom plans for the list filters.
    async fn open(&self) -> AppResult<AsyncPgConnection> {
        let mut conn = AsyncPgConnection::establish(&self.url)
            .await
            .map_err(|e| AppError::Unavailable(format!("database unavailable: {e}")))?;
        conn.batch_execute(&format!(
            "SET statement_timeout = {}; SET plan_cache_mode = force_generic_plan",
            self.statement_timeout_ms
        ))
        .await?;
        Ok(conn)
    }
}

async fn write_loop(
    connect: &Connect,
    pool: &DbPool,
    target: &Target<'_>,
    rx: Arc<Mutex<mpsc::Receiver<(Submission, Reply)>>>,
) {
    let mut conn: Option<AsyncPgConnection> = None;
    loop {
        let batch = {
            let mut rx = rx.lock().await;
            let Some(first) = rx.recv().await else { return };
            let mut batch = vec![first];
            while batch.len() < MAX_BATCH {
                match rx.try_recv() {
                    Ok(next) => batch.push(next),
                    Err(_) => break,
                }
            }
            batch
        };
        let c = match conn.as_mut() {
            Some(c) => c,
            None => match connect.open().await {
                Ok(c) => conn.insert(c),
                Err(err) => {
                    let message = err.to_string();
                    for (_, reply) in batch {
                        let _ = reply.send(Err(AppError::Unavailable(message.clone())));
                    }
                    continue;
                }
            },
        };
        // A panic drops this batch's replies (their requests answer 500), not the writer.
        let healthy = AssertUnwindSafe(write(c, pool, target, batch))
            .catch_unwind()
            .await
            .unwrap_or_else(|_| {
                tracing::error!("report writer panicked; its batch was answered with errors");
                false
            });
        if !healthy {
            // The connection may be what failed: the next batch starts on a fresh one.
            conn = None;
            target.harvesters.clear();
        }
    }
}

/// Stores a batch and answers its requests. False when the batch failed as a whole.
async fn write(
    conn: &mut AsyncPgConnection,
    pool: &DbPool,
    target: &Target<'_>,
    batch: Vec<(Submission, Reply)>,
) -> bool {
    let (subs, replies): (Vec<_>, Vec<_>) = batch.into_iter().unzip();
    crate::metrics::METRICS
        .ingest_batch_size
        .observe(subs.len() as f64);
    match store_batch(conn, target, &subs).await {
        Ok(results) => {
            for (reply, result) in replies.into_iter().zip(results) {
                let _ = reply.send(result);
            }
            true
        }
        Err(err) => {
            tracing::warn!(error = %err, reports = subs.len(), "batched ingest failed; storing the reports one by one");
            // On a pool connection: the writer's own may be the one that failed.
            match pool.get().await {
                Ok(mut conn) => {
                    for (sub, reply) in subs.iter().zip(replies) {
                        let alone = store_batch(&mut conn, target, std::slice::from_ref(sub)).await;
                        let _ = reply.send(alone.and_then(|mut r| {
                            r.pop().unwrap_or_else(|| {
                                Err(AppError::internal("a report got no answer"))
                            })
                        }));
                    }
                }
                Err(err) => {
                    let message = AppError::from(err).to_string();
                    for reply in replies {
                        let _ = reply.send(Err(AppError::Unavailable(message.clone())));
                    }
                }
            }
            false
        }
    }
}
