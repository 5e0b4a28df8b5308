//! `release/{id}/pareto/`: what got worse with a release (beyond the original;
//! docs/api-design.md#release-rollouts). For every harvester that has run the release (its
//! history says when), the exceptions of its error reports while on it are counted per code,
//! against the same harvester over the same length of time just before it first ran it.

use actix_web::{web, HttpResponse};
use diesel::sql_types::{BigInt, Double, Integer, Nullable, Text};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::body::Db;
use crate::api::envelope::Ctx;
use crate::api::sql::{cached_rows, Bind};
use crate::error::AppResult;

/// One exception code's counts.
#[derive(diesel::QueryableByName, Serialize, Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct CodeChange {
    #[diesel(sql_type = Nullable<Integer>)]
    pub code: Option<i32>,
    #[diesel(sql_type = Nullable<Text>)]
    pub name: Option<String>,
    /// Exceptions while on the release.
    #[diesel(sql_type = BigInt)]
    pub on_release: i64,
    /// Exceptions over the same time just before.
    #[diesel(sql_type = BigInt)]
    pub before: i64,
    /// `on_release - before`: the list is sorted by it, worst first.
    #[diesel(sql_type = BigInt)]
    pub change: i64,
}

/// The per-release pareto.
#[derive(Serialize, Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct ReleasePareto {
    pub release: i64,
    /// Harvesters that have run the release.
    pub harvesters: i64,
    /// Harvester-hours on the release (the same again before it).
    pub hours: f64,
    pub results: Vec<CodeChange>,
}

/// Per harvester: its periods on the release (from its history), when it first ran it, and
/// for how long in all.
const PERIODS: &str = "WITH hist AS (SELECT id AS h, release_id, history_date AS since, \
       lead(history_date) OVER (PARTITION BY id ORDER BY history_date, history_id) AS until \
     FROM harvester_history WHERE id IN (SELECT id FROM harvester_history WHERE release_id = $1)), \
   periods AS (SELECT h, since, COALESCE(until, now()) AS until FROM hist WHERE release_id = $1), \
   spans AS (SELECT h, min(since) AS first, sum(until - since) AS d FROM periods GROUP BY h)";

pub async fn pareto(ctx: Ctx, mut db: Db, id: web::Path<i64>) -> AppResult<HttpResponse> {
    let id = *id;
    super::releases::get(&mut db, id).await?;
    #[derive(diesel::QueryableByName)]
    struct Totals {
        #[diesel(sql_type = BigInt)]
        harvesters: i64,
        #[diesel(sql_type = Double)]
        hours: f64,
    }
    let totals: Vec<Totals> = cached_rows(
        &mut db,
        &format!(
            "{PERIODS} SELECT count(*) AS harvesters, \
               COALESCE(extract(epoch FROM sum(d)) / 3600.0, 0)::float8 AS hours FROM spans"
        ),
        &[Bind::Int(id)],
    )
    .await?;
    let results: Vec<CodeChange> = cached_rows(
        &mut db,
        &format!(
            "{PERIODS}, \
             counted AS ( \
               SELECT x.code_id, count(*) FILTER (WHERE EXISTS (SELECT 1 FROM periods p WHERE p.h = r.harvester_id \
                   AND r.report_time >= p.since AND r.report_time < p.until)) AS on_release, \
                 count(*) FILTER (WHERE r.report_time >= s.first - s.d AND r.report_time < s.first) AS before \
               FROM spans s JOIN error_reports r ON r.harvester_id = s.h AND r.report_time >= s.first - s.d \
               JOIN exceptions x ON x.report_id = r.id GROUP BY x.code_id) \
             SELECT c.code, c.name, n.on_release, n.before, n.on_release - n.before AS change \
             FROM counted n LEFT JOIN exception_codes c ON c.id = n.code_id \
             WHERE n.on_release > 0 OR n.before > 0 \
             ORDER BY change DESC, n.on_release DESC, c.code"
        ),
        &[Bind::Int(id)],
    )
    .await?;
    let t = totals.into_iter().next();
    Ok(ctx.message(
        "Release pareto retrieved successfully",
        ReleasePareto {
            release: id,
            harvesters: t.as_ref().map_or(0, |t| t.harvesters),
            hours: t.map_or(0.0, |t| (t.hours * 100.0).round() / 100.0),
            results,
        },
    ))
}
