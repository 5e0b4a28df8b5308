//! Error-report representations: the lean list item and the full detail
//! (docs/api-design.md#error-reports).

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

/// One report's detail, its nested objects rendered per row.
pub fn detail(r: &str) -> String {
    detail_with_report(r, &format!("{r}.report"))
}

/// [`detail`] with `report` rendered from `report`.
pub fn detail_with_report(r: &str, report: &str) -> String {
    let (h, l) = nested(r);
    let p = format!("{r}_p");
    let ps = format!(
        "(SELECT {pj} FROM pick_sessions {p} WHERE {p}.id = {r}.pick_session_id)",
        pj = pick_session(&p)
    );
    detail_with(
        r,
        report,
        &Nested {
            harvester: &h,
            location: &l,
            pick_session: &ps,
        },
    )
}

/// Expressions for the nested objects of a detail: subqueries per row, or lookups into
/// objects rendered once for a batch of reports that share them.
pub struct Nested<'a> {
    pub harvester: &'a str,
    pub location: &'a str,
    pub pick_session: &'a str,
}

/// The detail with `report` rendered from `report_expr` (`NULL` when the caller already holds
/// the body, so 20 KB are not read back right after being written).
pub fn detail_with(r: &str, report_expr: &str, n: &Nested) -> String {
    let e = format!("{r}_e");
    format!(
        "json_build_object('id', {r}.id, 'exceptions', {x}, 'tags', {t}, {audit}, \
         'reportTime', hds_ts({r}.report_time), 'report', {report_expr}, 'githash', {r}.githash, \
         'gitbranch', {r}.gitbranch, 'location', {l}, 'harvester', {h}, \
         'event', (SELECT {ej} FROM events {e} WHERE {e}.id = {r}.event_id), \
         'pick_session', {p}, 'extraction_status', {r}.extraction_status)",
        x = exceptions_of(r),
        t = tags(r),
        audit = audit(r),
        l = n.location,
        h = n.harvester,
        ej = event(&e),
        p = n.pick_session,
    )
}

/// Details (without the report body) of the reports whose ids are in `ids_param`, their
/// harvesters, locations and pick sessions rendered once each however many reports share
/// them. Columns: `id`, `data`.
pub fn details_sharing_nested(ids_param: &str) -> String {
    format!(
        "WITH r AS MATERIALIZED (SELECT id, harvester_id, location_id, event_id, pick_session_id, \
           report_time, githash, gitbranch, extraction_status, created, last_modified, creator_id, \
           modified_by_id FROM error_reports WHERE id = ANY({ids_param})), \
         hv AS MATERIALIZED (SELECT h.id, {hj} AS j FROM harvesters h \
           WHERE h.id IN (SELECT harvester_id FROM r)), \
         lc AS MATERIALIZED (SELECT l.id, {lj} AS j FROM locations l \
           WHERE l.id IN (SELECT location_id FROM r)), \
         ps AS MATERIALIZED (SELECT p.id, {pj} AS j FROM pick_sessions p \
           WHERE p.id IN (SELECT pick_session_id FROM r)) \
         SELECT r.id, {detail} AS data FROM r",
        hj = harvester("h"),
        lj = location("l"),
        pj = pick_session("p"),
        detail = detail_with(
            "r",
            "NULL::jsonb",
            &Nested {
                harvester: "(SELECT j FROM hv WHERE hv.id = r.harvester_id)",
                location: "(SELECT j FROM lc WHERE lc.id = r.location_id)",
                pick_session: "(SELECT j FROM ps WHERE ps.id = r.pick_session_id)",
            }
        ),
    )
}
