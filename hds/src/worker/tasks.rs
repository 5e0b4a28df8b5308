//! The background tasks, independent of how they are delivered (queue or sweep). Each is
//! idempotent: running it twice changes nothing the second time.

use crate::apps::errorreport::ExtractionStatus;
use chrono::Duration;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::Deserialize;
use serde_json::Value;

use super::messages::{operator_message, report_text, ExceptionInfo, ReportInfo};
use crate::api::sql::{json_rows, Bind};
use crate::apps::errorreport::extract;
use crate::apps::exceptions::manifest;
use crate::apps::notifications::matching::{matching_many, notify_text};
use crate::db::DbPool;
use crate::error::{AppError, AppResult};
use crate::jobs::Job;
use crate::schema::{error_reports, exception_code_manifests};
use crate::slack::Slack;

/// Extraction attempts before a report is marked failed.
pub const MAX_ATTEMPTS: i32 = 5;

#[derive(Clone)]
pub struct WorkerCtx {
    pub pool: DbPool,
    pub slack: Slack,
    pub frontend_url: String,
    pub job_server: crate::apps::harvjobs::dispatch::JobServer,
    /// Where `migrations/migrate/` runs apply the migrations (a connection of their own: the
    /// migration lock is held for the connection's life).
    pub database_url: String,
    /// Log-session extraction: S3, its own database connection for COPY, ffmpeg.
    pub logs: crate::apps::logparser::extract::LogsCtx,
}

pub async fn run(ctx: &WorkerCtx, job: &Job) -> AppResult<()> {
    let started = std::time::Instant::now();
    let name = match job {
        Job::ExtractReport { .. } => "extract_exceptions",
        Job::ApplyManifest { .. } => "update_exception_codes",
        Job::Extract { kind, .. } => crate::reports::kind(kind)
            .and_then(|k| k.extract.as_ref())
            .map(|e| e.task)
            .unwrap_or("extract"),
        Job::Dispatch { .. } => "schedule_job",
        Job::Migrate { .. } => "execute_migrations",
        Job::ExtractLogSession { .. } => "perform_extraction",
    };
    let result = match job {
        Job::ExtractReport { report_id } => extract_report(ctx, *report_id).await,
        Job::ApplyManifest { manifest_id } => apply_manifest(ctx, *manifest_id).await,
        Job::Extract { kind, report_id } => extract_other(ctx, kind, *report_id).await,
        Job::Dispatch { job_id } => dispatch_job(ctx, *job_id).await,
        Job::Migrate { log_id } => {
            crate::apps::hdsmigrations::execute(&ctx.pool, &ctx.database_url, *log_id).await
        }
        Job::ExtractLogSession { session_id } => {
            crate::apps::logparser::extract::run(
                &ctx.pool,
                &ctx.slack,
                &ctx.frontend_url,
                &ctx.logs,
                *session_id,
            )
            .await
        }
    };
    crate::metrics::task_done(name, started.elapsed().as_secs_f64(), result.is_ok());
    result
}

/// Reports extracted in one transaction (`extract::extract_batch`): a job takes its own report
/// and up to this many minus one other pending reports, so a backlog drains a batch at a time
/// and the other reports' jobs find nothing left to do.
pub const EXTRACT_BATCH: i64 = 64;

/// Extracts a report's exceptions, with other pending reports in the same batch, then (D13)
/// sends their Slack messages.
pub async fn extract_report(ctx: &WorkerCtx, report_id: i64) -> AppResult<()> {
    let mut conn = ctx.pool.get().await?;
    let mut extracted = match extract::extract_batch(&mut conn, report_id, EXTRACT_BATCH).await {
        Ok(ids) => ids,
        // One report PostgreSQL refuses must not hold the others back: this job's report
        // alone now, the others with their own jobs.
        Err(batch_err) => {
            tracing::info!(report = report_id, error = %batch_err, "batch extraction failed; extracting the report alone");
            match extract::extract(&mut conn, report_id).await {
                Ok(_) => Vec::new(),
                Err(err) => {
                    crate::metrics::async_error("report_extraction", err.label(), &err.to_string());
                    extract::record_failure(&mut conn, report_id, &err.to_string(), MAX_ATTEMPTS)
                        .await?;
                    return Err(err);
                }
            }
        }
    };
    drop(conn);
    // This job's report also when it was extracted earlier but not yet notified.
    if !extracted.contains(&report_id) {
        extracted.push(report_id);
    }
    notify_many(ctx, &extracted).await
}

/// The background work of a report of another kind (autodiagnostics runs, assets, job host
/// results).
pub async fn extract_other(ctx: &WorkerCtx, kind: &str, report_id: i64) -> AppResult<()> {
    let kind = crate::reports::kind(kind)
        .ok_or_else(|| AppError::internal(format!("no report kind {kind:?}")))?;
    let mut conn = ctx.pool.get().await?;
    crate::reports::extraction::run(&mut conn, kind, report_id).await?;
    drop(conn);
    if kind.name == crate::apps::harvjobs::kind::JOB_RESULTS.name {
        notify_job_complete(ctx, report_id).await?;
    }
    Ok(())
}

/// "Job complete" to Slack for job result `result_id`, at most once (claimed first).
pub async fn notify_job_complete(ctx: &WorkerCtx, result_id: i64) -> AppResult<()> {
    use crate::apps::harvjobs::status;
    let mut conn = ctx.pool.get().await?;
    let Some(done) = status::claim_completion(&mut conn, result_id).await? else {
        return Ok(());
    };
    drop(conn);
    let text = status::completion_text(&done, &ctx.frontend_url);
    match ctx.slack.post_text(status::JOBS_CHANNEL, &text).await {
        Ok(()) | Err(crate::slack::SlackError::Disabled) => {}
        Err(err) => tracing::warn!(result = result_id, error = %err, "Slack message not sent"),
    }
    Ok(())
}

/// Sends job `job_id` to the job server (`schedule_job`): no connection is held while sending;
/// a job that cannot be sent is recorded `Failed to send` and its creator told on Slack.
pub async fn dispatch_job(ctx: &WorkerCtx, job_id: i64) -> AppResult<()> {
    use crate::apps::harvjobs::dispatch;
    let mut conn = ctx.pool.get().await?;
    let Some(job) = dispatch::take(&mut conn, job_id).await? else {
        return Ok(());
    };
    drop(conn);
    let body = dispatch::message(&job, chrono::Utc::now());
    let sent = ctx.job_server.send(&body).await;
    let mut conn = ctx.pool.get().await?;
    match sent {
        Ok(()) => dispatch::record_sent(&mut conn, job_id).await,
        Err(error) => {
            tracing::warn!(job = job_id, error = ?error, "job not sent");
            if dispatch::record_failed(&mut conn, job_id, &error).await? {
                drop(conn);
                let text = dispatch::failure_text(&job, &error, &ctx.frontend_url);
                match ctx
                    .slack
                    .post_text(crate::apps::harvjobs::status::JOBS_CHANNEL, &text)
                    .await
                {
                    Ok(()) | Err(crate::slack::SlackError::Disabled) => {}
                    Err(err) => {
                        tracing::warn!(job = job_id, error = %err, "Slack message not sent")
                    }
                }
            }
            Ok(())
        }
    }
}

/// Fires the job schedules that are due and moves release rollouts on, then sends the jobs
/// they created; returns how many.
pub async fn fire_schedules(ctx: &WorkerCtx) -> AppResult<usize> {
    use futures_util::StreamExt;
    let mut conn = ctx.pool.get().await?;
    let mut created = crate::apps::harvjobs::schedules::fire_due(&mut conn).await?;
    created.extend(crate::apps::harvdeploy::rollouts::advance_all(&mut conn).await?);
    drop(conn);
    let n = created.len();
    futures_util::stream::iter(created)
        .for_each_concurrent(16, |j| async move {
            if let Err(err) = run(ctx, &Job::Dispatch { job_id: j.id }).await {
                tracing::warn!(job = j.id, error = %err, "dispatch failed; the sweep retries it");
            }
        })
        .await;
    Ok(n)
}

pub async fn apply_manifest(ctx: &WorkerCtx, manifest_id: i64) -> AppResult<()> {
    let mut conn = ctx.pool.get().await?;
    manifest::apply(&mut conn, manifest_id).await
}

#[derive(Deserialize)]
struct Loaded {
    id: i64,
    harv_id: Option<i32>,
    harvester_name: Option<String>,
    ranch: Option<String>,
    site_channel: Option<String>,
    report_time: Option<String>,
    exceptions: Vec<LoadedException>,
}

#[derive(Deserialize)]
struct LoadedException {
    service: Option<String>,
    robot: Option<i32>,
    handled: bool,
    primary: Option<bool>,
    code: Option<i32>,
    code_name: Option<String>,
    cycle: Option<bool>,
    operator_msg: Option<String>,
    info: Option<String>,
}

/// What the Slack messages of each report say, by report id.
async fn load_reports(
    conn: &mut diesel_async::AsyncPgConnection,
    report_ids: &[i64],
) -> AppResult<Vec<ReportInfo>> {
    let rows = json_rows(
        conn,
        "SELECT json_build_object('id', r.id, 'harv_id', h.harv_id, 'harvester_name', h.name, 'ranch', l.ranch, \
         'site_channel', l.site_channel, \
         'report_time', to_char(r.report_time AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00:00', \
         'exceptions', COALESCE((SELECT json_agg(json_build_object('service', x.service, 'robot', x.robot, \
            'handled', x.handled, 'primary', x.\"primary\", 'code', c.code, 'code_name', c.name, 'cycle', c.cycle, \
            'operator_msg', c.operator_msg, 'info', x.info) ORDER BY x.\"timestamp\" NULLS LAST, x.id) \
            FROM exceptions x LEFT JOIN exception_codes c ON c.id = x.code_id WHERE x.report_id = r.id), '[]'::json)) AS data \
         FROM error_reports r LEFT JOIN harvesters h ON h.id = r.harvester_id \
         LEFT JOIN locations l ON l.id = r.location_id WHERE r.id = ANY($1) ORDER BY r.id"
            .to_string(),
        &[Bind::Ints(report_ids.to_vec())],
    )
    .await?;
    rows.into_iter()
        .map(|row| {
            let l: Loaded = serde_json::from_value(row).map_err(AppError::internal)?;
            Ok(ReportInfo {
                id: l.id,
                harv_id: l.harv_id.unwrap_or_default(),
                harvester_name: l.harvester_name.unwrap_or_default(),
                ranch: l.ranch.unwrap_or_default(),
                site_channel: l.site_channel.unwrap_or_else(|| "harvs-dev".into()),
                report_time: l.report_time.unwrap_or_default(),
                exceptions: l
                    .exceptions
                    .into_iter()
                    .map(|e| ExceptionInfo {
                        service: e.service.unwrap_or_default(),
                        robot: e.robot.unwrap_or_default(),
                        handled: e.handled,
                        primary: e.primary,
                        code: e.code.unwrap_or_default(),
                        code_name: e.code_name.unwrap_or_default(),
                        cycle: e.cycle.unwrap_or(false),
                        operator_msg: e.operator_msg.unwrap_or_default(),
                        info: e.info.unwrap_or_default(),
                    })
                    .collect(),
            })
        })
        .collect()
}

/// Slack messages of an extracted report, sent at most once.
pub async fn notify(ctx: &WorkerCtx, report_id: i64) -> AppResult<()> {
    notify_many(ctx, &[report_id]).await
}

/// Slack messages of extracted reports, each sent at most once: the reports are marked
/// notified first (one statement for all), so a retry never repeats them. The reports, their
/// exceptions and the notifications they match are read once for the whole set.
pub async fn notify_many(ctx: &WorkerCtx, report_ids: &[i64]) -> AppResult<()> {
    if report_ids.is_empty() {
        return Ok(());
    }
    let mut conn = ctx.pool.get().await?;
    let claimed: Vec<i64> = diesel::update(
        error_reports::table
            .filter(error_reports::id.eq_any(report_ids))
            .filter(error_reports::notified_at.is_null())
            .filter(error_reports::extraction_status.ne(ExtractionStatus::Pending.as_str())),
    )
    .set(error_reports::notified_at.eq(chrono::Utc::now()))
    .returning(error_reports::id)
    .get_results(&mut conn)
    .await?;
    if claimed.is_empty() {
        return Ok(());
    }
    let reports = load_reports(&mut conn, &claimed).await?;
    let mut matched = matching_many(&mut conn, &claimed).await?;
    drop(conn);
    for report in reports {
        let report_id = report.id;
        let url = format!(
            "{}/errorreports/{report_id}/",
            ctx.frontend_url.trim_end_matches('/')
        );
        let text = report_text(&report);
        let mut messages: Vec<Value> = vec![serde_json::json!({
            "channel": format!("h{}_dev", report.harv_id),
            "text": format!("{text}{url}\n"),
        })];
        if let Some(op) = operator_message(&report) {
            messages.push(op);
        }
        for m in matched.remove(&report_id).unwrap_or_default() {
            messages.push(serde_json::json!({ "channel": "hds-test", "text": notify_text(&text, &m.slack_ids, &url) }));
        }
        for m in messages {
            match ctx.slack.post(m).await {
                Ok(()) | Err(crate::slack::SlackError::Disabled) => {}
                Err(err) => {
                    tracing::warn!(report = report_id, error = %err, "Slack message not sent")
                }
            }
        }
    }
    Ok(())
}

/// Work the queue may have lost: reports still pending (or extracted but not yet notified)
/// after `grace`, and manifests not yet applied. Returns how many jobs it ran.
/// Jobs the sweep runs at once (the worker's default concurrency).
const SWEEP_CONCURRENCY: usize = 4;

pub async fn sweep(ctx: &WorkerCtx, grace: Duration) -> AppResult<usize> {
    let mut conn = ctx.pool.get().await?;
    let reports = extract::pending(&mut conn, grace, 500).await?;
    let unnotified: Vec<i64> = error_reports::table
        .filter(error_reports::extraction_status.eq(ExtractionStatus::Done.as_str()))
        .filter(error_reports::notified_at.is_null())
        .filter(error_reports::created.lt(chrono::Utc::now() - grace))
        .select(error_reports::id)
        .limit(500)
        .load(&mut conn)
        .await?;
    let manifests: Vec<i64> = exception_code_manifests::table
        .filter(exception_code_manifests::applied_at.is_null())
        .filter(exception_code_manifests::apply_error.is_null())
        .filter(exception_code_manifests::created.lt(chrono::Utc::now() - grace))
        .select(exception_code_manifests::id)
        .load(&mut conn)
        .await?;
    let mut others = Vec::new();
    for kind in crate::reports::kinds() {
        if kind.extract.is_some() {
            for id in crate::reports::extraction::pending(&mut conn, kind, grace, 500).await? {
                others.push(Job::Extract {
                    kind: kind.name.to_string(),
                    report_id: id,
                });
            }
        }
    }
    for id in crate::apps::harvjobs::dispatch::pending(&mut conn, grace).await? {
        others.push(Job::Dispatch { job_id: id });
    }
    for id in crate::apps::hdsmigrations::pending(&mut conn, grace).await? {
        others.push(Job::Migrate { log_id: id });
    }
    for id in crate::apps::logparser::extract::pending(&mut conn, grace).await? {
        others.push(Job::ExtractLogSession { session_id: id });
    }
    let unnotified_results = crate::apps::harvjobs::status::unnotified(&mut conn, grace).await?;
    drop(conn);
    let mut ran = 0;
    for id in unnotified_results {
        notify_job_complete(ctx, id).await?;
        ran += 1;
    }
    // Several at once, as the queue runs them: a backlog the queue lost (Redis flushed or
    // restarted) drains at the queue's pace, not one report at a time.
    use futures_util::StreamExt;
    ran += futures_util::stream::iter(others)
        .map(|job| async move { run(ctx, &job).await.is_ok() })
        .buffer_unordered(SWEEP_CONCURRENCY)
        .filter(|ok| futures_util::future::ready(*ok))
        .count()
        .await;
    for id in reports {
        if run(ctx, &Job::ExtractReport { report_id: id })
            .await
            .is_ok()
        {
            ran += 1;
        }
    }
    notify_many(ctx, &unnotified).await?;
    ran += unnotified.len();
    for id in manifests {
        if run(ctx, &Job::ApplyManifest { manifest_id: id })
            .await
            .is_ok()
        {
            ran += 1;
        }
    }
    Ok(ran)
}
