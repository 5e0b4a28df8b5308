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

/// Which part of an S3 record a check refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectField {
    Bucket,
    Key,
}

impl ObjectField {
    /// The field's path in record `i` of an S3 event, for a 400 naming it.
    pub fn path(self, i: usize) -> String {
        match self {
            ObjectField::Bucket => format!("Body.Records[{i}].s3.bucket.name"),
            ObjectField::Key => format!("Body.Records[{i}].s3.object.key"),
        }
    }
}

/// The check of an announced object (its key already URL-decoded by [`records`]), the one the
/// forwarders apply (`forward::queues::key_allowed`) and `s3files/`/`sessclip/` apply to what
/// they are posted: the configured bucket only; a key of at most 1,024 bytes, under one of the
/// queue's prefixes, not absolute, without `..` segments or control characters (CR, LF, NUL…)
/// — such keys would be stored and then signed for every reader (docs/api-design.md#s3-files).
pub fn check_object(
    prefixes: &[String],
    bucket: &str,
    allowed_bucket: &str,
    key: &str,
) -> Result<(), (ObjectField, String)> {
    if bucket != allowed_bucket {
        return Err((
            ObjectField::Bucket,
            format!("bucket {bucket:?} is not {allowed_bucket:?}"),
        ));
    }
    let refuse = |why: String| Err((ObjectField::Key, why));
    if key.is_empty() || key.len() > 1024 {
        return refuse("empty or overlong key".into());
    }
    if key.starts_with('/')
        || key.split(['/', '\\']).any(|seg| seg == "..")
        || key.chars().any(char::is_control)
    {
        return refuse(format!("unsafe key {key:?}"));
    }
    if !prefixes.iter().any(|p| key.starts_with(p.as_str())) {
        return refuse(format!("key {key:?} is outside {prefixes:?}"));
    }
    Ok(())
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

/// Every S3 object of a raw SQS message (`Body` as a JSON string, or already an object): at
/// least one, and a message announcing several yields them all (none is dropped).
pub fn objects_of_message(message: &Value) -> AppResult<Vec<S3Object>> {
    let body = message.get("Body").ok_or_else(|| {
        AppError::validation_field("Body", "This field is required (the SQS message body).")
    })?;
    let event: Value = match body {
        Value::String(s) => serde_json::from_str(s)
            .map_err(|e| AppError::validation_field("Body", format!("not JSON: {e}")))?,
        other => other.clone(),
    };
    let objects = records(&event);
    if objects.is_empty() {
        return Err(AppError::validation_field(
            "Body",
            "No S3 record in the event (Records[0].s3.object.key).",
        ));
    }
    Ok(objects)
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
    fn announced_objects_are_checked_and_the_failure_names_its_field() {
        let p = vec!["hdsfiles/".to_string()];
        assert!(check_object(&p, "b", "b", "hdsfiles/x_1.log").is_ok());
        assert_eq!(
            check_object(&p, "other", "b", "hdsfiles/x").unwrap_err().0,
            ObjectField::Bucket
        );
        for bad in [
            "hdsfiles/../secret",
            "hdsfiles/..\\secret",
            "/hdsfiles/x",
            "hdsfiles/x\r\nSet-Cookie: a",
            "hdsfiles/x\u{0}",
            "errorreport/x",
            "",
        ] {
            assert_eq!(
                check_object(&p, "b", "b", bad).unwrap_err().0,
                ObjectField::Key,
                "{bad:?}"
            );
        }
        assert_eq!(ObjectField::Key.path(1), "Body.Records[1].s3.object.key");
    }

    #[test]
    fn messages_carry_the_event_as_a_string() {
        let event = json!({"Records": [{"s3": {"bucket": {"name": "b"}, "object": {"key": "a+b_u1.log", "eTag": "\"e1\"", "size": 5}}}]});
        let msg = json!({"MessageId": "m", "Body": event.to_string()});
        let o = objects_of_message(&msg).unwrap();
        assert_eq!(
            o[0],
            S3Object {
                bucket: "b".into(),
                key: "a b_u1.log".into(),
                etag: "e1".into(),
                size: Some(5)
            }
        );
        assert!(objects_of_message(&json!({})).is_err());
        assert!(objects_of_message(&json!({"Body": "{\"Event\": \"s3:TestEvent\"}"})).is_err());
        let two = json!({"Records": [
            {"s3": {"bucket": {"name": "b"}, "object": {"key": "k1", "eTag": "e1"}}},
            {"s3": {"bucket": {"name": "b"}, "object": {"key": "k2", "eTag": "e2"}}},
        ]});
        let keys: Vec<String> = objects_of_message(&json!({"Body": two.to_string()}))
            .unwrap()
            .into_iter()
            .map(|o| o.key)
            .collect();
        assert_eq!(keys, ["k1", "k2"], "no record is dropped");
    }
}
