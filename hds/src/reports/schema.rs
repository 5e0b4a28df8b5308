//! The JSON Schemas report kinds are checked against, compiled once (`jsonschema`, draft
//! detected from the document, no remote references).

use std::sync::OnceLock;

use serde_json::Value;

/// A report kind's schema: the document `getschema/` serves and its compiled validator.
pub struct Schema {
    pub document: Value,
    validator: jsonschema::Validator,
}

impl Schema {
    /// Compiles `document`; a kind's schema is code, so an invalid one is a bug caught by the
    /// kind's tests.
    pub fn new(document: Value) -> Schema {
        let validator = jsonschema::validator_for(&document)
            .unwrap_or_else(|e| panic!("a report schema does not compile: {e}"));
        Schema {
            document,
            validator,
        }
    }

    /// The first violation, or `None` when `v` conforms.
    pub fn violation(&self, v: &Value) -> Option<Violation> {
        self.validator.iter_errors(v).next().map(|e| Violation {
            path: format!("${}", e.instance_path().to_string().replace('/', ".")),
            rule: e.schema_path().to_string(),
            message: e.to_string(),
        })
    }
}

/// Where a report breaks its schema and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// `$.data.sysmon_report`.
    pub path: String,
    /// The schema keyword broken, as a JSON pointer into the schema.
    pub rule: String,
    pub message: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// A lazily compiled schema in a `static`: `static S: Lazy = Lazy::new(); S.get(|| json!(…))`.
pub struct LazySchema(OnceLock<Schema>);

impl LazySchema {
    pub const fn new() -> Self {
        LazySchema(OnceLock::new())
    }

    pub fn get(&'static self, document: impl FnOnce() -> Value) -> &'static Schema {
        self.0.get_or_init(|| Schema::new(document()))
    }
}

impl Default for LazySchema {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use crate::apps::errorreport::schema::error_report_schema;
    use serde_json::json;

    #[test]
    fn validates_the_error_report_shape() {
        let s = error_report_schema();
        let ok = json!({"data": {"sysmon_report": {"sysmon.0": {"errors": {}}}}, "timestamp": 1.5, "serial_number": "011"});
        assert_eq!(s.violation(&ok), None);
        let missing = json!({"data": {}, "timestamp": 1.5, "serial_number": 11});
        assert_eq!(
            s.violation(&missing).unwrap().to_string(),
            "$.data: \"sysmon_report\" is a required property"
        );
        let bad_ts = json!({"data": {"sysmon_report": {}}, "timestamp": "x", "serial_number": 11});
        assert!(s.violation(&bad_ts).unwrap().path.contains("timestamp"));
        let bad_entry = json!({"data": {"sysmon_report": {"sysmon.1": 5}}, "timestamp": 1, "serial_number": 11});
        assert!(s.violation(&bad_entry).unwrap().path.contains("sysmon.1"));
        let bad_ap = json!({"data": {"sysmon_report": {"sysmon_ap.nuc": 5}}, "timestamp": 1, "serial_number": 11});
        assert!(s.violation(&bad_ap).unwrap().path.contains("sysmon_ap.nuc"));
        let info = json!({"data": {"sysmon_report": {"info_x": [1], "info_y": null}}, "timestamp": 1, "serial_number": 11});
        assert_eq!(s.violation(&info), None, "info_* keys of any type");
        let odd_key = json!({"data": {"sysmon_report": {"sysmon_0": 5}}, "timestamp": 1, "serial_number": 11});
        assert_eq!(
            s.violation(&odd_key),
            None,
            "keys outside the patterns are allowed"
        );
    }
}
