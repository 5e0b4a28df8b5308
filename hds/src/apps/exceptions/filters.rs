//! Exception filters (docs/api-design.md#exceptions), over `exceptions x` joined to its report `r`,
//! code `c`,
//! harvester `h` and the report's location `l` (see [`FROM`]).

use crate::api::filters::Query;
use crate::api::sql::{Bind, Sql, Where};
use crate::error::AppResult;

/// Every join is to-one, so rows are never duplicated.
pub const FROM: &str = "exceptions x \
    LEFT JOIN error_reports r ON r.id = x.report_id \
    LEFT JOIN exception_codes c ON c.id = x.code_id \
    LEFT JOIN harvesters h ON h.id = r.harvester_id \
    LEFT JOIN locations l ON l.id = r.location_id";

/// Filters only the exact path can answer: they read columns the pareto rollup does not keep
/// (`exception_rollup`, migration `exception_rollup`).
pub const EXACT_ONLY: &[&str] = &["created_after", "created_before", "traceback", "uuid"];

pub fn apply(q: &Query, w: &mut Where) -> AppResult<()> {
    w.created(q, "x")?;
    if let Some((start, end)) = window(q)? {
        if let Some(s) = start {
            w.add("x.\"timestamp\" >= ?", [Bind::Time(s)]);
        }
        if let Some(e) = end {
            w.add("x.\"timestamp\" <= ?", [Bind::Time(e)]);
        }
    }
    if let Some(t) = q.get("traceback") {
        w.add(
            "x.traceback ILIKE ?",
            [Bind::Text(format!("%{}%", escape_like(t)))],
        );
    }
    if let Some(uuids) = q.str_list("uuid") {
        w.add(
            "r.event_id IN (SELECT id FROM events WHERE uuid = ANY(?))",
            [Bind::Texts(uuids)],
        );
    }
    if let Some((start, end)) = report_window(q)? {
        if let Some(t) = start {
            w.add("r.report_time >= ?", [Bind::Time(t)]);
        }
        if let Some(t) = end {
            w.add("r.report_time <= ?", [Bind::Time(t)]);
        }
    }
    dimensions(q, w)
}

/// `start_time`/`end_time` on the report's time: inclusive bounds, either may be open.
pub fn report_window(q: &Query) -> AppResult<Option<crate::api::filters::TimeRange>> {
    let (start, end) = (q.datetime("start_time")?, q.datetime("end_time")?);
    Ok((start.is_some() || end.is_some()).then_some((start, end)))
}

/// `datetime_range` on the exception's timestamp: inclusive bounds, either may be open.
pub fn window(q: &Query) -> AppResult<Option<crate::api::filters::TimeRange>> {
    q.datetime_range("datetime_range")
}

/// The filters on columns the pareto rollup keeps too (the exception's code, flags, service,
/// node, robot; its report's harvester and location, and what those ids lead to), written
/// against `x` (the exception or rollup row), `r` (its report's columns), `c`, `h` and `l`.
pub fn dimensions(q: &Query, w: &mut Where) -> AppResult<()> {
    if let Some(v) = q.bool("handled")? {
        w.add("x.handled = ?", [Bind::Bool(v)]);
    }
    if let Some(v) = q.bool("primary")? {
        w.add("x.\"primary\" = ?", [Bind::Bool(v)]);
    }
    if let Some(codes) = q.int_list("codes")? {
        w.add(
            "x.code_id = ANY(ARRAY(SELECT id FROM exception_codes WHERE code = ANY(?)))",
            [Bind::Ints(codes)],
        );
    }
    if let Some(ids) = q.int_list("harv_ids")? {
        w.add(
            "r.harvester_id = ANY(ARRAY(SELECT id FROM harvesters WHERE harv_id = ANY(?)))",
            [Bind::Ints(ids)],
        );
    }
    if let Some(ranches) = q.str_list("locations") {
        w.add(
            "r.location_id = ANY(ARRAY(SELECT id FROM locations WHERE ranch = ANY(?)))",
            [Bind::Texts(ranches)],
        );
    }
    if let Some(fruits) = q.str_list("fruits") {
        w.add(
            "h.fruit_id IN (SELECT id FROM fruits WHERE name = ANY(?))",
            [Bind::Texts(fruits)],
        );
    }
    if let Some(v) = q.bool("is_emulator")? {
        w.add("h.is_emulator = ?", [Bind::Bool(v)]);
    }
    // Exact-field filters.
    for (param, column) in [
        ("code__code", "c.code"),
        ("node", "x.node"),
        ("robot", "x.robot"),
        ("report__harvester__harv_id", "h.harv_id"),
    ] {
        if let Some(v) = q.int(param)? {
            w.add(Sql::new(column).then(" = ?"), [Bind::Int(v)]);
        }
    }
    for (param, column) in [
        ("code__name", "c.name"),
        ("code__team", "c.team"),
        ("service", "x.service"),
        ("report__harvester__location__ranch", "l.ranch"),
    ] {
        if let Some(v) = q.get(param) {
            w.add(Sql::new(column).then(" = ?"), [Bind::Text(v.to_string())]);
        }
    }
    if let Some(v) = q.bool("code__cycle")? {
        w.add("c.cycle = ?", [Bind::Bool(v)]);
    }
    Ok(())
}

/// `%` and `_` in user text match themselves.
pub fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}
