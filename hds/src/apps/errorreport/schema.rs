//! The error report's JSON Schema (served by `getschema/`, checked by `reports::schema`).

use std::sync::OnceLock;

use serde_json::{json, Value};

/// The base report schema of docs/api-design.md#reading-a-report with the error report's `data`.
pub fn error_report_schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| {
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
                            "properties": { "serial_number": { "type": ["string", "number"] } },
                            "patternProperties": {
                                "^sysmon\\.\\d+$": {
                                    "type": "object",
                                    "properties": {
                                        "errors": { "type": "object" },
                                        "index": { "type": ["integer", "string"] },
                                        "robot_index": { "type": ["integer", "string", "null"] }
                                    }
                                }
                            }
                        }
                    },
                    "required": ["sysmon_report"]
                },
                "timestamp": { "type": "number" },
                "type": { "type": "string" },
                "serial_number": { "type": ["string", "number"] },
                "uuid": { "type": "string" },
                "pick_session_uuid": { "type": "string" },
                "aux_uuids": { "type": "array", "items": { "type": "string" } }
            },
            "required": ["data", "timestamp", "serial_number"]
        })
    })
}
