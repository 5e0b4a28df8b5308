//! `harvjobs/`: jobs sent to harvesters. Creating one records it (with its event) and its
//! dispatch as pending work in one transaction; the worker sends it (`dispatch.rs`); job
//! results set its status (`status.rs`). docs/api-design.md#jobs.

use actix_web::{web, HttpRequest, HttpResponse};
use diesel::sql_types::{BigInt, Jsonb, Text};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use super::payload::{augment, PayloadSchema};
use crate::api::body::{Body, Db};
use crate::api::envelope::Ctx;
use crate::api::filters::{Param, ParamType, Query, CREATED_AFTER, CREATED_BEFORE, UUIDS};
use crate::api::sql::{cached_rows, json_rows, list_page, one, Bind, Listing, Where};
use crate::api::state::AppState;
use crate::apps::event::link;
use crate::apps::json::audit;
use crate::auth::roles::Grants;
use crate::error::{AppError, AppResult};
use crate::reports::json::nested_event;

/// Job types support staff may start without a manager (§4.9), compared case-insensitively.
pub const SUPPORT_JOB_TYPES: [&str; 3] = ["sess_clip", "session_scrape", "test"];

/// Every status a job can be in.
pub const STATUSES: [&str; 7] = [
    "Pending",
    "Success",
    "Failed",
    "Error",
    "Failed and errors",
    "Failed to send",
    "canceled",
];

/// At most this many harvesters in one `harvjobs/bulk/` request or schedule.
pub const MAX_TARGETS: usize = 5000;

pub const FILTERS: &[Param] = &[
    CREATED_AFTER,
    CREATED_BEFORE,
    UUIDS,
    Param::new(
        "target__harv_id",
        ParamType::Int,
        "For the harvester with this harv_id.",
    ),
    Param::new("schema__id", ParamType::Int, "Of this job schema."),
    Param::new(
        "schema__version",
        ParamType::Text,
        "Of job schemas of this version.",
    ),
    Param::new(
        "event__UUID",
        ParamType::Text,
        "Of the event with this UUID.",
    ),
    Param::new("jobstatus", ParamType::Text, "In this status."),
    Param::new(
        "jobtype",
        ParamType::Text,
        "Of the job type with this name.",
    ),
    Param::new("schedule", ParamType::Int, "Fired by this schedule."),
];

pub const ORDERINGS: &[(&str, &str)] = &[
    ("created", "x.created"),
    ("id", "x.id"),
    ("jobstatus", "x.jobstatus"),
];

/// A job as rendered (alias `x` of `jobs`): the original's fields, the links to its results
/// and history, and (beyond the original) its type and schema version by name, its dispatch
/// and schedule.
pub fn job(x: &str) -> String {
    format!(
        "json_build_object('id', {x}.id, {audit}, 'event', {event}, 'schema', {x}.schema_id, \
         'target', {x}.target_id, 'payload', {x}.payload, 'jobstatus', {x}.jobstatus, \
         'jobtype', (SELECT t.name FROM job_schemas s JOIN job_types t ON t.id = s.job_type_id \
           WHERE s.id = {x}.schema_id), \
         'schema_version', (SELECT s.version FROM job_schemas s WHERE s.id = {x}.schema_id), \
         'results', '/api/v1/jobresults/?job__target__harv_id=' || \
           COALESCE((SELECT h.harv_id::text FROM harvesters h WHERE h.id = {x}.target_id), '') || \
           '&job__event__UUID=' || COALESCE((SELECT e.uuid FROM events e WHERE e.id = {x}.event_id), ''), \
         'history', '/api/v1/harvjobs/' || {x}.id || '/history/', \
         'dispatch', json_build_object('status', {x}.dispatch_status, 'attempts', {x}.dispatch_attempts, \
           'error', {x}.dispatch_error, 'sent', hds_ts({x}.dispatched_at)), \
         'schedule', {x}.schedule_id)",
        audit = audit(x),
        event = nested_event(x),
    )
}

async fn get(conn: &mut AsyncPgConnection, id: i64) -> AppResult<Value> {
    one(conn, "jobs x", &job("x"), "x.id", id, "Job").await
}

pub async fn list(ctx: Ctx, req: HttpRequest, mut db: Db) -> AppResult<HttpResponse> {
    let q = Query::parse(req.query_string());
    let mut w = Where::default();
    w.created(&q, "x")?;
    if let Some(uuids) = q.str_list("uuid") {
        w.add(
            "x.event_id = ANY(ARRAY(SELECT id FROM events WHERE uuid = ANY(?)))",
            [Bind::Texts(uuids)],
        );
    }
    if let Some(uuid) = q.get("event__UUID") {
        w.add(
            "x.event_id = ANY(ARRAY(SELECT id FROM events WHERE uuid = ?))",
            [Bind::Text(uuid.to_string())],
        );
    }
    if let Some(harv_id) = q.int("target__harv_id")? {
        w.add(
            "x.target_id = ANY(ARRAY(SELECT id FROM harvesters WHERE harv_id = ?))",
            [Bind::Int(harv_id)],
        );
    }
    if let Some(id) = q.int("schema__id")? {
        w.add("x.schema_id = ?", [Bind::Int(id)]);
    }
    if let Some(version) = q.get("schema__version") {
        w.add(
            "x.schema_id = ANY(ARRAY(SELECT id FROM job_schemas WHERE version = ?))",
            [Bind::Text(version.to_string())],
        );
    }
    if let Some(status) = q.get("jobstatus") {
        w.add("x.jobstatus = ?", [Bind::Text(status.to_string())]);
    }
    if let Some(name) = q.get("jobtype") {
        w.add(
            "x.schema_id = ANY(ARRAY(SELECT s.id FROM job_schemas s JOIN job_types t \
               ON t.id = s.job_type_id WHERE t.name = ?))",
            [Bind::Text(name.to_string())],
        );
    }
    if let Some(id) = q.int("schedule")? {
        w.add("x.schedule_id = ?", [Bind::Int(id)]);
    }
    let json = job("x");
    let l = Listing {
        from: "jobs x",
        json: &json,
        id: "x.id",
        orderings: ORDERINGS,
        default_order: "x.created DESC, x.id DESC",
    };
    Ok(ctx.ok(list_page(&mut db, &req, &l, &w).await?))
}

pub async fn retrieve(ctx: Ctx, mut db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    Ok(ctx.ok(get(&mut db, *id).await?))
}

/// `schema_version` as clients send it: a string, or a number CI wrote unquoted.
pub fn version_text(v: &Value) -> AppResult<String> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        _ => Err(AppError::validation_field(
            "schema_version",
            "The schema's version (a string).",
        )),
    }
}

#[derive(Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct JobInput {
    /// The job type's name.
    pub jobtype: String,
    /// The version of the job type's schema the payload follows.
    #[schema(value_type = String)]
    pub schema_version: Value,
    /// The harvester's `harv_id`.
    pub target: i64,
    /// The job's arguments; `id`, `job_type` and `timeout` are added by the server.
    #[serde(default)]
    pub payload: Value,
}

impl crate::api::body::Input for JobInput {
    const COLUMNS: &'static [(&'static str, &'static str)] = &[("jobtype", "job_types.name")];
}

#[derive(Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct BulkJobInput {
    pub jobtype: String,
    #[schema(value_type = String)]
    pub schema_version: Value,
    /// The harvesters' `harv_id`s: one job each.
    pub targets: Vec<i64>,
    #[serde(default)]
    pub payload: Value,
}

impl crate::api::body::Input for BulkJobInput {
    const COLUMNS: &'static [(&'static str, &'static str)] = &[("jobtype", "job_types.name")];
}

/// A job created by `harvjobs/bulk/`.
#[derive(Serialize, Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct CreatedJob {
    pub id: i64,
    /// The harvester's `harv_id`.
    pub target: i64,
    #[serde(rename = "UUID")]
    pub uuid: String,
}

#[derive(Serialize, Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct CreatedJobs {
    pub count: usize,
    pub jobs: Vec<CreatedJob>,
}

/// A job schema resolved from the type's name and the version.
pub struct ResolvedSchema {
    pub id: i64,
    pub job_type: String,
    pub document: Value,
}

#[derive(diesel::QueryableByName)]
struct SchemaRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Jsonb)]
    schema: Value,
}

/// The schema of `version` of job type `job_type`, or the 400 naming the field.
pub async fn resolve_schema(
    conn: &mut AsyncPgConnection,
    job_type: &str,
    version: &str,
) -> AppResult<ResolvedSchema> {
    super::types::type_id(conn, job_type).await?;
    let rows: Vec<SchemaRow> = cached_rows(
        conn,
        "SELECT s.id, t.name, s.schema FROM job_schemas s JOIN job_types t ON t.id = s.job_type_id \
         WHERE t.name = $1 AND s.version = $2",
        &[
            Bind::Text(job_type.to_string()),
            Bind::Text(version.to_string()),
        ],
    )
    .await?;
    let row = rows.into_iter().next().ok_or_else(|| {
        AppError::validation_field(
            "schema_version",
            format!("Job type {job_type:?} has no schema version {version:?}."),
        )
    })?;
    Ok(ResolvedSchema {
        id: row.id,
        job_type: row.name,
        document: row.schema,
    })
}

/// Harvester ids and `harv_id`s for `harv_ids`, in their order; 400 naming the first unknown.
pub async fn resolve_targets(
    conn: &mut AsyncPgConnection,
    field: &str,
    harv_ids: &[i64],
) -> AppResult<Vec<(i64, i64)>> {
    #[derive(diesel::QueryableByName)]
    struct Target {
        #[diesel(sql_type = BigInt)]
        id: i64,
        #[diesel(sql_type = BigInt)]
        harv_id: i64,
    }
    let rows: Vec<Target> = cached_rows(
        conn,
        "SELECT id, harv_id::bigint AS harv_id FROM harvesters WHERE harv_id::bigint = ANY($1)",
        &[Bind::Ints(harv_ids.to_vec())],
    )
    .await?;
    let by_harv: std::collections::HashMap<i64, i64> =
        rows.into_iter().map(|t| (t.harv_id, t.id)).collect();
    harv_ids
        .iter()
        .map(|h| {
            by_harv.get(h).map(|id| (*id, *h)).ok_or_else(|| {
                AppError::validation_field(field, format!("No harvester with harv_id {h}."))
            })
        })
        .collect()
}

/// Whether the caller may start jobs of `job_type`: managers any, support staff the
/// whitelisted ones (§4.9).
pub fn may_start(grants: Grants, job_type: &str) -> AppResult<()> {
    let whitelisted = SUPPORT_JOB_TYPES
        .iter()
        .any(|t| t.eq_ignore_ascii_case(job_type));
    match grants.intersects(Grants::M) || whitelisted {
        true => Ok(()),
        false => Err(AppError::Forbidden),
    }
}

/// Where a job created by a schedule comes from: the schedule and the due time it fires.
#[derive(Clone, Copy)]
pub struct Firing {
    pub schedule_id: i64,
    pub due: chrono::DateTime<chrono::Utc>,
}

/// Creates one job per target (`(harvester id, harv_id)`) inside the caller's transaction:
/// payloads augmented and checked, events created (tagged `Job`), jobs stored `Pending` with
/// their dispatch pending. Returns the jobs created (a schedule's firing that already happened
/// creates none).
pub async fn create_jobs(
    conn: &mut AsyncPgConnection,
    schema: &ResolvedSchema,
    targets: &[(i64, i64)],
    payload: &Value,
    creator: i64,
    firing: Option<Firing>,
) -> AppResult<Vec<CreatedJob>> {
    let compiled = PayloadSchema::new(&schema.document)?;
    let mut uuids = Vec::with_capacity(targets.len());
    let mut payloads = Vec::with_capacity(targets.len());
    for _ in targets {
        let uuid = link::new_uuid();
        let p = augment(payload, &uuid, &schema.job_type)?;
        compiled.check(&p)?;
        payloads.push(p.to_string());
        uuids.push(uuid);
    }
    let creators = vec![creator; targets.len()];
    let events = link::events_by_uuid(conn, &uuids, &creators, "Job").await?;
    let event_ids: Vec<i64> = uuids
        .iter()
        .map(|u| {
            events
                .get(u)
                .copied()
                .ok_or_else(|| AppError::internal("a job's event was not created"))
        })
        .collect::<AppResult<_>>()?;
    #[derive(diesel::QueryableByName)]
    struct Inserted {
        #[diesel(sql_type = BigInt)]
        id: i64,
        #[diesel(sql_type = BigInt)]
        event_id: i64,
    }
    let inserted: Vec<Inserted> = cached_rows(
        conn,
        "INSERT INTO jobs (event_id, schema_id, target_id, payload, jobstatus, creator_id, \
           dispatch_status, schedule_id, scheduled_for) \
         SELECT e, $2, t, p::jsonb, 'Pending', $3, 'pending', $6, $7::timestamptz \
         FROM unnest($1::bigint[], $4::bigint[], $5::text[]) AS i(e, t, p) \
         ON CONFLICT DO NOTHING RETURNING id, event_id",
        &[
            Bind::Ints(event_ids.clone()),
            Bind::Int(schema.id),
            Bind::Int(creator),
            Bind::Ints(targets.iter().map(|t| t.0).collect()),
            Bind::Texts(payloads),
            Bind::OptInt(firing.map(|f| f.schedule_id)),
            Bind::OptText(firing.map(|f| f.due.to_rfc3339())),
        ],
    )
    .await?;
    // Results that arrived before their job (D9) are linked to it now; their status follows.
    super::status::link_waiting_results(conn, &event_ids).await?;
    let by_event: std::collections::HashMap<i64, i64> =
        inserted.iter().map(|r| (r.event_id, r.id)).collect();
    Ok(event_ids
        .iter()
        .zip(uuids)
        .zip(targets)
        .filter_map(|((event, uuid), (_, harv_id))| {
            by_event.get(event).map(|&id| CreatedJob {
                id,
                target: *harv_id,
                uuid,
            })
        })
        .collect())
}

/// Queues the dispatch of `jobs` (after their commit; the sweep sends what the queue loses).
pub async fn queue_dispatch(state: &AppState, jobs: &[CreatedJob]) {
    for j in jobs {
        state
            .jobs
            .push(crate::jobs::Job::Dispatch { job_id: j.id })
            .await;
    }
}

/// `POST harvjobs/`: one job on one harvester.
pub async fn create(
    ctx: Ctx,
    state: web::Data<AppState>,
    mut db: Db,
    Body(input): Body<JobInput>,
) -> AppResult<HttpResponse> {
    let caller = ctx.caller()?;
    may_start(caller.grants(), &input.jobtype)?;
    let me = caller.user_id;
    let conn: &mut AsyncPgConnection = &mut db;
    let created = conn
        .transaction::<_, AppError, _>(async |conn| {
            let schema =
                resolve_schema(conn, &input.jobtype, &version_text(&input.schema_version)?).await?;
            let targets = resolve_targets(conn, "target", &[input.target]).await?;
            create_jobs(conn, &schema, &targets, &input.payload, me, None).await
        })
        .await?;
    queue_dispatch(&state, &created).await;
    let id = created
        .first()
        .map(|j| j.id)
        .ok_or_else(|| AppError::internal("the job was not stored"))?;
    Ok(ctx.ok(get(&mut db, id).await?))
}

/// `POST harvjobs/bulk/`: the same job on many harvesters, one job each, in one transaction
/// (the scheduler page's "all of the fleet").
pub async fn create_bulk(
    ctx: Ctx,
    state: web::Data<AppState>,
    mut db: Db,
    Body(input): Body<BulkJobInput>,
) -> AppResult<HttpResponse> {
    let caller = ctx.caller()?;
    may_start(caller.grants(), &input.jobtype)?;
    let me = caller.user_id;
    let mut harv_ids = input.targets.clone();
    harv_ids.sort_unstable();
    harv_ids.dedup();
    if harv_ids.is_empty() || harv_ids.len() > MAX_TARGETS {
        return Err(AppError::validation_field(
            "targets",
            format!("Between 1 and {MAX_TARGETS} harvesters."),
        ));
    }
    let conn: &mut AsyncPgConnection = &mut db;
    let created = conn
        .transaction::<_, AppError, _>(async |conn| {
            let schema =
                resolve_schema(conn, &input.jobtype, &version_text(&input.schema_version)?).await?;
            let targets = resolve_targets(conn, "targets", &harv_ids).await?;
            create_jobs(conn, &schema, &targets, &input.payload, me, None).await
        })
        .await?;
    queue_dispatch(&state, &created).await;
    Ok(ctx.ok(CreatedJobs {
        count: created.len(),
        jobs: created,
    }))
}

#[derive(Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct JobPatch {
    /// One of the job statuses.
    pub jobstatus: Option<String>,
    pub payload: Option<Value>,
}

impl crate::api::body::Input for JobPatch {
    const COLUMNS: &'static [(&'static str, &'static str)] = &[("jobstatus", "jobs.jobstatus")];
}

/// `PUT`/`PATCH harvjobs/{id}/` (superusers): corrects a job's status or payload.
pub async fn update(
    ctx: Ctx,
    mut db: Db,
    id: web::Path<i64>,
    Body(input): Body<JobPatch>,
) -> AppResult<HttpResponse> {
    let (me, id) = (ctx.caller()?.user_id, *id);
    if let Some(s) = &input.jobstatus {
        if !STATUSES.contains(&s.as_str()) {
            return Err(AppError::validation_field(
                "jobstatus",
                format!("\"{s}\" is not a valid choice."),
            ));
        }
    }
    if let Some(p) = &input.payload {
        if !p.is_object() {
            return Err(AppError::validation_field(
                "payload",
                "The payload is a JSON object.",
            ));
        }
    }
    let rows = json_rows(
        &mut db,
        "UPDATE jobs SET jobstatus = COALESCE($2, jobstatus), payload = COALESCE($3::jsonb, payload), \
         modified_by_id = $4, last_modified = now() WHERE id = $1 \
         RETURNING json_build_object('id', id) AS data"
            .to_string(),
        &[
            Bind::Int(id),
            Bind::OptText(input.jobstatus),
            Bind::OptText(input.payload.map(|p| p.to_string())),
            Bind::Int(me),
        ],
    )
    .await?;
    AppError::unless_none(rows.len(), "Job")?;
    Ok(ctx.ok(get(&mut db, id).await?))
}

pub async fn destroy(ctx: Ctx, mut db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    crate::apps::delete_row(&mut db, "jobs", *id, "Job").await?;
    Ok(ctx.deleted())
}

/// One state of a job in its history.
#[derive(Serialize, Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct JobHistoryEntry {
    pub jobstatus: Option<String>,
    pub history_id: i64,
    pub history_date: String,
}

/// `GET harvjobs/{id}/history/`: the job's statuses, newest first.
pub async fn history(
    ctx: Ctx,
    req: HttpRequest,
    mut db: Db,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = *id;
    let job = get(&mut db, id).await?;
    let uuid = job["event"]["UUID"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let mut w = Where::default();
    w.add("x.id = ?", [Bind::Int(id)]);
    let l = Listing {
        from: "job_history x",
        json: "json_build_object('jobstatus', x.jobstatus, 'history_id', x.history_id, \
               'history_date', hds_ts(x.history_date))",
        id: "x.history_id",
        orderings: &[],
        default_order: "x.history_date DESC, x.history_id DESC",
    };
    Ok(ctx.message(
        &format!("Job {uuid} history"),
        list_page(&mut db, &req, &l, &w).await?,
    ))
}

/// `GET harvjobs/{id}/reschedule/`: sends the job again (its dispatch pending once more; a
/// job that could not be sent is `Pending` again).
pub async fn reschedule(
    ctx: Ctx,
    state: web::Data<AppState>,
    mut db: Db,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let (me, id) = (ctx.caller()?.user_id, *id);
    let rows = json_rows(
        &mut db,
        "UPDATE jobs SET dispatch_status = 'pending', dispatch_attempts = 0, dispatch_error = NULL, \
           dispatch_lease = NULL, \
           jobstatus = CASE WHEN jobstatus = 'Failed to send' THEN 'Pending' ELSE jobstatus END, \
           modified_by_id = $2, last_modified = now() \
         WHERE id = $1 RETURNING json_build_object('id', id) AS data"
            .to_string(),
        &[Bind::Int(id), Bind::Int(me)],
    )
    .await?;
    AppError::unless_none(rows.len(), "Job")?;
    state
        .jobs
        .push(crate::jobs::Job::Dispatch { job_id: id })
        .await;
    Ok(ctx.message(
        &format!("Job {id} rescheduled successfully"),
        get(&mut db, id).await?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn support_staff_start_only_the_whitelisted_types() {
        use crate::auth::roles::Role;
        let support = Grants::of(Role::Support, false);
        let manager = Grants::of(Role::Manager, false);
        assert!(may_start(support, "SESSION_SCRAPE").is_ok());
        assert!(may_start(support, "install_release").is_err());
        assert!(may_start(manager, "install_release").is_ok());
        assert!(may_start(Grants::of(Role::Support, true), "anything").is_ok());
    }
}
