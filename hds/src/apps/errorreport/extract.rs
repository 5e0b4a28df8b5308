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
    conn.transaction::<bool, AppError, _>(async move |conn| {
        // Lock the row so two workers never extract the same report.
        let row: Option<(Option<Value>, Option<i64>, String)> = error_reports::table
            .find(report_id)
            .select((
                error_reports::report,
                error_reports::creator_id,
                error_reports::extraction_status,
            ))
            .for_update()
            .skip_locked()
            .first(conn)
            .await
            .optional()?;
        let Some((report, creator, status)) = row else {
            return Ok(false);
        };
        if status != "pending" {
            return Ok(false);
        }
        let (mut errors, mut incomplete) = parse_errors(&report.unwrap_or(Value::Null));
        // Earliest first; the earliest is the primary exception.
        errors.sort_by_key(|e| e.timestamp);
        let codes: Vec<i32> = errors.iter().map(|e| e.code).collect();
        let known: Vec<(i32, i64)> = exception_codes::table
            .filter(exception_codes::code.eq_any(&codes))
            .select((exception_codes::code, exception_codes::id))
            .load(conn)
            .await?;
        let code_id = |code: i32| known.iter().find(|(c, _)| *c == code).map(|(_, id)| *id);
        // As the reference: an unknown code stops extraction; what came before stays, nothing
        // is primary and the report is tagged incomplete. Otherwise the earliest is primary.
        let kept: Vec<_> = errors
            .iter()
            .map_while(|e| code_id(e.code).map(|id| (id, e)))
            .collect();
        if kept.len() < errors.len() {
            crate::metrics::async_error(
                "report_extraction",
                "DoesNotExist",
                "unknown exception code",
            );
            incomplete = true;
        }
        let rows: Vec<_> = kept
            .iter()
            .enumerate()
            .map(|(i, (code_id, e))| {
                (
                    exceptions::code_id.eq(*code_id),
                    exceptions::service.eq(&e.service),
                    exceptions::node.eq(e.node),
                    exceptions::robot.eq(e.robot),
                    exceptions::traceback.eq(&e.traceback),
                    exceptions::info.eq(&e.info),
                    exceptions::timestamp.eq(e.timestamp),
                    exceptions::report_id.eq(report_id),
                    exceptions::handled.eq(e.handled),
                    exceptions::primary.eq(i == 0 && !incomplete),
                    exceptions::creator_id.eq(creator),
                )
            })
            .collect();
        // The report first, with its primary code (the exceptions' trigger then finds nothing
        // to correct, so the row is written once).
        let primary_code = <[_]>::first(&kept)
            .filter(|_| !incomplete)
            .map(|(id, _)| *id);
        diesel::update(error_reports::table.find(report_id))
            .set((
                error_reports::extraction_status.eq(ExtractionStatus::Done.as_str()),
                error_reports::extraction_attempts.eq(error_reports::extraction_attempts + 1),
                error_reports::primary_code_id.eq(primary_code),
            ))
            .execute(conn)
            .await?;
        // One statement for all of a report's exceptions.
        if !rows.is_empty() {
            diesel::insert_into(exceptions::table)
                .values(rows)
                .execute(conn)
                .await?;
        }
        if incomplete {
            tags::add(
                conn,
                "error_report_tags",
                "error_report_id",
                report_id,
                &[INCOMPLETE],
            )
            .await?;
        }
        Ok(true)
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
