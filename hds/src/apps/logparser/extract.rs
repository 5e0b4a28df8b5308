//! The worker's half of a log session (contract §4.15's `perform_extraction`,
//! docs/api-design.md#log-sessions): the uploaded zip is copied from S3 to a temporary
//! directory; its `.avi` + `.json` pairs become MP4 videos (ffmpeg, a subprocess with a
//! timeout) stored as S3 files with their metadata; its `.log` and `.dump` members become log
//! files whose entries stream into `log_entries` with COPY; the zip itself is recorded as the
//! session's clip. Progress is on the session row.
//!
//! Durable like the other jobs: the session row is the record (status, attempts, lease), the
//! queue only starts it sooner, the sweep takes sessions left pending or whose lease ran out.
//! A run starts by removing what an earlier, interrupted run wrote (log files and their entries,
//! videos and their S3 file rows), so running twice stores everything once. The temporary
//! directory is removed however the run ends (`tempfile`).

use std::io::Read;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use diesel_async::{AsyncConnection, AsyncPgConnection};

use super::load::load_logs;
use super::videos::{video, Video};
use super::{names, zipcheck, DONE, EXTRACTING, FAILED, PENDING};
use crate::api::sql::{first_id, json_rows, Bind};
use crate::error::{AppError, AppResult};
use crate::storage::Storage;

/// Attempts before a session that keeps failing for passing reasons is marked failed.
pub const MAX_ATTEMPTS: i32 = 3;
/// How long a run holds its session before another worker may take it over.
const LEASE: &str = "2 hours";
/// The Slack channel of extraction results (§4.15).
pub const CHANNEL: &str = "hds-notifications";

/// What the worker needs for log sessions.
#[derive(Clone)]
pub struct LogsCtx {
    pub storage: Arc<Storage>,
    /// COPY runs on a connection of its own (the pool's connections cannot stream it).
    pub database_url: String,
    pub ffmpeg: String,
    pub ffmpeg_timeout: Duration,
    pub limits: zipcheck::Limits,
}

impl LogsCtx {
    pub fn from_config(config: &crate::config::Config) -> LogsCtx {
        LogsCtx {
            storage: Arc::new(Storage::new(config.clone())),
            database_url: config.database_url.clone(),
            ffmpeg: config.ffmpeg.clone(),
            ffmpeg_timeout: Duration::from_secs(config.ffmpeg_timeout_secs),
            limits: zipcheck::Limits {
                max_entries: config.zip_max_entries,
                max_total: config.zip_max_total,
                max_ratio: config.zip_max_ratio,
            },
        }
    }
}

/// The members extraction reads, by index in the zip.
#[derive(Debug, Default)]
pub struct Plan {
    pub logs: Vec<usize>,
    /// `(avi, json)` pairs of the same name.
    pub videos: Vec<(usize, usize)>,
}

impl Plan {
    pub fn total(&self) -> usize {
        self.logs.len() + self.videos.len()
    }
}

fn plan_names<'a>(names_in_order: impl Iterator<Item = &'a str>) -> Plan {
    let mut plan = Plan::default();
    let mut avis: Vec<(usize, String)> = Vec::new();
    let mut jsons: std::collections::HashMap<String, usize> = Default::default();
    for (i, n) in names_in_order.enumerate() {
        if n.ends_with('/') {
            continue;
        }
        let without_ext = n.rsplit_once('.').map(|(s, _)| s).unwrap_or(n).to_string();
        match names::extension(n).as_str() {
            "log" | "dump" => plan.logs.push(i),
            "avi" => avis.push((i, without_ext)),
            "json" => {
                jsons.entry(without_ext).or_insert(i);
            }
            _ => {}
        }
    }
    for (i, stem) in avis {
        if let Some(j) = jsons.get(&stem) {
            plan.videos.push((i, *j));
        }
    }
    plan
}

/// The plan of a checked zip (the API counts the session's steps with it).
pub fn plan(members: &[zipcheck::Member]) -> Plan {
    plan_names(members.iter().map(|m| m.name.as_str()))
}

/// Why a run failed, and whether trying again could help.
#[derive(Debug)]
pub struct Failure {
    pub reason: String,
    pub permanent: bool,
}

impl Failure {
    pub(super) fn permanent(reason: impl Into<String>) -> Failure {
        Failure {
            reason: reason.into(),
            permanent: true,
        }
    }
    pub(super) fn passing(reason: impl std::fmt::Display) -> Failure {
        Failure {
            reason: reason.to_string(),
            permanent: false,
        }
    }
}

impl From<AppError> for Failure {
    fn from(e: AppError) -> Self {
        Failure::passing(e)
    }
}
impl From<tokio_postgres::Error> for Failure {
    fn from(e: tokio_postgres::Error) -> Self {
        Failure::passing(format!("database: {e}"))
    }
}
impl From<crate::db::PoolError> for Failure {
    fn from(e: crate::db::PoolError) -> Self {
        Failure::passing(format!("database: {e}"))
    }
}
impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Failure::passing(format!("temporary files: {e}"))
    }
}

/// The claimed session.
#[derive(serde::Deserialize)]
pub(super) struct Claimed {
    pub(super) name: String,
    pub(super) upload_bucket: String,
    pub(super) upload_key: String,
    pub(super) uuid: String,
    pub(super) creator_id: Option<i64>,
    pub(super) date_epoch: Option<f64>,
    pub(super) attempts: i32,
}

/// Extracts session `id` if it is pending (or its lease ran out); Ok when there is nothing to
/// do. A failure is recorded on the session (and retried by the sweep unless it is permanent
/// or the attempts are spent), then returned.
pub async fn run(
    pool: &crate::db::DbPool,
    slack: &crate::slack::Slack,
    frontend_url: &str,
    ctx: &LogsCtx,
    id: i64,
) -> AppResult<()> {
    let mut conn = pool.get().await?;
    let rows = json_rows(
        &mut conn,
        format!(
            "UPDATE log_sessions SET status = '{EXTRACTING}', attempts = attempts + 1, \
             lease_until = now() + interval '{LEASE}', progress_done = 0, failure_reason = NULL \
             WHERE id = $1 AND (status = '{PENDING}' OR (status = '{EXTRACTING}' AND lease_until < now())) \
             RETURNING json_build_object('name', name, 'upload_bucket', upload_bucket, 'upload_key', upload_key, \
               'uuid', uuid, 'creator_id', creator_id, 'date_epoch', extract(epoch FROM date_time), \
               'attempts', attempts) AS data"
        ),
        &[Bind::Int(id)],
    )
    .await?;
    drop(conn);
    let Some(row) = rows.into_iter().next() else {
        return Ok(());
    };
    let claimed: Claimed = serde_json::from_value(row).map_err(AppError::internal)?;
    let outcome = extract(pool, ctx, id, &claimed).await;
    let mut conn = pool.get().await?;
    let text = match &outcome {
        Ok(summary) => Some(format!(
            "Log session {} extracted: {summary}. {}/logfiles/{id}/",
            claimed.name,
            frontend_url.trim_end_matches('/')
        )),
        Err(f) => {
            let last = f.permanent || claimed.attempts >= MAX_ATTEMPTS;
            crate::metrics::async_error("perform_extraction", "ExtractionError", &f.reason);
            json_rows(
                &mut conn,
                "UPDATE log_sessions SET status = $2, failure_reason = $3, lease_until = NULL, \
                 last_modified = now() WHERE id = $1 RETURNING json_build_object('id', id) AS data"
                    .to_string(),
                &[
                    Bind::Int(id),
                    Bind::Text(if last { FAILED } else { PENDING }.to_string()),
                    Bind::Text(f.reason.clone()),
                ],
            )
            .await?;
            last.then(|| {
                format!(
                    "Log session {} could not be extracted: {}. {}/logsession/{id}/",
                    claimed.name,
                    f.reason,
                    frontend_url.trim_end_matches('/')
                )
            })
        }
    };
    // Slack at most once per session (claimed first).
    if let Some(text) = text {
        let claimed_note = json_rows(
            &mut conn,
            "UPDATE log_sessions SET notified_at = now() WHERE id = $1 AND notified_at IS NULL \
             RETURNING json_build_object('id', id) AS data"
                .to_string(),
            &[Bind::Int(id)],
        )
        .await?;
        drop(conn);
        if !claimed_note.is_empty() {
            match slack.post_text(CHANNEL, &text).await {
                Ok(()) | Err(crate::slack::SlackError::Disabled) => {}
                Err(err) => tracing::warn!(session = id, error = %err, "Slack message not sent"),
            }
        }
    }
    match outcome {
        Ok(_) => Ok(()),
        Err(f) => Err(AppError::internal(format!(
            "log session {id}: {}",
            f.reason
        ))),
    }
}

pub(super) async fn progress(
    pool: &crate::db::DbPool,
    id: i64,
    done: usize,
) -> Result<(), Failure> {
    let mut conn = pool.get().await?;
    json_rows(
        &mut conn,
        "UPDATE log_sessions SET progress_done = $2 WHERE id = $1 RETURNING json_build_object('id', id) AS data"
            .to_string(),
        &[Bind::Int(id), Bind::Int(done as i64)],
    )
    .await?;
    Ok(())
}

/// One run; a summary for the success message.
async fn extract(
    pool: &crate::db::DbPool,
    ctx: &LogsCtx,
    id: i64,
    s: &Claimed,
) -> Result<String, Failure> {
    let dir = tempfile::Builder::new()
        .prefix("hds-logsession-")
        .tempdir()?;
    let zip_path = dir.path().join("session.zip");
    let mut file = tokio::fs::File::create(&zip_path).await?;
    ctx.storage
        .download_to(&s.upload_bucket, &s.upload_key, &mut file)
        .await
        .map_err(|e| Failure::passing(format!("reading the zip from S3: {e}")))?;
    drop(file);
    let limits = ctx.limits;
    let zip = zip_path.clone();
    let (names_in_zip, plan) = tokio::task::spawn_blocking(move || -> Result<_, Failure> {
        let archive = open(&zip)?;
        if archive.len() as u64 > limits.max_entries {
            return Err(Failure::permanent("the zip holds too many files"));
        }
        let names: Vec<String> = (0..archive.len())
            .map(|i| match archive.name_for_index(i) {
                Some(Ok(n)) => Ok(n.into_owned()),
                _ => Err(Failure::permanent(
                    "the zip is corrupt: unreadable member name",
                )),
            })
            .collect::<Result<_, _>>()?;
        let plan = plan_names(names.iter().map(String::as_str));
        Ok((names, plan))
    })
    .await
    .map_err(Failure::passing)??;
    let mut done = 0;
    let mut videos = Vec::new();
    for (avi, meta) in &plan.videos {
        videos.push(
            video(
                ctx,
                dir.path(),
                &zip_path,
                *avi,
                *meta,
                &names_in_zip,
                &s.uuid,
            )
            .await?,
        );
        done += 1;
        progress(pool, id, done).await?;
    }
    let (files, lines) = load_logs(pool, ctx, id, s, &zip_path, &plan, &names_in_zip, done).await?;
    record(pool, ctx, id, s, &videos, plan.total()).await?;
    Ok(format!(
        "{files} log files, {lines} entries, {} videos",
        videos.len()
    ))
}

pub(super) fn open(path: &Path) -> Result<zip::ZipArchive<std::fs::File>, Failure> {
    let f = std::fs::File::open(path)?;
    zip::ZipArchive::new(f).map_err(|e| Failure::permanent(format!("the zip is corrupt: {e}")))
}

/// Copies member `index` to `to`, at most `cap` bytes (the zip declares sizes; one that lies
/// stops here).
pub(super) fn unpack(zip: &Path, index: usize, to: &Path, cap: u64) -> Result<u64, Failure> {
    let mut archive = open(zip)?;
    let mut member = archive
        .by_index(index)
        .map_err(|e| Failure::permanent(format!("the zip is corrupt: {e}")))?;
    let name = member.name().map(|n| n.into_owned()).unwrap_or_default();
    let mut out = std::fs::File::create(to)?;
    let n = std::io::copy(&mut (&mut member).take(cap + 1), &mut out)
        .map_err(|e| Failure::permanent(format!("{name}: {e}")))?;
    if n > cap {
        return Err(Failure::permanent(format!(
            "{name} is larger than it may be"
        )));
    }
    Ok(n)
}

/// The zip as the session's clip, the videos, and the session done: one transaction.
async fn record(
    pool: &crate::db::DbPool,
    ctx: &LogsCtx,
    id: i64,
    s: &Claimed,
    videos: &[Video],
    total: usize,
) -> Result<(), Failure> {
    let zip_etag = ctx
        .storage
        .etag(&s.upload_bucket, &s.upload_key)
        .await
        .map_err(|e| Failure::passing(format!("reading the zip's ETag: {e}")))?;
    let mut conn = pool.get().await?;
    let conn: &mut AsyncPgConnection = &mut conn;
    conn.transaction::<(), AppError, _>(async |conn| {
        let event = crate::apps::event::link::event(conn, &s.uuid, s.creator_id, &["S3File", "sessclip"]).await?;
        let file = s3_file(conn, event, &s.upload_bucket, &s.upload_key, &zip_etag, None, "sessclip", s.creator_id).await?;
        let clip = json_rows(
            conn,
            "WITH i AS (INSERT INTO sess_clips (file_id) VALUES ($1) ON CONFLICT (file_id) DO NOTHING RETURNING id) \
             SELECT json_build_object('id', id) AS data FROM i UNION ALL \
             SELECT json_build_object('id', id) FROM sess_clips WHERE file_id = $1"
                .to_string(),
            &[Bind::Int(file)],
        )
        .await?;
        let clip = first_id(&clip).ok_or_else(|| AppError::internal("no session clip"))?;
        // An earlier run's videos (their S3 file rows take the log_videos rows with them).
        json_rows(
            conn,
            "WITH d AS (DELETE FROM s3_files WHERE id IN (SELECT video_file_id FROM log_videos WHERE log_session_id = $1) RETURNING 1), \
             v AS (DELETE FROM log_videos WHERE log_session_id = $1 RETURNING 1) \
             SELECT json_build_object('n', (SELECT count(*) FROM d) + (SELECT count(*) FROM v)) AS data"
                .to_string(),
            &[Bind::Int(id)],
        )
        .await?;
        for v in videos {
            let bucket = ctx.storage.bucket().to_string();
            let file = s3_file(conn, event, &bucket, &v.key, &v.etag, Some(v.size), "mp4", s.creator_id).await?;
            json_rows(
                conn,
                "INSERT INTO log_videos (log_session_id, file_name, robot, category, meta, video_file_id, creator_id) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING json_build_object('id', id) AS data"
                    .to_string(),
                &[
                    Bind::Int(id),
                    Bind::Text(v.file_name.clone()),
                    Bind::OptInt(v.robot.map(i64::from)),
                    Bind::Text(v.category.clone()),
                    Bind::Json(v.meta.clone()),
                    Bind::Int(file),
                    Bind::OptInt(s.creator_id),
                ],
            )
            .await?;
        }
        json_rows(
            conn,
            format!(
                "UPDATE log_sessions SET status = '{DONE}', zip_file_id = $2, progress_done = $3, \
                 lease_until = NULL, failure_reason = NULL, last_modified = now() WHERE id = $1 \
                 RETURNING json_build_object('id', id) AS data"
            ),
            &[Bind::Int(id), Bind::Int(clip), Bind::Int(total as i64)],
        )
        .await?;
        Ok(())
    })
    .await?;
    Ok(())
}

/// The S3 file row of an object version (got or created, like `s3files/`).
#[allow(clippy::too_many_arguments)]
async fn s3_file(
    conn: &mut AsyncPgConnection,
    event: i64,
    bucket: &str,
    key: &str,
    etag: &str,
    size: Option<i64>,
    filetype: &str,
    creator: Option<i64>,
) -> AppResult<i64> {
    let rows = json_rows(
        conn,
        "WITH i AS (INSERT INTO s3_files (event_id, bucket, \"key\", etag, size_bytes, filetype, creator_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (bucket, \"key\", etag) DO NOTHING RETURNING id) \
         SELECT json_build_object('id', id) AS data FROM i UNION ALL \
         SELECT json_build_object('id', id) FROM s3_files WHERE bucket = $2 AND \"key\" = $3 AND etag = $4"
            .to_string(),
        &[
            Bind::Int(event),
            Bind::Text(bucket.to_string()),
            Bind::Text(key.to_string()),
            Bind::Text(etag.to_string()),
            Bind::OptInt(size),
            Bind::Text(filetype.to_string()),
            Bind::OptInt(creator),
        ],
    )
    .await?;
    first_id(&rows).ok_or_else(|| AppError::internal("no S3 file row"))
}

/// Sessions the queue may have lost: pending for longer than `grace`, or extracting with an
/// expired lease.
pub async fn pending(conn: &mut AsyncPgConnection, grace: chrono::Duration) -> AppResult<Vec<i64>> {
    let rows = json_rows(
        conn,
        format!(
            "SELECT json_build_object('id', id) AS data FROM log_sessions \
             WHERE (status = '{PENDING}' AND last_modified < $1) \
                OR (status = '{EXTRACTING}' AND lease_until < now()) ORDER BY id LIMIT 50"
        ),
        &[Bind::Time(chrono::Utc::now() - grace)],
    )
    .await?;
    Ok(rows.iter().filter_map(|r| r["id"].as_i64()).collect())
}
