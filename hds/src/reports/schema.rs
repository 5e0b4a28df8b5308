//! A validator for the subset of JSON Schema report kinds use (type, required, properties,
//! patternProperties, items).

use serde_json::Value;

fn type_matches(ty: &str, v: &Value) -> bool {
    match ty {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "number" => v.is_number(),
        "integer" => v.is_i64() || v.is_u64(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        _ => true,
    }
}

/// The first violation, as `path: message`, or `None` when `v` conforms.
pub fn validate(schema: &Value, v: &Value, path: &str) -> Option<String> {
    if let Some(ty) = schema.get("type") {
        let types: Vec<&str> = match ty {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        if !types.is_empty() && !types.iter().any(|t| type_matches(t, v)) {
            return Some(format!("{path}: must be {}", types.join(" or ")));
        }
    }
    if let (Some(required), Some(obj)) = (
        schema.get("required").and_then(Value::as_array),
        v.as_object(),
    ) {
        for key in required.iter().filter_map(Value::as_str) {
            if !obj.contains_key(key) {
                return Some(format!("{path}: '{key}' is a required property"));
            }
        }
    }
    let obj = v.as_object()?;
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        for (key, sub) in props {
            if let Some(child) = obj.get(key) {
                if let Some(err) = validate(sub, child, &format!("{path}.{key}")) {
                    return Some(err);
                }
            }
        }
    }
    if let Some(patterns) = schema.get("patternProperties").and_then(Value::as_object) {
        for (pattern, sub) in patterns {
            // The only pattern used is `^<prefix>\.\d+$`.
            let prefix = pattern
                .trim_start_matches('^')
                .split("\\.")
                .next()
                .unwrap_or("");
            for (key, child) in obj {
                let matches = key
                    .strip_prefix(prefix)
                    .and_then(|rest| rest.strip_prefix('.'))
                    .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
                if matches {
                    if let Some(err) = validate(sub, child, &format!("{path}.{key}")) {
                        return Some(err);
                    }
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apps::errorreport::schema::error_report_schema;
    use serde_json::json;

    #[test]
    fn validates_the_error_report_shape() {
        let s = error_report_schema();
        let ok = json!({"data": {"sysmon_report": {"sysmon.0": {"errors": {}}}}, "timestamp": 1.5, "serial_number": "011"});
        assert_eq!(validate(s, &ok, "$"), None);
        let missing = json!({"data": {}, "timestamp": 1.5, "serial_number": 11});
        assert_eq!(
            validate(s, &missing, "$").unwrap(),
            "$.data: 'sysmon_report' is a required property"
        );
        let bad_ts = json!({"data": {"sysmon_report": {}}, "timestamp": "x", "serial_number": 11});
        assert!(validate(s, &bad_ts, "$").unwrap().contains("timestamp"));
        let bad_entry = json!({"data": {"sysmon_report": {"sysmon.1": 5}}, "timestamp": 1, "serial_number": 11});
        assert!(validate(s, &bad_entry, "$").unwrap().contains("sysmon.1"));
        let odd_key = json!({"data": {"sysmon_report": {"sysmon_0": 5}}, "timestamp": 1, "serial_number": 11});
        assert_eq!(
            validate(s, &odd_key, "$"),
            None,
            "keys outside the pattern are allowed"
        );
    }
}
