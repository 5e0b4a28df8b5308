//! Read queries rendered to JSON by PostgreSQL.
//!
//! Representations are `json_build_object(…)` expressions (see each app's `json.rs`), filters
//! are SQL fragments with bound parameters collected in a [`Where`], and a list page is always
//! two queries (count + page) however deeply the representation nests.
//!
//! A filter's text is [`Sql`]: made only of string literals of the code and other fragments,
//! so a value from a request reaches a query only as a bound parameter. A `format!` does not
//! compile into a clause:
//!
//! ```compile_fail,E0277
//! # use hds::api::sql::{Bind, Where};
//! let from_the_request = String::from("x' OR true --");
//! Where::default().add(&format!("name = '{from_the_request}'"), []);
//! ```
//!
//! ```
//! # use hds::api::sql::{Bind, Where};
//! let from_the_request = String::from("x' OR true --");
//! Where::default().add("name = ?", [Bind::Text(from_the_request)]);
//! ```

use chrono::{DateTime, Utc};
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::Untyped;
use diesel::sql_types::{Array, BigInt, Bool, Double, Jsonb, Nullable, Text, Timestamptz};
use diesel::{QueryResult, QueryableByName};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde_json::value::RawValue;
use serde_json::Value;

use crate::api::filters::Query;
use crate::api::pagination::{page, Page, PageParams};
use crate::error::{AppError, AppResult};

mod list;
mod text;

pub use list::{list_page, list_page_values, one, order_by, Listing};

/// A bound parameter.
#[derive(Clone, Debug)]
pub enum Bind {
    Int(i64),
    OptInt(Option<i64>),
    Ints(Vec<i64>),
    Text(String),
    OptText(Option<String>),
    Texts(Vec<String>),
    Bool(bool),
    Float(f64),
    Time(DateTime<Utc>),
    OptTime(Option<DateTime<Utc>>),
    Times(Vec<DateTime<Utc>>),
    OptTexts(Vec<Option<String>>),
    Json(Value),
}

pub use text::Sql;

/// The `id` of the first of `rows` (`RETURNING json_build_object('id', id) AS data`, or a
/// lookup shaped the same), if there is one.
pub fn first_id(rows: &[Value]) -> Option<i64> {
    rows.first()
        .and_then(|r| r.get("id"))
        .and_then(Value::as_i64)
}
use text::{scan, SqlTextError, Token};

/// `WHERE` clauses joined with AND. In a clause, `?` is replaced by the next `$n` and `??`
/// stands for a literal `?` (jsonb's `?`, `?|`, `?&` operators: write `??`, `??|`, `??&`, or
/// use `jsonb_exists(…)`); `?` in string literals, quoted identifiers and comments is left alone.
#[derive(Clone, Debug, Default)]
pub struct Where {
    clauses: Vec<String>,
    binds: Vec<Bind>,
    /// The first clause that did not fit its binds: a bug, answered 500 by [`Where::sql`]
    /// instead of a panic inside a request.
    error: Option<String>,
}

impl Where {
    /// Adds `clause` (a string literal or an [`Sql`] fragment), whose `?` placeholders take
    /// `binds` in order.
    pub fn add(
        &mut self,
        clause: impl Into<Sql>,
        binds: impl IntoIterator<Item = Bind>,
    ) -> &mut Self {
        let clause = clause.into();
        let mut binds = binds.into_iter();
        let mut out = String::with_capacity(clause.as_str().len() + 8);
        let mut taken = Vec::new();
        let first = self.binds.len();
        let scanned = scan(clause.as_str(), |token| {
            match token {
                Token::Text(text) => out.push_str(text),
                Token::Question => out.push('?'),
                Token::Param => {
                    let bind = binds.next().ok_or_else(|| {
                        SqlTextError(format!("fewer binds than placeholders in `{clause}`"))
                    })?;
                    taken.push(bind);
                    out.push('$');
                    out.push_str(&(first + taken.len()).to_string());
                }
                Token::Numbered(n) => {
                    return Err(SqlTextError(format!(
                        "`${n}` in `{clause}`: a clause takes `?` placeholders"
                    )))
                }
            }
            Ok::<(), SqlTextError>(())
        })
        .and_then(|()| match binds.next() {
            Some(_) => Err(SqlTextError(format!(
                "more binds than placeholders in `{clause}`"
            ))),
            None => Ok(()),
        });
        match scanned {
            Ok(()) => {
                self.clauses.push(out);
                self.binds.extend(taken);
            }
            Err(SqlTextError(e)) => {
                tracing::error!(error = %e, "SQL clause refused");
                self.error.get_or_insert(e);
            }
        }
        self
    }

    /// ` WHERE …` (empty without clauses), or the error of a clause that did not fit its binds.
    pub fn sql(&self) -> AppResult<String> {
        if let Some(e) = &self.error {
            return Err(AppError::internal(format!("bad filter clause: {e}")));
        }
        Ok(if self.clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.clauses.join(" AND "))
        })
    }

    /// An empty `Where` whose placeholders number after this one's: for a query with a second
    /// `WHERE` (a `UNION ALL` branch), whose binds are then the continuation's [`Where::binds`].
    pub fn continued(&self) -> Where {
        Where {
            clauses: Vec::new(),
            binds: self.binds.clone(),
            error: self.error.clone(),
        }
    }

    pub fn binds(&self) -> &[Bind] {
        &self.binds
    }

    /// `created_after` / `created_before` on `<alias>.created`.
    pub fn created(&mut self, q: &Query, alias: &'static str) -> AppResult<&mut Self> {
        if let Some(t) = q.datetime("created_after")? {
            self.add(Sql::new(alias).then(".created >= ?"), [Bind::Time(t)]);
        }
        if let Some(t) = q.datetime("created_before")? {
            self.add(Sql::new(alias).then(".created <= ?"), [Bind::Time(t)]);
        }
        Ok(self)
    }

    /// Tag AND filter: every tag in `tags=` must be on the row (`<join>` links rows to tags).
    /// One set operation whatever the number of tags: the rows that have all of them are the
    /// join table's rows of those tags grouped by row, with as many as there are tags (indexed
    /// by tag; a tag nobody has makes it empty at once). One correlated `EXISTS` per tag cost a
    /// core for seconds at a hundred tags (docs/api-design.md#common-filters).
    pub fn tags(
        &mut self,
        q: &Query,
        join_table: &'static str,
        fk: &'static str,
        id_expr: &'static str,
    ) -> &mut Self {
        let mut names = q.str_list("tags").unwrap_or_default();
        names.sort();
        names.dedup();
        if names.is_empty() {
            return self;
        }
        let n = names.len() as i64;
        let rows_with_them = Sql::new(id_expr)
            .then(" IN (SELECT jt.")
            .then(fk)
            .then(" FROM ")
            .then(join_table)
            .then(" jt WHERE jt.tag_id = ANY(ARRAY(SELECT id FROM tags WHERE name = ANY(?)))");
        if n == 1 {
            // A plain semi-join: the planner picks the index either way round.
            return self.add(rows_with_them.then(")"), [Bind::Texts(names)]);
        }
        let clause = rows_with_them
            .then(" GROUP BY jt.")
            .then(fk)
            .then(" HAVING count(*) = ?)");
        self.add(clause, [Bind::Texts(names), Bind::Int(n)])
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
        // Re-emit the text, turning each `$n` into the next bind (diesel numbers them again);
        // `$n` in literals, quoted identifiers and comments is text.
        scan(self.sql, |token| {
            match token {
                Token::Text(text) => out.push_sql(text),
                Token::Param => out.push_sql("?"),
                Token::Question => out.push_sql("??"),
                Token::Numbered(n) => {
                    let bind = n
                        .checked_sub(1)
                        .and_then(|i| self.binds.get(i))
                        .ok_or_else(|| {
                            diesel::result::Error::QueryBuilderError(format!("no bind ${n}").into())
                        })?;
                    match bind {
                        Bind::Int(v) => out.push_bind_param::<BigInt, _>(v)?,
                        Bind::OptInt(v) => out.push_bind_param::<Nullable<BigInt>, _>(v)?,
                        Bind::OptText(v) => out.push_bind_param::<Nullable<Text>, _>(v)?,
                        Bind::Ints(v) => out.push_bind_param::<Array<BigInt>, _>(v)?,
                        Bind::Text(v) => out.push_bind_param::<Text, _>(v)?,
                        Bind::Texts(v) => out.push_bind_param::<Array<Text>, _>(v)?,
                        Bind::Bool(v) => out.push_bind_param::<Bool, _>(v)?,
                        Bind::Float(v) => out.push_bind_param::<Double, _>(v)?,
                        Bind::Time(v) => out.push_bind_param::<Timestamptz, _>(v)?,
                        Bind::OptTime(v) => out.push_bind_param::<Nullable<Timestamptz>, _>(v)?,
                        Bind::Times(v) => out.push_bind_param::<Array<Timestamptz>, _>(v)?,
                        Bind::OptTexts(v) => out.push_bind_param::<Array<Nullable<Text>>, _>(v)?,
                        Bind::Json(v) => out.push_bind_param::<Jsonb, _>(v)?,
                    }
                }
            }
            Ok(())
        })
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

#[cfg(test)]
mod tests {
    use super::list::counted_table;
    use super::*;

    fn where_sql(w: &Where) -> String {
        w.sql().expect("clauses fit their binds")
    }

    /// The text of one clause with `n` binds, as `Where` writes it.
    fn rewritten(clause: &'static str, n: usize) -> String {
        let mut w = Where::default();
        w.add(clause, (0..n as i64).map(Bind::Int));
        where_sql(&w).trim_start_matches(" WHERE ").to_string()
    }

    fn refused(clause: impl Into<Sql>, binds: Vec<Bind>) -> String {
        let mut w = Where::default();
        w.add("kept = ?", [Bind::Int(1)]).add(clause, binds);
        let err = w.sql().expect_err("refused");
        assert_eq!(w.binds().len(), 1, "a refused clause adds no binds");
        err.to_string()
    }

    #[test]
    fn placeholders_are_numbered_in_order() {
        let mut w = Where::default();
        w.add("a = ?", [Bind::Int(1)]).add(
            "b = ANY(?) AND c = ?",
            [Bind::Ints(vec![2]), Bind::Bool(true)],
        );
        assert_eq!(where_sql(&w), " WHERE a = $1 AND b = ANY($2) AND c = $3");
        assert_eq!(w.binds().len(), 3);
        assert_eq!(where_sql(&Where::default()), "");
    }

    #[test]
    fn many_placeholders_are_numbered_past_nine() {
        let mut w = Where::default();
        for i in 0..12 {
            w.add("x = ?", [Bind::Int(i)]);
        }
        w.add(
            "y IN (?, ?, ?)",
            [Bind::Int(12), Bind::Int(13), Bind::Int(14)],
        );
        let sql = where_sql(&w);
        assert!(
            sql.contains("x = $9 AND x = $10 AND x = $11 AND x = $12"),
            "{sql}"
        );
        assert!(sql.ends_with("y IN ($13, $14, $15)"), "{sql}");
        assert_eq!(w.binds().len(), 15);
        // And the statement binds them in that order.
        let full = format!("SELECT 1{sql}");
        let q = BoundSql {
            sql: &full,
            binds: w.binds(),
            cached: false,
        };
        let debug = diesel::debug_query::<Pg, _>(&q).to_string();
        assert!(debug.contains("y IN ($13, $14, $15)"), "{debug}");
        assert!(
            debug.ends_with("-- binds: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]"),
            "{debug}"
        );
    }

    #[test]
    fn question_marks_in_literals_identifiers_and_comments_are_text() {
        assert_eq!(rewritten("a = '?' AND b = ?", 1), "a = '?' AND b = $1");
        assert_eq!(
            rewritten("a = 'it''s ?' AND b = ?", 1),
            "a = 'it''s ?' AND b = $1"
        );
        assert_eq!(
            rewritten(r"a = E'\' ?' AND b = ?", 1),
            r"a = E'\' ?' AND b = $1"
        );
        // Outside an E'' string a backslash is an ordinary character.
        assert_eq!(rewritten(r"a = '\' AND b = ?", 1), r"a = '\' AND b = $1");
        assert_eq!(
            rewritten(r#""what?" = ? AND "say ""?""" = ?"#, 2),
            r#""what?" = $1 AND "say ""?""" = $2"#
        );
        assert_eq!(
            rewritten("a = ? -- why?\n AND b = ?", 2),
            "a = $1 -- why?\n AND b = $2"
        );
        assert_eq!(
            rewritten("a = ? /* who? /* nested? */ still? */ AND b = ?", 2),
            "a = $1 /* who? /* nested? */ still? */ AND b = $2"
        );
        assert_eq!(
            rewritten("a = $$?$$ AND b = $t$ ?'$t$ AND c = ?", 1),
            "a = $$?$$ AND b = $t$ ?'$t$ AND c = $1"
        );
        assert_eq!(rewritten("a$b = ?", 1), "a$b = $1");
    }

    #[test]
    fn jsonb_operators_are_written_doubled() {
        assert_eq!(rewritten("r.report ?? ?", 1), "r.report ? $1");
        assert_eq!(rewritten("r.report ??| ?", 1), "r.report ?| $1");
        assert_eq!(rewritten("r.report ??& ?", 1), "r.report ?& $1");
        assert_eq!(
            rewritten("jsonb_exists(r.report, ?)", 1),
            "jsonb_exists(r.report, $1)"
        );
        let mut w = Where::default();
        w.add("r.report ??| ?", [Bind::Texts(vec!["a".into()])]);
        let full = format!("SELECT 1{}", where_sql(&w));
        let q = BoundSql {
            sql: &full,
            binds: w.binds(),
            cached: false,
        };
        let debug = diesel::debug_query::<Pg, _>(&q).to_string();
        assert!(
            debug.starts_with("SELECT 1 WHERE r.report ?| $1"),
            "{debug}"
        );
    }

    #[test]
    fn a_clause_that_does_not_fit_its_binds_is_an_error_not_a_panic() {
        assert!(refused("a = ? AND b = ?", vec![Bind::Int(1)]).contains("fewer binds"));
        assert!(refused("a = ?", vec![Bind::Int(1), Bind::Int(2)]).contains("more binds"));
        assert!(refused("a = $1", vec![]).contains("`?` placeholders"));
        assert!(refused("a = 'open", vec![]).contains("unterminated string literal"));
        assert!(refused("a = ? /* open", vec![Bind::Int(1)]).contains("unterminated comment"));
        assert!(refused(r#"a = "open"#, vec![]).contains("unterminated quoted identifier"));
        assert!(refused("a = $x$ open", vec![]).contains("unterminated dollar-quoted"));
    }

    #[test]
    fn fragments_compose_from_literals_and_fragments() {
        const IDS: Sql = Sql::new("ARRAY(SELECT id FROM t WHERE code = ANY(?))");
        let alias: &'static str = "r";
        let ok = Sql::from("r.ok = ?");
        let clause = Sql::new(alias)
            .then(".id = ANY(")
            .then(IDS)
            .then(") AND ")
            .then(&ok);
        assert_eq!(
            clause.as_str(),
            "r.id = ANY(ARRAY(SELECT id FROM t WHERE code = ANY(?))) AND r.ok = ?"
        );
        let mut w = Where::default();
        w.add(clause, [Bind::Ints(vec![1]), Bind::Bool(true)]);
        assert_eq!(
            where_sql(&w),
            " WHERE r.id = ANY(ARRAY(SELECT id FROM t WHERE code = ANY($1))) AND r.ok = $2"
        );

        let joined = Sql::join([Sql::new("a = ?"), Sql::new("b = ?"), IDS], " OR ");
        assert_eq!(
            joined.as_str(),
            "a = ? OR b = ? OR ARRAY(SELECT id FROM t WHERE code = ANY(?))"
        );
        assert!(Sql::join([], ", ").is_empty());
        assert_eq!(Sql::default().then("x").as_str(), "x");

        let columns = ["a", "b"].join(", ");
        let trusted = Sql::trusted(columns, "column names of a table in the code");
        assert_eq!(trusted.to_string(), "a, b");
    }

    #[test]
    fn the_where_helpers_compose_their_clauses() {
        let q = Query::parse("created_after=2024-01-01T00:00:00Z&tags=a,b");
        let mut w = Where::default();
        w.created(&q, "e").expect("valid date");
        w.tags(&q, "event_tags", "event_id", "e.id");
        let sql = where_sql(&w);
        assert_eq!(sql, " WHERE e.created >= $1 AND e.id IN (SELECT jt.event_id FROM event_tags jt WHERE jt.tag_id = ANY(ARRAY(SELECT id FROM tags WHERE name = ANY($2))) GROUP BY jt.event_id HAVING count(*) = $3)");
        assert_eq!(w.binds().len(), 3);
        let mut w = Where::default();
        w.tags(&Query::parse("tags=a"), "event_tags", "event_id", "e.id");
        assert_eq!(where_sql(&w), " WHERE e.id IN (SELECT jt.event_id FROM event_tags jt WHERE jt.tag_id = ANY(ARRAY(SELECT id FROM tags WHERE name = ANY($1))))");
        let q = Query::parse("tags=b,a,b");
        let mut w = Where::default();
        w.tags(&q, "event_tags", "event_id", "e.id");
        assert!(
            matches!(w.binds(), [Bind::Texts(t), Bind::Int(2)] if t == &["a", "b"]),
            "repeated tags count once: {:?}",
            w.binds()
        );
    }

    #[test]
    fn bound_sql_leaves_dollar_numbers_in_literals_alone() {
        let binds = [Bind::Int(7)];
        let q = BoundSql {
            sql: "SELECT '$1', \"$1\" /* $1 */ WHERE a = $1 AND b ? 'k'",
            binds: &binds,
            cached: false,
        };
        let sql = diesel::debug_query::<Pg, _>(&q).to_string();
        assert!(
            sql.starts_with("SELECT '$1', \"$1\" /* $1 */ WHERE a = $1 AND b ? 'k' -- binds: [7]"),
            "{sql}"
        );
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
