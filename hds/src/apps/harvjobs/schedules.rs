//! `jobschedules/`: a job to run on a set of harvesters once at a time or at every time a cron
//! expression names (beyond the original's one-shot scheduler; docs/api-design.md#jobs).
//!
//! Firing is the worker's: a due schedule is taken with `FOR UPDATE SKIP LOCKED`, its jobs are
//! created and `next_run` moved on in one transaction, so each due time fires once however many
//! workers run; a unique index on (schedule, due time, harvester) backs that up. Missed times
//! (every worker down) are not caught up: the schedule fires once, then at its next time.

use std::str::FromStr;

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use diesel::sql_types::{Array, BigInt, Jsonb, Nullable, Text, Timestamptz};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::jobs::{
    create_jobs, may_start, resolve_schema, resolve_targets, CreatedJob, Firing, ResolvedSchema,
    MAX_TARGETS,
};
use super::payload::{augment, PayloadSchema};
use crate::api::body::{Body, Db};
use crate::api::envelope::Ctx;
use crate::api::filters::{Param, ParamType, Query, CREATED_AFTER, CREATED_BEFORE};
use crate::api::sql::{cached_rows, first_id, json_rows, list_page, one, Bind, Listing, Where};
use crate::apps::json::audit;
use crate::auth::roles::Grants;
use crate::error::{AppError, AppResult};

pub const FILTERS: &[Param] = &[
    CREATED_AFTER,
    CREATED_BEFORE,
    Param::new(
        "active",
        ParamType::Bool,
        "Still to fire (not cancelled, not done).",
    ),
    Param::new(
        "jobtype",
        ParamType::Text,
        "Of the job type with this name.",
    ),
];

/// A schedule as rendered (alias `x` of `job_schedules`).
pub fn schedule(x: &str) -> String {
    format!(
        "json_build_object('id', {x}.id, {audit}, 'schema', {x}.schema_id, \
         'jobtype', (SELECT t.name FROM job_schemas s JOIN job_types t ON t.id = s.job_type_id WHERE s.id = {x}.schema_id), \
         'schema_version', (SELECT s.version FROM job_schemas s WHERE s.id = {x}.schema_id), \
         'targets', COALESCE((SELECT json_agg(h.harv_id ORDER BY h.harv_id) FROM harvesters h \
           WHERE h.id = ANY({x}.target_ids)), '[]'::json), \
         'payload', {x}.payload, 'cron', {x}.cron, 'run_at', hds_ts({x}.run_at), \
         'next_run', hds_ts({x}.next_run), 'last_run', hds_ts({x}.last_run), 'runs', {x}.runs, \
         'last_error', {x}.last_error, 'cancelled', hds_ts({x}.cancelled_at), \
         'jobs', '/api/v1/harvjobs/?schedule=' || {x}.id)",
        audit = audit(x)
    )
}

async fn get(conn: &mut AsyncPgConnection, id: i64) -> AppResult<Value> {
    one(
        conn,
        "job_schedules x",
        &schedule("x"),
        "x.id",
        id,
        "JobSchedule",
    )
    .await
}

#[derive(Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct ScheduleInput {
    pub jobtype: String,
    #[schema(value_type = String)]
    pub schema_version: Value,
    /// The harvesters' `harv_id`s: one job each at every due time.
    pub targets: Vec<i64>,
    #[serde(default)]
    pub payload: Value,
    /// A cron expression (minute hour day-of-month month day-of-week, UTC); or `run_at`.
    pub cron: Option<String>,
    /// When to run once (ISO 8601); or `cron`.
    pub run_at: Option<DateTime<Utc>>,
}

impl crate::api::body::Input for ScheduleInput {
    const COLUMNS: &'static [(&'static str, &'static str)] = &[
        ("jobtype", "job_types.name"),
        ("cron", "job_schedules.cron"),
    ];
}

/// A cron expression, or the 400 naming the field.
pub fn parse_cron(expr: &str) -> AppResult<croner::Cron> {
    if expr.trim().is_empty() || expr.len() > 100 {
        return Err(AppError::validation_field(
            "cron",
            "A cron expression of five fields (at most 100 characters).",
        ));
    }
    croner::Cron::from_str(expr.trim())
        .map_err(|e| AppError::validation_field("cron", format!("Not a cron expression: {e}")))
}

/// The first time `cron` names after `after`.
pub fn next_after(cron: &croner::Cron, after: DateTime<Utc>) -> AppResult<DateTime<Utc>> {
    cron.find_next_occurrence(&after, false)
        .map_err(|e| AppError::validation_field("cron", format!("The expression never fires: {e}")))
}

pub async fn list(ctx: Ctx, req: HttpRequest, mut db: Db) -> AppResult<HttpResponse> {
    let q = Query::parse(req.query_string());
    let mut w = Where::default();
    w.created(&q, "x")?;
    match q.bool("active")? {
        Some(true) => {
            w.add("x.next_run IS NOT NULL AND x.cancelled_at IS NULL", []);
        }
        Some(false) => {
            w.add("(x.next_run IS NULL OR x.cancelled_at IS NOT NULL)", []);
        }
        None => {}
    }
    if let Some(name) = q.get("jobtype") {
        w.add(
            "x.schema_id = ANY(ARRAY(SELECT s.id FROM job_schemas s JOIN job_types t \
               ON t.id = s.job_type_id WHERE t.name = ?))",
            [Bind::Text(name.to_string())],
        );
    }
    let json = schedule("x");
    let l = Listing {
        from: "job_schedules x",
        json: &json,
        id: "x.id",
        orderings: &[
            ("created", "x.created"),
            ("next_run", "x.next_run"),
            ("id", "x.id"),
        ],
        default_order: "x.created DESC, x.id DESC",
    };
    Ok(ctx.ok(list_page(&mut db, &req, &l, &w).await?))
}

pub async fn retrieve(ctx: Ctx, mut db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    Ok(ctx.ok(get(&mut db, *id).await?))
}

/// `POST jobschedules/`: the payload is checked against its schema now, so a schedule that
/// is accepted creates jobs when it fires.
pub async fn create(
    ctx: Ctx,
    mut db: Db,
    Body(input): Body<ScheduleInput>,
) -> AppResult<HttpResponse> {
    let caller = ctx.caller()?;
    may_start(caller.grants(), &input.jobtype)?;
    let me = caller.user_id;
    let now = Utc::now();
    let (cron, next_run) = match (&input.cron, input.run_at) {
        (Some(expr), None) => {
            let cron = parse_cron(expr)?;
            (Some(expr.trim().to_string()), next_after(&cron, now)?)
        }
        (None, Some(at)) => (None, at),
        _ => {
            return Err(AppError::validation_msg(
                "Give either `cron` (repeating) or `run_at` (once).",
            ))
        }
    };
    let mut harv_ids = input.targets.clone();
    harv_ids.sort_unstable();
    harv_ids.dedup();
    if harv_ids.is_empty() || harv_ids.len() > MAX_TARGETS {
        return Err(AppError::validation_field(
            "targets",
            format!("Between 1 and {MAX_TARGETS} harvesters."),
        ));
    }
    let schema = resolve_schema(
        &mut db,
        &input.jobtype,
        &super::jobs::version_text(&input.schema_version)?,
    )
    .await?;
    PayloadSchema::new(&schema.document)?.check(&augment(
        &input.payload,
        &crate::apps::event::link::new_uuid(),
        &schema.job_type,
    )?)?;
    let targets = resolve_targets(&mut db, "targets", &harv_ids).await?;
    let rows = json_rows(
        &mut db,
        "INSERT INTO job_schedules (schema_id, payload, target_ids, cron, run_at, next_run, creator_id) \
         VALUES ($1, $2, $3, $4, $5::timestamptz, $6, $7) RETURNING json_build_object('id', id) AS data"
            .to_string(),
        &[
            Bind::Int(schema.id),
            Bind::Json(match input.payload {
                Value::Null => Value::Object(Default::default()),
                p => p,
            }),
            Bind::Ints(targets.iter().map(|t| t.0).collect()),
            Bind::OptText(cron),
            Bind::OptText(input.run_at.map(|t| t.to_rfc3339())),
            Bind::Time(next_run),
            Bind::Int(me),
        ],
    )
    .await?;
    let id = first_id(&rows).ok_or_else(|| AppError::internal("schedule not stored"))?;
    Ok(ctx.ok(get(&mut db, id).await?))
}

/// `DELETE jobschedules/{id}/`: cancels the schedule (kept, with the jobs it created). Its
/// creator or a manager may.
pub async fn cancel(ctx: Ctx, mut db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    let caller = ctx.caller()?;
    let is_manager = caller.grants().intersects(Grants::M);
    let rows = json_rows(
        &mut db,
        "UPDATE job_schedules SET cancelled_at = COALESCE(cancelled_at, now()), next_run = NULL, \
           modified_by_id = $2, last_modified = now() \
         WHERE id = $1 AND ($3 OR creator_id = $2) RETURNING json_build_object('id', id) AS data"
            .to_string(),
        &[
            Bind::Int(*id),
            Bind::Int(caller.user_id),
            Bind::Bool(is_manager),
        ],
    )
    .await?;
    if rows.is_empty() {
        // Either there is no such schedule (404) or it is someone else's (403).
        get(&mut db, *id).await?;
        return Err(AppError::Forbidden);
    }
    Ok(ctx.deleted())
}

#[derive(diesel::QueryableByName)]
struct Due {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = BigInt)]
    schema_id: i64,
    #[diesel(sql_type = Jsonb)]
    payload: Value,
    #[diesel(sql_type = Array<BigInt>)]
    target_ids: Vec<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    cron: Option<String>,
    #[diesel(sql_type = Timestamptz)]
    next_run: DateTime<Utc>,
    #[diesel(sql_type = Nullable<BigInt>)]
    creator_id: Option<i64>,
}

/// Fires every schedule that is due, each in its own transaction; returns the jobs created
/// (for their dispatch to be queued).
pub async fn fire_due(conn: &mut AsyncPgConnection) -> AppResult<Vec<CreatedJob>> {
    let mut created = Vec::new();
    // Bounded, so one call cannot run forever if a schedule's next time is always due.
    for _ in 0..100 {
        let fired = conn
            .transaction::<Option<Vec<CreatedJob>>, AppError, _>(async |conn| fire_one(conn).await)
            .await?;
        match fired {
            Some(jobs) => created.extend(jobs),
            None => break,
        }
    }
    Ok(created)
}

/// Takes one due schedule (skipping those another worker holds), creates its jobs and moves
/// it on. `None` when nothing is due.
async fn fire_one(conn: &mut AsyncPgConnection) -> AppResult<Option<Vec<CreatedJob>>> {
    let due: Vec<Due> = cached_rows(
        conn,
        "SELECT id, schema_id, payload, target_ids, cron, next_run, creator_id FROM job_schedules \
         WHERE next_run <= now() AND cancelled_at IS NULL ORDER BY next_run LIMIT 1 \
         FOR UPDATE SKIP LOCKED",
        &[],
    )
    .await?;
    let Some(due) = due.into_iter().next() else {
        return Ok(None);
    };
    let next = match &due.cron {
        Some(expr) => {
            let cron = parse_cron(expr)?;
            Some(next_after(&cron, Utc::now().max(due.next_run))?)
        }
        None => None,
    };
    #[derive(diesel::QueryableByName)]
    struct Target {
        #[diesel(sql_type = BigInt)]
        id: i64,
        #[diesel(sql_type = BigInt)]
        harv_id: i64,
    }
    let targets: Vec<Target> = cached_rows(
        conn,
        "SELECT id, harv_id::bigint AS harv_id FROM harvesters WHERE id = ANY($1) ORDER BY id",
        &[Bind::Ints(due.target_ids.clone())],
    )
    .await?;
    let targets: Vec<(i64, i64)> = targets.into_iter().map(|t| (t.id, t.harv_id)).collect();
    let schema = schema_by_id(conn, due.schema_id).await?;
    let firing = Firing {
        schedule_id: due.id,
        due: due.next_run,
    };
    // A payload its schema no longer accepts (or a creator deleted since) is recorded on the
    // schedule, not retried forever.
    let outcome = match due.creator_id {
        Some(creator) => {
            create_jobs(conn, &schema, &targets, &due.payload, creator, Some(firing)).await
        }
        None => Err(AppError::validation_msg(
            "The schedule's creator no longer exists.",
        )),
    };
    let (jobs, error) = match outcome {
        Ok(jobs) => (jobs, None),
        Err(e @ AppError::Validation(_)) => (Vec::new(), Some(e.to_string())),
        Err(e) => return Err(e),
    };
    let _: Vec<Fired> = cached_rows(
        conn,
        "UPDATE job_schedules SET next_run = $2::timestamptz, last_run = $3, runs = runs + 1, \
           last_error = $4, last_modified = now() WHERE id = $1 RETURNING id",
        &[
            Bind::Int(due.id),
            Bind::OptText(next.map(|t| t.to_rfc3339())),
            Bind::Time(due.next_run),
            Bind::OptText(error),
        ],
    )
    .await?;
    Ok(Some(jobs))
}

#[derive(diesel::QueryableByName)]
struct Fired {
    #[diesel(sql_type = BigInt)]
    #[allow(dead_code)]
    id: i64,
}

async fn schema_by_id(conn: &mut AsyncPgConnection, id: i64) -> AppResult<ResolvedSchema> {
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = Text)]
        name: String,
        #[diesel(sql_type = Jsonb)]
        schema: Value,
    }
    let rows: Vec<Row> = cached_rows(
        conn,
        "SELECT t.name, s.schema FROM job_schemas s JOIN job_types t ON t.id = s.job_type_id WHERE s.id = $1",
        &[Bind::Int(id)],
    )
    .await?;
    let row = rows
        .into_iter()
        .next()
        .ok_or_else(|| AppError::internal("a schedule's job schema is gone"))?;
    Ok(ResolvedSchema {
        id,
        job_type: row.name,
        document: row.schema,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn cron_expressions_are_read_and_bad_ones_refused() {
        let c = parse_cron("30 2 * * *").unwrap();
        let after = Utc.with_ymd_and_hms(2026, 12, 5, 3, 0, 0).unwrap();
        assert_eq!(
            next_after(&c, after).unwrap(),
            Utc.with_ymd_and_hms(2026, 12, 6, 2, 30, 0).unwrap()
        );
        assert!(parse_cron("every day").is_err());
        assert!(parse_cron("61 * * * *").is_err());
        assert!(parse_cron("").is_err());
    }
}
