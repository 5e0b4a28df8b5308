//! Version reports as a report kind: `is_dirty`/`has_unexpected` read from the hosts, an
//! unchanged repeat absorbed into the previous report, no event.

use serde_json::{json, Value};

use crate::api::filters::{Param, ParamType, Query};
use crate::api::sql::{Bind, Where};
use crate::error::AppResult;
use crate::reports::json::common;
use crate::reports::schema::{LazySchema, Schema};
use crate::reports::{Column, Depth, Kind, ReportKind};

pub const VERSION_REPORTS: ReportKind = ReportKind {
    name: "harvcodeversion",
    schema_name: "version_report",
    model: "HarvesterVersionReport",
    key_prefix: "version",
    table: "version_reports",
    tags: ("version_report_tags", "version_report_id"),
    schema: Some(schema),
    harvester_context: &[],
    event_tag: None,
    pick_session_tag: None,
    aux_events: false,
    owns_pick_session: false,
    session_span: None,
    absorbs_repeats: true,
    ignore: None,
    columns: &[
        Column {
            name: "is_dirty",
            sql_type: "boolean",
            read: is_dirty,
            required: true,
        },
        Column {
            name: "has_unexpected",
            sql_type: "boolean",
            read: has_unexpected,
            required: true,
        },
    ],
    members: all,
    details_sql,
    representation,
    filters,
    after_create: None,
    extract: None,
    related: None,
};

pub struct VersionReports;
impl Kind for VersionReports {
    const KIND: &'static ReportKind = &VERSION_REPORTS;
}

/// The kind's own list filter (the original's `?harv_id=`).
pub const FILTERS: &[Param] = &[Param::new(
    "harv_id",
    ParamType::Int,
    "From the harvester with this number.",
)];

fn filters(q: &Query, w: &mut Where) -> AppResult<()> {
    if let Some(harv_id) = q.int("harv_id")? {
        w.add(
            "r.harvester_id = ANY(ARRAY(SELECT id FROM harvesters WHERE harv_id = ?))",
            [Bind::Int(harv_id)],
        );
    }
    Ok(())
}

fn all(_: &str) -> Depth {
    Depth::All
}

fn details_sql() -> String {
    VERSION_REPORTS.plain_details_sql()
}

/// `conflicts` of report `r`: `{"error": "No release"}` when its harvester has no release;
/// else every host entry of `data` that reports an error or whose version (as text) is not the
/// release's.
pub fn conflicts(r: &str) -> String {
    format!(
        "(SELECT CASE WHEN rel.version IS NULL THEN json_build_object('error', 'No release') \
           ELSE COALESCE((SELECT json_object_agg(e.key, e.value) FROM jsonb_each(CASE \
               WHEN jsonb_typeof({r}.report -> 'data') = 'object' THEN {r}.report -> 'data' END) e \
             WHERE jsonb_typeof(e.value) = 'object' AND ( \
               COALESCE(e.value -> 'error', 'null'::jsonb) <> 'null'::jsonb \
               OR (e.value ->> 'version') IS DISTINCT FROM rel.version)), '{{}}'::json) END \
         FROM (SELECT (SELECT x.version FROM harvesters h JOIN harvester_code_releases x \
           ON x.id = h.release_id WHERE h.id = {r}.harvester_id) AS version) rel)"
    )
}

pub fn representation(r: &str, report: &str) -> String {
    format!(
        "json_build_object({common}, 'is_dirty', {r}.is_dirty, 'has_unexpected', {r}.has_unexpected, \
         'location', {r}.location_id, 'harvester', {r}.harvester_id, 'conflicts', {c})",
        common = common(&VERSION_REPORTS, r, report),
        c = conflicts(r),
    )
}

/// Whether any host's `key` is set: a non-empty collection, or any other non-null value.
fn any_host_has(body: &Value, key: &str) -> bool {
    let Some(hosts) = body.get("data").and_then(Value::as_object) else {
        return false;
    };
    hosts.values().filter_map(|h| h.get(key)).any(|v| match v {
        Value::Null => false,
        Value::Object(m) => !m.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::String(s) => !s.is_empty(),
        _ => true,
    })
}

fn is_dirty(body: &Value) -> Option<String> {
    Some(any_host_has(body, "dirty").to_string())
}

fn has_unexpected(body: &Value) -> Option<String> {
    Some(any_host_has(body, "unexpected").to_string())
}

pub fn schema() -> &'static Schema {
    static SCHEMA: LazySchema = LazySchema::new();
    SCHEMA.get(|| {
        json!({
            "type": "object",
            "properties": {
                "data": {
                    "type": "object",
                    "patternProperties": {
                        "^(master|((aft-)?(robot|stereo)\\d+))": {
                            "oneOf": [
                                {
                                    "type": "object",
                                    "properties": { "error": { "type": ["string", "null"] } },
                                    "required": ["error"],
                                    "additionalProperties": false
                                },
                                {
                                    "type": "object",
                                    "properties": {
                                        "version": { "type": ["string", "number"] },
                                        "type": {},
                                        "project": {},
                                        "dirty": { "type": "object" },
                                        "unexpected": { "type": "object" },
                                        "error": {}
                                    },
                                    "required": ["version", "dirty", "unexpected"]
                                }
                            ]
                        }
                    },
                    "additionalProperties": false
                },
                "timestamp": { "type": "number" },
                "type": { "type": "string" },
                "serial_number": { "type": ["string", "number"] }
            },
            "required": ["data", "timestamp", "serial_number"]
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dirty_and_unexpected_are_read_from_the_hosts() {
        let clean = json!({"data": {"master": {"version": "1.2", "dirty": {}, "unexpected": {}},
                                    "aft-robot01": {"error": "timeout"}}});
        assert_eq!(is_dirty(&clean).as_deref(), Some("false"));
        assert_eq!(has_unexpected(&clean).as_deref(), Some("false"));
        let dirty = json!({"data": {"master": {"version": "1.2", "dirty": {"a.py": "M"}, "unexpected": {}},
                                    "aft-robot01": {"version": 1, "dirty": {}, "unexpected": ["x"]}}});
        assert_eq!(is_dirty(&dirty).as_deref(), Some("true"));
        assert_eq!(has_unexpected(&dirty).as_deref(), Some("true"));
    }

    #[test]
    fn the_schema_takes_errors_or_versions_per_host_and_nothing_else() {
        let s = schema();
        let ok = json!({"data": {"master": {"error": null}, "aft-robot01": {"version": "1.0", "dirty": {}, "unexpected": {}, "error": null}},
                        "timestamp": 1.0, "serial_number": "011"});
        assert_eq!(s.violation(&ok), None);
        let extra =
            json!({"data": {"toaster": {"error": null}}, "timestamp": 1.0, "serial_number": 11});
        assert!(s.violation(&extra).is_some(), "unknown host");
        let neither =
            json!({"data": {"master": {"version": "1.0"}}, "timestamp": 1.0, "serial_number": 11});
        assert!(
            s.violation(&neither).is_some(),
            "a version without dirty/unexpected"
        );
    }
}
