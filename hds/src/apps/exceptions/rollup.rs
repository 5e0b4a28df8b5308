//! The pareto from `exception_rollup` (migration `exception_rollup`, ARCHITECTURE.md#pareto-rollup):
//! counts per day, per month and for all time of every combination of the dimensions the pareto groups and
//! filters by. A time window (on the exceptions' time or on their reports') is cut into whole months (month rows), whole days (day rows) and
//! at most two partial days at its edges, which are counted from the exceptions themselves; the
//! two sums are added per key before keys are rendered, so the answer is the exact path's.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Timelike, Utc};

use super::filters::{self, EXACT_ONLY, FROM};
use crate::api::filters::{Query, TimeRange};
use crate::api::sql::{Bind, Sql, Where};
use crate::error::AppResult;

/// The rollup row as `x` (the exception-side columns) and `r` (the report-side ones), so the
/// filters of [`filters::dimensions`] and the pareto's grouping keys read it as they read an
/// exception joined to its report.
const ROLLUP_FROM: &str = "exception_rollup x \
    CROSS JOIN LATERAL (SELECT x.harvester_id, x.location_id, x.githash, x.gitbranch) r \
    LEFT JOIN exception_codes c ON c.id = x.code_id \
    LEFT JOIN harvesters h ON h.id = r.harvester_id \
    LEFT JOIN locations l ON l.id = r.location_id";

/// Whether the rollup can answer `q`: none of its filters reads a column the rollup lacks, and
/// it windows by one time only (rows are bucketed by both, but a row of days inside one window
/// and across the other's edge would have to be split).
pub fn answers(q: &Query) -> bool {
    let by_report_time = q.get("start_time").is_some() || q.get("end_time").is_some();
    let exact_only = EXACT_ONLY.iter().any(|p| q.get(p).is_some());
    let both_windows = by_report_time && q.get("datetime_range").is_some();
    !(exact_only || both_windows)
}

/// The time a window is on: the rollup's bucket column and the exceptions' (or reports') time.
struct Clock {
    bucket: &'static str,
    time: &'static str,
}

const EXCEPTION_TIME: Clock = Clock {
    bucket: "x.bucket",
    time: "x.\"timestamp\"",
};
const REPORT_TIME: Clock = Clock {
    bucket: "x.report_bucket",
    time: "r.report_time",
};

/// The open ends of a window: the first and just after the last timestamp a window can name
/// ([`crate::api::filters::EARLIEST`], [`crate::api::filters::LATEST`]), both UTC month starts.
fn far_past() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(1, 1, 1, 0, 0, 0)
        .single()
        .expect("a valid date")
}
fn far_future() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(10000, 1, 1, 0, 0, 0)
        .single()
        .expect("a valid date")
}

fn day_floor(t: DateTime<Utc>) -> DateTime<Utc> {
    Utc.from_utc_datetime(&t.date_naive().and_hms_opt(0, 0, 0).expect("midnight"))
}
fn day_ceil(t: DateTime<Utc>) -> DateTime<Utc> {
    let floor = day_floor(t);
    if floor == t {
        t
    } else {
        floor + Duration::days(1)
    }
}
fn month_floor(t: DateTime<Utc>) -> DateTime<Utc> {
    let first = NaiveDate::from_ymd_opt(t.year(), t.month(), 1).expect("a month's first day");
    Utc.from_utc_datetime(&first.and_hms_opt(0, 0, 0).expect("midnight"))
}
fn month_ceil(t: DateTime<Utc>) -> DateTime<Utc> {
    let floor = month_floor(t);
    if floor == t {
        return t;
    }
    let (y, m) = match t.month() {
        12 => (t.year() + 1, 1),
        m => (t.year(), m + 1),
    };
    let first = NaiveDate::from_ymd_opt(y, m, 1).expect("a month's first day");
    Utc.from_utc_datetime(&first.and_hms_opt(0, 0, 0).expect("midnight"))
}

/// PostgreSQL keeps microseconds (and a bound parameter is cut to them), so bounds are cut the
/// same way before they are compared with day and month edges.
fn to_micros(t: DateTime<Utc>) -> DateTime<Utc> {
    t.with_nanosecond(t.nanosecond() / 1000 * 1000).unwrap_or(t)
}

/// A half-open span `[from, to)`.
type Span = (DateTime<Utc>, DateTime<Utc>);

/// How a window is counted: month rows over `months`, day rows over `days`, exceptions over
/// `edges` (half-open, `None` for an open side that needs no bound).
#[derive(Debug, PartialEq)]
pub struct Plan {
    pub months: Option<Span>,
    pub days: Vec<Span>,
    pub edges: Vec<TimeRange>,
}

impl Plan {
    /// `None`: no window, the all-time rows.
    pub fn of(window: Option<TimeRange>) -> Option<Plan> {
        let (start, end) = match window {
            None | Some((None, None)) => return None,
            Some((s, e)) => (s.map(to_micros), e.map(to_micros)),
        };
        // `timestamp <= end` is `timestamp < end + 1µs` at PostgreSQL's precision.
        let from = start.unwrap_or_else(far_past);
        let to = end.map_or_else(far_future, |e| e + Duration::microseconds(1));
        let (whole_from, whole_to) = (day_ceil(from), day_floor(to));
        if whole_from >= whole_to {
            return Some(Plan {
                months: None,
                days: Vec::new(),
                edges: vec![(start, end.map(|_| to))],
            });
        }
        let mut edges = Vec::new();
        if start.is_some() && from < whole_from {
            edges.push((Some(from), Some(whole_from)));
        }
        if end.is_some() && whole_to < to {
            edges.push((Some(whole_to), Some(to)));
        }
        let (month_from, month_to) = (month_ceil(whole_from), month_floor(whole_to));
        let (months, days) = if month_from < month_to {
            (
                Some((month_from, month_to)),
                vec![(whole_from, month_from), (month_to, whole_to)],
            )
        } else {
            (None, vec![(whole_from, whole_to)])
        };
        let days = days.into_iter().filter(|(a, b)| a < b).collect();
        Some(Plan {
            months,
            days,
            edges,
        })
    }
}

/// The per-key counts (`k`, `n`) of `q` from the rollup plus, for a window's partial edge days,
/// from the exceptions; `key` is the grouping's key expression. Binds are in the returned
/// `Where`.
pub fn per_key(q: &Query, key: &str) -> AppResult<(String, Where)> {
    let (clock, window) = match filters::report_window(q)? {
        Some(window) => (REPORT_TIME, Some(window)),
        None => (EXCEPTION_TIME, filters::window(q)?),
    };
    let plan = Plan::of(window);
    let mut w = Where::default();
    filters::dimensions(q, &mut w)?;
    let Some(plan) = plan else {
        w.add("x.span = 'a'", []);
        let sql = format!(
            "SELECT {key} AS k, sum(x.n) AS n FROM {ROLLUP_FROM}{} GROUP BY 1",
            w.sql()?
        );
        return Ok((sql, w));
    };
    let mut tiers: Vec<Sql> = Vec::new();
    let mut binds = Vec::new();
    if let Some(span) = plan.months {
        tiers.push(bucket_span(true, clock.bucket, span, &mut binds));
    }
    for span in &plan.days {
        tiers.push(bucket_span(false, clock.bucket, *span, &mut binds));
    }
    let mut parts = Vec::new();
    let mut e = match tiers.is_empty() {
        true => Where::default(),
        false => {
            w.add(any_of(tiers), binds);
            parts.push(format!(
                "SELECT {key} AS k, sum(x.n) AS n FROM {ROLLUP_FROM}{} GROUP BY 1",
                w.sql()?
            ));
            w.continued()
        }
    };
    if plan.edges.is_empty() {
        return Ok((parts.join(" UNION ALL "), w));
    }
    filters::dimensions(q, &mut e)?;
    let mut spans: Vec<Sql> = Vec::new();
    let mut binds = Vec::new();
    for (a, b) in &plan.edges {
        let t = clock.time;
        spans.push(match (a, b) {
            (Some(_), Some(_)) => Sql::new("(")
                .then(t)
                .then(" >= ? AND ")
                .then(t)
                .then(" < ?)"),
            (Some(_), None) => Sql::new("(").then(t).then(" >= ?)"),
            (None, Some(_)) => Sql::new("(").then(t).then(" < ?)"),
            (None, None) => Sql::new("(").then(t).then(" IS NOT NULL)"),
        });
        binds.extend(a.iter().chain(b.iter()).map(|t| Bind::Time(*t)));
    }
    e.add(any_of(spans), binds);
    parts.push(format!(
        "SELECT {key} AS k, count(*) AS n FROM {FROM}{} GROUP BY 1",
        e.sql()?
    ));
    Ok((parts.join(" UNION ALL "), e))
}

/// Rows of one tier whose `bucket` starts in `[from, to)`; an open side of the window (the far
/// past or future) is no bound at all, so no time PostgreSQL can hold is left out.
fn bucket_span(month: bool, bucket: &'static str, (from, to): Span, binds: &mut Vec<Bind>) -> Sql {
    let mut sql = Sql::new(match month {
        true => "(x.span = 'm'",
        false => "(x.span = 'd'",
    });
    let open_from = from <= far_past();
    let open_to = to >= far_future();
    if !open_from {
        binds.push(Bind::Time(from));
        sql = sql.then(" AND ").then(bucket).then(" >= ?");
    }
    if !open_to {
        binds.push(Bind::Time(to));
        sql = sql.then(" AND ").then(bucket).then(" < ?");
    }
    if open_from && open_to {
        sql = sql.then(" AND ").then(bucket).then(" IS NOT NULL");
    }
    sql.then(")")
}

/// `(a OR b OR …)`.
fn any_of(parts: Vec<Sql>) -> Sql {
    Sql::new("(").then(Sql::join(parts, " OR ")).then(")")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a_window_is_whole_months_whole_days_and_partial_edges() {
        let p = Plan::of(Some((
            Some(t("2026-01-30T10:00:00Z")),
            Some(t("2026-04-02T12:00:00Z")),
        )))
        .unwrap();
        assert_eq!(
            p.months,
            Some((t("2026-02-01T00:00:00Z"), t("2026-04-01T00:00:00Z")))
        );
        assert_eq!(
            p.days,
            vec![
                (t("2026-01-31T00:00:00Z"), t("2026-02-01T00:00:00Z")),
                (t("2026-04-01T00:00:00Z"), t("2026-04-02T00:00:00Z")),
            ]
        );
        assert_eq!(
            p.edges,
            vec![
                (
                    Some(t("2026-01-30T10:00:00Z")),
                    Some(t("2026-01-31T00:00:00Z"))
                ),
                (
                    Some(t("2026-04-02T00:00:00Z")),
                    Some(t("2026-04-02T12:00:00.000001Z"))
                ),
            ]
        );
    }

    #[test]
    fn an_end_at_the_last_microsecond_of_a_day_takes_the_whole_day() {
        let p = Plan::of(Some((
            Some(t("2026-03-05T00:00:00Z")),
            Some(t("2026-03-06T23:59:59.999999Z")),
        )))
        .unwrap();
        assert_eq!(p.months, None);
        assert_eq!(
            p.days,
            vec![(t("2026-03-05T00:00:00Z"), t("2026-03-07T00:00:00Z"))]
        );
        assert!(p.edges.is_empty());
    }

    #[test]
    fn open_sides_need_no_edges_and_a_short_window_is_all_edge() {
        let p = Plan::of(Some((None, Some(t("2026-03-06T23:59:59.999999Z"))))).unwrap();
        assert_eq!(p.months, Some((far_past(), t("2026-03-01T00:00:00Z"))));
        assert!(p.edges.is_empty());
        let p = Plan::of(Some((Some(t("2026-03-05T01:00:00Z")), None))).unwrap();
        assert_eq!(p.months, Some((t("2026-04-01T00:00:00Z"), far_future())));
        assert_eq!(
            p.edges,
            vec![(
                Some(t("2026-03-05T01:00:00Z")),
                Some(t("2026-03-06T00:00:00Z"))
            )]
        );
        let p = Plan::of(Some((
            Some(t("2026-03-05T01:00:00Z")),
            Some(t("2026-03-06T01:00:00Z")),
        )))
        .unwrap();
        assert_eq!(p.months, None);
        assert!(p.days.is_empty());
        assert_eq!(p.edges.len(), 1);
        assert_eq!(Plan::of(Some((None, None))), None);
        assert_eq!(Plan::of(None), None);
    }
}
