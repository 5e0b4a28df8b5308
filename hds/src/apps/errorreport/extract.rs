//! Exception extraction (docs/api-design.md#exception-extraction), run by the worker. Idempotent: a
//! report is
//! extracted once, in one transaction that also marks it done.

use crate::apps::errorreport::ExtractionStatus;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde_json::Value;

use crate::apps::tags;
use crate::error::{AppError, AppResult};
use crate::reports::read::epoch;
use crate::schema::{error_reports, exception_codes, exceptions};

pub const INCOMPLETE: &str = "incomplete";

/// One error entry of a sysmon report.
#[derive(Debug, Clone, PartialEq)]
pub struct Extracted {
    pub service: String,
    pub node: i32,
    pub robot: i32,
    pub code: i32,
    pub timestamp: Option<DateTime<Utc>>,
    pub traceback: String,
    pub info: String,
    pub handled: bool,
}

fn int_of(v: Option<&Value>) -> Option<i32> {
    match v? {
        Value::Number(n) => n.as_i64().and_then(|i| i32::try_from(i).ok()),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Reads every `errors` entry of every sysmon entry. Returns the errors and whether some entry
/// could not be read (its key is not `<service>.<index>`).
pub fn parse_errors(report: &Value) -> (Vec<Extracted>, bool) {
    let mut out = Vec::new();
    let mut incomplete = false;
    let Some(sysmon) = report
        .pointer("/data/sysmon_report")
        .and_then(Value::as_object)
    else {
        return (out, false);
    };
    for entry in sysmon.values().filter_map(Value::as_object) {
        let Some(errors) = entry.get("errors").and_then(Value::as_object) else {
            continue;
        };
        for (key, err) in errors {
            let Some((service, index)) = key
                .split_once('.')
                .and_then(|(s, i)| Some((s, i.parse::<i32>().ok()?)))
            else {
                crate::metrics::async_error(
                    "_extract_exception_data",
                    "ValueError",
                    "Failed to split into service and index",
                );
                incomplete = true;
                continue;
            };
            let ts = err.get("ts").and_then(|t| epoch(t, "ts").ok());
            out.push(Extracted {
                service: service.to_string(),
                node: int_of(entry.get("index")).unwrap_or(index),
                robot: int_of(entry.get("robot_index")).unwrap_or(index),
                code: int_of(err.get("code")).unwrap_or(0),
                timestamp: ts,
                traceback: err
                    .get("traceback")
                    .and_then(Value::as_str)
                    .filter(|s| !s.is_empty())
                    .unwrap_or("No Traceback Available (HDS)")
                    .to_string(),
                info: match err.get("value") {
                    Some(Value::String(s)) if !s.is_empty() => s.clone(),
                    Some(v) if !v.is_null() && !v.is_string() => v.to_string(),
                    _ => "No Value Available (HDS)".to_string(),
                },
                handled: err.get("handled").and_then(Value::as_bool).unwrap_or(false),
            });
        }
    }
    (out, incomplete)
}

/// Extracts the exceptions of a pending report and marks it done. Returns false when there was
/// nothing to do (already extracted, or the report is gone).
pub async fn extract(conn: &mut AsyncPgConnection, report_id: i64) -> AppResult<bool> {
    Ok(!extract_batch(conn, report_id, 1).await?.is_empty())
}

#[derive(diesel::QueryableByName)]
struct Claimed {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Jsonb>)]
    report: Option<Value>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    creator_id: Option<i64>,
}

/// Rows of one multi-row insert: far below PostgreSQL's 65,535 parameters at 11 a row.
const INSERT_CHUNK: usize = 4000;

/// Extracts report `first` (if still pending) together with up to `limit - 1` other pending
/// reports, oldest first, in one transaction: one statement takes them (`FOR UPDATE SKIP
/// LOCKED`, so concurrent batches never wait on each other or take a report twice), one reads
/// their codes, one inserts all their exceptions and one marks them done. Returns the ids
/// extracted (empty when `first` and every other report were done or taken). A failure rolls
/// back the whole batch; the caller then extracts its own report alone
/// (ARCHITECTURE.md#processes-and-data-flow, docs/api-design.md#exception-extraction).
pub async fn extract_batch(
    conn: &mut AsyncPgConnection,
    first: i64,
    limit: i64,
) -> AppResult<Vec<i64>> {
    conn.transaction::<Vec<i64>, AppError, _>(async move |conn| {
        // Not waiting for the commit to reach the disk is safe: a commit lost in a crash
        // leaves the reports pending and the sweep extracts them again (nothing was sent to
        // Slack yet: the claim that precedes the messages is a later, synchronous commit, and
        // the WAL is flushed in order). The ingest writers' commits then share the disk's
        // flushes with fewer waiters.
        diesel::sql_query("SET LOCAL synchronous_commit = off")
            .execute(conn)
            .await?;
        // Only what extraction reads of the report: its sysmon entries' indexes and errors,
        // not the whole 20 KB document.
        let claimed: Vec<Claimed> = diesel::sql_query(
            "WITH own AS (SELECT id FROM error_reports WHERE id = $1 AND extraction_status = 'pending' \
                          FOR UPDATE SKIP LOCKED), \
                  more AS (SELECT id FROM error_reports WHERE extraction_status = 'pending' AND id <> $1 \
                           ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED) \
             SELECT r.id, r.creator_id, jsonb_build_object('data', jsonb_build_object('sysmon_report', \
                    (SELECT jsonb_object_agg(e.key, jsonb_build_object('index', e.value->'index', \
                             'robot_index', e.value->'robot_index', 'errors', e.value->'errors')) \
                     FROM jsonb_each(CASE WHEN jsonb_typeof(r.report->'data'->'sysmon_report') = 'object' \
                                          THEN r.report->'data'->'sysmon_report' END) e \
                     WHERE jsonb_typeof(e.value) = 'object' AND e.value ? 'errors'))) AS report \
             FROM error_reports r WHERE r.id IN (SELECT id FROM own UNION ALL SELECT id FROM more) \
             ORDER BY r.id",
        )
        .bind::<diesel::sql_types::BigInt, _>(first)
        .bind::<diesel::sql_types::BigInt, _>((limit - 1).max(0))
        .load(conn)
        .await?;
        if claimed.is_empty() {
            return Ok(Vec::new());
        }
        let parsed: Vec<(Vec<Extracted>, bool)> = claimed
            .iter()
            .map(|c| {
                let (mut errors, incomplete) = parse_errors(c.report.as_ref().unwrap_or(&Value::Null));
                // Earliest first; the earliest is the primary exception.
                errors.sort_by_key(|e| e.timestamp);
                (errors, incomplete)
            })
            .collect();
        let mut codes: Vec<i32> = parsed.iter().flat_map(|(e, _)| e.iter().map(|e| e.code)).collect();
        codes.sort_unstable();
        codes.dedup();
        let known: std::collections::HashMap<i32, i64> = exception_codes::table
            .filter(exception_codes::code.eq_any(&codes))
            .select((exception_codes::code, exception_codes::id))
            .load::<(i32, i64)>(conn)
            .await?
            .into_iter()
            .collect();
        let mut rows = Vec::new();
        let mut ids = Vec::with_capacity(claimed.len());
        let mut primaries: Vec<Option<i64>> = Vec::with_capacity(claimed.len());
        let mut incomplete_ids = Vec::new();
        for (c, (errors, unreadable)) in claimed.iter().zip(&parsed) {
            // As the reference: an unknown code stops extraction; what came before stays,
            // nothing is primary and the report is tagged incomplete. Otherwise the earliest
            // is primary.
            let kept: Vec<_> = errors
                .iter()
                .map_while(|e| known.get(&e.code).map(|id| (*id, e)))
                .collect();
            let mut incomplete = *unreadable;
            if kept.len() < errors.len() {
                crate::metrics::async_error(
                    "report_extraction",
                    "DoesNotExist",
                    "unknown exception code",
                );
                incomplete = true;
            }
            for (i, (code_id, e)) in kept.iter().enumerate() {
                rows.push((
                    exceptions::code_id.eq(*code_id),
                    exceptions::service.eq(e.service.clone()),
                    exceptions::node.eq(e.node),
                    exceptions::robot.eq(e.robot),
                    exceptions::traceback.eq(e.traceback.clone()),
                    exceptions::info.eq(e.info.clone()),
                    exceptions::timestamp.eq(e.timestamp),
                    exceptions::report_id.eq(c.id),
                    exceptions::handled.eq(e.handled),
                    exceptions::primary.eq(i == 0 && !incomplete),
                    exceptions::creator_id.eq(c.creator_id),
                ));
            }
            ids.push(c.id);
            primaries.push(<[_]>::first(&kept).filter(|_| !incomplete).map(|(id, _)| *id));
            if incomplete {
                incomplete_ids.push(c.id);
            }
        }
        // The reports first, with their primary codes (the exceptions' trigger then finds
        // nothing to correct, so each row is written once).
        diesel::sql_query(
            "UPDATE error_reports r SET extraction_status = 'done', \
                    extraction_attempts = r.extraction_attempts + 1, primary_code_id = v.code \
             FROM unnest($1::bigint[], $2::bigint[]) AS v(id, code) WHERE r.id = v.id",
        )
        .bind::<diesel::sql_types::Array<diesel::sql_types::BigInt>, _>(&ids)
        .bind::<diesel::sql_types::Array<diesel::sql_types::Nullable<diesel::sql_types::BigInt>>, _>(&primaries)
        .execute(conn)
        .await?;
        for chunk in rows.chunks(INSERT_CHUNK) {
            diesel::insert_into(exceptions::table)
                .values(chunk)
                .execute(conn)
                .await?;
        }
        for id in incomplete_ids {
            tags::add(conn, "error_report_tags", "error_report_id", id, &[INCOMPLETE]).await?;
        }
        Ok(ids)
    })
    .await
}

/// Records a failed attempt; after `max_attempts` the report is marked failed (with the reason)
/// and tagged incomplete instead of being retried forever.
pub async fn record_failure(
    conn: &mut AsyncPgConnection,
    report_id: i64,
    reason: &str,
    max_attempts: i32,
) -> AppResult<()> {
    let attempts: Option<i32> = diesel::update(error_reports::table.find(report_id))
        .set((
            error_reports::extraction_attempts.eq(error_reports::extraction_attempts + 1),
            error_reports::extraction_error.eq(reason),
        ))
        .returning(error_reports::extraction_attempts)
        .get_result(conn)
        .await
        .optional()?;
    if attempts.is_some_and(|a| a >= max_attempts) {
        diesel::update(error_reports::table.find(report_id))
            .set(error_reports::extraction_status.eq(ExtractionStatus::Failed.as_str()))
            .execute(conn)
            .await?;
        tags::add(
            conn,
            "error_report_tags",
            "error_report_id",
            report_id,
            &[INCOMPLETE],
        )
        .await?;
    }
    Ok(())
}

/// Reports still pending, oldest first (for the worker's sweep and for tests).
pub async fn pending(
    conn: &mut AsyncPgConnection,
    older_than: chrono::Duration,
    limit: i64,
) -> AppResult<Vec<i64>> {
    Ok(error_reports::table
        .filter(error_reports::extraction_status.eq(ExtractionStatus::Pending.as_str()))
        .filter(error_reports::created.lt(Utc::now() - older_than))
        .order(error_reports::id.asc())
        .select(error_reports::id)
        .limit(limit)
        .load(conn)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_errors_and_flags_unreadable_keys() {
        let report = json!({"data": {"sysmon_report": {
            "serial_number": "011",
            "sysmon.0": {"index": 0, "robot_index": 2, "errors": {
                "traychg.1": {"ts": 1651526861.5, "value": "boom", "traceback": "tb", "code": 3, "handled": true},
                "bad_key": {}
            }},
            "sysmon.1": {"errors": {"harvester.4": {}}}
        }}});
        let (errors, incomplete) = parse_errors(&report);
        assert!(incomplete);
        assert_eq!(errors.len(), 2);
        let tray = errors.iter().find(|e| e.service == "traychg").unwrap();
        assert_eq!(
            (tray.node, tray.robot, tray.code, tray.handled),
            (0, 2, 3, true)
        );
        assert_eq!(tray.info, "boom");
        let h = errors.iter().find(|e| e.service == "harvester").unwrap();
        assert_eq!((h.node, h.robot, h.code), (4, 4, 0));
        assert_eq!(h.traceback, "No Traceback Available (HDS)");
        assert_eq!(h.info, "No Value Available (HDS)");
    }
}
