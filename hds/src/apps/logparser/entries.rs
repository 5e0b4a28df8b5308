//! `GET logsessions/{id}/entries/`: windows of the merged timeline of a session's log files
//! (docs/api-design.md#log-sessions).
//!
//! Entries are ordered by `(ts, seq)`; `seq` is unique in the session, so a position is one
//! entry. A window is keyset-paged from a position, forwards (`after_ts`/`after_seq`, or `at`
//! to jump to a time) or backwards (`before_ts`/`before_seq`). Each selected file is walked on
//! its own through the index `(file_id, ts, seq)` for at most `limit` positions (a LATERAL
//! join), the walks are merged and only the `limit` rows kept are read whole: the cost of a
//! window is bounded by files × limit positions however deep into the session it is. A text search (`q`) or level filter reads each file's entries in order
//! from the position until it has `limit` matches, so its cost grows with the distance to the
//! matches.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::TimeZone;

use super::{LogEntry, LogWindow, Position};
use crate::api::body::Db;
use crate::api::envelope::Ctx;
use crate::api::filters::{Param, ParamType, Query};
use crate::api::sql::{json_rows, Bind};
use crate::apps::exceptions::filters::escape_like;
use crate::error::{AppError, AppResult};

/// Entries per window unless `limit` says otherwise, and the most one window holds.
pub const DEFAULT_LIMIT: i64 = 500;
pub const MAX_LIMIT: i64 = 2000;

pub const FILTERS: &[Param] = &[
    Param::new(
        "services",
        ParamType::Texts,
        "Of these services (default: all).",
    ),
    Param::new("robots", ParamType::Ints, "Of these robots (default: all)."),
    Param::new(
        "files",
        ParamType::Ints,
        "Of these log files (ids; default: all).",
    ),
    Param::new(
        "levels",
        ParamType::Texts,
        "Of these levels (INFO, DEBUG, …).",
    ),
    Param::new(
        "q",
        ParamType::Text,
        "The entry's text contains this (case-insensitive).",
    ),
    Param::new(
        "after_ts",
        ParamType::Float,
        "Entries after this position (with after_seq; default: from the start).",
    ),
    Param::new("after_seq", ParamType::Int, "See after_ts."),
    Param::new(
        "before_ts",
        ParamType::Float,
        "Entries before this position (with before_seq), the window ending there.",
    ),
    Param::new("before_seq", ParamType::Int, "See before_ts."),
    Param::new(
        "at",
        ParamType::Float,
        "Jump: entries at or after this time (seconds since the epoch).",
    ),
    Param::new(
        "limit",
        ParamType::Int,
        "Entries in the window (1–2000, default 500).",
    ),
];

/// Which way a window goes from its position.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Direction {
    After,
    Before,
}

/// A parsed window request.
#[derive(Debug)]
pub struct WindowQuery {
    services: Option<Vec<String>>,
    robots: Option<Vec<i64>>,
    files: Option<Vec<i64>>,
    levels: Option<Vec<String>>,
    text: Option<String>,
    direction: Direction,
    /// `(ts, seq)`, exclusive.
    from: Option<(f64, i64)>,
    limit: i64,
}

fn pair(q: &Query, ts: &str, seq: &str) -> AppResult<Option<(f64, i64)>> {
    match (q.float(ts)?, q.int(seq)?) {
        (Some(t), Some(s)) => Ok(Some((t, s))),
        (Some(t), None) => Ok(Some((t, i64::MAX))),
        (None, Some(_)) => Err(AppError::validation_field(
            ts,
            "Give the position's time with its seq.",
        )),
        (None, None) => Ok(None),
    }
}

impl WindowQuery {
    pub fn parse(raw: &str) -> AppResult<WindowQuery> {
        let q = Query::parse(raw);
        let limit = q.int("limit")?.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(AppError::validation_field(
                "limit",
                "Must be between 1 and 2000.",
            ));
        }
        let after = pair(&q, "after_ts", "after_seq")?;
        let before = pair(&q, "before_ts", "before_seq")?;
        let at = q.float("at")?;
        let (direction, from) = match (after, before, at) {
            (Some(_), Some(_), _) | (Some(_), _, Some(_)) | (_, Some(_), Some(_)) => {
                return Err(AppError::validation_msg(
                    "Give one of after_ts, before_ts and at.",
                ))
            }
            (Some(p), None, None) => (Direction::After, Some(p)),
            (None, Some((t, s)), None) => (
                Direction::Before,
                Some((t, if s == i64::MAX { i64::MIN } else { s })),
            ),
            // At or after the time: every seq is ≥ 0.
            (None, None, Some(t)) => (Direction::After, Some((t, -1))),
            (None, None, None) => (Direction::After, None),
        };
        let robots = q.int_list("robots")?;
        let files = q.int_list("files")?;
        Ok(WindowQuery {
            services: q.str_list("services"),
            robots,
            files,
            levels: q.str_list("levels"),
            text: q.get("q").filter(|s| !s.is_empty()).map(str::to_string),
            direction,
            from,
            limit,
        })
    }
}

/// Builds `$n` placeholders as binds are pushed.
#[derive(Default)]
struct Binds(Vec<Bind>);

impl Binds {
    fn push(&mut self, b: Bind) -> String {
        self.0.push(b);
        format!("${}", self.0.len())
    }
}

/// The session's selected files (a CTE body).
fn files_sql(session: i64, w: &WindowQuery, b: &mut Binds) -> String {
    let mut sql = format!(
        "SELECT id, service, robot, logfile_type FROM log_files WHERE log_session_id = {}",
        b.push(Bind::Int(session))
    );
    if let Some(s) = &w.services {
        sql += &format!(" AND service = ANY({})", b.push(Bind::Texts(s.clone())));
    }
    if let Some(r) = &w.robots {
        sql += &format!(
            " AND robot = ANY({}::int8[])",
            b.push(Bind::Ints(r.clone()))
        );
    }
    if let Some(f) = &w.files {
        sql += &format!(" AND id = ANY({})", b.push(Bind::Ints(f.clone())));
    }
    sql
}

/// Conditions on `e` other than the position.
fn entry_filters(w: &WindowQuery, b: &mut Binds) -> String {
    let mut sql = String::new();
    if let Some(l) = &w.levels {
        sql += &format!(" AND e.level = ANY({})", b.push(Bind::Texts(l.clone())));
    }
    if let Some(t) = &w.text {
        sql += &format!(
            " AND e.message ILIKE {}",
            b.push(Bind::Text(format!("%{}%", escape_like(t))))
        );
    }
    sql
}

/// Positions compared as rows so that the index `(file_id, ts, seq)` applies.
fn position(op: &str, from: (f64, i64), b: &mut Binds) -> String {
    format!(
        " AND (e.ts, e.seq) {op} ({}::float8, {}::int8)",
        b.push(Bind::Float(from.0)),
        b.push(Bind::Int(from.1))
    )
}

pub async fn window(
    conn: &mut diesel_async::AsyncPgConnection,
    session: i64,
    w: &WindowQuery,
) -> AppResult<LogWindow> {
    let mut b = Binds::default();
    let files = files_sql(session, w, &mut b);
    let filters = entry_filters(w, &mut b);
    let (op, order) = match w.direction {
        Direction::After => (">", "ASC"),
        Direction::Before => ("<", "DESC"),
    };
    let pos = w.from.map(|f| position(op, f, &mut b)).unwrap_or_default();
    let limit = b.push(Bind::Int(w.limit));
    // Positions first, rows after: each file's walk reads only (ts, seq) (from the index alone
    // once the table is vacuumed) and the merge keeps `limit` of them; only those rows are then
    // read whole and rendered, not `limit` per file (docs/api-design.md#log-sessions).
    let sql = format!(
        "WITH f AS ({files}), \
         k AS (SELECT f.id, e.ts, e.seq FROM f CROSS JOIN LATERAL (SELECT e.ts, e.seq FROM log_entries e \
           WHERE e.file_id = f.id{pos}{filters} ORDER BY e.ts {order}, e.seq {order} LIMIT {limit}) e \
           ORDER BY e.ts {order}, e.seq {order} LIMIT {limit}) \
         SELECT json_build_object('seq', e.seq, 'ts', e.ts, 'file', f.id, 'service', f.service, \
           'robot', f.robot, 'logfile_type', f.logfile_type, 'level', e.level, 'message', e.message) AS data \
         FROM k JOIN f ON f.id = k.id \
         JOIN log_entries e ON e.file_id = k.id AND e.ts = k.ts AND e.seq = k.seq \
         ORDER BY e.ts {order}, e.seq {order}"
    );
    let mut rows = json_rows(conn, sql, &b.0).await?;
    if w.direction == Direction::Before {
        rows.reverse();
    }
    let results: Vec<LogEntry> = rows
        .into_iter()
        .map(|mut v| {
            let ts = v["ts"].as_f64().unwrap_or_default();
            v["log_date"] = serde_json::Value::String(log_date(ts));
            serde_json::from_value(v)
        })
        .collect::<Result<_, _>>()
        .map_err(AppError::internal)?;
    let first = results.first().map(|e| (e.ts, e.seq));
    let last = results.last().map(|e| (e.ts, e.seq));
    // Whether anything lies beyond each end: past the window's ends, or on either side of the
    // position when the window is empty.
    let (before_edge, after_edge) = match (first, last, w.from) {
        (Some(f), Some(l), _) => (Some(f), Some(l)),
        (_, _, Some(p)) => (Some(p), Some(p)),
        _ => (None, None),
    };
    let more_before = match before_edge {
        Some(p) => exists(conn, session, w, "<", p).await?,
        None => false,
    };
    let more_after = match after_edge {
        Some(p) => exists(conn, session, w, ">", p).await?,
        None => false,
    };
    Ok(LogWindow {
        first: first.map(|(ts, seq)| Position { ts, seq }),
        last: last.map(|(ts, seq)| Position { ts, seq }),
        results,
        more_before,
        more_after,
    })
}

async fn exists(
    conn: &mut diesel_async::AsyncPgConnection,
    session: i64,
    w: &WindowQuery,
    op: &str,
    p: (f64, i64),
) -> AppResult<bool> {
    let mut b = Binds::default();
    let files = files_sql(session, w, &mut b);
    let filters = entry_filters(w, &mut b);
    let pos = position(op, p, &mut b);
    let sql = format!(
        "WITH f AS ({files}) SELECT json_build_object('found', EXISTS (SELECT 1 FROM f \
         CROSS JOIN LATERAL (SELECT 1 FROM log_entries e WHERE e.file_id = f.id{pos}{filters} LIMIT 1) e)) AS data"
    );
    let rows = json_rows(conn, sql, &b.0).await?;
    Ok(rows
        .first()
        .and_then(|r| r["found"].as_bool())
        .unwrap_or(false))
}

/// The entry's time as the reference rendered it: `str()` of the US/Pacific datetime.
pub fn log_date(ts: f64) -> String {
    let secs = ts.floor();
    let micros = ((ts - secs) * 1e6).round() as u32;
    let (secs, micros) = if micros >= 1_000_000 {
        (secs as i64 + 1, 0)
    } else {
        (secs as i64, micros)
    };
    match chrono_tz::US::Pacific.timestamp_opt(secs, micros * 1000) {
        chrono::LocalResult::Single(t) | chrono::LocalResult::Ambiguous(t, _) => {
            t.format("%Y-%m-%d %H:%M:%S%.6f%:z").to_string()
        }
        chrono::LocalResult::None => String::new(),
    }
}

pub async fn list(
    ctx: Ctx,
    req: HttpRequest,
    mut db: Db,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let w = WindowQuery::parse(req.query_string())?;
    // 404 for a session that does not exist (an empty window means no matching entries).
    let found = json_rows(
        &mut db,
        "SELECT json_build_object('id', id) AS data FROM log_sessions WHERE id = $1".to_string(),
        &[Bind::Int(*id)],
    )
    .await?;
    if found.is_empty() {
        return Err(AppError::not_found("LogSession"));
    }
    Ok(ctx.ok(window(&mut db, *id, &w).await?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_dates_are_pacific_as_python_prints_them() {
        // 2023-01-31 13:12:50.181 PST
        assert_eq!(log_date(1675199570.181), "2023-01-31 13:12:50.181000-08:00");
    }

    #[test]
    fn one_position_at_a_time() {
        assert!(WindowQuery::parse("after_ts=1&before_ts=2").is_err());
        assert!(WindowQuery::parse("after_seq=1").is_err());
        assert!(WindowQuery::parse("limit=0").is_err());
        assert!(WindowQuery::parse("limit=2001").is_err());
        let w = WindowQuery::parse("at=5").unwrap();
        assert_eq!((w.direction, w.from), (Direction::After, Some((5.0, -1))));
        let w = WindowQuery::parse("before_ts=5").unwrap();
        assert_eq!(w.from, Some((5.0, i64::MIN)));
    }
}
