//! A report body parsed only as deep as ingestion reads it.
//!
//! Parsing a 20 KB report into a `Value` builds (and later frees) a thousand-odd strings and
//! maps, most of them under `services` and `errors`, which ingestion never reads: exceptions
//! are extracted later from the stored report. Here the parts that [`super::read::read`]
//! and the schema check look at are parsed (each kind says which: `ReportKind::members`); any other member becomes an empty value of its
//! JSON type, which is all the schema check needs of it.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Value};

/// How much of a member to parse.
pub enum Depth {
    /// Parsed whole.
    All,
    /// An object whose members are parsed as this function says.
    Members(fn(&str) -> Depth),
    /// An empty value of its type.
    TypeOnly,
}

/// The report's text parsed as deep as ingestion reads it, in one pass that also checks the
/// whole text is well-formed JSON.
/// `members` says how deep each top-level member is parsed.
pub fn parse(text: &str, members: fn(&str) -> Depth) -> serde_json::Result<Value> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = Seed(Depth::Members(members)).deserialize(&mut de)?;
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
