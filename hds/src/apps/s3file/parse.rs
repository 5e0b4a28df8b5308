//! Reading the raw SQS message the forwarder posts: the S3 event inside `Body`.

use serde_json::Value;

use crate::error::{AppError, AppResult};

#[derive(Debug, Clone, PartialEq)]
pub struct S3Object {
    pub bucket: String,
    pub key: String,
    pub etag: String,
    pub size: Option<i64>,
}

/// S3 event keys are URL-encoded with `+` for spaces.
pub fn decode_key(raw: &str) -> String {
    let plus = raw.replace('+', " ");
    let bytes = plus.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Some(b) = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The S3 records of an event (an `s3:TestEvent` has none).
pub fn records(event: &Value) -> Vec<S3Object> {
    event
        .get("Records")
        .and_then(Value::as_array)
        .map(|recs| {
            recs.iter()
                .filter_map(|r| {
                    let s3 = r.get("s3")?;
                    let object = s3.get("object")?;
                    Some(S3Object {
                        bucket: s3
                            .pointer("/bucket/name")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_string(),
                        key: decode_key(object.get("key")?.as_str()?),
                        etag: object
                            .get("eTag")
                            .or_else(|| object.get("etag"))
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .trim_matches('"')
                            .to_string(),
                        size: object.get("size").and_then(Value::as_i64),
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The first S3 object of a raw SQS message (`Body` as a JSON string, or already an object).
pub fn object_of_message(message: &Value) -> AppResult<S3Object> {
    let body = message.get("Body").ok_or_else(|| {
        AppError::validation_field("Body", "This field is required (the SQS message body).")
    })?;
    let event: Value = match body {
        Value::String(s) => serde_json::from_str(s)
            .map_err(|e| AppError::validation_field("Body", format!("not JSON: {e}")))?,
        other => other.clone(),
    };
    records(&event).into_iter().next().ok_or_else(|| {
        AppError::validation_field(
            "Body",
            "No S3 record in the event (Records[0].s3.object.key).",
        )
    })
}

/// `<prefix>/<filetype>_<…>_<UUID>.<ext>` → (filetype, UUID).
pub fn filetype_and_uuid(key: &str) -> (String, String) {
    let name = key.rsplit('/').next().unwrap_or(key);
    let filetype = name.split('_').next().unwrap_or(name);
    let filetype = if name.contains('_') {
        filetype.to_string()
    } else {
        filetype.split('.').next().unwrap_or(filetype).to_string()
    };
    let last = key.rsplit('_').next().unwrap_or(key);
    let uuid = last.split('.').next().unwrap_or(last).to_string();
    (filetype, uuid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_decode_and_split() {
        assert_eq!(
            decode_key("hdsfiles/red+flower%2B1.jpg"),
            "hdsfiles/red flower+1.jpg"
        );
        assert_eq!(
            decode_key("errorreport%2Fx+y_1.json"),
            "errorreport/x y_1.json"
        );
        assert_eq!(decode_key("bad%zz%"), "bad%zz%");
        let (ft, uuid) = filetype_and_uuid("test-object_6f616e44-1f46-11ed-8d4c-0d9457c6a74a.file");
        assert_eq!(
            (ft.as_str(), uuid.as_str()),
            ("test-object", "6f616e44-1f46-11ed-8d4c-0d9457c6a74a")
        );
        let (ft, uuid) = filetype_and_uuid("hdsfiles/robotlog_010_03_abc-123.log");
        assert_eq!((ft.as_str(), uuid.as_str()), ("robotlog", "abc-123"));
    }

    #[test]
    fn messages_carry_the_event_as_a_string() {
        let event = json!({"Records": [{"s3": {"bucket": {"name": "b"}, "object": {"key": "a+b_u1.log", "eTag": "\"e1\"", "size": 5}}}]});
        let msg = json!({"MessageId": "m", "Body": event.to_string()});
        let o = object_of_message(&msg).unwrap();
        assert_eq!(
            o,
            S3Object {
                bucket: "b".into(),
                key: "a b_u1.log".into(),
                etag: "e1".into(),
                size: Some(5)
            }
        );
        assert!(object_of_message(&json!({})).is_err());
        assert!(object_of_message(&json!({"Body": "{\"Event\": \"s3:TestEvent\"}"})).is_err());
    }
}
