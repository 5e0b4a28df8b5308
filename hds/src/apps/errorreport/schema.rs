//! The error report's JSON Schema (served by `getschema/`, checked on ingest): the original's
//! report base (docs/api-design.md#reading-a-report) with its `sysmon_report` entries, both
//! formats (`sysmon.<n>`, `sysmon_ap.<name>`) and the free `info_*` keys.

use serde_json::{json, Value};

use crate::reports::schema::{LazySchema, Schema};

pub fn error_report_schema() -> &'static Schema {
    static SCHEMA: LazySchema = LazySchema::new();
    SCHEMA.get(document)
}

fn document() -> Value {
    let entry = json!({
        "type": "object",
        "properties": {
            "index": { "type": ["integer", "string"] },
            "robot_index": { "type": ["integer", "string", "null"] },
            "version": { "type": ["string", "null"] },
            "errors": { "type": "object" },
            "services": { "type": "object" },
            "chrony_info": { "type": "object" }
        }
    });
    json!({
        "type": "object",
        "properties": {
            "data": {
                "type": "object",
                "properties": {
                    "serial_number": { "type": ["string", "number"] },
                    "githash": { "type": ["string", "null"] },
                    "branch_name": { "type": ["string", "null"] },
                    "sysmon_report": {
                        "type": "object",
                        "properties": {
                            "serial_number": { "type": ["string", "number"] },
                            "fruit": { "type": "string" },
                            "is_emulator": { "type": "boolean" },
                            "scene": { "description": "The scene the harvester was running, free form." }
                        },
                        "patternProperties": {
                            "^sysmon\\.\\d+$": entry,
                            "^sysmon_ap\\..+$": entry,
                            "^info_": { "description": "Additional information of any type." }
                        }
                    }
                },
                "required": ["sysmon_report"]
            },
            "timestamp": { "type": "number" },
            "type": { "type": "string" },
            "serial_number": { "type": ["string", "number"] }
        },
        "required": ["data", "timestamp", "serial_number"]
    })
}
