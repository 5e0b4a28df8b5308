//! List pages and single rows rendered by PostgreSQL: a page is two queries (count + page)
//! however deeply the representation nests; a filtered page reads its ids first, then the
//! representations through one cached statement.

use actix_web::HttpRequest;
use diesel::sql_types::BigInt;
use diesel::QueryableByName;
use diesel_async::AsyncPgConnection;
use serde_json::Value;

use super::*;

/// A list resource: what to select and how it may be ordered.
pub struct Listing<'a> {
    /// `table alias` plus any joins needed by filters, e.g. `fruits f`.
    pub from: &'a str,
    /// JSON expression of one row.
    pub json: &'a str,
    /// Expression counted distinctly when joins may duplicate rows (usually `<alias>.id`).
    pub id: &'a str,
    /// `ordering=` names → SQL expressions.
    pub orderings: &'a [(&'static str, &'static str)],
    /// ORDER BY used when no `ordering=` is given (must end in a unique key for stable pages).
    pub default_order: &'a str,
}

/// ORDER BY from `ordering=` (declared names only) with the id as tie-breaker.
pub fn order_by(q: &Query, l: &Listing) -> AppResult<String> {
    let names: Vec<&'static str> = l.orderings.iter().map(|(n, _)| *n).collect();
    let chosen = q.ordering(&names)?;
    if chosen.is_empty() {
        return Ok(l.default_order.to_string());
    }
    let mut parts: Vec<String> = chosen
        .iter()
        .map(|(name, desc)| {
            let expr = l
                .orderings
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, e)| *e)
                .expect("validated");
            format!(
                "{expr} {}",
                if *desc {
                    "DESC NULLS LAST"
                } else {
                    "ASC NULLS FIRST"
                }
            )
        })
        .collect();
    parts.push(format!("{} DESC", l.id));
    Ok(parts.join(", "))
}

/// Tables whose exact row count triggers keep in `row_counts` (migration `query_speed`).
const COUNTED_TABLES: &[&str] = &[
    "error_reports",
    "events",
    "pick_sessions",
    "version_reports",
];

/// The table of a `FROM` that is one counted table (`"error_reports r"`), so an unfiltered
/// page reads its count instead of scanning.
pub(super) fn counted_table(from: &str) -> Option<&str> {
    let mut words = from.split_whitespace();
    let table = words.next()?;
    let single = words.count() <= 1;
    (single && COUNTED_TABLES.contains(&table)).then_some(table)
}

/// The `{count, next, previous, results}` page for `l` filtered by `w`.
pub async fn list_page(
    conn: &mut AsyncPgConnection,
    req: &HttpRequest,
    l: &Listing<'_>,
    w: &Where,
) -> AppResult<Page<Box<RawValue>>> {
    let q = Query::parse(req.query_string());
    let p = PageParams::from_request(req)?;
    let order = order_by(&q, l)?;
    let where_sql = w.sql()?;
    let total = match counted_table(l.from) {
        Some(table) if w.binds().is_empty() && where_sql.is_empty() => {
            count(
                conn,
                format!(
                    "SELECT COALESCE(sum(n), 0)::bigint AS n FROM row_counts WHERE table_name = '{table}'"
                ),
                &[],
            )
            .await?
        }
        _ => {
            count(
                conn,
                format!("SELECT count(*) AS n FROM {}{where_sql}", l.from),
                w.binds(),
            )
            .await?
        }
    };
    let rows: Vec<RawRow> = if total > p.offset {
        if w.binds().is_empty() {
            // Unfiltered: one cached statement per ordering (LIMIT/OFFSET bound), planned once
            // per connection; the generic plan walks the ordering index like a custom one.
            let sql = format!(
                "SELECT ({})::text AS data FROM {}{} ORDER BY {order} LIMIT $1 OFFSET $2",
                l.json, l.from, where_sql
            );
            let binds = [Bind::Int(p.limit), Bind::Int(p.offset)];
            BoundSql {
                sql: &sql,
                binds: &binds,
                cached: true,
            }
            .load(conn)
            .await?
        } else if p.limit <= MAX_RENDERED_BY_ID {
            // Filtered: the page's ids with the values visible to the planner (a custom plan; a
            // generic plan of a filtered query can be far worse), then their representations
            // through one cached statement (planning a representation costs more than running
            // it for ten rows).
            let sql = format!(
                "SELECT ({})::bigint AS id FROM {}{} ORDER BY {order} LIMIT {} OFFSET {}",
                l.id, l.from, where_sql, p.limit, p.offset
            );
            let ids: Vec<IdRow> = BoundSql {
                sql: &sql,
                binds: w.binds(),
                cached: false,
            }
            .load(conn)
            .await?;
            render_by_id(conn, l, &ids, p.limit).await?
        } else {
            let sql = format!(
                "SELECT ({})::text AS data FROM {}{} ORDER BY {order} LIMIT {} OFFSET {}",
                l.json, l.from, where_sql, p.limit, p.offset
            );
            BoundSql {
                sql: &sql,
                binds: w.binds(),
                cached: false,
            }
            .load(conn)
            .await?
        }
    } else {
        Vec::new()
    };
    let results = rows
        .into_iter()
        .map(RawRow::into_raw)
        .collect::<AppResult<Vec<_>>>()?;
    Ok(page(req, p, total, results))
}

/// Pages up to this size are rendered by id through a cached statement.
const MAX_RENDERED_BY_ID: i64 = 100;

#[derive(QueryableByName)]
struct IdRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// The representations of `ids`, in their order. The statement has one scalar parameter per
/// row of a full page (`IN ($1, …, $limit)`, padded with NULLs), so its generic plan matches a
/// custom one and PostgreSQL reuses it; an array parameter would be re-planned on every call.
async fn render_by_id(
    conn: &mut AsyncPgConnection,
    l: &Listing<'_>,
    ids: &[IdRow],
    limit: i64,
) -> AppResult<Vec<RawRow>> {
    #[derive(QueryableByName)]
    struct Rendered {
        #[diesel(sql_type = BigInt)]
        id: i64,
        #[diesel(sql_type = Text)]
        data: String,
    }
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (1..=limit).map(|n| format!("${n}")).collect();
    let sql = format!(
        "SELECT ({id})::bigint AS id, ({json})::text AS data FROM {from} WHERE ({id})::bigint IN ({list})",
        id = l.id,
        json = l.json,
        from = l.from,
        list = placeholders.join(", ")
    );
    let binds: Vec<Bind> = (0..limit as usize)
        .map(|i| Bind::OptInt(ids.get(i).map(|r| r.id)))
        .collect();
    let rendered: Vec<Rendered> = BoundSql {
        sql: &sql,
        binds: &binds,
        cached: true,
    }
    .load(conn)
    .await?;
    let mut by_id: std::collections::HashMap<i64, String> =
        rendered.into_iter().map(|r| (r.id, r.data)).collect();
    // A row deleted between the two statements is left out of the page.
    Ok(ids
        .iter()
        .filter_map(|r| by_id.remove(&r.id).map(|data| RawRow { data }))
        .collect())
}

/// [`list_page`] with the results as values, for handlers that amend them (signed links).
pub async fn list_page_values(
    conn: &mut AsyncPgConnection,
    req: &HttpRequest,
    l: &Listing<'_>,
    w: &Where,
) -> AppResult<Page<Value>> {
    let raw = list_page(conn, req, l, w).await?;
    let results = raw
        .results
        .iter()
        .map(|r| serde_json::from_str(r.get()))
        .collect::<Result<Vec<Value>, _>>()
        .map_err(|e| AppError::internal(format!("PostgreSQL returned invalid JSON: {e}")))?;
    Ok(Page {
        count: raw.count,
        next: raw.next,
        previous: raw.previous,
        results,
    })
}

/// One row by id, or 404 naming the model.
pub async fn one(
    conn: &mut AsyncPgConnection,
    from: &str,
    json: &str,
    id_expr: &str,
    id: i64,
    model: &str,
) -> AppResult<Value> {
    // One statement per representation: planned once per connection, the plan is the same for
    // every id.
    let sql = format!("SELECT {json} AS data FROM {from} WHERE {id_expr} = $1");
    let rows: Vec<JsonRow> = BoundSql {
        sql: &sql,
        binds: &[Bind::Int(id)],
        cached: true,
    }
    .load(conn)
    .await?;
    let rows: Vec<Value> = rows.into_iter().map(|r| r.data).collect();
    rows.into_iter()
        .next()
        .ok_or_else(|| AppError::not_found(model))
}
