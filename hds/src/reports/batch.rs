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

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Once};
use std::time::Duration;

use diesel::sql_types::{BigInt, Json, Text};
use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};
use futures_util::FutureExt;
use serde_json::Value;
use tokio::sync::{mpsc, oneshot, Mutex};

use super::harvesters::HarvesterCache;
use super::read::{self, Harvester, HarvesterRef, Parsed};
use super::ReportKind;
use crate::api::sql::{cached_rows, Bind};
use crate::apps::event::link;
use crate::apps::tags;
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

/// What a writer stores into: the kind, its statements and the harvester cache.
struct Target<'a> {
    kind: &'static ReportKind,
    statements: &'a Statements,
    harvesters: &'a HarvesterCache,
}

/// A kind's statements, built once from its declaration (trusted text only: table and column
/// names come from the `ReportKind`, values are bound).
struct Statements {
    insert: String,
    ids_by_key: String,
    record_source: String,
    details: String,
    report_text: String,
    update: String,
}

impl Statements {
    fn of(kind: &ReportKind) -> Statements {
        let mut columns = vec![
            "location_id",
            "harvester_id",
            "report_time",
            "report",
            "ingest_key",
            "creator_id",
            "source_object",
        ];
        let mut values: Vec<String> = ["l", "h", "t", "j::jsonb", "k", "c", "s"]
            .iter()
            .map(|v| v.to_string())
            .collect();
        let mut arrays = vec![
            "bigint",
            "bigint",
            "timestamptz",
            "text",
            "text",
            "bigint",
            "text",
        ];
        let mut names: Vec<String> = ["l", "h", "t", "j", "k", "c", "s"]
            .iter()
            .map(|v| v.to_string())
            .collect();
        for (linked, column, name) in [
            (kind.event_tag.is_some(), "event_id", "e"),
            (kind.pick_session_tag.is_some(), "pick_session_id", "p"),
        ] {
            if linked {
                columns.push(column);
                values.push(name.into());
                arrays.push("bigint");
                names.push(name.into());
            }
        }
        for (i, c) in kind.columns.iter().enumerate() {
            columns.push(c.name);
            values.push(format!("x{i}::{}", c.sql_type));
            arrays.push("text");
            names.push(format!("x{i}"));
        }
        let unnest = arrays
            .iter()
            .enumerate()
            .map(|(i, t)| format!("${}::{t}[]", i + 1))
            .collect::<Vec<_>>()
            .join(", ");
        Statements {
            // Sorted by key so concurrent batches meet conflicting rows in the same order.
            insert: format!(
                "INSERT INTO {table} ({columns}) SELECT {values} FROM unnest({unnest}) AS i({names}) \
                 ORDER BY k ON CONFLICT (ingest_key) DO NOTHING RETURNING id, ingest_key",
                table = kind.table,
                columns = columns.join(", "),
                values = values.join(", "),
                names = names.join(", "),
            ),
            ids_by_key: format!(
                "SELECT id, ingest_key FROM {} WHERE ingest_key = ANY($1)",
                kind.table
            ),
            record_source: format!(
                "UPDATE {} SET source_object = $2 WHERE id = $1 AND source_object IS NULL RETURNING id",
                kind.table
            ),
            details: (kind.details_sql)(),
            report_text: format!("SELECT id, report::text AS text FROM {} WHERE id = $1", kind.table),
            update: update_sql(kind),
        }
    }
}

/// `$1` id, `$2` harvester, `$3` location, `$4` time, `$5` body, `$6` modifier, then the
/// event (when linked) and the columns (each a one-element text array, cast to its type).
fn update_sql(kind: &ReportKind) -> String {
    let mut sets = vec![
        "harvester_id = $2".to_string(),
        "location_id = $3".into(),
        "report_time = $4".into(),
        "report = $5::jsonb".into(),
        "modified_by_id = $6".into(),
        "last_modified = now()".into(),
    ];
    let mut n = 6;
    if kind.event_tag.is_some() {
        n += 1;
        sets.push(format!("event_id = ${n}"));
    }
    for c in kind.columns {
        n += 1;
        sets.push(format!("{} = (${n}::text[])[1]::{}", c.name, c.sql_type));
    }
    format!(
        "UPDATE {} SET {} WHERE id = $1 RETURNING id",
        kind.table,
        sets.join(", ")
    )
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

/// A stored report's id by its ingest key.
#[derive(diesel::QueryableByName)]
struct KeyedId {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    ingest_key: String,
}

/// A report of the batch on its way to the database.
struct Row<'a> {
    sub: &'a Submission,
    harvester: Harvester,
    key: String,
    event_uuid: String,
    pick_session_uuid: String,
}

/// Stores a batch in one transaction. The outer error means "nothing was stored, retry one by
/// one"; an inner error is one report's own answer (e.g. an unknown harvester).
async fn store_batch(
    conn: &mut AsyncPgConnection,
    target: &Target<'_>,
    subs: &[Submission],
) -> AppResult<Vec<AppResult<Stored>>> {
    let refs: Vec<&HarvesterRef> = subs.iter().map(|s| &s.parsed.harvester).collect();
    let harvesters = target.harvesters.resolve(conn, &refs).await?;
    let kind = target.kind;
    let mut results: Vec<Option<AppResult<Stored>>> = (0..subs.len()).map(|_| None).collect();
    let mut rows: Vec<(usize, Row)> = Vec::new();
    for (i, sub) in subs.iter().enumerate() {
        match harvesters.get(&sub.parsed.harvester) {
            None => results[i] = Some(Err(read::harvester_missing())),
            Some(&harvester) => rows.push((
                i,
                Row {
                    sub,
                    harvester,
                    key: read::ingest_key(
                        kind.key_prefix,
                        &sub.identity,
                        &sub.parsed,
                        harvester.id,
                    ),
                    event_uuid: sub.parsed.uuid.clone().unwrap_or_else(link::new_uuid),
                    pick_session_uuid: sub
                        .parsed
                        .pick_session_uuid
                        .clone()
                        .unwrap_or_else(link::new_uuid),
                },
            )),
        }
    }

    // Redeliveries answer with the stored row and create nothing (D23).
    let keys: Vec<String> = rows.iter().map(|(_, r)| r.key.clone()).collect();
    let known = ids_by_key(conn, target.statements, &keys).await?;
    let mut new_rows: Vec<&Row> = Vec::new();
    let mut first_of_key: HashMap<&str, usize> = HashMap::new();
    let mut same_as: Vec<(usize, &str)> = Vec::new();
    for (i, row) in &rows {
        if let Some(&id) = known.get(&row.key) {
            if let Some(source) = &row.sub.source {
                record_source(conn, target.statements, id, source).await?;
            }
            results[*i] = Some(Ok(replayed(id)));
        } else if first_of_key.contains_key(row.key.as_str()) {
            // The same report twice in one batch: the second is a redelivery of the first.
            same_as.push((*i, row.key.as_str()));
        } else {
            first_of_key.insert(&row.key, *i);
            new_rows.push(row);
        }
    }

    let (inserted, mut detail_of) = if new_rows.is_empty() {
        (HashMap::new(), HashMap::new())
    } else {
        let inserted = conn
            .transaction::<_, AppError, _>(async |conn| {
                let links = link_uuids(conn, kind, &new_rows).await?;
                insert_rows(conn, target, &new_rows, &links).await
            })
            .await?;
        // The answers' representations are read after the commit: the transaction (and the
        // locks on pick sessions that reports arriving together share) ends sooner.
        let created: Vec<i64> = inserted
            .values()
            .filter(|(_, created)| *created)
            .map(|(id, _)| *id)
            .collect();
        let details = details(conn, target.statements, &created).await?;
        (inserted, details)
    };
    for (key, &i) in &first_of_key {
        let &(id, created) = inserted
            .get(*key)
            .ok_or_else(|| AppError::internal("a batched report was neither stored nor found"))?;
        results[i] = Some(Ok(match created {
            true => Stored {
                id,
                created,
                detail: detail_of.remove(&id),
            },
            false => replayed(id),
        }));
    }
    for (i, key) in same_as {
        let &(id, _) = inserted
            .get(key)
            .ok_or_else(|| AppError::internal("a batched report was neither stored nor found"))?;
        results[i] = Some(Ok(replayed(id)));
    }
    Ok(results
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err(AppError::internal("a batched report got no answer"))))
        .collect())
}

fn replayed(id: i64) -> Stored {
    Stored {
        id,
        created: false,
        detail: None,
    }
}

/// The event and pick session ids of the rows, in row order (empty when the kind does not
/// link them).
struct Links {
    events: Vec<i64>,
    sessions: Vec<i64>,
}

/// Gets or creates (and tags) the rows' events and pick sessions, as the kind links them.
async fn link_uuids(
    conn: &mut AsyncPgConnection,
    kind: &ReportKind,
    rows: &[&Row<'_>],
) -> AppResult<Links> {
    let creators: Vec<i64> = rows.iter().map(|r| r.sub.creator).collect();
    let event_uuids: Vec<String> = rows.iter().map(|r| r.event_uuid.clone()).collect();
    let session_uuids: Vec<String> = rows.iter().map(|r| r.pick_session_uuid.clone()).collect();
    let (events, sessions) = match (kind.event_tag, kind.pick_session_tag) {
        (Some(e), Some(p)) => {
            link::events_and_pick_sessions(conn, (&event_uuids, &session_uuids), &creators, (e, p))
                .await?
        }
        (Some(e), None) => (
            link::events_by_uuid(conn, &event_uuids, &creators, e).await?,
            HashMap::new(),
        ),
        (None, Some(p)) => (
            HashMap::new(),
            link::pick_sessions_by_uuid(conn, &session_uuids, &creators, p).await?,
        ),
        (None, None) => (HashMap::new(), HashMap::new()),
    };

    let lookup = |m: &HashMap<String, i64>, uuid: &str| {
        m.get(uuid)
            .copied()
            .ok_or_else(|| AppError::internal(format!("{uuid}: neither found nor created")))
    };
    let mut links = Links {
        events: Vec::new(),
        sessions: Vec::new(),
    };
    for r in rows {
        if kind.event_tag.is_some() {
            links.events.push(lookup(&events, &r.event_uuid)?);
        }
        if kind.pick_session_tag.is_some() {
            links
                .sessions
                .push(lookup(&sessions, &r.pick_session_uuid)?);
        }
    }
    Ok(links)
}

/// The reports, their tags and secondary events; returns ingest key → (id, created now).
async fn insert_rows(
    conn: &mut AsyncPgConnection,
    target: &Target<'_>,
    rows: &[&Row<'_>],
    links: &Links,
) -> AppResult<HashMap<String, (i64, bool)>> {
    let kind = target.kind;
    let mut binds = vec![
        Bind::Ints(rows.iter().map(|r| r.harvester.location_id).collect()),
        Bind::Ints(rows.iter().map(|r| r.harvester.id).collect()),
        Bind::Times(rows.iter().map(|r| r.sub.parsed.report_time).collect()),
        Bind::Texts(rows.iter().map(|r| r.sub.text.to_string()).collect()),
        Bind::Texts(rows.iter().map(|r| r.key.clone()).collect()),
        Bind::Ints(rows.iter().map(|r| r.sub.creator).collect()),
        Bind::OptTexts(
            rows.iter()
                .map(|r| {
                    r.sub
                        .source
                        .as_ref()
                        .map(|s| s.chars().take(1300).collect())
                })
                .collect(),
        ),
    ];
    if kind.event_tag.is_some() {
        binds.push(Bind::Ints(links.events.clone()));
    }
    if kind.pick_session_tag.is_some() {
        binds.push(Bind::Ints(links.sessions.clone()));
    }
    for i in 0..kind.columns.len() {
        binds.push(Bind::OptTexts(
            rows.iter()
                .map(|r| r.sub.parsed.columns.get(i).cloned().flatten())
                .collect(),
        ));
    }
    let inserted: Vec<KeyedId> = cached_rows(conn, &target.statements.insert, &binds).await?;
    let mut out: HashMap<String, (i64, bool)> = inserted
        .into_iter()
        .map(|r| (r.ingest_key, (r.id, true)))
        .collect();

    // Lost races with concurrent deliveries of the same reports: answer with their rows.
    let raced: Vec<String> = rows
        .iter()
        .filter(|r| !out.contains_key(&r.key))
        .map(|r| r.key.clone())
        .collect();
    if !raced.is_empty() {
        for (key, id) in ids_by_key(conn, target.statements, &raced).await? {
            out.insert(key, (id, false));
        }
    }
    let (tag_table, tag_fk) = kind.tags;
    for (n, r) in rows.iter().enumerate() {
        let Some(&(id, true)) = out.get(&r.key) else {
            continue;
        };
        tags::add(conn, tag_table, tag_fk, id, &r.sub.parsed.tags).await?;
        if let (true, Some(&event_id)) = (kind.aux_events, links.events.get(n)) {
            link::secondary_events(conn, event_id, &r.sub.parsed.aux_uuids, Some(r.sub.creator))
                .await?;
        }
    }
    Ok(out)
}

async fn ids_by_key(
    conn: &mut AsyncPgConnection,
    statements: &Statements,
    keys: &[String],
) -> AppResult<HashMap<String, i64>> {
    if keys.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<KeyedId> =
        cached_rows(conn, &statements.ids_by_key, &[Bind::Texts(keys.to_vec())]).await?;
    Ok(rows.into_iter().map(|r| (r.ingest_key, r.id)).collect())
}

/// Remembers which S3 object a report came from (first delivery wins).
async fn record_source(
    conn: &mut AsyncPgConnection,
    statements: &Statements,
    id: i64,
    source: &str,
) -> AppResult<()> {
    #[derive(diesel::QueryableByName)]
    struct Updated {
        #[diesel(sql_type = BigInt)]
        #[allow(dead_code)]
        id: i64,
    }
    let _: Vec<Updated> = cached_rows(
        conn,
        &statements.record_source,
        &[Bind::Int(id), Bind::Text(source.to_string())],
    )
    .await?;
    Ok(())
}

/// Detail representations (without the report body) of new reports, in one query.
async fn details(
    conn: &mut AsyncPgConnection,
    statements: &Statements,
    ids: &[i64],
) -> AppResult<HashMap<i64, Value>> {
    #[derive(diesel::QueryableByName)]
    struct Detail {
        #[diesel(sql_type = BigInt)]
        id: i64,
        #[diesel(sql_type = Json)]
        data: Value,
    }
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<Detail> =
        cached_rows(conn, &statements.details, &[Bind::Ints(ids.to_vec())]).await?;
    Ok(rows.into_iter().map(|r| (r.id, r.data)).collect())
}
