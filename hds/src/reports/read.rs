//! Reading a report body: the checks and fields every kind shares (serial number → harvester,
//! `timestamp`, `uuid`, `pick_session_uuid`, `aux_uuids`, the schema check) and the kind's own
//! columns, before anything is read from or written to the database.

use chrono::{DateTime, TimeZone, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::ReportKind;
use crate::api::columns;
use crate::error::{AppError, AppResult};
use crate::schema::harvesters;

pub const INVALID_SCHEMA: &str = "invalid schema";

/// Which harvester a report names: a real one by serial number, or its fruit's emulator.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum HarvesterRef {
    Serial(i64),
    EmulatorOf(String),
}

/// The harvester a report was resolved to.
#[derive(Debug, Clone, Copy)]
pub struct Harvester {
    pub id: i64,
    pub location_id: i64,
}

/// What the report says about itself, before anything is read or written.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub harvester: HarvesterRef,
    pub report_time: DateTime<Utc>,
    /// The kind's [`columns`](ReportKind::columns), in order.
    pub columns: Vec<Option<String>>,
    pub uuid: Option<String>,
    pub pick_session_uuid: Option<String>,
    pub aux_uuids: Vec<String>,
    pub tags: Vec<&'static str>,
    /// The pick session's start and end, for kinds that set them.
    pub session_span: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

/// `"011"` → 11, `11` → 11, `11.0` → 11.
fn serial_number(body: &Value) -> AppResult<i64> {
    let raw = body
        .get("serial_number")
        .or_else(|| body.get("data").and_then(|d| d.get("serial_number")))
        .ok_or_else(|| {
            AppError::validation_field(
                "serial_number",
                "This field is required (at the top level or in `data`).",
            )
        })?;
    let parsed = match raw {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
        Value::String(s) => s.trim().parse::<i64>().ok(),
        _ => None,
    };
    parsed.ok_or_else(|| {
        AppError::validation_field("serial_number", format!("{raw} is not a whole number."))
    })
}

/// POSIX seconds (float) → UTC.
pub fn epoch(v: &Value, field: &str) -> AppResult<DateTime<Utc>> {
    let secs = v.as_f64().ok_or_else(|| {
        AppError::validation_field(field, "A number of seconds since the epoch is required.")
    })?;
    let micros = (secs * 1_000_000.0).round() as i64;
    Utc.timestamp_micros(micros)
        .single()
        .filter(crate::api::filters::in_accepted_range)
        .ok_or_else(|| {
            AppError::validation_field(field, "Timestamp out of range (year 1 to 9999).")
        })
}

/// A report's `timestamp`: seconds since the epoch from the year 2000 to a day from now. A
/// timestamp in milliseconds (a year around 55,000) is refused rather than stored where every
/// client parsing dates would trip over it.
pub fn report_time(v: &Value) -> AppResult<DateTime<Utc>> {
    let t = epoch(v, "timestamp")?;
    let earliest = Utc.with_ymd_and_hms(2000, 1, 1, 0, 0, 0).single();
    let latest = Utc::now() + chrono::Duration::days(1);
    if earliest.is_some_and(|e| t < e) || t > latest {
        return Err(AppError::validation_field(
            "timestamp",
            format!(
                "{t} is outside 2000-01-01 … a day from now: expected seconds since the epoch."
            ),
        ));
    }
    Ok(t)
}

pub fn text_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Who the report is from: the fruit's emulator when the context says `is_emulator`, else the
/// real harvester whose `harv_id` is the serial number.
fn harvester_ref(context: &Value, serial: i64) -> AppResult<HarvesterRef> {
    if context.get("is_emulator").and_then(Value::as_bool) == Some(true) {
        let fruit = context
            .get("fruit")
            .and_then(Value::as_str)
            .ok_or_else(|| {
                AppError::validation_field("fruit", "Emulator reports must name their fruit.")
            })?;
        return Ok(HarvesterRef::EmulatorOf(fruit.to_string()));
    }
    Ok(HarvesterRef::Serial(serial))
}

/// The body as PostgreSQL will store it. `jsonb` cannot hold the NUL character, so a report
/// containing one is refused here with a 400 instead of failing in the database.
pub fn storable_text(body: &Value) -> AppResult<String> {
    let text = body.to_string();
    check_storable(&text)?;
    Ok(text)
}

/// Refuses JSON text PostgreSQL's jsonb cannot hold (a NUL character).
pub fn check_storable(json: &str) -> AppResult<()> {
    match crate::api::body::has_nul_escape(json) {
        true => Err(AppError::validation_msg(
            "The report contains a NUL character (\\u0000), which cannot be stored.",
        )),
        false => Ok(()),
    }
}

pub fn harvester_missing() -> AppError {
    AppError::DoesNotExist("Harvester matching query does not exist.".into())
}

pub async fn resolve(conn: &mut AsyncPgConnection, who: &HarvesterRef) -> AppResult<Harvester> {
    let found: Option<(i64, i64)> = match who {
        HarvesterRef::EmulatorOf(fruit) => harvesters::table
            .inner_join(crate::schema::fruits::table)
            .filter(harvesters::is_emulator.eq(true))
            .filter(crate::schema::fruits::name.eq(fruit))
            .select((harvesters::id, harvesters::location_id))
            .first(conn)
            .await
            .optional()?,
        HarvesterRef::Serial(serial) => {
            let serial = i32::try_from(*serial).map_err(|_| harvester_missing())?;
            harvesters::table
                .filter(harvesters::harv_id.eq(serial))
                .filter(harvesters::is_emulator.eq(false))
                .select((harvesters::id, harvesters::location_id))
                .first(conn)
                .await
                .optional()?
        }
    };
    found
        .map(|(id, location_id)| Harvester { id, location_id })
        .ok_or_else(harvester_missing)
}

/// Reads and checks a report body of `kind` without touching the database.
pub fn read(kind: &ReportKind, body: &Value) -> AppResult<Parsed> {
    if !body.is_object() {
        return Err(AppError::validation_msg(format!(
            "{} must be a JSON object.",
            kind.model
        )));
    }
    let mut tags = Vec::new();
    if let Some(violation) = kind.schema.and_then(|schema| schema().violation(body)) {
        tracing::info!(%violation, kind = kind.name, "report does not match the schema; ingesting anyway");
        crate::metrics::METRICS
            .errors
            .with_label_values(&["SchemaValidation", kind.name])
            .inc();
        tags.push(INVALID_SCHEMA);
    }
    let serial = serial_number(body)?;
    let data = body.get("data").unwrap_or(&Value::Null);
    let harvester = match kind.harvester_context {
        [] => harvester_ref(body, serial)?,
        path => {
            let context = path
                .iter()
                .try_fold(body, |v, member| v.get(member))
                .filter(|v| v.is_object())
                .ok_or_else(|| {
                    AppError::validation_field(&path.join("."), "This field is required.")
                })?;
            harvester_ref(context, serial)?
        }
    };
    let report_time = report_time(body.get("timestamp").unwrap_or(&Value::Null))?;
    let uuid = text_of(body.get("uuid")).or_else(|| text_of(data.get("uuid")));
    let aux_uuids = match kind.aux_events {
        true => body
            .get("aux_uuids")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(|v| text_of(Some(v))).collect())
            .unwrap_or_default(),
        false => Vec::new(),
    };
    // Text headed for a `varchar(n)` column fits it (lengths from the schema,
    // docs/api-design.md#request-bodies): a 400 naming the field, never a refusal by
    // PostgreSQL that a forwarder would take for a transient failure.
    let fits = columns::check_len_of;
    if let Some(u) = &uuid {
        fits("uuid", u, "events", "uuid")?;
    }
    for u in &aux_uuids {
        fits("aux_uuids", u, "events", "uuid")?;
    }
    let pick_session_uuid = text_of(body.get("pick_session_uuid"));
    if let Some(u) = &pick_session_uuid {
        fits("pick_session_uuid", u, "pick_sessions", "uuid")?;
    }
    let mut columns = Vec::with_capacity(kind.columns.len());
    for c in kind.columns {
        let value = (c.read)(body);
        if c.required && value.is_none() {
            return Err(AppError::validation_field(
                c.name,
                "This field may not be null.",
            ));
        }
        if let Some(v) = &value {
            fits(c.name, v, kind.table, c.name)?;
        }
        columns.push(value);
    }
    let session_span = match kind.session_span {
        Some(span) => Some(span(body)?),
        None => None,
    };
    Ok(Parsed {
        harvester,
        report_time,
        columns,
        session_span,
        uuid,
        pick_session_uuid,
        aux_uuids,
        tags,
    })
}

/// What identifies a report for D23: its uuid, or for a report without one its whole content
/// (serialized by serde_json, so it does not depend on the sender's formatting).
pub fn identity(body: &Value, p: &Parsed) -> String {
    match &p.uuid {
        Some(u) => u.clone(),
        None => hex::encode(Sha256::digest(body.to_string().as_bytes())),
    }
}

/// D23: the same identity + type + timestamp + harvester is the same report.
pub fn ingest_key(kind: &str, identity: &str, p: &Parsed, harvester_id: i64) -> String {
    let key = format!(
        "{kind}|{identity}|{}|{harvester_id}",
        p.report_time.timestamp_micros(),
    );
    hex::encode(Sha256::digest(key.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nul_characters_are_refused_but_a_literal_backslash_u0000_is_not() {
        assert!(storable_text(&json!({"a": "x\u{0}y"})).is_err());
        assert!(storable_text(&json!({"a\u{0}": 1})).is_err());
        let literal = json!({"a": "C:\\u0000 is a path"});
        assert_eq!(
            storable_text(&literal).unwrap(),
            r#"{"a":"C:\\u0000 is a path"}"#
        );
        assert!(storable_text(&json!({"a": "\\\u{0}"})).is_err());
    }
}
