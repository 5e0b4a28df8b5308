//! Background work of report kinds whose table keeps `extraction_status` (autodiagnostics runs,
//! assets, job host results): the same durable record as error-report extraction
//! (docs/api-design.md#report-kinds). A report is `pending` from its insert until its work has
//! run; the queue only makes that sooner, the worker's sweep finds what the queue lost.

use diesel::sql_types::BigInt;
use diesel_async::{AsyncConnection, AsyncPgConnection};

use super::ReportKind;
use crate::api::sql::{cached_rows, Bind};
use crate::apps::errorreport::extract::INCOMPLETE;
use crate::apps::tags;
use crate::error::{AppError, AppResult};

/// Attempts before a report's work is marked failed (and the report tagged `incomplete`).
pub const MAX_ATTEMPTS: i32 = 5;

#[derive(diesel::QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// Runs `kind`'s work on report `id` if it is pending, in one transaction holding the row (so
/// two workers never run it twice). False when there was nothing to do.
///
/// Four round trips: begin; claim, mark done and read the report in one statement; the kind's
/// work (one statement each: the asset functions of migration `asset_placement`); commit. A
/// failure rolls the claim back with the work, so the report is pending again.
///
/// One report per transaction, on purpose: batching reports into one transaction was tried
/// and measured ten times slower when they touch the same rows (a harvester's asset reports
/// all update its assets), because every batch then holds those rows until it commits.
pub async fn run(
    conn: &mut AsyncPgConnection,
    kind: &'static ReportKind,
    id: i64,
) -> AppResult<bool> {
    let extraction = kind
        .extract
        .as_ref()
        .ok_or_else(|| AppError::internal(format!("{} has no background work", kind.name)))?;
    let table = kind.table;
    let outcome = conn
        .transaction::<bool, AppError, _>(async |conn| {
            // Not waiting for the commit to reach the disk is safe here: a commit lost in a
            // crash leaves the report pending, and the sweep does the work again (it is
            // idempotent). It doubles the worker's throughput.
            let claimed: Vec<StoredReport> = cached_rows(
                conn,
                &format!(
                    "UPDATE {table} r SET extraction_status = 'done',                        extraction_attempts = r.extraction_attempts + 1                      FROM (SELECT set_config('synchronous_commit', 'off', true)) AS s                      WHERE r.id = (SELECT id FROM {table} WHERE id = $1                        AND extraction_status = 'pending' FOR UPDATE SKIP LOCKED)                      RETURNING r.id, r.report, r.harvester_id, r.creator_id"
                ),
                &[Bind::Int(id)],
            )
            .await?;
            let Some(report) = claimed.first() else {
                return Ok(false);
            };
            (extraction.run)(conn, report).await?;
            Ok(true)
        })
        .await;
    if let Err(err) = &outcome {
        crate::metrics::async_error(extraction.task, err.label(), &err.to_string());
        record_failure(conn, kind, id, &err.to_string()).await?;
    }
    outcome
}

/// Counts a failed attempt; the last one marks the report failed and tags it `incomplete`.
async fn record_failure(
    conn: &mut AsyncPgConnection,
    kind: &ReportKind,
    id: i64,
    reason: &str,
) -> AppResult<()> {
    let table = kind.table;
    let failed: Vec<Id> = cached_rows(
        conn,
        &format!(
            "UPDATE {table} SET extraction_attempts = extraction_attempts + 1, extraction_error = $2, \
             extraction_status = CASE WHEN extraction_attempts + 1 >= $3 THEN 'failed' \
               ELSE extraction_status END \
             WHERE id = $1 AND extraction_attempts + 1 >= $3 RETURNING id"
        ),
        &[
            Bind::Int(id),
            Bind::Text(reason.to_string()),
            Bind::Int(i64::from(MAX_ATTEMPTS)),
        ],
    )
    .await?;
    if failed.is_empty() {
        // Not the last attempt: count it all the same.
        let _: Vec<Id> = cached_rows(
            conn,
            &format!(
                "UPDATE {table} SET extraction_attempts = extraction_attempts + 1, \
                 extraction_error = $2 WHERE id = $1 RETURNING id"
            ),
            &[Bind::Int(id), Bind::Text(reason.to_string())],
        )
        .await?;
    } else {
        let (tag_table, tag_fk) = kind.tags;
        tags::add(conn, tag_table, tag_fk, id, &[INCOMPLETE]).await?;
    }
    Ok(())
}

/// What a kind's background work reads of its report.
#[derive(diesel::QueryableByName)]
pub struct StoredReport {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = diesel::sql_types::Jsonb)]
    pub report: serde_json::Value,
    #[diesel(sql_type = diesel::sql_types::Nullable<BigInt>)]
    pub harvester_id: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Nullable<BigInt>)]
    pub creator_id: Option<i64>,
}

/// Reports of `kind` still pending after `grace`, oldest first.
pub async fn pending(
    conn: &mut AsyncPgConnection,
    kind: &ReportKind,
    grace: chrono::Duration,
    limit: i64,
) -> AppResult<Vec<i64>> {
    let rows: Vec<Id> = cached_rows(
        conn,
        &format!(
            "SELECT id FROM {} WHERE extraction_status = 'pending' AND created < $1 \
             ORDER BY id LIMIT $2",
            kind.table
        ),
        &[Bind::Time(chrono::Utc::now() - grace), Bind::Int(limit)],
    )
    .await?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}
