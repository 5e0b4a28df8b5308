//! Read queries rendered to JSON by PostgreSQL.
//!
//! Representations are `json_build_object(…)` expressions (see each app's `json.rs`), filters
//! are SQL fragments with bound parameters collected in a [`Where`], and a list page is always
//! two queries (count + page) however deeply the representation nests.

use actix_web::HttpRequest;
use chrono::{DateTime, Utc};
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::Untyped;
use diesel::sql_types::{Array, BigInt, Bool, Jsonb, Nullable, Text, Timestamptz};
use diesel::{QueryResult, QueryableByName};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde_json::value::RawValue;
use serde_json::Value;

use crate::api::filters::Query;
use crate::api::pagination::{page, Page, PageParams};
use crate::error::{AppError, AppResult};

/// A bound parameter.
#[derive(Clone, Debug)]
pub enum Bind {
    Int(i64),
    OptInt(Option<i64>),
    Ints(Vec<i64>),
    Text(String),
    Texts(Vec<String>),
    Bool(bool),
    Time(DateTime<Utc>),
    Times(Vec<DateTime<Utc>>),
    OptTexts(Vec<Option<String>>),
    Json(Value),
}

/// `WHERE` clauses joined with AND; `?` in a clause is replaced by the next `$n`.
#[derive(Clone, Debug, Default)]
pub struct Where {
    clauses: Vec<String>,
    binds: Vec<Bind>,
}

impl Where {
    /// Adds `clause`, whose `?` placeholders take `binds` in order.
    pub fn add(&mut self, clause: &str, binds: impl IntoIterator<Item = Bind>) -> &mut Self {
        let mut out = String::with_capacity(clause.len() + 8);
        let mut binds = binds.into_iter();
        for ch in clause.chars() {
            if ch == '?' {
                let b = binds.next().expect("a bind for every placeholder");
                self.binds.push(b);
                out.push_str(&format!("${}", self.binds.len()));
            } else {
                out.push(ch);
            }
        }
        assert!(
            binds.next().is_none(),
            "more binds than placeholders in {clause}"
        );
        self.clauses.push(out);
        self
    }

    pub fn sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.clauses.join(" AND "))
        }
    }

    pub fn binds(&self) -> &[Bind] {
        &self.binds
    }

    /// `created_after` / `created_before` on `<alias>.created`.
    pub fn created(&mut self, q: &Query, alias: &str) -> AppResult<&mut Self> {
        if let Some(t) = q.datetime("created_after")? {
            self.add(&format!("{alias}.created >= ?"), [Bind::Time(t)]);
        }
        if let Some(t) = q.datetime("created_before")? {
            self.add(&format!("{alias}.created <= ?"), [Bind::Time(t)]);
        }
        Ok(self)
    }

    /// Tag AND filter: every tag in `tags=` must be on the row (`<join>` links rows to tags).
    pub fn tags(&mut self, q: &Query, join_table: &str, fk: &str, id_expr: &str) -> &mut Self {
        for tag in q.str_list("tags").unwrap_or_default() {
            self.add(
                &format!(
                    "EXISTS (SELECT 1 FROM {join_table} jt JOIN tags t ON t.id = jt.tag_id \
                     WHERE jt.{fk} = {id_expr} AND t.name = ?)"
                ),
                [Bind::Text(tag)],
            );
        }
        self
    }
}

/// SQL with `$n` placeholders and its binds. With `cached`, the prepared statement stays in the
/// connection's statement cache: representations nest dozens of subqueries and take
/// milliseconds to plan, and a cached statement is planned once per connection. Only for a
/// fixed text whose generic plan is as good as a custom one (a row by id, an unfiltered page);
/// filtered queries are planned per call with their values.
struct BoundSql<'a> {
    sql: &'a str,
    binds: &'a [Bind],
    cached: bool,
}

impl QueryId for BoundSql<'_> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl diesel::query_builder::Query for BoundSql<'_> {
    type SqlType = Untyped;
}

impl QueryFragment<Pg> for BoundSql<'_> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        if !self.cached {
            out.unsafe_to_cache_prepared();
        }
        // Re-emit the text, turning each `$n` into the next bind (diesel numbers them again).
        let bytes = self.sql.as_bytes();
        let (mut start, mut i) = (0, 0);
        while i < bytes.len() {
            if bytes[i] == b'$' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
                let mut j = i + 1;
                while j < bytes.len() && bytes[j].is_ascii_digit() {
                    j += 1;
                }
                let n: usize = self.sql[i + 1..j].parse().expect("digits");
                let bind = self.binds.get(n - 1).ok_or_else(|| {
                    diesel::result::Error::QueryBuilderError(format!("no bind ${n}").into())
                })?;
                out.push_sql(&self.sql[start..i]);
                match bind {
                    Bind::Int(v) => out.push_bind_param::<BigInt, _>(v)?,
                    Bind::OptInt(v) => out.push_bind_param::<Nullable<BigInt>, _>(v)?,
                    Bind::Ints(v) => out.push_bind_param::<Array<BigInt>, _>(v)?,
                    Bind::Text(v) => out.push_bind_param::<Text, _>(v)?,
                    Bind::Texts(v) => out.push_bind_param::<Array<Text>, _>(v)?,
                    Bind::Bool(v) => out.push_bind_param::<Bool, _>(v)?,
                    Bind::Time(v) => out.push_bind_param::<Timestamptz, _>(v)?,
                    Bind::Times(v) => out.push_bind_param::<Array<Timestamptz>, _>(v)?,
                    Bind::OptTexts(v) => out.push_bind_param::<Array<Nullable<Text>>, _>(v)?,
                    Bind::Json(v) => out.push_bind_param::<Jsonb, _>(v)?,
                }
                start = j;
                i = j;
            } else {
                i += 1;
            }
        }
        out.push_sql(&self.sql[start..]);
        Ok(())
    }
}

/// The one row of a fixed-text statement, through the connection's statement cache (see
/// [`BoundSql`]): for statements run on every ingest.
pub async fn cached_row<T>(conn: &mut AsyncPgConnection, sql: &str, binds: &[Bind]) -> AppResult<T>
where
    T: QueryableByName<Pg> + Send + 'static,
{
    Ok(BoundSql {
        sql,
        binds,
        cached: true,
    }
    .get_result(conn)
    .await?)
}

/// Every row of a fixed-text statement, through the connection's statement cache.
pub async fn cached_rows<T>(
    conn: &mut AsyncPgConnection,
    sql: &str,
    binds: &[Bind],
) -> AppResult<Vec<T>>
where
    T: QueryableByName<Pg> + Send + 'static,
{
    Ok(BoundSql {
        sql,
        binds,
        cached: true,
    }
    .load(conn)
    .await?)
}

/// A row's JSON as PostgreSQL wrote it: passed through to the response without being
/// rebuilt as a `Value` (list pages are most of the read traffic).
#[derive(QueryableByName)]
struct RawRow {
    #[diesel(sql_type = Text)]
    data: String,
}

impl RawRow {
    fn into_raw(self) -> AppResult<Box<RawValue>> {
        RawValue::from_string(self.data)
            .map_err(|e| AppError::internal(format!("PostgreSQL returned invalid JSON: {e}")))
    }
}

#[derive(QueryableByName)]
struct JsonRow {
    #[diesel(sql_type = diesel::sql_types::Json)]
    data: Value,
}

#[derive(QueryableByName)]
struct CountRow {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Rows of `SELECT <json> AS data FROM <from> <where> <order> LIMIT/OFFSET`.
pub async fn json_rows(
    conn: &mut AsyncPgConnection,
    sql: String,
    binds: &[Bind],
) -> AppResult<Vec<Value>> {
    let rows: Vec<JsonRow> = BoundSql {
        sql: &sql,
        binds,
        cached: false,
    }
    .load(conn)
    .await?;
    Ok(rows.into_iter().map(|r| r.data).collect())
}

pub async fn count(conn: &mut AsyncPgConnection, sql: String, binds: &[Bind]) -> AppResult<i64> {
    let row: CountRow = BoundSql {
        sql: &sql,
        binds,
        cached: false,
    }
    .get_result(conn)
    .await?;
    Ok(row.n)
}

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
const COUNTED_TABLES: &[&str] = &["error_reports", "events", "pick_sessions"];

/// The table of a `FROM` that is one counted table (`"error_reports r"`), so an unfiltered
/// page reads its count instead of scanning.
fn counted_table(from: &str) -> Option<&str> {
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
    let p = PageParams::from_request(req);
    let order = order_by(&q, l)?;
    let total = match counted_table(l.from) {
        Some(table) if w.binds().is_empty() && w.sql().is_empty() => {
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
                format!("SELECT count(*) AS n FROM {}{}", l.from, w.sql()),
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
                l.json,
                l.from,
                w.sql()
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
                l.id,
                l.from,
                w.sql(),
                p.limit,
                p.offset
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
                l.json,
                l.from,
                w.sql(),
                p.limit,
                p.offset
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_in_order() {
        let mut w = Where::default();
        w.add("a = ?", [Bind::Int(1)]).add(
            "b = ANY(?) AND c = ?",
            [Bind::Ints(vec![2]), Bind::Bool(true)],
        );
        assert_eq!(w.sql(), " WHERE a = $1 AND b = ANY($2) AND c = $3");
        assert_eq!(w.binds().len(), 3);
        assert_eq!(Where::default().sql(), "");
    }

    #[test]
    fn bound_sql_renumbers_placeholders_in_order() {
        let binds = [Bind::Int(7), Bind::Texts(vec!["a".into()])];
        let q = BoundSql {
            sql: "SELECT '$x' WHERE a = $1 AND b = ANY($2) OR c = $1",
            binds: &binds,
            cached: true,
        };
        let sql = diesel::debug_query::<Pg, _>(&q).to_string();
        assert!(
            sql.starts_with("SELECT '$x' WHERE a = $1 AND b = ANY($2) OR c = $3"),
            "{sql}"
        );
        let missing = BoundSql {
            sql: "SELECT $3",
            binds: &binds,
            cached: false,
        };
        let mut out = String::new();
        use std::fmt::Write;
        assert!(write!(out, "{}", diesel::debug_query::<Pg, _>(&missing)).is_err());
    }

    #[test]
    fn only_a_single_counted_table_reads_the_row_counts() {
        assert_eq!(counted_table("error_reports r"), Some("error_reports"));
        assert_eq!(counted_table("events"), Some("events"));
        assert_eq!(counted_table("events e JOIN tags t ON true"), None);
        assert_eq!(counted_table("locations l"), None);
    }
}
