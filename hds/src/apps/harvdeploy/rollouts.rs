//! Release rollouts (beyond the original; docs/api-design.md#release-rollouts): a release is
//! installed on a set of harvesters in waves of `install_release` jobs. The worker starts the
//! next wave once the current one is installed and watched for `wave_minutes`, unless the
//! harvesters already on the release send error reports markedly more often than they did on
//! their previous release: then the rollout halts, with what it saw.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use diesel::sql_types::{Array, BigInt, Double, Integer, Jsonb, Nullable, Text, Timestamptz};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use utoipa::ToSchema;

use crate::api::body::{Body, Db};
use crate::api::envelope::Ctx;
use crate::api::sql::{cached_rows, first_id, json_rows, list_page, one, Bind, Listing, Where};
use crate::apps::harvjobs::jobs::{create_jobs, resolve_targets, CreatedJob, ResolvedSchema};
use crate::apps::json::audit;
use crate::error::{AppError, AppResult};

/// The job type whose jobs install a release.
pub const INSTALL_JOB_TYPE: &str = "install_release";

/// A rollout as rendered (alias `x` of `release_rollouts`), with each wave's harvesters and
/// the state of their install jobs.
pub fn rollout(x: &str) -> String {
    format!(
        "json_build_object('id', {x}.id, {audit}, 'release', {x}.release_id, 'schema', {x}.schema_id, \
         'status', {x}.status, 'current_wave', {x}.current_wave, 'halt_ratio', {x}.halt_ratio, \
         'min_reports', {x}.min_reports, 'wave_minutes', {x}.wave_minutes, \
         'wave_started_at', hds_ts({x}.wave_started_at), 'halt_reason', {x}.halt_reason, \
         'evaluation', {x}.evaluation, \
         'waves', (SELECT json_agg(json_build_object('wave', w.n, \
             'harvesters', (SELECT COALESCE(json_agg(h.harv_id ORDER BY t.o), '[]'::json) \
               FROM unnest({x}.target_ids) WITH ORDINALITY AS t(id, o) JOIN harvesters h ON h.id = t.id \
               WHERE t.o > COALESCE({x}.wave_ends[w.n - 1], 0) AND t.o <= {x}.wave_ends[w.n]), \
             'jobs', (SELECT COALESCE(json_object_agg(s.jobstatus, s.n), '{{}}'::json) FROM \
               (SELECT j.jobstatus, count(*) AS n FROM jobs j WHERE j.rollout_id = {x}.id \
                  AND j.rollout_wave = w.n GROUP BY j.jobstatus) s)) ORDER BY w.n) \
           FROM generate_series(1, cardinality({x}.wave_ends)) AS w(n)))",
        audit = audit(x)
    )
}

async fn get(conn: &mut AsyncPgConnection, id: i64) -> AppResult<Value> {
    one(
        conn,
        "release_rollouts x",
        &rollout("x"),
        "x.id",
        id,
        "ReleaseRollout",
    )
    .await
}

/// A wave's size as given: a number of harvesters (`1`) or a cumulative share (`"10%"`).
#[derive(Deserialize, ToSchema, Debug, Clone)]
#[serde(untagged)]
pub enum WaveSize {
    Count(u32),
    Share(String),
}

#[derive(Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct RolloutInput {
    /// The harvesters' `harv_id`s, in the order they are updated; default every real
    /// harvester of the release's fruit.
    pub targets: Option<Vec<i64>>,
    /// The waves: a number of harvesters, or a share of all the targets reached by the end of
    /// the wave (`"10%"`); the last wave always takes the rest. Default `[1, "10%", "100%"]`.
    pub waves: Option<Vec<WaveSize>>,
    /// Default 1.5.
    pub halt_ratio: Option<f64>,
    /// Default 5.
    pub min_reports: Option<i32>,
    /// Default 60.
    pub wave_minutes: Option<i32>,
}

impl crate::api::body::Input for RolloutInput {}

/// Where each wave ends (cumulative counts) for `n` targets.
pub fn wave_ends(waves: &[WaveSize], n: usize) -> AppResult<Vec<i32>> {
    let bad = |msg: String| AppError::validation_field("waves", msg);
    let mut ends: Vec<usize> = Vec::new();
    let mut reached = 0usize;
    for w in waves {
        let end = match w {
            WaveSize::Count(c) => reached.saturating_add(*c as usize),
            WaveSize::Share(s) => {
                let p: f64 = s
                    .trim()
                    .strip_suffix('%')
                    .and_then(|p| p.trim().parse().ok())
                    .filter(|p: &f64| *p > 0.0 && *p <= 100.0)
                    .ok_or_else(|| {
                        bad(format!(
                            "{s:?}: a number of harvesters or a share like \"10%\"."
                        ))
                    })?;
                ((p / 100.0) * n as f64).ceil() as usize
            }
        }
        .min(n);
        if end > reached {
            ends.push(end);
            reached = end;
        }
    }
    if reached < n {
        ends.push(n);
    }
    if ends.is_empty() {
        return Err(bad("No harvester to update.".into()));
    }
    ends.into_iter()
        .map(|e| i32::try_from(e).map_err(|_| bad("Too many harvesters.".into())))
        .collect()
}

/// `POST release/{id}/rollouts/` (managers): starts installing the release in waves.
pub async fn create(
    ctx: Ctx,
    mut db: Db,
    id: web::Path<i64>,
    Body(input): Body<RolloutInput>,
) -> AppResult<HttpResponse> {
    let (me, release_id) = (ctx.caller()?.user_id, *id);
    super::releases::get(&mut db, release_id).await?;
    let halt_ratio = input.halt_ratio.unwrap_or(1.5);
    if !(halt_ratio.is_finite() && (1.0..=100.0).contains(&halt_ratio)) {
        return Err(AppError::validation_field(
            "halt_ratio",
            "Between 1 and 100.",
        ));
    }
    let min_reports = input.min_reports.unwrap_or(5);
    if !(1..=100_000).contains(&min_reports) {
        return Err(AppError::validation_field(
            "min_reports",
            "Between 1 and 100000.",
        ));
    }
    let wave_minutes = input.wave_minutes.unwrap_or(60);
    if !(0..=10_080).contains(&wave_minutes) {
        return Err(AppError::validation_field(
            "wave_minutes",
            "Between 0 and 10080 (a week).",
        ));
    }
    let schema_id = latest_install_schema(&mut db).await?;
    let targets: Vec<i64> = match &input.targets {
        Some(harv_ids) => {
            let mut seen = std::collections::HashSet::new();
            let ordered: Vec<i64> = harv_ids
                .iter()
                .copied()
                .filter(|h| seen.insert(*h))
                .collect();
            resolve_targets(&mut db, "targets", &ordered)
                .await?
                .into_iter()
                .map(|(id, _)| id)
                .collect()
        }
        None => fleet_of_release(&mut db, release_id).await?,
    };
    if targets.is_empty() || targets.len() > crate::apps::harvjobs::jobs::MAX_TARGETS {
        return Err(AppError::validation_field(
            "targets",
            "Between 1 and 5000 harvesters.",
        ));
    }
    let waves = input.waves.clone().unwrap_or_else(|| {
        vec![
            WaveSize::Count(1),
            WaveSize::Share("10%".into()),
            WaveSize::Share("100%".into()),
        ]
    });
    let ends = wave_ends(&waves, targets.len())?;
    let rows = json_rows(
        &mut db,
        "INSERT INTO release_rollouts (release_id, schema_id, target_ids, wave_ends, halt_ratio, \
           min_reports, wave_minutes, creator_id) \
         SELECT $1, $2, $3, ARRAY(SELECT unnest($4::bigint[])::integer), $5, $6::integer, $7::integer, $8 \
         RETURNING json_build_object('id', id) AS data"
            .to_string(),
        &[
            Bind::Int(release_id),
            Bind::Int(schema_id),
            Bind::Ints(targets),
            Bind::Ints(ends.iter().map(|e| i64::from(*e)).collect()),
            Bind::Float(halt_ratio),
            Bind::Int(i64::from(min_reports)),
            Bind::Int(i64::from(wave_minutes)),
            Bind::Int(me),
        ],
    )
    .await?;
    let id = first_id(&rows).ok_or_else(|| AppError::internal("rollout not stored"))?;
    Ok(ctx.ok(get(&mut db, id).await?))
}

async fn latest_install_schema(conn: &mut AsyncPgConnection) -> AppResult<i64> {
    let rows = json_rows(
        conn,
        "SELECT json_build_object('id', s.id) AS data FROM job_schemas s JOIN job_types t \
           ON t.id = s.job_type_id WHERE t.name = $1 ORDER BY s.created DESC, s.id DESC LIMIT 1"
            .to_string(),
        &[Bind::Text(INSTALL_JOB_TYPE.to_string())],
    )
    .await?;
    first_id(&rows).ok_or_else(|| {
            AppError::validation_msg(format!(
                "No job schema of type {INSTALL_JOB_TYPE}: CI posts it before releases can be rolled out."
            ))
        })
}

/// Every real harvester of the release's fruit, oldest first.
async fn fleet_of_release(conn: &mut AsyncPgConnection, release_id: i64) -> AppResult<Vec<i64>> {
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = BigInt)]
        id: i64,
    }
    let rows: Vec<Row> = cached_rows(
        conn,
        "SELECT h.id FROM harvesters h JOIN harvester_code_releases r ON r.fruit_id = h.fruit_id \
         WHERE r.id = $1 AND NOT h.is_emulator ORDER BY h.id",
        &[Bind::Int(release_id)],
    )
    .await?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

pub async fn list(
    ctx: Ctx,
    req: HttpRequest,
    mut db: Db,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let mut w = Where::default();
    w.add("x.release_id = ?", [Bind::Int(*id)]);
    let json = rollout("x");
    let l = Listing {
        from: "release_rollouts x",
        json: &json,
        id: "x.id",
        orderings: &[],
        default_order: "x.created DESC, x.id DESC",
    };
    Ok(ctx.ok(list_page(&mut db, &req, &l, &w).await?))
}

pub async fn retrieve(ctx: Ctx, mut db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    Ok(ctx.ok(get(&mut db, *id).await?))
}

/// `POST rollouts/{id}/halt/`, `resume/`, `cancel/` (managers).
async fn set_status(
    ctx: Ctx,
    db: &mut AsyncPgConnection,
    id: i64,
    to: &str,
    from: &[&str],
    message: &str,
) -> AppResult<HttpResponse> {
    let me = ctx.caller()?.user_id;
    get(db, id).await?;
    let rows = json_rows(
        db,
        "UPDATE release_rollouts SET status = $2, modified_by_id = $3, last_modified = now(), \
           halt_reason = CASE WHEN $2 = 'halted' THEN 'halted by hand' WHEN $2 = 'running' THEN NULL \
             ELSE halt_reason END \
         WHERE id = $1 AND status = ANY($4) RETURNING json_build_object('id', id) AS data"
            .to_string(),
        &[
            Bind::Int(id),
            Bind::Text(to.to_string()),
            Bind::Int(me),
            Bind::Texts(from.iter().map(|s| s.to_string()).collect()),
        ],
    )
    .await?;
    if rows.is_empty() {
        return Err(AppError::bad_request(format!(
            "Only a rollout that is {} can be {message}.",
            from.join(" or ")
        )));
    }
    Ok(ctx.message(&format!("Rollout {id} {message}"), get(db, id).await?))
}

pub async fn halt(ctx: Ctx, mut db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    set_status(ctx, &mut db, *id, "halted", &["running"], "halted").await
}

pub async fn resume(ctx: Ctx, mut db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    set_status(ctx, &mut db, *id, "running", &["halted"], "resumed").await
}

pub async fn cancel(ctx: Ctx, mut db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    set_status(
        ctx,
        &mut db,
        *id,
        "cancelled",
        &["running", "halted"],
        "cancelled",
    )
    .await
}

// ── the worker's part ─────────────────────────────────────────────────────────────────────

#[derive(diesel::QueryableByName)]
struct Running {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = BigInt)]
    release_id: i64,
    #[diesel(sql_type = BigInt)]
    schema_id: i64,
    #[diesel(sql_type = Array<BigInt>)]
    target_ids: Vec<i64>,
    #[diesel(sql_type = Array<Integer>)]
    wave_ends: Vec<i32>,
    #[diesel(sql_type = Integer)]
    current_wave: i32,
    #[diesel(sql_type = Double)]
    halt_ratio: f64,
    #[diesel(sql_type = Integer)]
    min_reports: i32,
    #[diesel(sql_type = Integer)]
    wave_minutes: i32,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    wave_started_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<BigInt>)]
    creator_id: Option<i64>,
}

/// What the halt rule compares: error reports of the harvesters already updated since their
/// install, against the same harvesters over the same length of time just before it.
#[derive(diesel::QueryableByName, Serialize, Debug, PartialEq)]
pub struct Evaluation {
    #[diesel(sql_type = BigInt)]
    pub updated_harvesters: i64,
    #[diesel(sql_type = BigInt)]
    pub reports_on_release: i64,
    #[diesel(sql_type = BigInt)]
    pub reports_before: i64,
}

/// Whether `e` breaks the halt rule.
pub fn breaks_rule(e: &Evaluation, halt_ratio: f64, min_reports: i32) -> bool {
    e.reports_on_release >= i64::from(min_reports)
        && (e.reports_on_release as f64) > halt_ratio * e.reports_before as f64
}

/// Moves every running rollout on by one step; returns the install jobs it created (for
/// their dispatch to be queued).
pub async fn advance_all(conn: &mut AsyncPgConnection) -> AppResult<Vec<CreatedJob>> {
    #[derive(diesel::QueryableByName)]
    struct Id {
        #[diesel(sql_type = BigInt)]
        id: i64,
    }
    let ids: Vec<Id> = cached_rows(
        conn,
        "SELECT id FROM release_rollouts WHERE status = 'running' ORDER BY id",
        &[],
    )
    .await?;
    let mut created = Vec::new();
    for Id { id } in ids {
        let jobs = conn
            .transaction::<Vec<CreatedJob>, AppError, _>(async |conn| advance(conn, id).await)
            .await?;
        created.extend(jobs);
    }
    Ok(created)
}

/// One step of rollout `id`, holding its row (another worker skips it).
async fn advance(conn: &mut AsyncPgConnection, id: i64) -> AppResult<Vec<CreatedJob>> {
    let rows: Vec<Running> = cached_rows(
        conn,
        "SELECT id, release_id, schema_id, target_ids, wave_ends, current_wave, halt_ratio, \
           min_reports, wave_minutes, wave_started_at, creator_id FROM release_rollouts \
         WHERE id = $1 AND status = 'running' FOR UPDATE SKIP LOCKED",
        &[Bind::Int(id)],
    )
    .await?;
    let Some(r) = rows.into_iter().next() else {
        return Ok(Vec::new());
    };
    record_installs(conn, &r).await?;
    if r.current_wave == 0 {
        return start_wave(conn, &r, 1).await;
    }
    let evaluation = evaluate(conn, r.id).await?;
    let _: Vec<Touched> = cached_rows(
        conn,
        "UPDATE release_rollouts SET evaluation = $2 WHERE id = $1 RETURNING id",
        &[Bind::Int(r.id), Bind::Json(json!(evaluation))],
    )
    .await?;
    if breaks_rule(&evaluation, r.halt_ratio, r.min_reports) {
        halt_with(
            conn,
            r.id,
            &format!(
                "{} error reports from the {} harvester(s) on this release against {} before it \
                 (more than {}× and at least {})",
                evaluation.reports_on_release,
                evaluation.updated_harvesters,
                evaluation.reports_before,
                r.halt_ratio,
                r.min_reports
            ),
        )
        .await?;
        return Ok(Vec::new());
    }
    let (done, failed) = wave_outcome(conn, r.id, r.current_wave).await?;
    if failed > 0 {
        halt_with(
            conn,
            r.id,
            &format!(
                "{failed} install job(s) of wave {} did not succeed",
                r.current_wave
            ),
        )
        .await?;
        return Ok(Vec::new());
    }
    let wave_size = wave_range(&r.wave_ends, r.current_wave).len() as i64;
    let watched = r
        .wave_started_at
        .is_some_and(|t| Utc::now() >= t + chrono::Duration::minutes(i64::from(r.wave_minutes)));
    if done < wave_size || !watched {
        return Ok(Vec::new());
    }
    if r.current_wave as usize >= r.wave_ends.len() {
        let _: Vec<Touched> = cached_rows(
            conn,
            "UPDATE release_rollouts SET status = 'done', last_modified = now() WHERE id = $1 RETURNING id",
            &[Bind::Int(r.id)],
        )
        .await?;
        return Ok(Vec::new());
    }
    start_wave(conn, &r, r.current_wave + 1).await
}

#[derive(diesel::QueryableByName)]
struct Touched {
    #[diesel(sql_type = BigInt)]
    #[allow(dead_code)]
    id: i64,
}

/// The positions (0-based) of wave `n`'s harvesters in `target_ids`.
fn wave_range(ends: &[i32], n: i32) -> std::ops::Range<usize> {
    let i = usize::try_from(n - 1).unwrap_or(0);
    let start = if i == 0 {
        0
    } else {
        ends.get(i - 1).copied().unwrap_or(0) as usize
    };
    let end = ends.get(i).copied().unwrap_or(0) as usize;
    start..end.max(start)
}

async fn halt_with(conn: &mut AsyncPgConnection, id: i64, reason: &str) -> AppResult<()> {
    tracing::warn!(rollout = id, reason, "release rollout halted");
    let _: Vec<Touched> = cached_rows(
        conn,
        "UPDATE release_rollouts SET status = 'halted', halt_reason = $2, last_modified = now() \
         WHERE id = $1 RETURNING id",
        &[Bind::Int(id), Bind::Text(reason.to_string())],
    )
    .await?;
    Ok(())
}

/// Creates wave `n`'s install jobs.
async fn start_wave(
    conn: &mut AsyncPgConnection,
    r: &Running,
    n: i32,
) -> AppResult<Vec<CreatedJob>> {
    let Some(creator) = r.creator_id else {
        halt_with(conn, r.id, "the rollout's creator no longer exists").await?;
        return Ok(Vec::new());
    };
    let ids: Vec<i64> = r.target_ids[wave_range(&r.wave_ends, n)].to_vec();
    #[derive(diesel::QueryableByName)]
    struct Target {
        #[diesel(sql_type = BigInt)]
        id: i64,
        #[diesel(sql_type = BigInt)]
        harv_id: i64,
    }
    let targets: Vec<Target> = cached_rows(
        conn,
        "SELECT id, harv_id::bigint AS harv_id FROM harvesters WHERE id = ANY($1)",
        &[Bind::Ints(ids)],
    )
    .await?;
    let targets: Vec<(i64, i64)> = targets.into_iter().map(|t| (t.id, t.harv_id)).collect();
    #[derive(diesel::QueryableByName)]
    struct Manifest {
        #[diesel(sql_type = Jsonb)]
        release: Value,
        #[diesel(sql_type = Text)]
        job_type: String,
        #[diesel(sql_type = Jsonb)]
        schema: Value,
    }
    let m: Vec<Manifest> = cached_rows(
        conn,
        "SELECT r.release, t.name AS job_type, s.schema FROM harvester_code_releases r, job_schemas s \
           JOIN job_types t ON t.id = s.job_type_id WHERE r.id = $1 AND s.id = $2",
        &[Bind::Int(r.release_id), Bind::Int(r.schema_id)],
    )
    .await?;
    let Some(m) = m.into_iter().next() else {
        halt_with(conn, r.id, "the release or its install schema is gone").await?;
        return Ok(Vec::new());
    };
    let schema = ResolvedSchema {
        id: r.schema_id,
        job_type: m.job_type,
        document: m.schema,
    };
    // The payload the original web app sends to install a release.
    let payload = json!({"run_state": ["updating"], "targets": ["master"], "release": m.release});
    let created = match create_jobs(conn, &schema, &targets, &payload, creator, None).await {
        Ok(c) => c,
        Err(e @ AppError::Validation(_)) => {
            halt_with(conn, r.id, &format!("the install jobs were refused: {e}")).await?;
            return Ok(Vec::new());
        }
        Err(e) => return Err(e),
    };
    let _: Vec<Touched> = cached_rows(
        conn,
        "UPDATE jobs SET rollout_id = $1, rollout_wave = $2 WHERE id = ANY($3) RETURNING id",
        &[
            Bind::Int(r.id),
            Bind::Int(i64::from(n)),
            Bind::Ints(created.iter().map(|j| j.id).collect()),
        ],
    )
    .await?;
    let _: Vec<Touched> = cached_rows(
        conn,
        "UPDATE release_rollouts SET current_wave = $2, wave_started_at = now(), last_modified = now() \
         WHERE id = $1 RETURNING id",
        &[Bind::Int(r.id), Bind::Int(i64::from(n))],
    )
    .await?;
    Ok(created)
}

/// Points the harvesters whose install job succeeded at the release (with a history row, so
/// their release periods are known).
async fn record_installs(conn: &mut AsyncPgConnection, r: &Running) -> AppResult<()> {
    let installed: Vec<Touched> = cached_rows(
        conn,
        "UPDATE harvesters h SET release_id = $2, last_modified = now() FROM jobs j \
         WHERE j.rollout_id = $1 AND j.jobstatus = 'Success' AND h.id = j.target_id \
           AND h.release_id IS DISTINCT FROM $2 RETURNING h.id",
        &[Bind::Int(r.id), Bind::Int(r.release_id)],
    )
    .await?;
    for h in installed {
        crate::apps::harvester::harvesters::record_history(conn, h.id, "~", r.creator_id).await?;
    }
    Ok(())
}

/// Install jobs of wave `n`: how many succeeded, how many ended otherwise.
async fn wave_outcome(conn: &mut AsyncPgConnection, id: i64, n: i32) -> AppResult<(i64, i64)> {
    #[derive(diesel::QueryableByName)]
    struct Outcome {
        #[diesel(sql_type = BigInt)]
        done: i64,
        #[diesel(sql_type = BigInt)]
        failed: i64,
    }
    let rows: Vec<Outcome> = cached_rows(
        conn,
        "SELECT count(*) FILTER (WHERE jobstatus = 'Success') AS done, \
           count(*) FILTER (WHERE jobstatus NOT IN ('Success', 'Pending')) AS failed \
         FROM jobs WHERE rollout_id = $1 AND rollout_wave = $2",
        &[Bind::Int(id), Bind::Int(i64::from(n))],
    )
    .await?;
    Ok(rows.first().map_or((0, 0), |o| (o.done, o.failed)))
}

/// Error reports of the harvesters updated by rollout `id`, since their install (the first
/// `Success` of their install job) and over the same length of time before it.
pub async fn evaluate(conn: &mut AsyncPgConnection, id: i64) -> AppResult<Evaluation> {
    let rows: Vec<Evaluation> = cached_rows(
        conn,
        "WITH installed AS (SELECT j.target_id AS h, min(hh.history_date) AS t FROM jobs j \
             JOIN job_history hh ON hh.id = j.id AND hh.jobstatus = 'Success' \
           WHERE j.rollout_id = $1 GROUP BY j.target_id), \
         span AS (SELECT h, t, now() - t AS d FROM installed) \
         SELECT (SELECT count(*) FROM span) AS updated_harvesters, \
           (SELECT count(*) FROM span s JOIN error_reports r ON r.harvester_id = s.h \
              AND r.report_time >= s.t) AS reports_on_release, \
           (SELECT count(*) FROM span s JOIN error_reports r ON r.harvester_id = s.h \
              AND r.report_time >= s.t - s.d AND r.report_time < s.t) AS reports_before",
        &[Bind::Int(id)],
    )
    .await?;
    rows.into_iter()
        .next()
        .ok_or_else(|| AppError::internal("no evaluation"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waves_are_one_then_a_share_then_the_rest() {
        let default = [
            WaveSize::Count(1),
            WaveSize::Share("10%".into()),
            WaveSize::Share("100%".into()),
        ];
        assert_eq!(wave_ends(&default, 50).unwrap(), [1, 5, 50]);
        assert_eq!(
            wave_ends(&default, 1).unwrap(),
            [1],
            "empty waves are dropped"
        );
        assert_eq!(wave_ends(&default, 5).unwrap(), [1, 5]);
        assert_eq!(
            wave_ends(&[WaveSize::Count(2)], 7).unwrap(),
            [2, 7],
            "the rest last"
        );
        assert!(wave_ends(&[WaveSize::Share("ten".into())], 7).is_err());
        assert!(wave_ends(&[WaveSize::Share("0%".into())], 7).is_err());
        assert_eq!(wave_range(&[1, 5, 50], 2), 1..5);
        assert_eq!(wave_range(&[1, 5, 50], 1), 0..1);
    }

    #[test]
    fn the_halt_rule_needs_both_more_reports_and_enough_of_them() {
        let e = |on, before| Evaluation {
            updated_harvesters: 3,
            reports_on_release: on,
            reports_before: before,
        };
        assert!(breaks_rule(&e(10, 2), 1.5, 5));
        assert!(!breaks_rule(&e(4, 0), 1.5, 5), "too few to tell");
        assert!(!breaks_rule(&e(10, 8), 1.5, 5), "not markedly more");
        assert!(breaks_rule(&e(13, 8), 1.5, 5));
    }
}
