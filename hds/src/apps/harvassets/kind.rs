//! Asset reports as a report kind: an event, the schema of an asset list, the assets extracted
//! by the worker (`assets::extract`).

use serde_json::json;

use crate::reports::json::{common, nested_event, nested_harvester};
use crate::reports::schema::{LazySchema, Schema};
use crate::reports::{no_filters, Depth, Extraction, Kind, Related, ReportKind};

pub const ASSET_REPORTS: ReportKind = ReportKind {
    name: "harvassetreport",
    schema_name: "harvassetreport",
    model: "HarvesterAssetReport",
    key_prefix: "assets",
    table: "asset_reports",
    tags: ("asset_report_tags", "asset_report_id"),
    schema: Some(schema),
    harvester_context: &[],
    event_tag: Some("HarvesterAssetReport"),
    pick_session_tag: None,
    aux_events: true,
    owns_pick_session: false,
    session_span: None,
    absorbs_repeats: false,
    ignore: None,
    columns: &[],
    members: all,
    details_sql,
    representation,
    filters: no_filters,
    after_create: None,
    extract: Some(Extraction {
        task: "extract_assets",
        run: super::assets::extract,
    }),
    related: Some(Related {
        route: "/harvassetreport/",
        label: "Asset Report",
    }),
};

pub struct AssetReports;
impl Kind for AssetReports {
    const KIND: &'static ReportKind = &ASSET_REPORTS;
}

fn all(_: &str) -> Depth {
    Depth::All
}

fn details_sql() -> String {
    ASSET_REPORTS.plain_details_sql()
}

pub fn representation(r: &str, report: &str) -> String {
    format!(
        "json_build_object({common}, 'location', {r}.location_id, 'harvester', {h}, 'event', {e})",
        common = common(&ASSET_REPORTS, r, report),
        h = nested_harvester(r),
        e = nested_event(r),
    )
}

pub fn schema() -> &'static Schema {
    static SCHEMA: LazySchema = LazySchema::new();
    SCHEMA.get(|| {
        json!({
            "type": "object",
            "properties": {
                "data": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "asset": { "type": "string" },
                            "index": { "type": ["number", "string"] },
                            "asset-tag": { "type": ["number", "string"] },
                            "version": { "type": ["number", "string", "null"] }
                        },
                        "required": ["asset", "index", "asset-tag"]
                    }
                },
                "uuid": { "type": "string" },
                "timestamp": { "type": "number" },
                "type": { "type": "string" },
                "serial_number": { "type": ["string", "number"] }
            },
            "required": ["data", "timestamp", "serial_number"]
        })
    })
}
