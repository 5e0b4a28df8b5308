//! A report body parsed only as deep as ingestion reads it.
//!
//! Parsing a 20 KB report into a `Value` builds (and later frees) a thousand-odd strings and
//! maps, most of them under `services` and `errors`, which ingestion never reads: exceptions
//! are extracted later from the stored report. Here the parts that [`super::ingest::read`]
//! and the schema check look at are parsed; any other member becomes an empty value of its
//! JSON type, which is all the schema check needs of it.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Value};

/// How much of a member to parse.
enum Depth {
    /// Parsed whole.
    All,
    /// An object whose members are parsed as this function says.
    Members(fn(&str) -> Depth),
    /// An empty value of its type.
    TypeOnly,
}

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
        _ if is_sysmon_entry(key) => Depth::Members(sysmon_entry),
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

/// The report's text parsed as deep as ingestion reads it, in one pass that also checks the
/// whole text is well-formed JSON.
pub fn parse(text: &str) -> serde_json::Result<Value> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = Seed(Depth::Members(top)).deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

struct Seed(Depth);

impl<'de> DeserializeSeed<'de> for Seed {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        match self.0 {
            Depth::All => Value::deserialize(d),
            Depth::Members(member) => d.deserialize_any(Members(member)),
            Depth::TypeOnly => d.deserialize_any(TypeOnly),
        }
    }
}

/// An object's members parsed as `.0` says; anything else parsed whole.
struct Members(fn(&str) -> Depth);

impl<'de> Visitor<'de> for Members {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(Seed((self.0)(&key)))?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(value) = seq.next_element::<Value>()? {
            out.push(value);
        }
        Ok(Value::Array(out))
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
}

/// An empty value of the JSON type read (numbers keep integer vs float), the rest skipped.
struct TypeOnly;

impl<'de> Visitor<'de> for TypeOnly {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Value::Object(Map::new()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Value::Array(Vec::new()))
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, _: i64) -> Result<Value, E> {
        Ok(Value::from(0))
    }

    fn visit_u64<E>(self, _: u64) -> Result<Value, E> {
        Ok(Value::from(0))
    }

    fn visit_f64<E>(self, _: f64) -> Result<Value, E> {
        Ok(Value::from(0.0))
    }

    fn visit_str<E>(self, _: &str) -> Result<Value, E> {
        Ok(Value::String(String::new()))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apps::errorreport::ingest;
    use crate::apps::errorreport::schema::{error_report_schema, validate};
    use serde_json::json;

    fn report() -> Value {
        json!({
            "type": "error", "timestamp": 1651526862.5, "serial_number": "011",
            "uuid": "u-1", "pick_session_uuid": "ps-1", "aux_uuids": ["a", "b"],
            "extra": {"deep": [1, 2, {"x": "y"}]},
            "data": {
                "serial_number": 11, "githash": "abc", "branch_name": "main", "other": [1],
                "sysmon_report": {
                    "serial_number": "011",
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
            ingest::read(&full).unwrap(),
            ingest::read(&shallow).unwrap(),
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
                validate(&schema, &case, "$"),
                validate(&schema, &shallow, "$"),
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
