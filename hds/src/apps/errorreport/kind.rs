//! Error reports as a report kind (docs/api-design.md#how-to-add-a-report-kind): what
//! ingestion reads from them (docs/api-design.md#reading-a-report) and what it links.

use serde_json::Value;

use crate::jobs::Job;
use crate::reports::read::text_of;
use crate::reports::{Column, Depth, Kind, Related, ReportKind};

pub const ERROR_REPORTS: ReportKind = ReportKind {
    name: "errorreport",
    schema_name: "error",
    model: "ErrorReport",
    key_prefix: "error",
    table: "error_reports",
    tags: ("error_report_tags", "error_report_id"),
    schema: Some(super::schema::error_report_schema),
    harvester_context: &["data", "sysmon_report"],
    event_tag: Some("ErrorReport"),
    pick_session_tag: Some("PickSession"),
    aux_events: true,
    owns_pick_session: false,
    session_span: None,
    absorbs_repeats: false,
    ignore: None,
    columns: &[
        Column {
            name: "githash",
            sql_type: "text",
            read: githash,
            required: false,
        },
        Column {
            name: "gitbranch",
            sql_type: "text",
            read: gitbranch,
            required: false,
        },
    ],
    members: top,
    details_sql,
    representation,
    filters: super::filters::apply,
    after_create: Some(extract),
    extract: None,
    related: Some(Related {
        route: "/errorreports/",
        label: "Error Report",
    }),
};

/// Handlers generic over a kind take this for error reports.
pub struct ErrorReports;
impl Kind for ErrorReports {
    const KIND: &'static ReportKind = &ERROR_REPORTS;
}

fn githash(body: &Value) -> Option<String> {
    Some(
        text_of(body.get("data").and_then(|d| d.get("githash")))
            .unwrap_or_else(|| "unknown".into()),
    )
}

fn gitbranch(body: &Value) -> Option<String> {
    Some(
        text_of(body.get("data").and_then(|d| d.get("branch_name")))
            .unwrap_or_else(|| "unknown".into()),
    )
}

fn details_sql() -> String {
    super::json::details_sharing_nested("$1")
}

fn representation(r: &str, report: &str) -> String {
    super::json::detail_with_report(r, report)
}

fn extract(report_id: i64) -> Job {
    Job::ExtractReport { report_id }
}

// How deep ingestion reads an error report: identity, harvester and git fields, and of the
// sysmon entries only what the schema check looks at.

fn top(key: &str) -> Depth {
    match key {
        "data" => Depth::Members(data),
        "timestamp" | "type" | "serial_number" | "uuid" | "pick_session_uuid" | "aux_uuids" => {
            Depth::All
        }
        _ => Depth::TypeOnly,
    }
}

fn data(key: &str) -> Depth {
    match key {
        "sysmon_report" => Depth::Members(sysmon_report),
        "serial_number" | "githash" | "branch_name" | "uuid" => Depth::All,
        _ => Depth::TypeOnly,
    }
}

fn sysmon_report(key: &str) -> Depth {
    match key {
        "serial_number" | "is_emulator" | "fruit" => Depth::All,
        _ if is_sysmon_entry(key) || key.len() > 10 && key.starts_with("sysmon_ap.") => {
            Depth::Members(sysmon_entry)
        }
        _ => Depth::TypeOnly,
    }
}

fn sysmon_entry(key: &str) -> Depth {
    match key {
        "index" | "robot_index" => Depth::All,
        _ => Depth::TypeOnly,
    }
}

/// `sysmon.<digits>`, the schema's pattern for entries.
fn is_sysmon_entry(key: &str) -> bool {
    key.strip_prefix("sysmon.")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apps::errorreport::schema::error_report_schema;
    use crate::reports::read;
    use serde_json::json;

    fn parse(text: &str) -> serde_json::Result<Value> {
        crate::reports::shallow::parse(text, ERROR_REPORTS.members)
    }

    fn report() -> Value {
        json!({
            "type": "error", "timestamp": 1651526862.5, "serial_number": "011",
            "uuid": "u-1", "pick_session_uuid": "ps-1", "aux_uuids": ["a", "b"],
            "extra": {"deep": [1, 2, {"x": "y"}]},
            "data": {
                "serial_number": 11, "githash": "abc", "branch_name": "main", "other": [1],
                "sysmon_report": {
                    "serial_number": "011", "is_emulator": false,
                    "sysmon_ap.nuc": {"index": 0, "robot_index": null, "errors": {}},
                    "sysmon.0": {"index": 0, "robot_index": 1, "version": "v",
                                 "errors": {"traychg.0": {"ts": 1.5, "code": 0}},
                                 "services": {"a.0": {"PID": 1}}},
                    "sysmon.x": {"index": "not checked"},
                    "note": "not an entry"
                }
            }
        })
    }

    #[test]
    fn reads_what_ingestion_reads_and_types_the_rest() {
        let full = report();
        let shallow = parse(&full.to_string()).unwrap();
        assert_eq!(shallow["uuid"], "u-1");
        assert_eq!(shallow["aux_uuids"], json!(["a", "b"]));
        assert_eq!(shallow["extra"], json!({}));
        assert_eq!(shallow["data"]["githash"], "abc");
        assert_eq!(shallow["data"]["other"], json!([]));
        let sysmon = &shallow["data"]["sysmon_report"];
        assert_eq!(sysmon["sysmon.0"]["robot_index"], 1);
        assert_eq!(sysmon["sysmon.0"]["errors"], json!({}));
        assert_eq!(sysmon["sysmon.0"]["version"], "");
        assert_eq!(sysmon["sysmon.x"], json!({}), "not an entry: typed only");
        assert_eq!(sysmon["note"], "");
        let (a, b) = (
            read::read(&ERROR_REPORTS, &full).unwrap(),
            read::read(&ERROR_REPORTS, &shallow).unwrap(),
        );
        assert_eq!(format!("{:?}", a), format!("{:?}", b));
    }

    #[test]
    fn the_schema_check_sees_the_same_violations() {
        let schema = error_report_schema();
        let mut cases = vec![report()];
        for (path, bad) in [
            ("/timestamp", json!("soon")),
            ("/uuid", json!(5)),
            ("/aux_uuids", json!([1])),
            ("/data/githash", json!(3)),
            ("/data/sysmon_report", json!([])),
            ("/data/sysmon_report/sysmon.0/errors", json!([])),
            ("/data/sysmon_report/sysmon.0/index", json!(1.5)),
            ("/data/sysmon_report/sysmon.0/robot_index", json!(true)),
            ("/data/sysmon_report/serial_number", json!(null)),
            ("/data/sysmon_report/is_emulator", json!("yes")),
            ("/data/sysmon_report/sysmon_ap.nuc/errors", json!(5)),
            ("/data/sysmon_report/sysmon_ap.nuc/index", json!(false)),
        ] {
            let mut r = report();
            *r.pointer_mut(path).unwrap() = bad;
            cases.push(r);
        }
        let mut r = report();
        r["data"].as_object_mut().unwrap().remove("sysmon_report");
        cases.push(r);
        cases.push(json!([1, 2]));
        cases.push(json!("text"));
        for case in cases {
            let shallow = parse(&case.to_string()).unwrap();
            assert_eq!(
                schema.violation(&case).map(|v| (v.path, v.rule)),
                schema.violation(&shallow).map(|v| (v.path, v.rule)),
                "{case}"
            );
        }
    }

    #[test]
    fn malformed_text_is_refused_wherever_it_is() {
        assert!(
            parse(r#"{"data": {"sysmon_report": {"sysmon.0": {"services": {"a": [1, }}}}}"#)
                .is_err()
        );
        assert!(parse(r#"{"extra": "unterminated}"#).is_err());
        assert!(parse(r#"{"uuid": "a"} trailing"#).is_err());
        assert!(parse(r#"{"extra": [1, 2.5e3, true, null, {"k": "\u00e9"}]}"#).is_ok());
    }

    #[test]
    fn escaped_and_repeated_keys_read_like_a_full_parse() {
        let text = r#"{"uu\u0069d": "first", "uuid": "second", "data": {"githash": "a"}}"#;
        let (full, shallow): (Value, Value) =
            (serde_json::from_str(text).unwrap(), parse(text).unwrap());
        assert_eq!(full["uuid"], shallow["uuid"]);
        assert_eq!(shallow["uuid"], "second");
    }
}
