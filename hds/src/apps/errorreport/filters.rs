//! Error-report filters (docs/api-design.md#error-reports, docs/compatibility.md#d21 for
//! `generic`). Also the vocabulary of
//! notification criteria (D12): a notification matches a report when these filters do.

use crate::api::filters::Query;
use crate::api::sql::{Bind, Sql, Where};
use crate::apps::exceptions::filters::escape_like;
use crate::error::{AppError, AppResult};

/// Query parameters a notification's criteria may use (D12).
pub const CRITERIA_KEYS: &[&str] = &[
    "harv_ids",
    "locations",
    "fruits",
    "codes",
    "traceback",
    "is_emulator",
    "handled",
    "primary",
    "tz",
];

/// Filters on `error_reports r`. Conditions on exceptions are semi-joins (`r.id IN (…)`), so a
/// report is never counted twice; lookups by name become id arrays so indexes apply.
pub fn apply(q: &Query, w: &mut Where) -> AppResult<()> {
    crate::reports::views::common_report_filters(&super::kind::ERROR_REPORTS, q, w)?;
    if let Some(t) = q.get("traceback") {
        w.add(
            "EXISTS (SELECT 1 FROM exceptions x WHERE x.report_id = r.id AND x.traceback ILIKE ?)",
            [Bind::Text(format!("%{}%", escape_like(t)))],
        );
    }
    if let Some(v) = q.bool("is_emulator")? {
        w.add(
            "r.harvester_id = ANY(ARRAY(SELECT id FROM harvesters WHERE is_emulator = ?))",
            [Bind::Bool(v)],
        );
    }
    if let Some(v) = q.bool("handled")? {
        w.add(
            "r.id IN (SELECT x.report_id FROM exceptions x WHERE x.handled = ?)",
            [Bind::Bool(v)],
        );
    }
    // `codes` and `primary` describe the same exception when both are given. The primary
    // exception's code is kept on the report (migration `primary_code`); other combinations take
    // report ids from the (code_id, primary, report_id) index. Codes resolve to ids first.
    const CODE_IDS: Sql = Sql::new("ARRAY(SELECT id FROM exception_codes WHERE code = ANY(?))");
    match (q.int_list("codes")?, q.bool("primary")?) {
        (Some(codes), Some(true)) => {
            w.add(
                Sql::new("r.primary_code_id = ANY(")
                    .then(CODE_IDS)
                    .then(")"),
                [Bind::Ints(codes)],
            );
        }
        (Some(codes), Some(primary)) => {
            w.add(
                Sql::new("r.id IN (SELECT x.report_id FROM exceptions x WHERE x.code_id = ANY(")
                    .then(CODE_IDS)
                    .then(") AND x.\"primary\" = ?)"),
                [Bind::Ints(codes), Bind::Bool(primary)],
            );
        }
        (Some(codes), None) => {
            w.add(
                Sql::new("r.id IN (SELECT x.report_id FROM exceptions x WHERE x.code_id = ANY(")
                    .then(CODE_IDS)
                    .then("))"),
                [Bind::Ints(codes)],
            );
        }
        (None, Some(primary)) => {
            w.add(
                "r.id IN (SELECT x.report_id FROM exceptions x WHERE x.\"primary\" = ?)",
                [Bind::Bool(primary)],
            );
        }
        (None, None) => {}
    }
    if let Some(uuids) = q.str_list("uuid") {
        w.add(
            "r.event_id = ANY(ARRAY(SELECT id FROM events WHERE uuid = ANY(?)))",
            [Bind::Texts(uuids)],
        );
    }
    if let Some(generic) = q.get("generic") {
        for item in generic.split(',') {
            let (path, value) = parse_generic(item)?;
            w.add("r.report #>> ? = ?", [Bind::Texts(path), Bind::Text(value)]);
        }
    }
    Ok(())
}

/// D21: only JSON paths into the stored report, e.g.
/// `report__data__sysmon_report__sysmon.0__PID=111` → (`{data,sysmon_report,sysmon.0,PID}`, `111`).
pub fn parse_generic(item: &str) -> AppResult<(Vec<String>, String)> {
    let bad = || {
        AppError::validation_field(
            "generic",
            format!(
                "{item:?}: expected report__<key>__<key>…=<value> (a path into the stored report)"
            ),
        )
    };
    let (lhs, value) = item.split_once('=').ok_or_else(bad)?;
    let path = lhs.strip_prefix("report__").ok_or_else(bad)?;
    let keys: Vec<String> = path.split("__").map(str::to_string).collect();
    if keys.iter().any(|k| k.is_empty()) {
        return Err(bad());
    }
    Ok((keys, value.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generic_accepts_only_report_paths() {
        let (p, v) = parse_generic("report__data__sysmon_report__sysmon.0__PID=111").unwrap();
        assert_eq!(p, vec!["data", "sysmon_report", "sysmon.0", "PID"]);
        assert_eq!(v, "111");
        assert!(parse_generic("harvester__harv_id=1").is_err());
        assert!(parse_generic("report__data").is_err());
        assert!(parse_generic("report____x=1").is_err());
    }
}
