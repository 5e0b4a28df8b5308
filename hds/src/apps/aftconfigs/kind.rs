//! Configuration reports as a report kind: an event, nothing extracted. Only the top level is
//! read; the megabyte of configuration is checked as JSON and stored as received.

use crate::reports::json::{common, nested_event};
use crate::reports::views::exact_filters;
use crate::reports::{Depth, Kind, Related, ReportKind};

pub const CONFIG_REPORTS: ReportKind = ReportKind {
    name: "configreports",
    schema_name: "configreports",
    model: "ConfigReport",
    key_prefix: "config",
    table: "config_reports",
    tags: ("config_report_tags", "config_report_id"),
    schema: Some(schema),
    harvester_context: &[],
    event_tag: Some("ConfigReport"),
    pick_session_tag: None,
    aux_events: true,
    owns_pick_session: false,
    session_span: None,
    absorbs_repeats: false,
    ignore: None,
    columns: &[],
    members,
    details_sql,
    representation,
    filters: exact_filters,
    after_create: None,
    extract: None,
    related: Some(Related {
        route: "/aftconfigs/",
        label: "Config Report",
    }),
};

pub struct ConfigReports;
impl Kind for ConfigReports {
    const KIND: &'static ReportKind = &CONFIG_REPORTS;
}

fn members(key: &str) -> Depth {
    match key {
        "data" => Depth::TypeOnly,
        _ => Depth::All,
    }
}

fn details_sql() -> String {
    CONFIG_REPORTS.plain_details_sql()
}

pub fn representation(r: &str, report: &str) -> String {
    format!(
        "json_build_object({common}, 'location', {r}.location_id, 'harvester', {r}.harvester_id, \
         'event', {e})",
        common = common(&CONFIG_REPORTS, r, report),
        e = nested_event(r),
    )
}

/// What the original documents of a configuration report: robot indexes to objects.
fn schema() -> &'static crate::reports::schema::Schema {
    use crate::reports::schema::LazySchema;
    static SCHEMA: LazySchema = LazySchema::new();
    SCHEMA.get(|| {
        serde_json::json!({
            "type": "object",
            "properties": {
                "data": { "type": "object" },
                "uuid": { "type": "string" },
                "timestamp": { "type": "number" },
                "type": { "type": "string" },
                "serial_number": { "type": ["string", "number"] }
            },
            "required": ["data", "timestamp", "serial_number"]
        })
    })
}
