//! Job results as a report kind: linked to their event by `uuid`; the worker turns each host's
//! entry of `data` into a host result.

use chrono::{TimeZone, Utc};
use diesel_async::AsyncPgConnection;
use futures_util::future::BoxFuture;
use futures_util::FutureExt;
use serde_json::Value;

use crate::api::filters::{Param, ParamType, Query};
use crate::api::sql::Where;
use crate::api::sql::{cached_rows, Bind};
use crate::apps::json::audit;
use crate::error::{AppError, AppResult};
use crate::reports::json::{common, nested_event};
use crate::reports::{Depth, Extraction, Kind, Related, ReportKind};

pub const JOB_RESULTS: ReportKind = ReportKind {
    name: "jobresults",
    schema_name: "jobresults",
    model: "JobResults",
    key_prefix: "jobresults",
    table: "job_results",
    tags: ("job_result_tags", "job_result_id"),
    schema: Some(schema),
    harvester_context: &[],
    event_tag: Some("JobResults"),
    pick_session_tag: None,
    aux_events: true,
    owns_pick_session: false,
    session_span: None,
    absorbs_repeats: false,
    ignore: None,
    columns: &[],
    members: all,
    details_sql,
    representation,
    filters,
    after_create: None,
    extract: Some(Extraction {
        task: "job_status_update",
        run: host_results,
    }),
    related: Some(Related {
        route: "/jobstatus/",
        label: "Job Status",
    }),
};

/// Job results' own filters (beyond the report and event filters).
pub const FILTERS: &[Param] = &[
    Param::new(
        "job__target__harv_id",
        ParamType::Int,
        "For jobs on the harvester with this harv_id.",
    ),
    Param::new(
        "job__event__UUID",
        ParamType::Text,
        "For the job whose event has this UUID.",
    ),
    Param::new("job", ParamType::Int, "For this job."),
];

fn filters(q: &Query, w: &mut Where) -> AppResult<()> {
    if let Some(harv_id) = q.int("job__target__harv_id")? {
        w.add(
            "r.job_id = ANY(ARRAY(SELECT j.id FROM jobs j JOIN harvesters h ON h.id = j.target_id \
               WHERE h.harv_id = ?))",
            [Bind::Int(harv_id)],
        );
    }
    if let Some(uuid) = q.get("job__event__UUID") {
        w.add(
            "r.job_id = ANY(ARRAY(SELECT j.id FROM jobs j JOIN events e ON e.id = j.event_id \
               WHERE e.uuid = ?))",
            [Bind::Text(uuid.to_string())],
        );
    }
    if let Some(job) = q.int("job")? {
        w.add("r.job_id = ?", [Bind::Int(job)]);
    }
    Ok(())
}

pub struct JobResultsKind;
impl Kind for JobResultsKind {
    const KIND: &'static ReportKind = &JOB_RESULTS;
}

fn all(_: &str) -> Depth {
    Depth::All
}

fn details_sql() -> String {
    JOB_RESULTS.plain_details_sql()
}

pub fn representation(r: &str, report: &str) -> String {
    let x = format!("{r}_x");
    format!(
        "json_build_object({common}, 'host_results', COALESCE((SELECT json_agg(json_build_object('id', {x}.id, \
           {xa}, 'host', {x}.host, 'result', {x}.result, 'details', {x}.details, \
           'timestamp', hds_ts({x}.\"timestamp\"), 'parent', {x}.parent_id) ORDER BY {x}.host) \
           FROM job_host_results {x} WHERE {x}.parent_id = {r}.id), '[]'::json), \
         'location', {r}.location_id, 'harvester', {r}.harvester_id, 'event', {event}, 'job', {r}.job_id)",
        common = common(&JOB_RESULTS, r, report),
        xa = audit(&x),
        event = nested_event(r),
    )
}

/// A host's status as a job result (docs/compatibility.md#d9: an unknown status is an `Error`,
/// the raw status kept in the details).
pub fn host_result(status: Option<&str>) -> &'static str {
    match status.map(str::to_lowercase).as_deref() {
        Some("success") => "Success",
        Some("failure") => "Failed",
        Some("canceled") | Some("cancelled") => "canceled",
        _ => "Error",
    }
}

/// Links the results to their job (the job whose event they share, D9: none yet is fine), then
/// one host result per mapping entry of `data` (idempotent: a host already recorded is kept),
/// then the job's status from them.
fn host_results<'a>(
    conn: &'a mut AsyncPgConnection,
    row: &'a crate::reports::extraction::StoredReport,
) -> BoxFuture<'a, AppResult<()>> {
    async move {
        let id = row.id;
        #[derive(diesel::QueryableByName)]
        struct Linked {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            #[allow(dead_code)]
            id: i64,
        }
        let _: Vec<Linked> = cached_rows(
            conn,
            "UPDATE job_results r SET job_id = (SELECT j.id FROM jobs j WHERE j.event_id = r.event_id \
               ORDER BY j.id DESC LIMIT 1) \
             WHERE r.id = $1 AND r.job_id IS NULL RETURNING r.id",
            &[Bind::Int(id)],
        )
        .await?;
        let hosts = row
            .report
            .get("data")
            .and_then(Value::as_object)
            .ok_or_else(|| AppError::validation_field("data", "Job results need a data object."))?;
        let (mut names, mut results, mut details, mut times) = (vec![], vec![], vec![], vec![]);
        for (host, entry) in hosts.iter().filter(|(_, v)| v.is_object()) {
            names.push(host.chars().take(30).collect::<String>());
            results.push(host_result(entry.get("status").and_then(Value::as_str)).to_string());
            details.push(entry.to_string());
            times.push(
                entry
                    .get("ts")
                    .and_then(Value::as_f64)
                    .and_then(|ts| Utc.timestamp_micros((ts * 1e6).round() as i64).single())
                    .map(|t| t.to_rfc3339()),
            );
        }
        #[derive(diesel::QueryableByName)]
        struct Inserted {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            #[allow(dead_code)]
            id: i64,
        }
        let _: Vec<Inserted> = cached_rows(
            conn,
            "INSERT INTO job_host_results (parent_id, host, result, details, \"timestamp\", creator_id) \
             SELECT $1, h, r, d::jsonb, t::timestamptz, $6 FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS i(h, r, d, t) \
             ON CONFLICT (parent_id, host) DO NOTHING RETURNING id",
            &[
                Bind::Int(id),
                Bind::Texts(names),
                Bind::Texts(results),
                Bind::Texts(details),
                Bind::OptTexts(times),
                Bind::OptInt(row.creator_id),
            ],
        )
        .await?;
        super::status::update_from_result(conn, id).await
    }
    .boxed()
}

fn schema() -> &'static crate::reports::schema::Schema {
    use crate::reports::schema::LazySchema;
    static SCHEMA: LazySchema = LazySchema::new();
    SCHEMA.get(|| {
        serde_json::json!({
            "type": "object",
            "properties": {
                "data": {
                    "type": "object",
                    "additionalProperties": {
                        "type": "object",
                        "properties": {
                            "ts": { "type": "number" },
                            "status": { "type": "string" },
                            "exit_code": { "type": ["integer", "null"] },
                            "stdout": { "type": ["string", "null"] },
                            "stderr": { "type": ["string", "null"] }
                        }
                    }
                },
                "uuid": { "type": "string" },
                "timestamp": { "type": "number" },
                "type": { "type": "string" },
                "serial_number": { "type": ["string", "number"] }
            },
            "required": ["data", "timestamp", "serial_number"]
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_to_results_and_unknown_ones_are_errors() {
        assert_eq!(host_result(Some("SUCCESS")), "Success");
        assert_eq!(host_result(Some("failure")), "Failed");
        assert_eq!(host_result(Some("error")), "Error");
        assert_eq!(host_result(Some("cancelled")), "canceled");
        assert_eq!(host_result(Some("exploded")), "Error");
        assert_eq!(host_result(None), "Error");
    }
}
