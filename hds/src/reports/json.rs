//! SQL fragments of report representations shared by the kinds (docs/api-design.md#report-kinds).

use crate::apps::event::json::{event, pick_session};
use crate::apps::json::{audit, harvester, tag_names};
use crate::reports::ReportKind;

/// `'id', 'tags', 'reportTime', 'report', <audit>` of report row `r` of `kind`.
pub fn common(kind: &ReportKind, r: &str, report: &str) -> String {
    let (tag_table, tag_fk) = kind.tags;
    format!(
        "'id', {r}.id, 'tags', {tags}, {audit}, 'reportTime', hds_ts({r}.report_time), 'report', {report}",
        tags = tag_names(tag_table, tag_fk, &format!("{r}.id")),
        audit = audit(r),
    )
}

/// The event of row `r`, nested.
pub fn nested_event(r: &str) -> String {
    let e = format!("{r}_e");
    format!(
        "(SELECT {} FROM events {e} WHERE {e}.id = {r}.event_id)",
        event(&e)
    )
}

/// The pick session of row `r`, nested (null when it has none).
pub fn nested_pick_session(r: &str) -> String {
    let p = format!("{r}_p");
    format!(
        "(SELECT {} FROM pick_sessions {p} WHERE {p}.id = {r}.pick_session_id)",
        pick_session(&p)
    )
}

/// The harvester of row `r`, nested.
pub fn nested_harvester(r: &str) -> String {
    let h = format!("{r}_h");
    format!(
        "(SELECT {} FROM harvesters {h} WHERE {h}.id = {r}.harvester_id)",
        harvester(&h)
    )
}
