//! `exceptions/pareto/`: the filtered exceptions grouped and counted, largest first.

use actix_web::{HttpRequest, HttpResponse};
use serde_json::{Map, Value};

use super::filters::{self, FROM};
use crate::api::body::Db;
use crate::api::envelope::Ctx;
use crate::api::filters::Query;
use crate::api::sql::{json_rows, Where};
use crate::error::{AppError, AppResult};

/// Groupings a client may ask for (`aggregate_query`) → SQL expression rendered as text.
/// Booleans render as `True`/`False`, like the reference.
const GROUPS: &[(&str, &str)] = &[
    ("code__code", "c.code::text"),
    ("code__name", "c.name"),
    ("code__team", "c.team"),
    (
        "code__cycle",
        "CASE WHEN c.cycle THEN 'True' WHEN NOT c.cycle THEN 'False' END",
    ),
    ("service", "x.service"),
    ("robot", "x.robot::text"),
    ("node", "x.node::text"),
    (
        "handled",
        "CASE WHEN x.handled THEN 'True' ELSE 'False' END",
    ),
    (
        "primary",
        "CASE WHEN x.\"primary\" THEN 'True' WHEN NOT x.\"primary\" THEN 'False' END",
    ),
    ("report__harvester__harv_id", "h.harv_id::text"),
    ("report__harvester__name", "h.name"),
    (
        "report__harvester__is_emulator",
        "CASE WHEN h.is_emulator THEN 'True' WHEN NOT h.is_emulator THEN 'False' END",
    ),
    (
        "report__harvester__fruit__name",
        "(SELECT name FROM fruits WHERE id = h.fruit_id)",
    ),
    ("report__location__ranch", "l.ranch"),
    (
        "report__harvester__location__ranch",
        "(SELECT ranch FROM locations WHERE id = h.location_id)",
    ),
    ("report__githash", "r.githash"),
    ("report__gitbranch", "r.gitbranch"),
];

pub async fn pareto(ctx: Ctx, req: HttpRequest, mut db: Db) -> AppResult<HttpResponse> {
    let q = Query::parse(req.query_string());
    let group = q.get("aggregate_query").unwrap_or("code__code");
    let expr = GROUPS
        .iter()
        .find(|(name, _)| *name == group)
        .map(|(_, e)| *e)
        .ok_or_else(|| {
            let names: Vec<&str> = GROUPS.iter().map(|(n, _)| *n).collect();
            AppError::validation_field(
                "aggregate_query",
                format!(
                    "Unknown grouping {group:?}; choose from: {}.",
                    names.join(", ")
                ),
            )
        })?;
    let name = q.get("aggregate_name");
    let mut w = Where::default();
    filters::apply(&q, &mut w)?;
    let sql = format!(
        "SELECT json_build_object('value', g.value, 'count', g.n) AS data FROM \
         (SELECT {expr} AS value, count(*) AS n FROM {FROM}{where_} GROUP BY 1) g \
         ORDER BY g.n DESC, g.value ASC NULLS LAST",
        where_ = w.sql()
    );
    let rows = json_rows(&mut db, sql, w.binds()).await?;
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
