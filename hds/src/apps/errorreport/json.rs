//! Error-report representations: the lean list item and the full detail (contract §4.3).

use crate::apps::event::json::{event, pick_session};
use crate::apps::exceptions::json::exceptions_of;
use crate::apps::json::{audit, harvester, location, tag_names};

fn nested(r: &str) -> (String, String) {
    let (h, l) = (format!("{r}_h"), format!("{r}_l"));
    (
        format!(
            "(SELECT {} FROM harvesters {h} WHERE {h}.id = {r}.harvester_id)",
            harvester(&h)
        ),
        format!(
            "(SELECT {} FROM locations {l} WHERE {l}.id = {r}.location_id)",
            location(&l)
        ),
    )
}

fn tags(r: &str) -> String {
    tag_names("error_report_tags", "error_report_id", &format!("{r}.id"))
}

pub fn list_item(r: &str) -> String {
    let (h, l) = nested(r);
    format!(
        "json_build_object('id', {r}.id, 'reportTime', hds_ts({r}.report_time), 'harvester', {h}, \
         'location', {l}, 'gitbranch', {r}.gitbranch, 'githash', {r}.githash, 'event', {r}.event_id, \
         'exceptions', {x}, 'tags', {t})",
        x = exceptions_of(r),
        t = tags(r)
    )
}

pub fn detail(r: &str) -> String {
    detail_with_report(r, &format!("{r}.report"))
}

/// The detail with `report` rendered from `report_expr` (`NULL` when the caller already holds
/// the body, so 20 KB are not read back right after being written).
pub fn detail_with_report(r: &str, report_expr: &str) -> String {
    let (h, l) = nested(r);
    let (e, p) = (format!("{r}_e"), format!("{r}_p"));
    format!(
        "json_build_object('id', {r}.id, 'exceptions', {x}, 'tags', {t}, {audit}, \
         'reportTime', hds_ts({r}.report_time), 'report', {report_expr}, 'githash', {r}.githash, \
         'gitbranch', {r}.gitbranch, 'location', {l}, 'harvester', {h}, \
         'event', (SELECT {ej} FROM events {e} WHERE {e}.id = {r}.event_id), \
         'pick_session', (SELECT {pj} FROM pick_sessions {p} WHERE {p}.id = {r}.pick_session_id), \
         'extraction_status', {r}.extraction_status)",
        x = exceptions_of(r),
        t = tags(r),
        audit = audit(r),
        ej = event(&e),
        pj = pick_session(&p),
    )
}
