//! `exceptions/pareto/`: the filtered exceptions grouped and counted, largest first.

use actix_web::{HttpRequest, HttpResponse};
use serde_json::{Map, Value};

use diesel_async::AsyncPgConnection;

use super::filters::{self, FROM};
use super::rollup;
use crate::api::body::Db;
use crate::api::envelope::Ctx;
use crate::api::filters::{Param, ParamType, Query};
use crate::api::sql::{json_rows, Where};
use crate::error::{AppError, AppResult};

/// The pareto's own parameters (its filters are the exception list's).
pub const GROUPING: &[Param] = &[
    Param::new(
        "aggregate_query",
        ParamType::Text,
        "Group by this (default `code__code`).",
    ),
    Param::new(
        "aggregate_name",
        ParamType::Text,
        "Name the grouped value's key this instead of `value`.",
    ),
];

/// One bar of the pareto: `count` and the grouping's value, under `value` or the key
/// `aggregate_name` names.
#[derive(serde::Serialize, serde::Deserialize, Debug)]
#[serde(transparent)]
pub struct ParetoBar(Map<String, Value>);

impl utoipa::PartialSchema for ParetoBar {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        let schema = serde_json::json!({
            "type": "object",
            "required": ["count"],
            "properties": { "count": { "type": "integer" } },
            "additionalProperties": { "type": ["string", "null"] },
            "description": "`count`, and the grouped value under `value` or under the key `aggregate_name` names."
        });
        utoipa::openapi::RefOr::T(serde_json::from_value(schema).expect("a valid schema object"))
    }
}

impl utoipa::ToSchema for ParetoBar {}

/// Groupings a client may ask for (`aggregate_query`): the column counted by (a narrow key, so
/// the count can come from an index) and how a key renders as text (`k` is the key).
/// Booleans render as `True`/`False`, like the reference.
const GROUPS: &[(&str, &str, &str)] = &[
    (
        "code__code",
        "x.code_id",
        "(SELECT code::text FROM exception_codes WHERE id = k)",
    ),
    (
        "code__name",
        "x.code_id",
        "(SELECT name FROM exception_codes WHERE id = k)",
    ),
    (
        "code__team",
        "x.code_id",
        "(SELECT team FROM exception_codes WHERE id = k)",
    ),
    (
        "code__cycle",
        "x.code_id",
        "(SELECT CASE WHEN cycle THEN 'True' WHEN NOT cycle THEN 'False' END \
         FROM exception_codes WHERE id = k)",
    ),
    ("service", "x.service", "k"),
    ("robot", "x.robot", "k::text"),
    ("node", "x.node", "k::text"),
    (
        "handled",
        "x.handled",
        "CASE WHEN k THEN 'True' ELSE 'False' END",
    ),
    (
        "primary",
        "x.\"primary\"",
        "CASE WHEN k THEN 'True' WHEN NOT k THEN 'False' END",
    ),
    (
        "report__harvester__harv_id",
        "r.harvester_id",
        "(SELECT harv_id::text FROM harvesters WHERE id = k)",
    ),
    (
        "report__harvester__name",
        "r.harvester_id",
        "(SELECT name FROM harvesters WHERE id = k)",
    ),
    (
        "report__harvester__is_emulator",
        "r.harvester_id",
        "(SELECT CASE WHEN is_emulator THEN 'True' WHEN NOT is_emulator THEN 'False' END \
         FROM harvesters WHERE id = k)",
    ),
    (
        "report__harvester__fruit__name",
        "r.harvester_id",
        "(SELECT f.name FROM harvesters hh JOIN fruits f ON f.id = hh.fruit_id WHERE hh.id = k)",
    ),
    (
        "report__location__ranch",
        "r.location_id",
        "(SELECT ranch FROM locations WHERE id = k)",
    ),
    (
        "report__harvester__location__ranch",
        "r.harvester_id",
        "(SELECT ll.ranch FROM harvesters hh JOIN locations ll ON ll.id = hh.location_id \
         WHERE hh.id = k)",
    ),
    ("report__githash", "r.githash", "k"),
    ("report__gitbranch", "r.gitbranch", "k"),
];

/// How [`bars`] counts: from the rollup where it can (what the endpoint does), or always from
/// the exceptions (the reference the rollup is tested against).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counting {
    Rollup,
    Exact,
}

pub async fn pareto(ctx: Ctx, req: HttpRequest, mut db: Db) -> AppResult<HttpResponse> {
    let q = Query::parse(req.query_string());
    let name = q.get("aggregate_name");
    let rows = bars(&mut db, &q, Counting::Rollup).await?;
    let data: Vec<Value> = match name {
        None => rows,
        Some(label) => rows
            .into_iter()
            .map(|mut row| {
                let mut out = Map::new();
                if let Some(obj) = row.as_object_mut() {
                    out.insert(
                        label.to_string(),
                        obj.remove("value").unwrap_or(Value::Null),
                    );
                    out.insert("count".into(), obj.remove("count").unwrap_or(Value::Null));
                }
                Value::Object(out)
            })
            .collect(),
    };
    Ok(ctx.message(
        &format!("Pareto generated: {}", name.unwrap_or("Exceptions")),
        data,
    ))
}

/// The pareto's bars (`{"value", "count"}`, largest first, ties by value) for `q`'s grouping
/// and filters.
pub async fn bars(
    conn: &mut AsyncPgConnection,
    q: &Query,
    counting: Counting,
) -> AppResult<Vec<Value>> {
    let group = q.get("aggregate_query").unwrap_or("code__code");
    let (key, value) = GROUPS
        .iter()
        .find(|(name, _, _)| *name == group)
        .map(|(_, k, v)| (*k, *v))
        .ok_or_else(|| {
            let names: Vec<&str> = GROUPS.iter().map(|(n, _, _)| *n).collect();
            AppError::validation_field(
                "aggregate_query",
                format!(
                    "Unknown grouping {group:?}; choose from: {}.",
                    names.join(", ")
                ),
            )
        })?;
    let (per_key, w) = match counting == Counting::Rollup && rollup::answers(q) {
        true => rollup::per_key(q, key)?,
        false => exact_per_key(q, key)?,
    };
    // Count per key first (cheap), then render and merge keys that render alike. A key the
    // rollup still has a row for after its exceptions were deleted sums to 0: no bar.
    let sql = format!(
        "SELECT json_build_object('value', g.value, 'count', g.n) AS data FROM \
         (SELECT {value} AS value, sum(n)::bigint AS n FROM ({per_key}) per_key \
          GROUP BY 1 HAVING sum(n) > 0) g \
         ORDER BY g.n DESC, g.value ASC NULLS LAST"
    );
    json_rows(conn, sql, w.binds()).await
}

/// Per-key counts (`k`, `n`) straight from the exceptions.
fn exact_per_key(q: &Query, key: &str) -> AppResult<(String, Where)> {
    let mut w = Where::default();
    filters::apply(q, &mut w)?;
    // Unfiltered and keyed on the exception itself: no joins at all. PostgreSQL removes the
    // unused to-one joins anyway but still reads `report_id`, which keeps it off the narrow
    // per-key index (an index-only scan in key order, ~2.5x faster at 1M exceptions).
    let where_ = w.sql()?;
    let from = match where_.is_empty() && key.starts_with("x.") {
        true => "exceptions x",
        false => FROM,
    };
    Ok((
        format!("SELECT {key} AS k, count(*) AS n FROM {from}{where_} GROUP BY 1"),
        w,
    ))
}
